import { BUDGET_USED_SHARE } from "./alerts";
import { DashboardBuilder, type GrafanaDashboard } from "./dashboard-builder";

const RATE = "5m";
// Counters of rare events have no series until the first one: a flat zero instead of "No data".
const NONE_YET = " or on() vector(0)";
// Probes and scrapes would drown the traffic that matters.
const TRAFFIC = `route!~"/healthz|/readyz|/metrics|unmatched"`;
const quantile = (q: number, bucket: string, by: string) => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${bucket}[${RATE}])))`;

/** Request rate, errors, latency by route, and the upstreams behind them. */
export function gatewayOverviewDashboard(): GrafanaDashboard {
  return new DashboardBuilder("ai-gateway-overview", "AI gateway / overview")
    .row("Traffic")
    .timeseries(
      "Requests by route",
      [{ expr: `sum by (route, method) (rate(gateway_http_requests_total{${TRAFFIC}}[${RATE}]))`, legend: "{{method}} {{route}}" }],
      { unit: "reqps" },
    )
    .timeseries(
      "5xx error ratio",
      [
        {
          expr:
            `sum(rate(gateway_http_requests_total{status=~"5..",${TRAFFIC}}[${RATE}])) / ` +
            `sum(rate(gateway_http_requests_total{${TRAFFIC}}[${RATE}]))`,
          legend: "5xx ratio",
        },
      ],
      { unit: "percentunit" },
    )
    .timeseries(
      "Latency by route",
      [50, 90, 99].map((p) => ({
        expr: quantile(p / 100, `gateway_http_request_duration_seconds_bucket{${TRAFFIC}}`, "route"),
        legend: `p${p} {{route}}`,
      })),
      { unit: "s", width: 24 },
    )
    .timeseries("Responses by status", [{ expr: `sum by (status) (rate(gateway_http_requests_total{${TRAFFIC}}[${RATE}]))`, legend: "{{status}}" }], {
      unit: "reqps",
    })
    .timeseries("In flight", [{ expr: "sum(gateway_http_requests_in_flight)", legend: "in flight" }])
    .row("Upstreams")
    .timeseries(
      "Upstream latency p95",
      [{ expr: quantile(0.95, "gateway_upstream_request_duration_seconds_bucket", "upstream, model"), legend: "{{upstream}} {{model}}" }],
      { unit: "s" },
    )
    .timeseries(
      "Upstream errors by outcome",
      [{ expr: `sum by (upstream, outcome) (rate(gateway_upstream_errors_total[${RATE}]))`, legend: "{{upstream}} {{outcome}}" }],
      { unit: "reqps" },
    )
    .timeseries(
      "Retries",
      [{ expr: `sum by (upstream, outcome) (rate(gateway_upstream_retries_total[${RATE}]))`, legend: "{{upstream}} {{outcome}}" }],
      { unit: "reqps" },
    )
    .timeseries("Circuit breakers (0 closed, 1 half-open, 2 open)", [
      { expr: "max by (upstream, model) (gateway_circuit_breaker_state)", legend: "{{upstream}} {{model}}" },
    ])
    .render();
}

/** A catalogue model as the dashboards see it: embeddings never stream, so they have no first token. */
export type DashboardModel = string | { readonly name: string; readonly mode?: "chat" | "embedding" };

/** Tokens, cost and time to first token by model and tenant; a row of panels per catalogue model. */
export function modelUsageDashboard(models: readonly DashboardModel[]): GrafanaDashboard {
  const builder = new DashboardBuilder("ai-gateway-models", "AI gateway / model usage")
    .row("All models")
    .timeseries("Tokens per second by model", [{ expr: `sum by (model, kind) (rate(gateway_tokens_total[${RATE}]))`, legend: "{{model}} {{kind}}" }])
    .timeseries("Tokens per second by tenant", [{ expr: `sum by (tenant) (rate(gateway_tokens_total[${RATE}]))`, legend: "{{tenant}}" }])
    .timeseries(
      "Estimated cost per hour by model",
      [{ expr: `sum by (model) (rate(gateway_cost_usd_total[${RATE}])) * 3600`, legend: "{{model}}" }],
      { unit: "currencyUSD" },
    )
    .timeseries(
      "Estimated cost per hour by tenant",
      [{ expr: `sum by (tenant) (rate(gateway_cost_usd_total[${RATE}])) * 3600`, legend: "{{tenant}}" }],
      { unit: "currencyUSD" },
    )
    // The alerts' share, so the panel crosses 80% and 100% exactly when they fire.
    .timeseries("Spend against budget per tenant", [{ expr: BUDGET_USED_SHARE, legend: "{{tenant}} {{period}} {{unit}}" }], {
      unit: "percentunit",
      width: 24,
      description:
        "Used over limit per budget (day or month, USD or tokens), the highest report across gateway-app replicas; alerts at 80% and 100%.",
    })
    .timeseries(
      "Time to first token",
      [50, 95].map((p) => ({ expr: quantile(p / 100, "gateway_time_to_first_token_seconds_bucket", "model"), legend: `p${p} {{model}}` })),
      { unit: "s" },
    )
    .timeseries("Fallbacks", [{ expr: `sum by (model, fallback) (rate(gateway_fallbacks_total[${RATE}]))`, legend: "{{model}} → {{fallback}}" }], {
      unit: "reqps",
    });
  builder.row("Per model");
  for (const entry of models) {
    const { name: model, mode = "chat" } = typeof entry === "string" ? { name: entry } : entry;
    const selector = `model="${model.replace(/"/g, '\\"')}"`;
    builder
      .stat(`${model}: tokens/s`, [{ expr: `sum(rate(gateway_tokens_total{${selector}}[${RATE}]))` }])
      .stat(`${model}: cost/hour`, [{ expr: `sum(rate(gateway_cost_usd_total{${selector}}[${RATE}])) * 3600` }], { unit: "currencyUSD" });
    if (mode === "chat")
      builder.stat(
        `${model}: TTFT p95`,
        [{ expr: `histogram_quantile(0.95, sum by (le) (rate(gateway_time_to_first_token_seconds_bucket{${selector}}[${RATE}])))` }],
        { unit: "s" },
      );
    builder.stat(`${model}: upstream errors/s`, [{ expr: `sum(rate(gateway_upstream_errors_total{${selector}}[${RATE}]))` }], { unit: "reqps" });
  }
  return builder.render();
}

