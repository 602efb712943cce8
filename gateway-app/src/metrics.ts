import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { BudgetReading } from "./governance/budgets.js";

/** Buckets for whole requests and upstream calls: model calls run from milliseconds to minutes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/**
 * Every metric gateway-app exports, on an injected registry. Label values come from bounded
 * sets only: route templates, statuses, configured model and tenant names, fixed outcomes, and
 * `variant`: the arm of a weighted model (a configured model), absent on unweighted requests.
 * prom-client's own classes: they refuse a label that is not declared (a hand-made fast path
 * measured 1.02x end to end and silently dropped mistyped labels).
 */
export function createMetrics(registry: Registry, options: { defaultMetrics?: boolean } = {}) {
  if (options.defaultMetrics ?? true) collectProcessMetrics(registry);
  const registers = [registry];
  const budgetReadings = new Map<string, readonly BudgetReading[]>();
  return {
    requests: new Counter({
      name: "gateway_http_requests_total",
      help: "HTTP requests by route template, method and status.",
      labelNames: ["route", "method", "status", "variant"],
      registers,
    }),
    requestDuration: new Histogram({
      name: "gateway_http_request_duration_seconds",
      help: "Time from request to the last byte of the response.",
      labelNames: ["route", "method", "status", "variant"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({ name: "gateway_http_requests_in_flight", help: "Requests being served, streams included.", registers }),
    // Idle streams cost memory and connections, not CPU: the number a pod holds, for capacity and scaling.
    streamsInFlight: new Gauge({
      name: "gateway_streams_in_flight",
      help: "Streamed responses being relayed, from their headers to their last byte.",
      registers,
    }),
    upstreamDuration: new Histogram({
      name: "gateway_upstream_request_duration_seconds",
      help: "Duration of one upstream attempt until its response headers, by upstream, model and outcome.",
      labelNames: ["upstream", "model", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamErrors: new Counter({
      name: "gateway_upstream_errors_total",
      help: "Failed upstream attempts by upstream, model and outcome.",
      labelNames: ["upstream", "model", "outcome"],
      registers,
    }),
    upstreamRetries: new Counter({
      name: "gateway_upstream_retries_total",
      help: "Retries of upstream calls by upstream, model and the outcome that caused them.",
      labelNames: ["upstream", "model", "outcome"],
      registers,
    }),
    fallbacks: new Counter({
      name: "gateway_fallbacks_total",
      help: "Requests served by a fallback model, by the requested and the serving model.",
      labelNames: ["model", "fallback"],
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: "gateway_time_to_first_token_seconds",
      help: "Time from request to the first streamed content chunk.",
      labelNames: ["model", "variant"],
      buckets: TTFT_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: "gateway_tokens_total",
      help: "Tokens by model, tenant and kind (prompt, completion).",
      labelNames: ["model", "tenant", "kind", "variant"],
      registers,
    }),
    cost: new Counter({
      name: "gateway_cost_usd_total",
      help: "Estimated cost in US dollars from the catalogue's prices, by model and tenant.",
      labelNames: ["model", "tenant", "variant"],
      registers,
    }),
    /**
     * The latest of what the governance store answered at reservation and settlement, per tenant
     * (tenant scope only: no key ids). The budget gauges read it when scraped: setting labelled
     * gauges on every call cost a tenth of a governed request's allocations.
     */
    budgetReadings,
    budgetUsed: new Gauge({
      name: "gateway_budget_used",
      help: "Settled spend against each tenant budget in its current period, in USD or tokens.",
      labelNames: ["tenant", "period", "unit"],
      registers,
      collect() {
        setFromReadings(this, budgetReadings, (r) => r.settled);
      },
    }),
    budgetLimit: new Gauge({
      name: "gateway_budget_limit",
      help: "Each tenant budget per period, in USD or tokens.",
      labelNames: ["tenant", "period", "unit"],
      registers,
      collect() {
        setFromReadings(this, budgetReadings, (r) => r.limit);
      },
    }),
    breakerState: new Gauge({
      name: "gateway_circuit_breaker_state",
      help: "Circuit breaker state per upstream and model: 0 closed, 1 half-open, 2 open.",
      labelNames: ["upstream", "model"],
      registers,
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

/** A budget gauge set, at scrape time, to one field of each tenant's latest readings. */
function setFromReadings(
  gauge: Gauge<"tenant" | "period" | "unit">,
  readings: ReadonlyMap<string, readonly BudgetReading[]>,
  value: (reading: BudgetReading) => number,
): void {
  for (const [tenant, latest] of readings) for (const r of latest) gauge.set({ tenant, period: r.period, unit: r.unit }, value(r));
}

/**
 * prom-client's default metrics whose every scrape walks each open handle or descriptor
 * (process._getActiveHandles, getActiveResourcesInfo, a readdir of /proc/self/fd), twice for the
 * pairs. With 6,000 streams open a scrape blocked the event loop for 70-380 ms, /healthz included;
 * without them, 3-10 ms. gateway_http_requests_in_flight counts what holds descriptors (a request,
 * and its upstream connection); process_max_fds stays.
 */
const PER_HANDLE_METRICS = [
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
  "process_open_fds",
];

/** Node's and the process's metrics (CPU, memory, heap, GC, event-loop lag), at a cost that does not grow with connections. */
function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of PER_HANDLE_METRICS) registry.removeSingleMetric(name);
}
