import { BOTH, COMPLIANT, at, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-7",
  level: "error",
  appliesTo: BOTH,
  checkov: ["CKV2_GCP_1"],
  cis: "5.2.1",
  info: "Nodes use a dedicated least-privilege service account.",
  explanation: "The default compute account has Editor on the project: any pod escaping to the node would inherit it.",
  fix: "Set node_config.service_account to a dedicated account (AiGatewayCluster creates one).",
  check: ({ config }) => {
    const account = at(config, "node_config.service_account");
    if (account === undefined) return violation("node_config.service_account is not set, so the default compute account is used");
    if (typeof account === "string" && /-compute@developer\.gserviceaccount\.com$/.test(account))
      return violation("the default compute service account is used");
    return COMPLIANT;
  },
});
