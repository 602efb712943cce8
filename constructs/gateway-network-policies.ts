import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { GatewayTier } from "./gateway-namespaces";
import { EDGE_TIER_LABELS, KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { guardRenderedValues } from "../lib/synth-guard";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../lib/upstream-facts";
import { TRACE_COLLECTOR_COMPONENT } from "./trace-collector";

export interface GatewayNetworkPoliciesProps {
  /** Namespace names by tier. */
  readonly namespaces: Readonly<Record<GatewayTier, string>>;
  /** Ports: Kong's proxy and status, gateway-app's API and metrics, LiteLLM's. */
  readonly ports: {
    readonly edgeProxy: number[];
    readonly edgeStatus: number;
    readonly backend: number;
    readonly backendMetrics: number;
    readonly router: number;
  };
  /**
   * Memorystore's TLS port (6378 with in-transit encryption); its address is allocated by Google.
   * @default 6378
   */
  readonly redisPort?: number;
  /**
   * gateway-app reaches Memorystore (governance: keys, budgets and token limits).
   * @default false
   */
  readonly backendRedis?: boolean;
  /**
   * The control plane's CIDR (the cluster's `masterIpv4CidrBlock`), which calls the Prometheus
   * operator's admission webhook on 10250.
   * @default - no ingress from the control plane: the webhook is unreachable, and with its
   *   `failurePolicy: Ignore` every PrometheusRule write waits 10 s and is admitted unvalidated
   */
  readonly controlPlaneCidr?: string;
  /**
   * The nodes' primary range (the node subnet's `ip_cidr_range`), where Prometheus scrapes the
   * kubelets (10250) and node-exporter (9100, host network). On Dataplane V2 (Cilium) node IPs
   * carry the reserved `host`/`remote-node` identities: with Cilium's default
   * `policy-cidr-match-mode` no ipBlock matches them (cilium/cilium#12277), and with `nodes` only a
   * range narrower than 0.0.0.0/0 does (cilium/cilium#47827), so the rule names this range.
   * @default - 0.0.0.0/0, which never matches a node on Cilium: node targets may be unreachable (synth warns)
   */
  readonly nodeCidr?: string;
  /**
   * The trace collector (TraceCollector) in the observability namespace: Kong, gateway-app and
   * LiteLLM may send it spans on its OTLP/HTTP port, and it reaches Cloud Trace over HTTPS and the
   * metadata server for its Workload Identity token.
   * @default - none: no collector, no rules for it
   */
  readonly traceCollector?: { readonly port: number };
}

type Peer = { namespace: string; component?: string; pods?: Readonly<Record<string, string>> } | { cidr: string; except?: string[] };
// Kong's chart owns its pods' app.kubernetes.io labels (component is "app"), so the edge is
// selected by our own tier label.
const EDGE_PODS = EDGE_TIER_LABELS;
interface Rule {
  peers: Peer[];
  ports: { port: number; protocol?: "TCP" | "UDP" }[];
}

const DNS: Rule = {
  peers: [{ namespace: "kube-system" }],
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
};
// The GKE metadata server (Workload Identity tokens) answers on these link-local addresses.
const METADATA: Rule = { peers: [{ cidr: "169.254.169.254/32" }, { cidr: "169.254.169.252/32" }], ports: [{ port: 80 }, { port: 988 }] };
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const KUBE_DNS = KUBE_PROMETHEUS_STACK_FACTS.kubeDns;
/** The kubelet's and node-exporter's ports, at node IPs. */
const NODE_METRICS_PORTS = [10250, 9100];
const OPERATOR = KUBE_PROMETHEUS_STACK_FACTS.operator;

/**
 * Default deny in every tier's namespace, then only the request path: internet → Kong →
 * gateway-app → LiteLLM → providers (HTTPS) and Redis, DNS and the metadata server where
 * needed, and Prometheus → each tier's metrics port.
 */
export class GatewayNetworkPolicies extends Construct {
  public readonly policies: NetworkPolicyV1[] = [];

  constructor(scope: Construct, id: string, props: GatewayNetworkPoliciesProps) {
    super(scope, id);
    guardRenderedValues(this);
    const ns = props.namespaces;
    const p = props.ports;
    const redis = props.redisPort ?? 6378;
    const prometheus: Peer = { namespace: ns.observability };
    const internetHttps: Rule = { peers: [{ cidr: "0.0.0.0/0", except: PRIVATE_RANGES }], ports: [{ port: 443 }] };
    const redisEgress: Rule = { peers: [{ cidr: "0.0.0.0/0" }], ports: [{ port: redis }] };
    const collector = props.traceCollector;
    const nodeCidr = props.nodeCidr ?? "0.0.0.0/0";
    if (!props.nodeCidr)
      Annotations.of(this).addWarning(
        "GatewayNetworkPolicies has no nodeCidr: Prometheus reaches kubelets and node-exporter through 0.0.0.0/0, which Dataplane V2 " +
          "(Cilium) does not match to node IPs. Give the node subnet's range (PlatformStack does).",
      );
    const spans: Rule[] = collector
      ? [{ peers: [{ namespace: ns.observability, component: TRACE_COLLECTOR_COMPONENT }], ports: [{ port: collector.port }] }]
      : [];

    for (const tier of Object.keys(ns) as GatewayTier[]) {
      this.policy(`${tier}-default-deny`, ns[tier], {}, { ingress: [], egress: [] });
    }
    this.policy("edge", ns.edge, EDGE_PODS, {
      ingress: [
        // The load balancer passes client addresses through (externalTrafficPolicy Local).
        { peers: [{ cidr: "0.0.0.0/0" }], ports: p.edgeProxy.map((port) => ({ port })) },
        { peers: [prometheus], ports: [{ port: p.edgeStatus }] },
      ],
      egress: [DNS, { peers: [{ namespace: ns.app, component: "backend" }], ports: [{ port: p.backend }] }, redisEgress, ...spans],
    });
    this.policy(
      "backend",
      ns.app,
      { "app.kubernetes.io/component": "backend" },
      {
        // The API only from Kong's pods, which authenticate the caller and set X-Consumer-*; the
        // metrics port, a listener apart, only from the observability namespace.
        ingress: [
          { peers: [{ namespace: ns.edge, pods: EDGE_PODS }], ports: [{ port: p.backend }] },
          { peers: [prometheus], ports: [{ port: p.backendMetrics }] },
        ],
        egress: [
          DNS,
          METADATA,
          { peers: [{ namespace: ns.router, component: "router" }], ports: [{ port: p.router }] },
          internetHttps,
          ...(props.backendRedis ? [redisEgress] : []),
          ...spans,
        ],
      },
    );
    this.policy(
      "router",
      ns.router,
      { "app.kubernetes.io/component": "router" },
      {
        ingress: [{ peers: [{ namespace: ns.app, component: "backend" }, prometheus], ports: [{ port: p.router }] }],
        egress: [DNS, METADATA, internetHttps, redisEgress, ...spans],
      },
    );
    // Prometheus, Grafana and Alertmanager trust each other; the collector, which needs none of them, is left out.
    this.policy(
      "observability",
      ns.observability,
      {},
      {
        exclude: collector ? { "app.kubernetes.io/component": [TRACE_COLLECTOR_COMPONENT] } : undefined,
        ingress: [{ peers: [{ namespace: ns.observability }], ports: [] }],
        egress: [
          DNS,
          // kube-dns' own metrics (dnsmasq and kubedns), which the chart's kube-dns monitor scrapes.
          { peers: [{ namespace: "kube-system", pods: KUBE_DNS.podLabels }], ports: KUBE_DNS.metricsPorts.map((port) => ({ port })) },
          { peers: [{ namespace: ns.observability }], ports: [] },
          { peers: [{ namespace: ns.edge, pods: EDGE_PODS }], ports: [{ port: p.edgeStatus }] },
          { peers: [{ namespace: ns.app, component: "backend" }], ports: [{ port: p.backendMetrics }] },
          { peers: [{ namespace: ns.router, component: "router" }], ports: [{ port: p.router }] },
          // The API server, for Kubernetes service discovery.
          { peers: [{ cidr: "0.0.0.0/0" }], ports: [{ port: 443 }] },
          // The kubelets and node exporters, at node IPs (see nodeCidr).
          { peers: [{ cidr: nodeCidr }], ports: NODE_METRICS_PORTS.map((port) => ({ port })) },
        ],
      },
    );
    if (props.controlPlaneCidr) this.operatorWebhook(ns.observability, props.controlPlaneCidr);
    if (collector) this.traceCollector(ns, collector.port, internetHttps);
  }

  /** Spans in from the three tiers only; out to Cloud Trace (HTTPS, as LiteLLM reaches Vertex AI) with a Workload Identity token. */
  private traceCollector(ns: GatewayNetworkPoliciesProps["namespaces"], port: number, googleApis: Rule): void {
    this.policy(
      "trace-collector",
      ns.observability,
      { "app.kubernetes.io/component": TRACE_COLLECTOR_COMPONENT },
      {
        ingress: [
          {
            peers: [
              { namespace: ns.edge, pods: EDGE_PODS },
              { namespace: ns.app, component: "backend" },
              { namespace: ns.router, component: "router" },
            ],
            ports: [{ port }],
          },
        ],
        egress: [DNS, METADATA, googleApis],
      },
    );
  }

  /** The API server calls the operator's admission webhook from the control plane's range. */
  private operatorWebhook(namespace: string, controlPlaneCidr: string): void {
    this.policy("observability-operator-webhook", namespace, OPERATOR.podLabels, {
      ingress: [{ peers: [{ cidr: controlPlaneCidr }], ports: [{ port: OPERATOR.webhookPort }] }],
      egress: [],
    });
  }

  private policy(
    name: string,
    namespace: string,
    podLabels: Readonly<Record<string, string>>,
    rules: { ingress: Rule[]; egress: Rule[]; exclude?: Readonly<Record<string, readonly string[]>> },
  ): void {
    const peer = (peerDef: Peer) =>
      "cidr" in peerDef
        ? { ipBlock: { cidr: peerDef.cidr, except: peerDef.except } }
        : {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peerDef.namespace } },
            ...(peerDef.pods ? { podSelector: { matchLabels: { ...peerDef.pods } } } : {}),
            ...(peerDef.component ? { podSelector: { matchLabels: { "app.kubernetes.io/component": peerDef.component } } } : {}),
          };
    const ports = (rule: Rule) => rule.ports.map((port) => ({ port: String(port.port), protocol: port.protocol ?? "TCP" }));
    this.policies.push(
      new NetworkPolicyV1(this, name, {
        metadata: { name: `ai-gateway-${name}`, namespace, labels: { ...KUBERNETES_COMMON_LABELS } },
        spec: {
          podSelector: {
            matchLabels: { ...podLabels },
            ...(rules.exclude
              ? { matchExpressions: Object.entries(rules.exclude).map(([key, values]) => ({ key, operator: "NotIn", values: [...values] })) }
              : {}),
          },
          policyTypes: ["Ingress", "Egress"],
          ingress: rules.ingress.map((rule) => ({ from: rule.peers.map(peer), ports: ports(rule) })),
          egress: rules.egress.map((rule) => ({ to: rule.peers.map(peer), ports: ports(rule) })),
        },
      }),
    );
  }
}
