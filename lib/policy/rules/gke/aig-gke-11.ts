import { CLUSTER, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-11",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_71"],
  cis: "5.5.5",
  info: "Shielded GKE nodes are enabled.",
  explanation: "Shielded nodes prove their identity to the control plane, so a rogue node cannot join.",
  fix: "Set enable_shielded_nodes = true.",
  check: ({ config }) => expectValue(config, "enable_shielded_nodes", isTrue, () => "shielded nodes are off"),
});
