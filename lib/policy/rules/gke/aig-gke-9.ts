import { POOL, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-9",
  level: "error",
  appliesTo: POOL,
  checkov: ["CKV_GCP_10"],
  cis: "5.5.3",
  info: "Node pools upgrade automatically.",
  explanation: "Nodes get security patches without someone remembering to upgrade them.",
  fix: "Set management.auto_upgrade = true.",
  check: ({ config }) => expectValue(config, "management.auto_upgrade", isTrue, () => "auto_upgrade is off"),
});
