/**
 * Tracing settings, read from the OpenTelemetry SDK's standard environment variables (the names
 * and meanings of the OTel specification's "Environment Variable Specification"), so that the
 * Deployment sets what any OTel SDK would read. Only what gateway-app implements is accepted.
 */

/** The samplers of OTEL_TRACES_SAMPLER that gateway-app builds (the spec's built-in set, less Jaeger's remote one). */
export const TRACE_SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

export interface TracingConfig {
  /** Where spans go: OTLP over HTTP, JSON encoded, e.g. http://otel-collector.observability.svc.cluster.local:4318/v1/traces. */
  readonly endpoint: string;
  readonly sampler: TraceSamplerName;
  /** The ratio of root traces kept by the ratio samplers, 0..1. */
  readonly ratio: number;
  /** The resource's `service.name`. */
  readonly serviceName: string;
  /** The Google Cloud project whose Cloud Trace the logs' `logging.googleapis.com/trace` names; unset: no Cloud Logging join fields. */
  readonly project?: string;
  /** Longest a finished span waits before it is sent (OTEL_BSP_SCHEDULE_DELAY). */
  readonly scheduleDelayMs: number;
}

/** The spec's defaults. */
const DEFAULTS = { sampler: "parentbased_traceidratio" as TraceSamplerName, ratio: 1, serviceName: "gateway-app", scheduleDelayMs: 5000 };

/**
 * The tracing settings, or undefined when tracing is off: OTEL_TRACES_EXPORTER=none, or unset
 * with no OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. Every problem is added to `problems`.
 */
export function readTracingConfig(env: Record<string, string | undefined>, problems: string[]): TracingConfig | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined;
  const exporter = env.OTEL_TRACES_EXPORTER || (endpoint ? "otlp" : "none");
  if (exporter !== "otlp" && exporter !== "none")
    problems.push(`OTEL_TRACES_EXPORTER: must be "otlp" or "none" (received "${exporter}"); gateway-app exports OTLP over HTTP only`);
  checkProtocol(env, problems);
  const sampler = readSampler(env, problems);
  const ratio = readRatio(env, problems);
  const scheduleDelayMs = readScheduleDelay(env, problems);
  if (exporter !== "otlp") return undefined;
  if (!endpoint) {
    problems.push(
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: required when OTEL_TRACES_EXPORTER=otlp: the Collector's OTLP/HTTP traces URL " +
        "(e.g. http://otel-collector.observability.svc.cluster.local:4318/v1/traces), or set OTEL_TRACES_EXPORTER=none",
    );
    return undefined;
  }
  if (!isHttpUrl(endpoint)) {
    problems.push(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http(s) URL (received "${endpoint}")`);
    return undefined;
  }
  return {
    endpoint,
    sampler,
    ratio,
    serviceName: env.OTEL_SERVICE_NAME || DEFAULTS.serviceName,
    project: env.GOOGLE_CLOUD_PROJECT || undefined,
    scheduleDelayMs,
  };
}

/**
 * The exporter speaks OTLP/HTTP with JSON bodies: a protocol variable asking for another (gRPC on
 * 4317, protobuf) would otherwise be ignored without a word.
 */
function checkProtocol(env: Record<string, string | undefined>, problems: string[]): void {
  for (const name of ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"]) {
    const value = env[name];
    if (value && value !== "http/json")
      problems.push(
        `${name}: gateway-app exports "http/json" only (received "${value}"); unset it or set "http/json", with the Collector's port 4318`,
      );
  }
}

function readSampler(env: Record<string, string | undefined>, problems: string[]): TraceSamplerName {
  const raw = env.OTEL_TRACES_SAMPLER;
  if (!raw) return DEFAULTS.sampler;
  if ((TRACE_SAMPLERS as readonly string[]).includes(raw)) return raw as TraceSamplerName;
  problems.push(`OTEL_TRACES_SAMPLER: must be one of ${TRACE_SAMPLERS.join(", ")} (received "${raw}")`);
  return DEFAULTS.sampler;
}

/** Read whatever the sampler: the spec ignores it for samplers without a ratio, but a malformed value is still a mistake. */
function readRatio(env: Record<string, string | undefined>, problems: string[]): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw === "") return DEFAULTS.ratio;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1, e.g. 0.1 to keep one trace in ten (received "${raw}")`);
    return DEFAULTS.ratio;
  }
  return value;
}

function readScheduleDelay(env: Record<string, string | undefined>, problems: string[]): number {
  const raw = env.OTEL_BSP_SCHEDULE_DELAY;
  if (raw === undefined || raw === "") return DEFAULTS.scheduleDelayMs;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 600_000) {
    problems.push(`OTEL_BSP_SCHEDULE_DELAY: must be a whole number of milliseconds from 1 to 600000 (received "${raw}")`);
    return DEFAULTS.scheduleDelayMs;
  }
  return value;
}

function isHttpUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
