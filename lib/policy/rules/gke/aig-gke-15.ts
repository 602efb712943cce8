import { CLUSTER, expectValue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-15",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_7"],
  cis: "5.8.3",
  info: "Legacy ABAC is off.",
  explanation: "ABAC grants broad static permissions that bypass RBAC.",
  fix: "Set enable_legacy_abac = false.",
  check: ({ config }) =>
    expectValue(
      config,
      "enable_legacy_abac",
      (v) => v === false || v === undefined,
      () => "legacy ABAC is on",
    ),
});
