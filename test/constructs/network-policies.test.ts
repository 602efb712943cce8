import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACES } from "../../constructs/gateway-namespaces";
import { synthesizeExample } from "../support/example";
import { buildClusterModel, type ClusterModel } from "../support/cluster-model";
import { configuredFlows, loadBalancedPorts } from "../support/cluster-model/flows";
import { PolicyEvaluator, type Endpoint } from "../support/network-policy";

const model = buildClusterModel(synthesizeExample());
const policies = PolicyEvaluator.fromModel(model);

/** A pod of a workload, with the labels its template (ours, or the chart's) really gives it. */
function pod(model: ClusterModel, namespace: string, name: string): Endpoint {
  const workload = model.workloads.find((w) => w.namespace === namespace && w.name === name);
  if (!workload) throw new Error(`no workload ${namespace}/${name} in the model`);
  return { namespace, labels: workload.template.labels };
}

const kong = pod(model, DEFAULT_NAMESPACES.edge, "kong-kong");
const app = pod(model, DEFAULT_NAMESPACES.app, "gateway-app");
const router = pod(model, DEFAULT_NAMESPACES.router, "litellm");
const prometheus = pod(model, DEFAULT_NAMESPACES.observability, "prometheus-kube-prometheus-stack-prometheus");
const collector = pod(model, DEFAULT_NAMESPACES.observability, "otel-collector");
const stranger: Endpoint = { namespace: "default", labels: { app: "curious" } };
const intruderInApp: Endpoint = { namespace: DEFAULT_NAMESPACES.app, labels: { app: "debug-shell" } };
const dns: Endpoint = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
const internet: Endpoint = { ip: "203.0.113.50" };
const vertex: Endpoint = { ip: "142.250.74.10" };
const memorystore: Endpoint = { ip: "10.123.0.4" };
const metadata: Endpoint = { ip: "169.254.169.254" };

describe("NetworkPolicy reachability (evaluated, not string-matched)", () => {
  it.each([
    ["internet → Kong proxy (TLS)", internet, kong, 8443, true],
    ["internet → Kong proxy (HTTP, redirected)", internet, kong, 8000, true],
    ["internet → gateway-app", internet, app, 8080, false],
    ["internet → LiteLLM", internet, router, 4000, false],
    ["Kong → gateway-app", kong, app, 8080, true],
    ["Kong → LiteLLM (skipping the backend)", kong, router, 4000, false],
    ["Kong → the internet", kong, vertex, 443, false],
    ["Kong → Memorystore (rate-limit counters)", kong, memorystore, 6378, true],
    ["gateway-app → LiteLLM", app, router, 4000, true],
    ["gateway-app → Memorystore (governance: the example's tenants have limits and budgets)", app, memorystore, 6378, true],
    ["gateway-app → a private address on 6379", app, { ip: "10.1.2.3" }, 6379, false],
    ["gateway-app → Vertex AI (direct models)", app, vertex, 443, true],
    ["gateway-app → metadata server", app, metadata, 80, true],
    ["gateway-app → Kong", app, kong, 8443, false],
    ["LiteLLM → providers over HTTPS", router, vertex, 443, true],
    ["LiteLLM → the internet over HTTP", router, vertex, 80, false],
    ["LiteLLM → Memorystore", router, memorystore, 6378, true],
    ["LiteLLM → gateway-app", router, app, 8080, false],
    ["LiteLLM → a private address on 443", router, { ip: "10.1.2.3" }, 443, false],
    ["Prometheus → Kong status", prometheus, kong, 8100, true],
    ["Prometheus → Kong proxy", prometheus, kong, 8443, false],
    ["Prometheus → gateway-app metrics (their own port)", prometheus, app, 9090, true],
    ["Prometheus → gateway-app API (could forge X-Consumer-Username)", prometheus, app, 8080, false],
    ["Kong → gateway-app metrics", kong, app, 9090, false],
    ["another pod in the app namespace → gateway-app API", intruderInApp, app, 8080, false],
    [
      "a pod in the observability namespace (not Prometheus) → gateway-app API",
      { namespace: DEFAULT_NAMESPACES.observability, labels: { app: "grafana" } },
      app,
      8080,
      false,
    ],
    ["Prometheus → LiteLLM metrics", prometheus, router, 4000, true],
    ["a pod in default → gateway-app", stranger, app, 8080, false],
    ["a pod in default → LiteLLM", stranger, router, 4000, false],
    ["another pod in the app namespace → LiteLLM", intruderInApp, router, 4000, false],
    ["another pod in the app namespace → the internet", intruderInApp, vertex, 443, false],
    ["gateway-app → DNS", app, dns, 53, true],
    ["Kong → trace collector (OTLP/HTTP)", kong, collector, 4318, true],
    ["gateway-app → trace collector (OTLP/HTTP)", app, collector, 4318, true],
    ["LiteLLM → trace collector (OTLP/HTTP)", router, collector, 4318, true],
    ["gateway-app → trace collector (OTLP/gRPC, not used)", app, collector, 4317, false],
    ["Prometheus → trace collector (the observability namespace's trust stops at it)", prometheus, collector, 4318, false],
    ["a pod in default → trace collector", stranger, collector, 4318, false],
    ["trace collector → Cloud Trace (Google APIs over HTTPS)", collector, vertex, 443, true],
    ["trace collector → metadata server (Workload Identity token)", collector, metadata, 80, true],
    ["trace collector → metadata server (GKE metadata server port)", collector, metadata, 988, true],
    ["trace collector → gateway-app metrics (it scrapes nothing)", collector, app, 9090, false],
    ["trace collector → a private address on 443", collector, { ip: "10.1.2.3" }, 443, false],
  ] as [string, Endpoint, Endpoint, number, boolean][])("%s", (_name, from, to, port, expected) => {
    expect(policies.allowed(from, to, port)).toBe(expected);
  });

  it("lets every tier resolve names over UDP", () => {
    for (const source of [kong, app, router, prometheus, collector]) expect(policies.allowed(source, dns, 53, "UDP")).toBe(true);
  });
});

