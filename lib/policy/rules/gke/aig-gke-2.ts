import { CLUSTER, COMPLIANT, at, isReference, isTrue, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-GKE-2", level: "error", appliesTo: CLUSTER, checkov: ["CKV_GCP_20", "CKV_GCP_18"], cis: "5.6.3",
  info: "The control plane accepts only authorized networks, never 0.0.0.0/0.",
  explanation: "An API server open to the internet is one credential leak away from a compromised cluster.",
  fix: "Set master_authorized_networks_config with specific CIDR blocks (masterAuthorizedNetworks).",
  check: ({ config }) => {
    const block = at(config, "master_authorized_networks_config");
    if (isReference(block)) return unresolved("master_authorized_networks_config");
    if (!block || typeof block !== "object") return violation("master_authorized_networks_config is missing");
    if (isTrue((block as any).gcp_public_cidrs_access_enabled)) return violation("all Google Cloud public ranges may reach the control plane");
    const cidrs = ((block as any).cidr_blocks ?? []) as { cidr_block: string }[];
    if (isReference(cidrs)) return unresolved("master_authorized_networks_config.cidr_blocks");
    const open = cidrs.find((c) => c.cidr_block === "0.0.0.0/0");
    return open ? violation("0.0.0.0/0 is authorized") : COMPLIANT;
  },
});
