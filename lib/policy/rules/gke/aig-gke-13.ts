import { BOTH, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-13",
  level: "error",
  appliesTo: BOTH,
  checkov: ["CKV_GCP_72"],
  cis: "5.5.6",
  info: "Nodes have integrity monitoring.",
  explanation: "Integrity monitoring reports when a node's boot sequence changes.",
  fix: "Set node_config.shielded_instance_config.enable_integrity_monitoring = true.",
  check: ({ config }) =>
    expectValue(config, "node_config.shielded_instance_config.enable_integrity_monitoring", isTrue, () => "integrity monitoring is off"),
});