describe("NetworkPolicies against the flows the configuration implies (cluster model)", () => {
  const endpoint = (key: string) => pod(model, key.split("/")[0], key.split("/")[1]);
  const required = configuredFlows(model);
  const flowKey = (f: { from: string; to: string; port: number }) => `${f.from} → ${f.to}:${f.port}`;

  it("derives the request path and every scrape from the configuration", () => {
    expect([...new Set(required.map(flowKey))].sort()).toEqual([
      "ai-gateway-app/gateway-app → ai-gateway-observability/otel-collector:4318",
      "ai-gateway-app/gateway-app → ai-gateway-router/litellm:4000",
      "ai-gateway-edge/kong-kong → ai-gateway-app/gateway-app:8080",
      "ai-gateway-edge/kong-kong → ai-gateway-observability/otel-collector:4318",
      "ai-gateway-observability/prometheus-kube-prometheus-stack-prometheus → ai-gateway-app/gateway-app:9090",
      "ai-gateway-observability/prometheus-kube-prometheus-stack-prometheus → ai-gateway-edge/kong-kong:8100",
      "ai-gateway-observability/prometheus-kube-prometheus-stack-prometheus → ai-gateway-router/litellm:4000",
      "ai-gateway-router/litellm → ai-gateway-observability/otel-collector:4318",
    ]);
  });

  it("allows every flow the configuration needs", () => {
    const denied = required.filter((f) => !policies.allowed(endpoint(f.from), endpoint(f.to), f.port)).map((f) => `${flowKey(f)} (${f.why})`);
    expect(denied).toEqual([]);
  });

  it("allows clients to every port the load balancer forwards to", () => {
    const ports = loadBalancedPorts(model);
    expect(ports.map((p) => p.port).sort()).toEqual([8000, 8443]);
    for (const { to, port } of ports) expect(policies.allowed(internet, endpoint(to), port), `internet → ${to}:${port}`).toBe(true);
  });

  it("allows no other flow between pods, nor from a stranger to any container port", () => {
    const pods = model.workloads.map((w) => ({
      key: `${w.namespace}/${w.name}`,
      endpoint: endpoint(`${w.namespace}/${w.name}`),
      ports: w.template.containers.flatMap((c) => c.ports.map((p) => Number(p.containerPort))),
    }));
    const sources = [...pods, { key: "default/curious", endpoint: stranger }, { key: "ai-gateway-app/debug-shell", endpoint: intruderInApp }];
    const allowed = sources.flatMap((from) =>
      pods.flatMap((to) =>
        to.ports.filter((port) => policies.allowed(from.endpoint, to.endpoint, port)).map((port) => `${from.key} → ${to.key}:${port}`),
      ),
    );
    expect([...new Set(allowed)].sort()).toEqual([...new Set(required.map(flowKey))].sort());
  });
});
