import { CLUSTER, COMPLIANT, at, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-3",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_23"],
  cis: "5.6.2",
  info: "The cluster is VPC-native (alias IPs).",
  explanation: "VPC-native clusters get pod addresses from the VPC, which firewalls, flow logs and private access understand.",
  fix: "Set ip_allocation_policy with secondary ranges for pods and services, and leave networking_mode VPC_NATIVE.",
  check: ({ config }) => {
    // Routes-based only when asked (hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:1693-1699).
    if (at(config, "networking_mode") === "ROUTES") return violation("networking_mode is ROUTES");
    return at(config, "ip_allocation_policy") ? COMPLIANT : violation("ip_allocation_policy is missing");
  },
});
