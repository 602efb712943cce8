import { CLUSTER, expectValue, isFalse } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-14",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_13"],
  cis: "5.8.1",
  info: "Client certificates are not issued.",
  explanation: "Client certificates cannot be revoked; IAM identities can.",
  fix: "Set master_auth.client_certificate_config.issue_client_certificate = false.",
  check: ({ config }) =>
    expectValue(
      config,
      "master_auth.client_certificate_config.issue_client_certificate",
      isFalse,
      () => "client certificates are issued or not explicitly disabled",
    ),
});
