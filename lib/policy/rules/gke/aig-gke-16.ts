import { CLUSTER, expectValue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-16",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV2_GCP_19"],
  cis: "5.10.2",
  info: "Kubernetes alpha features are off.",
  explanation: "Alpha clusters are unsupported, cannot be upgraded and are deleted after 30 days.",
  fix: "Set enable_kubernetes_alpha = false.",
  check: ({ config }) =>
    expectValue(
      config,
      "enable_kubernetes_alpha",
      (v) => v === false || v === undefined,
      () => "alpha features are on",
    ),
});
