import { parseIpv4Cidr } from "../../lib/cidr";
import type { ClusterModel, Labels, NetworkPolicy, PolicyPeer, PolicyRule } from "./cluster-model/types";

/** A pod (namespace and labels) or an address outside the cluster. */
export type Endpoint = { namespace: string; labels: Labels } | { ip: string };

/**
 * Evaluates NetworkPolicies the way Kubernetes does: traffic flows when the source's egress
 * and the destination's ingress both allow it; a pod no policy selects for a direction is
 * open in that direction; selecting policies' rules are unioned. Reads the policies from the
 * cluster model, so chart-made pods are judged by the labels the chart really gives them.
 */
export class PolicyEvaluator {
  static fromModel(model: ClusterModel): PolicyEvaluator {
    return new PolicyEvaluator(model.networkPolicies, new Map(model.namespaces.map((n) => [n.name, n.labels])));
  }

  /** `namespaceLabels`: labels of the namespaces we create; every namespace also has its name label. */
  constructor(
    private readonly policies: readonly NetworkPolicy[],
    private readonly namespaceLabels: ReadonlyMap<string, Labels> = new Map(),
  ) {
    for (const policy of policies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        if (rule.ports.some((p) => !/^\d+$/.test(String(p.port))))
          throw new Error(`NetworkPolicy ${policy.namespace}/${policy.name}: named ports are not modelled`);
      }
    }
  }

  allowed(from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
    return this.directionAllows(from, "Egress", to, port, protocol) && this.directionAllows(to, "Ingress", from, port, protocol);
  }

  private directionAllows(subject: Endpoint, type: "Ingress" | "Egress", peer: Endpoint, port: number, protocol: string): boolean {
    if ("ip" in subject) return true;
    const selecting = this.policies.filter(
      (p) =>
        p.namespace === subject.namespace &&
        p.types.includes(type) &&
        matches(p.podSelector, subject.labels) &&
        !Object.entries(p.podSelectorNotIn ?? {}).some(([key, values]) => values.includes(subject.labels[key])),
    );
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      (type === "Ingress" ? p.ingress : p.egress).some(
        (rule) => portMatches(rule, port, protocol) && rule.peers.some((r) => this.peerMatches(r, peer)),
      ),
    );
  }

  private peerMatches(peer: PolicyPeer, endpoint: Endpoint): boolean {
    if (peer.ipBlock) {
      if (!("ip" in endpoint)) return false;
      return inCidr(endpoint.ip, peer.ipBlock.cidr) && !peer.ipBlock.except.some((c) => inCidr(endpoint.ip, c));
    }
    if ("ip" in endpoint) return false;
    const labels = { ...this.namespaceLabels.get(endpoint.namespace), "kubernetes.io/metadata.name": endpoint.namespace };
    const namespaceOk = !peer.namespaceSelector || matches(peer.namespaceSelector, labels);
    const podOk = !peer.podSelector || matches(peer.podSelector, endpoint.labels);
    return namespaceOk && podOk;
  }
}

/** An empty selector selects everything, as in a NetworkPolicy's podSelector. */
function matches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function portMatches(rule: PolicyRule, port: number, protocol: string): boolean {
  return rule.ports.length === 0 || rule.ports.some((p) => Number(p.port) === port && (p.protocol ?? "TCP") === protocol);
}

function inCidr(ip: string, cidr: string): boolean {
  const range = parseIpv4Cidr(cidr);
  const address = parseIpv4Cidr(`${ip}/32`);
  if (typeof range === "string" || typeof address === "string") throw new Error(`bad address ${ip} or ${cidr}`);
  return address.first >= range.first && address.first <= range.last;
}
