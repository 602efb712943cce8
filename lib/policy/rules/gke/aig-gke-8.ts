import { POOL, expectValue, isTrue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-8",
  level: "error",
  appliesTo: POOL,
  checkov: ["CKV_GCP_9"],
  cis: "5.5.2",
  info: "Node pools repair nodes automatically.",
  explanation: "Unhealthy nodes are recreated instead of lingering with a share of the workload.",
  fix: "Set management.auto_repair = true.",
  check: ({ config }) => expectValue(config, "management.auto_repair", isTrue, () => "auto_repair is off"),
});
