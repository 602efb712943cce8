import { BOTH, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-12",
  level: "error",
  appliesTo: BOTH,
  checkov: ["CKV_GCP_68"],
  cis: "5.5.7",
  info: "Nodes boot with Secure Boot.",
  explanation: "Secure Boot refuses unsigned boot components, so rootkits cannot load before the OS.",
  fix: "Set node_config.shielded_instance_config.enable_secure_boot = true.",
  check: ({ config }) => expectValue(config, "node_config.shielded_instance_config.enable_secure_boot", isTrue, () => "secure boot is off"),
});
