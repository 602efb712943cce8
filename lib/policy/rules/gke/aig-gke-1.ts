import { CLUSTER, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-1",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_64", "CKV_GCP_25"],
  cis: "5.6.5",
  info: "Cluster nodes have private IP addresses only.",
  explanation: "Nodes with public addresses can be reached from the internet; private nodes reach out through Cloud NAT.",
  fix: "Set private_cluster_config.enable_private_nodes = true (AiGatewayCluster always does).",
  check: ({ config }) => expectValue(config, "private_cluster_config.enable_private_nodes", isTrue, () => "private nodes are off"),
});
