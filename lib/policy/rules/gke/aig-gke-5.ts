import { CLUSTER, expectValue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-5",
  level: "error",
  appliesTo: CLUSTER,
  cis: "5.2.2",
  info: "Workload Identity is enabled.",
  explanation: "Workloads then use their own Google identity instead of the node's account or exported keys.",
  fix: 'Set workload_identity_config.workload_pool = "<project>.svc.id.goog".',
  check: ({ config }) =>
    expectValue(
      config,
      "workload_identity_config.workload_pool",
      (v) => typeof v === "string" && v.endsWith(".svc.id.goog"),
      () => "workload_identity_config.workload_pool is not set",
    ),
});
