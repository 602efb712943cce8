import { CLUSTER, expectValue } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-10",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_70"],
  cis: "5.5.4",
  info: "The cluster follows a release channel.",
  explanation: "Release channels keep the control plane and nodes on supported, patched versions.",
  fix: 'Set release_channel.channel to "REGULAR" or "STABLE".',
  check: ({ config }) =>
    expectValue(
      config,
      "release_channel.channel",
      (v) => v === "REGULAR" || v === "STABLE" || v === "RAPID",
      (v) => `release channel is ${JSON.stringify(v)}`,
    ),
});
