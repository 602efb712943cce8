import { CLUSTER, COMPLIANT, at, isReference, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-17",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_21"],
  info: "The cluster carries labels.",
  explanation: "Labels attribute cost and ownership; unlabelled clusters are orphans in billing.",
  fix: "Set resource_labels (AiGatewayCluster's labels prop).",
  check: ({ config }) => {
    const labels = at(config, "resource_labels");
    if (isReference(labels)) return unresolved("resource_labels");
    return labels && typeof labels === "object" && Object.keys(labels).length > 0 ? COMPLIANT : violation("resource_labels is empty");
  },
});
