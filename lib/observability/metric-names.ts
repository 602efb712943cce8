/**
 * Metric names our dashboards and alerts may use, by the project that exposes them, as they
 * appear in Prometheus (Python client counters gain `_total`, histograms `_bucket/_sum/_count`).
 * Sources: gateway-app's metrics.ts; Kong's prometheus plugin exporter; LiteLLM's
 * integrations/prometheus.py and prometheus_services.py; kube-state-metrics; cAdvisor.
 */
export const GATEWAY_METRICS = [
  "gateway_http_requests_total",
  "gateway_http_request_duration_seconds_bucket",
  "gateway_http_request_duration_seconds_count",
  "gateway_http_request_duration_seconds_sum",
  "gateway_http_requests_in_flight",
  "gateway_upstream_request_duration_seconds_bucket",
  "gateway_upstream_request_duration_seconds_count",
  "gateway_upstream_errors_total",
  "gateway_upstream_retries_total",
  "gateway_fallbacks_total",
  "gateway_time_to_first_token_seconds_bucket",
  "gateway_time_to_first_token_seconds_count",
  "gateway_tokens_total",
  "gateway_cost_usd_total",
  "gateway_circuit_breaker_state",
  // Budget used and limit per tenant (period day|month, unit usd|tokens), from the governance store's answers.
  "gateway_budget_used",
  "gateway_budget_limit",
] as const;

export const KONG_METRICS = [
  "kong_http_requests_total",
  "kong_kong_latency_ms_bucket",
  "kong_upstream_latency_ms_bucket",
  "kong_request_latency_ms_bucket",
  "kong_bandwidth_bytes",
  "kong_nginx_connections_total",
] as const;

export const LITELLM_METRICS = [
  "litellm_proxy_total_requests_metric_total",
  "litellm_proxy_failed_requests_metric_total",
  "litellm_request_total_latency_metric_bucket",
  "litellm_llm_api_latency_metric_bucket",
  "litellm_llm_api_time_to_first_token_metric_bucket",
  "litellm_deployment_state",
  "litellm_deployment_cooled_down_total",
  "litellm_deployment_successful_fallbacks_total",
  "litellm_deployment_failed_fallbacks_total",
  "litellm_deployment_success_responses_total",
  "litellm_deployment_failure_responses_total",
  "litellm_spend_metric_total",
  "litellm_redis_failed_requests_total",
  "litellm_redis_total_requests_total",
  "litellm_redis_latency_bucket",
] as const;

export const KUBERNETES_METRICS = [
  "kube_pod_container_status_restarts_total",
  "kube_horizontalpodautoscaler_status_current_replicas",
  "kube_horizontalpodautoscaler_spec_max_replicas",
  "kube_pod_container_resource_requests",
  "kube_pod_container_resource_limits",
  "kube_deployment_status_replicas_available",
  "kube_deployment_spec_replicas",
  "container_cpu_usage_seconds_total",
  "container_memory_working_set_bytes",
] as const;

export const KNOWN_METRICS: ReadonlySet<string> = new Set<string>([...GATEWAY_METRICS, ...KONG_METRICS, ...LITELLM_METRICS, ...KUBERNETES_METRICS]);

const METRIC_IN_EXPR = /\b((?:gateway|kong|litellm|kube|container|node|process|nodejs)_[a-z0-9_]+)\b/g;

/** The metric names a PromQL expression uses: label matchers and grouping labels are not names. */
export function metricNamesIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, "").replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  return [...new Set([...withoutLabels.matchAll(METRIC_IN_EXPR)].map((m) => m[1]))];
}
