import { CLUSTER, COMPLIANT, at, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-20",
  level: "warning",
  appliesTo: CLUSTER,
  cis: "5.3.1",
  info: "Kubernetes Secrets are encrypted with a Cloud KMS key.",
  explanation: "Application-layer encryption protects Secrets in etcd with a key you control and can revoke.",
  fix: "Set secretsEncryption on AiGatewayCluster.",
  check: ({ config }) => {
    const state = at(config, "database_encryption.state");
    if (state === undefined) return violation("database_encryption is not configured");
    return state === "ENCRYPTED" ? COMPLIANT : violation("secrets are not encrypted with KMS");
  },
});
