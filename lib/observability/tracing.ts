/** Where a tier sends its spans and how many it starts: what AiGateway hands each tier when tracing is on. */
export interface TierTracing {
  /** The collector's OTLP/HTTP traces URL, `/v1/traces` included. */
  readonly tracesEndpoint: string;
  /** Fraction of traces a tier starts itself; a tier continuing Kong's trace follows Kong's decision. */
  readonly samplingRatio: number;
}

/**
 * OTLP/HTTP's two encodings, both accepted on the collector's 4318: gateway-app's exporter
 * sends JSON (and refuses any other setting at start-up), LiteLLM's Python SDK protobuf.
 */
export type OtlpHttpProtocol = "http/json" | "http/protobuf";

/**
 * The OpenTelemetry SDK's own environment variables (the specification's names, read by the
 * Node SDK in gateway-app and the Python SDK under LiteLLM): OTLP over HTTP, and a parent-based
 * ratio sampler, so a request Kong sampled is traced in every tier and one it dropped in none.
 */
export function otelSdkEnv(serviceName: string, tracing: TierTracing, protocol: OtlpHttpProtocol): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_TRACES_EXPORTER: "otlp",
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: tracing.tracesEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: String(tracing.samplingRatio),
    // W3C trace context only: the format Kong injects (KongEdge's opentelemetry plugin).
    OTEL_PROPAGATORS: "tracecontext",
  };
}
