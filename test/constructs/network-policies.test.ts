import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACES } from "../../constructs/gateway-namespaces";
import { synthesizeExample } from "../support/example";
import { kongPodTemplateLabels } from "../support/kong-chart";
import { PolicyEvaluator, type Endpoint } from "../support/network-policy";

const example = synthesizeExample();
const policies = new PolicyEvaluator(example.platform);

// Kong's pods carry what its chart renders from our values, not what we would like them to.
const kong: Endpoint = { namespace: DEFAULT_NAMESPACES.edge, labels: kongPodTemplateLabels(example.kongValues()) };
const app: Endpoint = { namespace: DEFAULT_NAMESPACES.app, labels: { "app.kubernetes.io/name": "gateway-app", "app.kubernetes.io/component": "backend" } };
const router: Endpoint = { namespace: DEFAULT_NAMESPACES.router, labels: { "app.kubernetes.io/name": "litellm", "app.kubernetes.io/component": "router" } };
const prometheus: Endpoint = { namespace: DEFAULT_NAMESPACES.observability, labels: { "app.kubernetes.io/name": "prometheus" } };
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
    ["Prometheus → gateway-app metrics", prometheus, app, 8080, true],
    ["Prometheus → LiteLLM metrics", prometheus, router, 4000, true],
    ["a pod in default → gateway-app", stranger, app, 8080, false],
    ["a pod in default → LiteLLM", stranger, router, 4000, false],
    ["another pod in the app namespace → LiteLLM", intruderInApp, router, 4000, false],
    ["another pod in the app namespace → the internet", intruderInApp, vertex, 443, false],
    ["gateway-app → DNS", app, dns, 53, true],
  ] as [string, Endpoint, Endpoint, number, boolean][])("%s: %s", (_name, from, to, port, expected) => {
    expect(policies.allowed(from, to, port)).toBe(expected);
  });

  it("lets every tier resolve names over UDP", () => {
    for (const pod of [kong, app, router, prometheus]) expect(policies.allowed(pod, dns, 53, "UDP")).toBe(true);
  });
});
