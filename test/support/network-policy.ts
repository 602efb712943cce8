import { parseIpv4Cidr } from "../../lib/cidr";
import { resourcesOf, type TerraformJson } from "./terraform";

/** A pod (namespace and labels) or an address outside the cluster. */
export type Endpoint = { namespace: string; labels: Record<string, string> } | { ip: string };

interface Policy {
  namespace: string;
  podSelector: Record<string, string>;
  types: string[];
  ingress: Rule[];
  egress: Rule[];
}
interface Rule { peers: any[]; ports: { port: string; protocol: string }[] }

/**
 * Evaluates synthesized NetworkPolicies the way Kubernetes does: traffic flows when the
 * source's egress and the destination's ingress both allow it; a pod no policy selects for a
 * direction is open in that direction; selecting policies' rules are unioned.
 */
export class PolicyEvaluator {
  private readonly policies: Policy[];

  constructor(json: TerraformJson) {
    const namespaceNames = new Map(Object.entries(json.resource?.kubernetes_namespace_v1 ?? {}).map(([id, ns]) => [id, ns.metadata.name as string]));
    const resolve = (value: string) => value.replace(/\$\{kubernetes_namespace_v1\.(\w+)\.metadata\[0\]\.name\}/g, (_m, id) => namespaceNames.get(id) ?? _m);
    this.policies = resourcesOf(json, "kubernetes_network_policy_v1").map((resource) => {
      const spec = JSON.parse(resolve(JSON.stringify(resource.spec)));
      const rules = (list: any[] | undefined, key: "from" | "to") => (list ?? []).map((rule: any) => ({ peers: rule[key] ?? [], ports: rule.ports ?? [] }));
      return {
        namespace: resolve(resource.metadata.namespace),
        podSelector: spec.pod_selector?.match_labels ?? {},
        types: spec.policy_types,
        ingress: rules(spec.ingress, "from"),
        egress: rules(spec.egress, "to"),
      };
    });
  }

  allowed(from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
    return this.directionAllows(from, "Egress", to, port, protocol) && this.directionAllows(to, "Ingress", from, port, protocol);
  }

  private directionAllows(subject: Endpoint, type: "Ingress" | "Egress", peer: Endpoint, port: number, protocol: string): boolean {
    if ("ip" in subject) return true;
    const selecting = this.policies.filter((p) => p.namespace === subject.namespace && p.types.includes(type) && matches(p.podSelector, subject.labels));
    if (selecting.length === 0) return true;
    return selecting.some((p) => (type === "Ingress" ? p.ingress : p.egress).some((rule) => portMatches(rule, port, protocol) && rule.peers.some((r) => peerMatches(r, peer))));
  }
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function portMatches(rule: Rule, port: number, protocol: string): boolean {
  return rule.ports.length === 0 || rule.ports.some((p) => Number(p.port) === port && (p.protocol ?? "TCP") === protocol);
}

function peerMatches(peer: any, endpoint: Endpoint): boolean {
  if (peer.ip_block) {
    if (!("ip" in endpoint)) return false;
    return inCidr(endpoint.ip, peer.ip_block.cidr) && !(peer.ip_block.except ?? []).some((c: string) => inCidr(endpoint.ip, c));
  }
  if ("ip" in endpoint) return false;
  const namespaceOk = !peer.namespace_selector || matches(peer.namespace_selector.match_labels ?? {}, { "kubernetes.io/metadata.name": endpoint.namespace });
  const podOk = !peer.pod_selector || matches(peer.pod_selector.match_labels ?? {}, endpoint.labels);
  return namespaceOk && podOk;
}

function inCidr(ip: string, cidr: string): boolean {
  const range = parseIpv4Cidr(cidr);
  const address = parseIpv4Cidr(`${ip}/32`);
  if (typeof range === "string" || typeof address === "string") throw new Error(`bad address ${ip} or ${cidr}`);
  return address.first >= range.first && address.first <= range.last;
}
