import { CLUSTER, COMPLIANT, at, isReference, isTrue, unresolved, violation } from "../gke-helpers";
import { defineRule } from "../../rule";
import { MAX_AUTHORIZED_PUBLIC_ADDRESSES, parseIpv4Cidr, publicAddressCount, type Ipv4Range } from "../../../cidr";

export const rule = defineRule({
  id: "AIG-GKE-2",
  level: "error",
  appliesTo: CLUSTER,
  checkov: ["CKV_GCP_20", "CKV_GCP_18"],
  cis: "5.6.3",
  info: "The control plane accepts only authorized networks, together at most a /8 of public addresses.",
  explanation: "An API server open to the internet is one credential leak away from a compromised cluster.",
  fix: "Set master_authorized_networks_config with specific CIDR blocks (masterAuthorizedNetworks).",
  check: ({ config }) => {
    const block = at(config, "master_authorized_networks_config");
    if (isReference(block)) return unresolved("master_authorized_networks_config");
    if (!block || typeof block !== "object") return violation("master_authorized_networks_config is missing");
    if (isTrue((block as any).gcp_public_cidrs_access_enabled)) return violation("all Google Cloud public ranges may reach the control plane");
    const cidrs = ((block as any).cidr_blocks ?? []) as { cidr_block: string }[];
    if (isReference(cidrs)) return unresolved("master_authorized_networks_config.cidr_blocks");
    if (cidrs.some((c) => isReference(c.cidr_block))) return unresolved("master_authorized_networks_config.cidr_blocks");
    const ranges = cidrs.map((c) => parseIpv4Cidr(c.cidr_block));
    const malformed = ranges.find((r) => typeof r === "string");
    if (malformed) return violation(`a cidr_block ${malformed}`);
    const open = publicAddressCount(ranges as Ipv4Range[]);
    return open > MAX_AUTHORIZED_PUBLIC_ADDRESSES ? violation(`the authorized networks cover ${open} public addresses, more than a /8`) : COMPLIANT;
  },
});