/** Status codes, 429s, latency split into Kong's own and the upstream's, bandwidth. */
export function kongEdgeDashboard(): GrafanaDashboard {
  return (
    new DashboardBuilder("ai-gateway-kong", "AI gateway / Kong edge")
      .timeseries("Requests by status code", [{ expr: `sum by (code) (rate(kong_http_requests_total[${RATE}]))`, legend: "{{code}}" }], {
        unit: "reqps",
      })
      .timeseries(
        "Rate-limited (429) by consumer",
        [{ expr: `sum by (consumer) (rate(kong_http_requests_total{code="429"}[${RATE}]))${NONE_YET}`, legend: "{{consumer}}" }],
        { unit: "reqps" },
      )
      .timeseries(
        "Latency p95: Kong vs upstream",
        [
          { expr: quantile(0.95, "kong_kong_latency_ms_bucket", ""), legend: "Kong" },
          { expr: quantile(0.95, "kong_upstream_latency_ms_bucket", ""), legend: "upstream" },
          { expr: quantile(0.95, "kong_request_latency_ms_bucket", ""), legend: "total" },
        ],
        { unit: "ms", width: 24 },
      )
      .timeseries("Bandwidth", [{ expr: `sum by (direction) (rate(kong_bandwidth_bytes[${RATE}]))`, legend: "{{direction}}" }], { unit: "Bps" })
      // Kong proxies to a service URL, not to upstream entities, so target health would stay empty;
      // where answers come from (the service, Kong itself, or an exit such as a plugin's 429) does not.
      .timeseries(
        "Responses by origin",
        [{ expr: `sum by (service, source) (rate(kong_http_requests_total[${RATE}]))`, legend: "{{service}} {{source}}" }],
        { unit: "reqps" },
      )
      .render()
  );
}

/** LiteLLM's requests, failures, latency, deployment state, fallbacks and Redis. */
export function liteLlmDashboard(): GrafanaDashboard {
  return new DashboardBuilder("ai-gateway-litellm", "AI gateway / LiteLLM")
    .timeseries(
      "Requests and failures",
      [
        { expr: `sum(rate(litellm_proxy_total_requests_metric_total[${RATE}]))`, legend: "requests" },
        { expr: `sum(rate(litellm_proxy_failed_requests_metric_total[${RATE}]))${NONE_YET}`, legend: "failed" },
      ],
      { unit: "reqps" },
    )
    .timeseries(
      "Latency p95: total vs model API",
      [
        { expr: quantile(0.95, "litellm_request_total_latency_metric_bucket", ""), legend: "total" },
        { expr: quantile(0.95, "litellm_llm_api_latency_metric_bucket", ""), legend: "model API" },
      ],
      { unit: "s" },
    )
    .timeseries("Deployment state (0 healthy, 1 partial, 2 outage)", [
      { expr: "max by (litellm_model_name, api_provider) (litellm_deployment_state)", legend: "{{litellm_model_name}} {{api_provider}}" },
    ])
    .timeseries("Cool-downs", [
      { expr: `sum by (litellm_model_name) (increase(litellm_deployment_cooled_down_total[${RATE}]))${NONE_YET}`, legend: "{{litellm_model_name}}" },
    ])
    .timeseries(
      "Fallbacks",
      [
        { expr: `sum(rate(litellm_deployment_successful_fallbacks_total[${RATE}]))${NONE_YET}`, legend: "successful" },
        { expr: `sum(rate(litellm_deployment_failed_fallbacks_total[${RATE}]))${NONE_YET}`, legend: "failed" },
      ],
      { unit: "reqps" },
    )
    .timeseries("Redis failures", [{ expr: `sum(rate(litellm_redis_failed_requests_total[${RATE}]))${NONE_YET}`, legend: "failed Redis calls" }], {
      unit: "reqps",
    })
    .render();
}

