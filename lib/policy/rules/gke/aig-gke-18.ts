import { CLUSTER, COMPLIANT, at, isReference, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-18",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_1", "CKV_GCP_8"],
  cis: "5.7.1",
  info: "Cloud Logging and Cloud Monitoring are on.",
  explanation: "Without them there is no audit trail of system components and workloads.",
  fix: 'Set logging_service = "logging.googleapis.com/kubernetes" and monitoring_service = "monitoring.googleapis.com/kubernetes".',
  check: ({ config }) => {
    const logging = at(config, "logging_service");
    const monitoring = at(config, "monitoring_service");
    if (isReference(logging) || isReference(monitoring)) return unresolved("logging_service");
    if (logging === "none") return violation("logging is off");
    if (monitoring === "none") return violation("monitoring is off");
    return COMPLIANT;
  },
});
