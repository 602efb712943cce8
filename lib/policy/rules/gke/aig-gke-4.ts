import { CLUSTER, COMPLIANT, at, isReference, isTrue, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-4", level: "error", appliesTo: CLUSTER, checkov: ["CKV_GCP_12"], cis: "4.3.2",
  info: "Network policies are enforced (Dataplane V2 or Calico).",
  explanation: "Without enforcement NetworkPolicies are ignored and every pod can reach every other pod.",
  fix: 'Set datapath_provider = "ADVANCED_DATAPATH", or enable network_policy.',
  check: ({ config }) => {
    const datapath = at(config, "datapath_provider");
    if (isReference(datapath)) return unresolved("datapath_provider");
    if (datapath === "ADVANCED_DATAPATH") return COMPLIANT;
    return isTrue(at(config, "network_policy.enabled")) ? COMPLIANT : violation("neither Dataplane V2 nor network_policy is enabled");
  },
});
