import { CLUSTER, at, expectValue, isTrue, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-19",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_123"],
  info: "Node pools are separate resources, the default pool removed.",
  explanation: "Inline node pools cannot be hardened or replaced independently of the cluster.",
  fix: "Set remove_default_node_pool = true and manage pools with google_container_node_pool.",
  check: ({ config }) => {
    if (at(config, "node_pool") !== undefined) return violation("the cluster declares inline node_pool blocks");
    return expectValue(config, "remove_default_node_pool", isTrue, () => "the default node pool is kept");
  },
});
