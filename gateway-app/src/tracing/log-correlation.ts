import { TraceFlags, type SpanContext } from "@opentelemetry/api";

/**
 * Fields that join a log line to its trace: our own `trace_id`/`span_id` (any log backend), and
 * the special fields with which Cloud Logging sets a LogEntry's `trace`, `spanId` and
 * `traceSampled` from a JSON line on stdout, so that Logs Explorer and Cloud Trace link the two.
 * @see https://cloud.google.com/logging/docs/structured-logging#structured_logging_special_fields
 *   ("logging.googleapis.com/trace" as "projects/[PROJECT-ID]/traces/[TRACE-ID]",
 *   "logging.googleapis.com/spanId", "logging.googleapis.com/trace_sampled")
 */
export interface CorrelationFields {
  readonly trace_id: string;
  readonly span_id: string;
  readonly "logging.googleapis.com/trace"?: string;
  readonly "logging.googleapis.com/spanId"?: string;
  readonly "logging.googleapis.com/trace_sampled"?: boolean;
}

/** The join fields of a span; Cloud Logging's only with a project, which its trace resource name needs. */
export function correlationFields(context: SpanContext, project: string | undefined): CorrelationFields {
  if (!project) return { trace_id: context.traceId, span_id: context.spanId };
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    "logging.googleapis.com/trace": `projects/${project}/traces/${context.traceId}`,
    "logging.googleapis.com/spanId": context.spanId,
    "logging.googleapis.com/trace_sampled": (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
  };
}