/** CPU, memory, restarts and autoscaling of the gateway's pods. */
export function clusterResourcesDashboard(namespaces: readonly string[]): GrafanaDashboard {
  const ns = `namespace=~"${namespaces.join("|")}"`;
  return new DashboardBuilder("ai-gateway-resources", "AI gateway / cluster resources")
    .timeseries("CPU by pod", [
      { expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${ns},container!=""}[${RATE}]))`, legend: "{{pod}}" },
    ])
    .timeseries(
      "Memory working set by pod",
      [{ expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${ns},container!=""})`, legend: "{{pod}}" }],
      { unit: "bytes" },
    )
    .timeseries("Restarts (1h)", [
      { expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h]))`, legend: "{{pod}}" },
    ])
    .timeseries("Autoscalers: replicas vs maximum", [
      {
        expr: `sum by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${ns}})`,
        legend: "{{horizontalpodautoscaler}} current",
      },
      { expr: `sum by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${ns}})`, legend: "{{horizontalpodautoscaler}} max" },
    ])
    .render();
}

// Only requests to a weighted model carry `variant` (the arm: the variant's model, whichever model
// of its fallback chain served); unweighted requests have none, which PromQL reads as variant="".
const ARM = 'variant!=""';
const perArm = (metric: string, filter = "") => `sum by (variant) (rate(${metric}{${ARM}${filter}}[${RATE}]))`;

/**
 * The arms of weighted models side by side (README "Weighted routing"): traffic share, errors,
 * latency, time to first token, tokens and cost, each by `variant`.
 */
export function weightedArmsDashboard(): GrafanaDashboard {
  const requests = perArm("gateway_http_requests_total");
  return new DashboardBuilder("ai-gateway-arms", "AI gateway / A/B arms")
    .timeseries("Requests per second by arm", [{ expr: requests, legend: "{{variant}}" }], { unit: "reqps" })
    .timeseries(
      "Share of weighted traffic by arm",
      [{ expr: `${requests} / ignoring(variant) group_left sum(rate(gateway_http_requests_total{${ARM}}[${RATE}]))`, legend: "{{variant}}" }],
      { unit: "percentunit" },
    )
    .timeseries(
      "5xx error ratio by arm",
      // An arm without errors has no 5xx series: 0 for it rather than a gap.
      [{ expr: `(${perArm("gateway_http_requests_total", ',status=~"5.."')} or ${requests} * 0) / ${requests}`, legend: "{{variant}}" }],
      { unit: "percentunit" },
    )
    .timeseries(
      "Latency by arm",
      [50, 95].map((p) => ({
        expr: quantile(p / 100, `gateway_http_request_duration_seconds_bucket{${ARM}}`, "variant"),
        legend: `p${p} {{variant}}`,
      })),
      { unit: "s" },
    )
    .timeseries(
      "Time to first token by arm",
      [50, 95].map((p) => ({
        expr: quantile(p / 100, `gateway_time_to_first_token_seconds_bucket{${ARM}}`, "variant"),
        legend: `p${p} {{variant}}`,
      })),
      { unit: "s" },
    )
    .timeseries("Tokens per second by arm", [
      { expr: `sum by (variant, kind) (rate(gateway_tokens_total{${ARM}}[${RATE}]))`, legend: "{{variant}} {{kind}}" },
    ])
    .timeseries("Estimated cost per hour by arm", [{ expr: `${perArm("gateway_cost_usd_total")} * 3600`, legend: "{{variant}}" }], {
      unit: "currencyUSD",
    })
    .timeseries(
      "Estimated cost per 1,000 requests by arm",
      [{ expr: `${perArm("gateway_cost_usd_total")} / ${requests} * 1000`, legend: "{{variant}}" }],
      { unit: "currencyUSD" },
    )
    .render();
}

/** Every dashboard, keyed by file name. */
export function gatewayDashboards(options: { models: readonly DashboardModel[]; namespaces: readonly string[] }): Record<string, GrafanaDashboard> {
  return {
    "ai-gateway-overview.json": gatewayOverviewDashboard(),
    "ai-gateway-models.json": modelUsageDashboard(options.models),
    "ai-gateway-kong.json": kongEdgeDashboard(),
    "ai-gateway-litellm.json": liteLlmDashboard(),
    "ai-gateway-resources.json": clusterResourcesDashboard(options.namespaces),
    "ai-gateway-arms.json": weightedArmsDashboard(),
  };
}
