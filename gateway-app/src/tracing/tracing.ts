import type { IncomingHttpHeaders } from "node:http";
import { diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, type Context, type TextMapGetter, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from "@opentelemetry/sdk-trace";
import type { Logger } from "../logger.js";
import type { TracingConfig, TraceSamplerName } from "./config.js";
import { RequestTrace } from "./request-trace.js";

/** What the app holds when tracing is on; when it is off there is none, and no span is ever made. */
export interface Tracing {
  /** The SERVER span of a request, its parent taken from the request's `traceparent`/`tracestate`. */
  startRequest(headers: IncomingHttpHeaders, method: string, startedAt: number): RequestTrace;
  /** Sends the spans still queued, waiting at most `timeoutMs`; a Collector that is down never holds up the exit longer. */
  shutdown(timeoutMs: number): Promise<void>;
}

/** Spans wait in memory up to this many (the SDK's default); past it new ones are dropped, never the process's memory. */
const MAX_QUEUED_SPANS = 2048;
/** One export to the Collector gives up after this long; the spans in it are dropped. */
const EXPORT_TIMEOUT_MS = 10_000;

/** Reads W3C headers from node's parsed headers: lower-case names, a repeated header joined. */
const NODE_HEADERS: TextMapGetter<IncomingHttpHeaders> = {
  get: (headers, key) => headers[key],
  keys: (headers) => Object.keys(headers),
};

/** The tracer provider, its batch exporter to the Collector, and the W3C propagator: built only when tracing is on. */
export function startTracing(config: TracingConfig, logger: Logger): Tracing {
  reportExportProblems(logger);
  const provider = new TracerProvider({
    sampler: samplerFor(config.sampler, config.ratio),
    resource: resourceFromAttributes({ "service.name": config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: config.endpoint, timeoutMillis: EXPORT_TIMEOUT_MS }),
        scheduledDelayMillis: config.scheduleDelayMs,
        maxQueueSize: MAX_QUEUED_SPANS,
        exportTimeoutMillis: EXPORT_TIMEOUT_MS,
      }),
    ],
  });
  const tracer: Tracer = provider.getTracer("gateway-app");
  const propagator = new W3CTraceContextPropagator();
  return {
    startRequest: (headers, method, startedAt) => {
      const parent: Context = propagator.extract(ROOT_CONTEXT, headers, NODE_HEADERS);
      const span = tracer.startSpan(method, { kind: SpanKind.SERVER, startTime: startedAt, attributes: { "http.request.method": method } }, parent);
      return new RequestTrace(tracer, propagator, span, method, config.project);
    },
    shutdown: (timeoutMs) => withTimeout(provider.shutdown(), timeoutMs),
  };
}

/** The OTel spec's sampler names, as its SDKs build them from OTEL_TRACES_SAMPLER. */
export function samplerFor(name: TraceSamplerName, ratio: number): Sampler {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * The SDK reports its problems, failed exports above all (a Collector down or refusing), through
 * its diagnostic logger, silent unless one is set: one warning line a minute at most says so.
 */
function reportExportProblems(logger: Logger, intervalMs = 60_000): void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  const warn = (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    lastAt = now;
    logger.warn("tracing: the OpenTelemetry SDK reports a problem; spans may be lost", {
      detail: [message, ...args.map(describe)].join(" "),
      suppressed_since_last: suppressed,
    });
    suppressed = 0;
  };
  const ignore = () => undefined;
  diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}

function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    // A failed flush is as final as a timed-out one: the spans are lost, the shutdown goes on.
    work
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}
