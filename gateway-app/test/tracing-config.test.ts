import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

const load = (env: Record<string, string>) => loadConfig({ env, readFile: () => "" });

function tracingOf(env: Record<string, string>) {
  const result = load(env);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config.tracing;
}

function problemsOf(env: Record<string, string>): string[] {
  const result = load(env);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

const ENDPOINT = "http://otel-collector.observability.svc.cluster.local:4318/v1/traces";

describe("tracing configuration (OTEL_* variables)", () => {
  it("is off by default: no endpoint, no exporter", () => {
    expect(tracingOf({})).toBeUndefined();
  });

  it("is off with OTEL_TRACES_EXPORTER=none even when an endpoint is set", () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ENDPOINT })).toBeUndefined();
  });

  it("exports OTLP once an endpoint is set, with the spec's defaults: parent-based ratio 1, service gateway-app, 5 s batches", () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ENDPOINT })).toEqual({
      endpoint: ENDPOINT,
      sampler: "parentbased_traceidratio",
      ratio: 1,
      serviceName: "gateway-app",
      project: undefined,
      scheduleDelayMs: 5000,
    });
  });

  it("can configure the sampler, its ratio, the service name and the project of the logs' trace field", () => {
    expect(
      tracingOf({
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ENDPOINT,
        OTEL_TRACES_SAMPLER: "traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
        OTEL_SERVICE_NAME: "edge-gateway",
        GOOGLE_CLOUD_PROJECT: "acme-prod",
      }),
    ).toMatchObject({ sampler: "traceidratio", ratio: 0.25, serviceName: "edge-gateway", project: "acme-prod" });
  });

  it("throws if OTEL_TRACES_EXPORTER=otlp has no endpoint to send to", () => {
    expect(problemsOf({ OTEL_TRACES_EXPORTER: "otlp" })).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: required when OTEL_TRACES_EXPORTER=otlp/),
    ]);
  });

  it("throws on each malformed variable, naming it", () => {
    const problems = problemsOf({
      OTEL_TRACES_EXPORTER: "jaeger",
      OTEL_TRACES_SAMPLER: "sometimes",
      OTEL_TRACES_SAMPLER_ARG: "1.5",
      OTEL_BSP_SCHEDULE_DELAY: "soon",
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "OTEL_TRACES_EXPORTER",
      "OTEL_TRACES_SAMPLER",
      "OTEL_TRACES_SAMPLER_ARG",
      "OTEL_BSP_SCHEDULE_DELAY",
    ]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "otel-collector:4318" })).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http(s) URL (received "otel-collector:4318")',
    ]);
  });

  it("throws if a protocol other than the one gateway-app sends (http/json) is asked for", () => {
    expect(problemsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_PROTOCOL: gateway-app exports "http\/json" only \(received "grpc"\)/),
    ]);
    expect(tracingOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" })?.endpoint).toBe(ENDPOINT);
  });
});
