import { BOTH, expectValue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-6",
  level: "error",
  appliesTo: BOTH,
  checkov: ["CKV_GCP_69"],
  cis: "5.4.1",
  info: "Nodes run the GKE metadata server (GKE_METADATA).",
  explanation: "It hides the node's credentials and instance metadata from pods and serves Workload Identity tokens.",
  fix: 'Set node_config.workload_metadata_config.mode = "GKE_METADATA" on the cluster and every node pool.',
  check: ({ config }) =>
    expectValue(
      config,
      "node_config.workload_metadata_config.mode",
      (v) => v === "GKE_METADATA",
      (v) => `workload metadata mode is ${JSON.stringify(v)}`,
    ),
});
