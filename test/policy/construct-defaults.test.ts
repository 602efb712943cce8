import { describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AiGateway, gatewayCatalogue } from "../../constructs/ai-gateway";
import { AiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { ClusterAccess } from "../../constructs/cluster-access";
import { GatewayBackend } from "../../constructs/gateway-backend";
import { GatewayInfrastructure } from "../../constructs/gateway-infrastructure";
import { GatewayNamespaces } from "../../constructs/gateway-namespaces";
import { GatewayNetworkPolicies } from "../../constructs/gateway-network-policies";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { KongEdge } from "../../constructs/kong-edge";
import { LiteLlmRouter } from "../../constructs/lite-llm-router";
import { ObservabilityStack } from "../../constructs/observability-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import { ProjectServices } from "../../constructs/project-services";
import { PolicyPack } from "../../lib/policy/pack";

const PROJECT = { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" };
const REDIS = { host: "10.0.0.3", port: "6378", caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" };
const TIERS = { edge: "ai-gateway-edge", app: "ai-gateway-app", router: "ai-gateway-router", observability: "ai-gateway-observability" };

/** A stack of the team's own, with the providers a construct needs and nothing else. */
function teamStack(): TerraformStack {
  const stack = new TerraformStack(new App({ outdir: "/tmp/unused" }), "team");
  new GoogleProvider(stack, "google", { project: PROJECT.projectId });
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  return stack;
}

/** What the pack that the construct installed on its stack found, as `rule path`. */
function findings(build: (stack: TerraformStack) => unknown, stack: TerraformStack = teamStack()): string[] {
  build(stack);
  Testing.synth(stack);
  return PolicyPack.of(stack)!.report.findings.map((f) => `${f.ruleId}${f.check ? ` ${f.check}` : ""} ${f.level} ${f.path}`);
}

// Kong's, LiteLLM's and the trace collector's images and the user-built gateway-app are pinned by tag: no published digest
// is known for them, so AIG-K8S-14 warns (a warning never fails synth). Every other finding fails here.
const TAG_ONLY = (path: string) => `AIG-K8S-14 warning ${path}`;

describe("each construct alone, with its defaults and only its required props, passes the pack", () => {
  it.each<[string, (stack: TerraformStack) => unknown, string[]]>([
    ["AiGatewayCluster", (s) => new AiGatewayCluster(s, "Cluster", PROJECT), []],
    ["ProjectServices", (s) => new ProjectServices(s, "Apis", { projectId: PROJECT.projectId }), []],
    [
      "GatewayInfrastructure",
      (s) =>
        new GatewayInfrastructure(s, "Infra", {
          cluster: new AiGatewayCluster(s, "Cluster", PROJECT),
          prefix: PROJECT.prefix,
          namespaces: TIERS,
        }),
      [],
    ],
    [
      "ClusterAccess",
      (s) => new ClusterAccess(s, "Access", { cluster: { projectId: PROJECT.projectId, location: PROJECT.region, clusterName: "gw-gke" } }),
      [],
    ],
    ["GatewayNamespaces", (s) => new GatewayNamespaces(s, "Namespaces"), []],
    [
      "GatewayNetworkPolicies",
      (s) =>
        new GatewayNetworkPolicies(s, "Policies", {
          namespaces: TIERS,
          ports: { edgeProxy: [8000, 8443], edgeStatus: 8100, backend: 8080, backendMetrics: 9090, router: 4000 },
        }),
      [],
    ],
    [
      "KongEdge with its default 2 to 10 replicas",
      (s) =>
        new KongEdge(s, "Edge", {
          namespace: TIERS.edge,
          tls: { secretName: "kong-proxy-tls" },
          loadBalancerIp: "203.0.113.10",
          rateLimitRedis: { ...REDIS, passwordSecret: { name: "kong-redis", key: "password" } },
        }),
      [TAG_ONLY("team/Edge/Release")],
    ],
    [
      "KongEdge with one replica",
      (s) =>
        new KongEdge(s, "Edge", {
          namespace: TIERS.edge,
          tls: { secretName: "kong-proxy-tls" },
          loadBalancerIp: "203.0.113.10",
          replicas: { min: 1, max: 1 },
        }),
      [TAG_ONLY("team/Edge/Release")],
    ],
    [
      "LiteLlmRouter",
      (s) => new LiteLlmRouter(s, "Router", { catalogue: gatewayCatalogue(s, PROJECT), namespace: TIERS.router, ...PROJECT, redis: REDIS }),
      [TAG_ONLY("team/Router/Workload/Deployment")],
    ],
    [
      "GatewayBackend",
      (s) =>
        new GatewayBackend(s, "Backend", {
          catalogue: gatewayCatalogue(s, PROJECT),
          namespace: TIERS.app,
          ...PROJECT,
          routerUrl: "http://litellm.ai-gateway-router.svc.cluster.local:4000",
        }),
      [TAG_ONLY("team/Backend/Workload/Deployment")],
    ],
    [
      "ObservabilityStack",
      (s) =>
        new ObservabilityStack(s, "Observability", {
          namespace: TIERS.observability,
          targets: { edge: { namespace: TIERS.edge }, backend: { namespace: TIERS.app }, router: { namespace: TIERS.router } },
          models: ["gemini-flash"],
        }),
      [],
    ],
    [
      "AiGateway",
      (s) => new AiGateway(s, "Gateway", { ...PROJECT, namespaces: new GatewayNamespaces(s, "Namespaces") }),
      [
        TAG_ONLY("team/Gateway/Router/Workload/Deployment"),
        TAG_ONLY("team/Gateway/Backend/Workload/Deployment"),
        TAG_ONLY("team/Gateway/Edge/Release"),
      ],
    ],
  ])("%s", (_name, build, expected) => {
    expect(findings(build)).toEqual(expected);
  });

  it.each<[string, (app: App) => TerraformStack, string[]]>([
    ["InfrastructureStack", (app) => new InfrastructureStack(app, "infra", { spec: PROJECT }), []],
    [
      "PlatformStack",
      (app) => new PlatformStack(app, "platform", { spec: PROJECT }),
      ["TraceCollector/Workload/Deployment", "Router/Workload/Deployment", "Backend/Workload/Deployment", "Edge/Release"].map((p) =>
        TAG_ONLY(`platform/Gateway/${p}`),
      ),
    ],
  ])("%s", (_name, build, expected) => {
    const stack = build(new App({ outdir: "/tmp/unused" }));
    expect(findings(() => undefined, stack)).toEqual(expected);
  });
});
