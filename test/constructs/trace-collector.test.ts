import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import { TraceCollector } from "../../constructs/trace-collector";
import type { GatewaySpec } from "../../lib/gateway-spec";
import { KONG_FACTS, LITELLM_FACTS, OTEL_COLLECTOR_FACTS } from "../../lib/upstream-facts";
import { fromYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { readSynthesized, resourcesOf, synthJson, tempApp, type TerraformJson } from "../support/terraform";

const SPEC: GatewaySpec = { projectId: "acme-ai-prod", region: "europe-west4", prefix: "acme" };

function collectorStack(props: Partial<ConstructorParameters<typeof TraceCollector>[2]> = {}) {
  const stack = new TerraformStack(new App({ outdir: "/tmp/unused" }), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  const collector = new TraceCollector(stack, "Collector", {
    namespace: "obs",
    projectId: "acme-ai-prod",
    serviceAccountEmail: "acme-otel@acme-ai-prod.iam.gserviceaccount.com",
    ...props,
  });
  return { collector, json: synthJson(stack) };
}

/** Keys of `config` that `schema` (the facts' nested key lists) does not have, as dotted paths. */
function keysOutside(config: Record<string, unknown>, schema: readonly (string | Record<string, readonly unknown[]>)[], at = ""): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const nested = schema.find((s): s is Record<string, readonly unknown[]> => typeof s === "object" && key in s);
    if (nested && value && typeof value === "object") return keysOutside(value as Record<string, unknown>, nested[key] as never, `${at}${key}.`);
    return schema.includes(key) ? [] : [`${at}${key}`];
  });
}

function bothStacks(spec: GatewaySpec): { infra: TerraformJson; platform: TerraformJson } {
  const app = tempApp();
  const infrastructure = new InfrastructureStack(app, "infra", { spec });
  new PlatformStack(app, "platform", { spec, dependsOnStacks: [infrastructure] });
  app.synth();
  const { stacks } = readSynthesized(app.outdir);
  return { infra: stacks.infra, platform: stacks.platform };
}

