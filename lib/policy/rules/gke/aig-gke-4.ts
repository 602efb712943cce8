import { CLUSTER, COMPLIANT, at, isReference, isTrue, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-4",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_12"],
  cis: "4.3.2",
  info: "Network policies are enforced (Dataplane V2 or Calico), with an explicit network_policy block.",
  explanation:
    "Without enforcement NetworkPolicies are ignored and every pod can reach every other pod. Like " +
    "checkov CKV_GCP_12, the rule wants the network_policy block written out: enabled = false beside " +
    "Dataplane V2.",
  fix: 'Set datapath_provider = "ADVANCED_DATAPATH" with network_policy { enabled = false }, or network_policy { enabled = true }.',
  check: ({ config }) => {
    const datapath = at(config, "datapath_provider");
    const enabled = at(config, "network_policy.enabled");
    if (isReference(datapath)) return unresolved("datapath_provider");
    if (isReference(enabled)) return unresolved("network_policy.enabled");
    if (enabled === undefined) return violation("network_policy is not written out (checkov CKV_GCP_12 fails without it)");
    return isTrue(enabled) || datapath === "ADVANCED_DATAPATH" ? COMPLIANT : violation("neither Dataplane V2 nor network_policy is enabled");
  },
});
