import {
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from "@opentelemetry/api";
import type { ModelConfig } from "../config.js";
import type { RequestState } from "../middleware/request-context.js";
import type { UpstreamCall } from "../upstream/types.js";
import { correlationFields, type CorrelationFields } from "./log-correlation.js";

/** What the request span learns from the request's state once the response is complete. */
export type RequestOutcome = Pick<RequestState, "requestId" | "tenant" | "model" | "servedBy" | "upstream" | "errorCode">;

/**
 * One request's SERVER span and the spans under it: an attempt span per upstream call, fallbacks
 * and the first streamed token as events. Made only when tracing is on; when a sampler dropped
 * the request the span is a non-recording one that still carries the trace id onwards.
 */
export class RequestTrace {
  private readonly context: Context;
  private readonly recording: boolean;

  constructor(
    private readonly tracer: Tracer,
    private readonly propagator: TextMapPropagator,
    private readonly span: Span,
    private readonly method: string,
    private readonly project: string | undefined,
  ) {
    this.context = trace.setSpan(ROOT_CONTEXT, span);
    this.recording = span.isRecording();
  }

  /** trace_id, span_id and Cloud Logging's join fields, for the request's log lines. */
  logFields(): CorrelationFields {
    return correlationFields(this.span.spanContext(), this.project);
  }

  /** A CLIENT span for one call to an upstream; its `traceparent` goes with the call. */
  attempt(upstream: string, model: ModelConfig, attempt: number): AttemptTrace {
    const span = this.tracer.startSpan(
      `POST ${upstream}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "http.request.method": "POST",
          "gateway.upstream": upstream,
          "gateway.model": model.name,
          "gen_ai.request.model": model.upstreamModel,
          "gateway.attempt": attempt + 1,
          // The semantic conventions' count of resends: 0 for the first try.
          "http.request.resend_count": attempt,
        },
      },
      this.context,
    );
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return new AttemptTrace(span, headers);
  }

  /** The requested model (or a fallback before it) gave up: the next fallback is tried. */
  fallingBack(from: string, to: string, reason: string): void {
    if (this.recording)
      this.span.addEvent("gateway.fallback", { "gateway.fallback.from": from, "gateway.fallback.to": to, "gateway.fallback.reason": reason });
  }

  /** The stream's first token reached the relay, `afterMs` after the request arrived. */
  firstToken(afterMs: number): void {
    if (this.recording) this.span.addEvent("gateway.first_token", { "gateway.time_to_first_token_ms": afterMs });
  }

  /** Ends the request span with its route template ("unmatched" when none), the status sent, and who served it. */
  end(route: string, status: number, outcome: RequestOutcome): void {
    const span = this.span;
    if (this.recording) {
      // Named as the semantic conventions name server spans: method and route template, never the raw path.
      if (route !== "unmatched") span.updateName(`${this.method} ${route}`);
      span.setAttributes({
        "http.route": route === "unmatched" ? undefined : route,
        "http.response.status_code": status,
        "gateway.request_id": outcome.requestId,
        "gateway.tenant": outcome.tenant,
        "gen_ai.request.model": outcome.model,
        "gateway.served_by": outcome.servedBy,
        "gateway.fallback_used": outcome.servedBy !== undefined && outcome.servedBy !== outcome.model,
        "gateway.upstream": outcome.upstream,
        "error.type": outcome.errorCode,
      });
      // A server span is in error only for its own failures (5xx); a client's mistake (4xx) is not one.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.errorCode ?? `HTTP ${status}` });
    }
    span.end();
  }
}

/** One upstream attempt's CLIENT span. It ends when the attempt's outcome is known: headers, a failure, or the client leaving. */
export class AttemptTrace {
  constructor(
    private readonly span: Span,
    /** `traceparent` (and `tracestate`) naming this span, for the upstream. */
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** The call, carrying this span's trace context. */
  call(call: UpstreamCall): UpstreamCall {
    return { ...call, traceHeaders: this.headers };
  }

  /** The upstream answered `status`; `retryReason` says why another attempt follows, if one does. */
  answered(status: number, retryReason?: string): void {
    this.span.setAttribute("http.response.status_code", status);
    if (status >= 400) {
      this.span.setAttribute("error.type", String(status));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
    }
    this.finish(retryReason);
  }

  /** No answer came: refused, timed out, reset, or the client left. */
  failed(kind: string, message: string, retryReason?: string): void {
    this.span.setAttribute("error.type", kind);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    this.finish(retryReason);
  }

  private finish(retryReason: string | undefined): void {
    if (retryReason !== undefined) this.span.setAttributes({ "gateway.retried": true, "gateway.retry_reason": retryReason });
    this.span.end();
  }
}