describe("TraceCollector", () => {
  const { collector, json } = collectorStack();
  const [deployment] = resourcesOf(json, "kubernetes_deployment_v1");
  const pod = deployment.spec.template.spec;
  const [container] = pod.container;
  const config = collector.collectorConfig as any;

  it("default: otelcol-contrib 0.159.0 by tag, as the image's own non-root user, read-only root, with limits", () => {
    expect(container.image).toBe("otel/opentelemetry-collector-contrib:0.159.0");
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, run_as_user: "10001" });
    expect(container.security_context).toMatchObject({
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } });
    expect(container.args).toEqual(["--config", "/etc/otelcol/config.yaml"]);
    expect(container.lifecycle).toBeUndefined();
  });

  it("default: two replicas with a PDB, probed on the health_check extension", () => {
    expect(deployment.spec.replicas).toBe("2");
    expect(resourcesOf(json, "kubernetes_pod_disruption_budget_v1")[0].spec.max_unavailable).toBe("1");
    expect(container.readiness_probe.http_get).toEqual({ path: "/", port: "health" });
    expect(container.liveness_probe.http_get).toEqual({ path: "/", port: "health" });
    expect(container.port.find((p: any) => p.name === "health").container_port).toBe(13133);
    expect(config.extensions.health_check).toEqual({ endpoint: "0.0.0.0:13133", path: "/" });
    expect(config.service.extensions).toEqual(["health_check"]);
  });

  it("receives OTLP over HTTP and gRPC on every address (the receiver's default, localhost, is unreachable from other pods)", () => {
    expect(config.receivers.otlp.protocols).toEqual({ http: { endpoint: "0.0.0.0:4318" }, grpc: { endpoint: "0.0.0.0:4317" } });
    expect(collector.tracesEndpoint).toBe("http://otel-collector.obs.svc.cluster.local:4318/v1/traces");
    expect(resourcesOf(json, "kubernetes_service_v1")[0].spec.port.map((p: any) => `${p.name}:${p.port}`)).toEqual([
      "health:13133",
      "otlp-http:4318",
      "otlp-grpc:4317",
    ]);
  });

  it("exports to Cloud Trace in the project through memory_limiter, then batch, with GOMEMLIMIT at 80% of the limit", () => {
    expect(config.exporters).toEqual({ googlecloud: { project: "acme-ai-prod" } });
    expect(config.service.pipelines).toEqual({
      traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["googlecloud"] },
    });
    expect(container.env).toEqual([{ name: "GOMEMLIMIT", value: "204MiB" }]);
    expect(collectorStack({ resources: { memoryRequest: "1Gi" } }).json).toSatisfy((j: TerraformJson) =>
      resourcesOf(j, "kubernetes_deployment_v1")[0].spec.template.spec.container[0].env.some((e: any) => e.value === "819MiB"),
    );
  });

  it("uses only components the distribution ships and keys they take (otelcol-contrib decodes strictly)", () => {
    const components = OTEL_COLLECTOR_FACTS.components;
    for (const kind of ["receivers", "processors", "exporters", "extensions"] as const)
      expect(
        Object.keys(config[kind]).filter((name) => !(components[kind] as readonly string[]).includes(name)),
        kind,
      ).toEqual([]);
    const keys = OTEL_COLLECTOR_FACTS.configKeys as unknown as Record<string, readonly (string | Record<string, readonly unknown[]>)[]>;
    const all = { ...config.receivers, ...config.processors, ...config.exporters, ...config.extensions };
    for (const [name, body] of Object.entries(all)) expect(keysOutside(body as Record<string, unknown>, keys[name]), name).toEqual([]);
    expect(keysOutside({ protocols: { http: { endpoint: "x", cors: {} } } }, keys.otlp)).toEqual(["protocols.http.cors"]);
  });

  it("acts as its Google account through Workload Identity, and rolls when its config changes", () => {
    const [sa] = resourcesOf(json, "kubernetes_service_account_v1");
    expect(sa.metadata.name).toBe("otel-collector");
    expect(sa.metadata.annotations["iam.gke.io/gcp-service-account"]).toBe("acme-otel@acme-ai-prod.iam.gserviceaccount.com");
    expect(sa.automount_service_account_token).toBe(false);
    expect(deployment.spec.template.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("throws if the image is not pinned", () => {
    expect(() => collectorStack({ image: "otel/opentelemetry-collector-contrib:latest" })).toThrow(
      /^test\/Collector: image is not a usable pin: it has neither a digest nor a fixed tag/,
    );
  });
});

describe("tracing across the tiers (GatewaySpec tracing, on by default)", () => {
  const example = synthesizeExample();

  it("default: every tier sends spans to the collector, sampled at 5% by Kong and parent-based after it", () => {
    const endpoint =
      "http://otel-collector.${kubernetes_namespace_v1.Namespaces_observability_5AE8077D.metadata[0].name}.svc.cluster.local:4318/v1/traces";
    const env = (name: string) => Object.fromEntries(example.deployment(name).spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(env("gateway-app")).toMatchObject({
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
      // gateway-app's exporter speaks OTLP/HTTP JSON and refuses any other protocol at start-up.
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.05",
      OTEL_SERVICE_NAME: "gateway-app",
      OTEL_PROPAGATORS: "tracecontext",
      GOOGLE_CLOUD_PROJECT: "ai-gateway-example",
    });
    expect(env("litellm")).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.05",
      OTEL_SERVICE_NAME: "litellm",
    });
    expect(LITELLM_FACTS.otel.protocols).toContain(env("litellm")[LITELLM_FACTS.otel.env.protocol]);
  });

  it("LiteLLM: the otel callback, continuing gateway-app's traceparent, with prompts and completions kept out of spans", () => {
    const settings = example.liteLlmConfig().litellm_settings;
    expect(settings.callbacks).toContain(LITELLM_FACTS.otel.callback);
    expect(settings[LITELLM_FACTS.otel.messageLoggingOff]).toBe(true);
    expect(LITELLM_FACTS.otel.continuesTraceparent).toBe(true);
    expect(LITELLM_FACTS.configKeys.litellmSettings.keys).toContain("turn_off_message_logging");
  });

  it("Kong: the opentelemetry plugin starts every trace (W3C to gateway-app, a client's trace headers neither continued nor passed on)", () => {
    const plugin = example.kongConfig().plugins.find((p: any) => p.name === "opentelemetry");
    expect(plugin.config).toEqual({
      traces_endpoint: expect.stringMatching(/^http:\/\/otel-collector\..+\.svc\.cluster\.local:4318\/v1\/traces$/),
      sampling_rate: 0.05,
      resource_attributes: { "service.name": "kong" },
      http_response_header_for_traceid: "X-Trace-Id",
      propagation: { extract: [], clear: ["traceparent", "tracestate"], inject: ["w3c"], default_format: "w3c" },
    });
    expect(plugin.config.propagation.inject).toEqual([KONG_FACTS.tracing.propagationFormat]);
    const env = example.kongValues().env;
    expect(env.tracing_instrumentations).toBe("request");
    expect(env.tracing_sampling_rate).toBe("0.05");
    expect(KONG_FACTS.tracing.instrumentationValues).toContain(env.tracing_instrumentations);
  });

  it("default: a `<prefix>-otel` Google account with roles/cloudtrace.agent only, bound to the collector's service account, no keys", () => {
    const infra = example.infrastructure;
    const account = resourcesOf(infra, "google_service_account").find((a) => a.account_id === "ai-gw-otel")!;
    expect(account.display_name).toBe("Trace collector (Workload Identity)");
    const roles = resourcesOf(infra, "google_project_iam_member")
      .filter((m) => m.member.includes("Gateway_TraceServiceAccount"))
      .map((m) => m.role);
    expect(roles).toEqual(["roles/cloudtrace.agent"]);
    expect(resourcesOf(infra, "google_service_account_iam_member").map((b) => b.member)).toContain(
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-observability/otel-collector]",
    );
    expect(resourcesOf(infra, "google_project_service").map((s) => s.service)).toContain("cloudtrace.googleapis.com");
    expect(resourcesOf(infra, "google_service_account_key")).toEqual([]);
  });

  it("can configure the sampling ratio, which every tier gets", () => {
    const { platform } = bothStacks({ ...SPEC, tracing: { samplingRatio: 0.5 } });
    const kong = fromYaml(resourcesOf(platform, "helm_release").find((r) => r.chart === "kong")!.values[0]);
    expect(fromYaml(kong.dblessConfig.config).plugins.find((p: any) => p.name === "opentelemetry").config.sampling_rate).toBe(0.5);
    const app = resourcesOf(platform, "kubernetes_deployment_v1").find((d) => d.metadata.name === "gateway-app")!;
    expect(app.spec.template.spec.container[0].env).toContainEqual({ name: "OTEL_TRACES_SAMPLER_ARG", value: "0.5" });
  });

  it("throws if the sampling ratio is not from 0 to 1", () => {
    expect(() => bothStacks({ ...SPEC, tracing: { samplingRatio: 5 } })).toThrow(
      /^infra: spec\.tracing\.samplingRatio must be a number from 0 to 1 \(received 5\)/,
    );
  });

  it("off renders nothing at all: no collector, account, API, policy, plugin, callback or OTEL_* setting in either stack", () => {
    const { infra, platform } = bothStacks({ ...SPEC, tracing: false });
    const text = JSON.stringify({ infra, platform });
    for (const word of ["otel", "OTEL_", "opentelemetry", "cloudtrace", "trace-collector", "tracing"]) expect(text, word).not.toContain(word);
    const on = JSON.stringify(bothStacks(SPEC));
    for (const word of ["otel", "OTEL_", "opentelemetry", "cloudtrace", "trace-collector", "tracing"]) expect(on, word).toContain(word);
  });
});
