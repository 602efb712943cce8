import { violation } from "../iam-data-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-IAM-2",
  level: "error",
  appliesTo: ["google_service_account_key"],
  info: "No service-account keys are created.",
  explanation: "Exported keys are long-lived credentials that leak; Workload Identity (and Federation for CI) needs none.",
  fix: "Remove the key; use Workload Identity in the cluster and Workload Identity Federation in CI.",
  check: () => violation("a service-account key is created"),
});
