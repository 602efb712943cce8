/** A Prometheus alerting rule, as rule files and PrometheusRule resources write it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "page" | "ticket"; readonly [label: string]: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

export interface AlertOptions {
  /** Namespaces of the gateway's tiers, for Kubernetes-level alerts. */
  readonly namespaces: readonly string[];
  /**
   * Share of requests that may fail with 5xx before paging.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * Latency objective: this share of requests finishes within `latencyThresholdSeconds`.
   * @default 0.99
   */
  readonly latencyObjective?: number;
  /**
   * Must be one of gateway-app's histogram buckets.
   * @default 2.5
   */
  readonly latencyThresholdSeconds?: number;
  /**
   * Where the runbook lives; each alert links to its section.
   * @default "https://github.com/gke-ai-gateway/gke-ai-gateway/blob/main/README.md"
   */
  readonly runbookBaseUrl?: string;
}

const ALERT_DEFAULTS = {
  errorRatio: 0.05,
  latencyObjective: 0.99,
  latencyThresholdSeconds: 2.5,
  runbookBaseUrl: "https://github.com/gke-ai-gateway/gke-ai-gateway/blob/main/README.md",
} as const;

/** Multi-window, multi-burn-rate pairs from the Google SRE workbook: (long, short, factor, severity). */
const BURN_WINDOWS = [
  { long: "1h", short: "5m", factor: 14.4, severity: "page" as const },
  { long: "6h", short: "30m", factor: 6, severity: "page" as const },
];

/**
 * The gateway's alerts: 5xx ratio, latency-objective burn (multi-window), upstream circuit
 * open, sustained 429s at the edge, LiteLLM deployments cooled down, Redis unreachable, pod
 * restarts, HPA at its maximum. Each has a summary, a description and a runbook link.
 */
export function gatewayAlertGroups(options: AlertOptions): RuleGroup[] {
  const errorRatio = options.errorRatio ?? ALERT_DEFAULTS.errorRatio;
  const objective = options.latencyObjective ?? ALERT_DEFAULTS.latencyObjective;
  const threshold = options.latencyThresholdSeconds ?? ALERT_DEFAULTS.latencyThresholdSeconds;
  const runbook = (anchor: string) => `${options.runbookBaseUrl ?? ALERT_DEFAULTS.runbookBaseUrl}#${anchor}`;
  const budget = Number((1 - objective).toFixed(6));
  const namespaces = options.namespaces.join("|");
  const slowRatio = (window: string) =>
    `(1 - sum(rate(gateway_http_request_duration_seconds_bucket{route!="unmatched",route!~"/healthz|/readyz|/metrics",le="${threshold}"}[${window}])) / sum(rate(gateway_http_request_duration_seconds_count{route!="unmatched",route!~"/healthz|/readyz|/metrics"}[${window}])))`;

  return [
    {
      name: "ai-gateway.backend",
      rules: [
        {
          alert: "GatewayHighErrorRatio",
          expr: `sum(rate(gateway_http_requests_total{status=~"5.."}[5m])) / sum(rate(gateway_http_requests_total[5m])) > ${errorRatio}`,
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "gateway-app answers too many requests with 5xx",
            description: `More than ${errorRatio * 100}% of gateway-app responses were 5xx over 5 minutes. Upstreams are failing or timing out.`,
            runbook_url: runbook("gatewayhigherrorratio"),
          },
        },
        ...BURN_WINDOWS.map((w) => ({
          alert: "GatewayLatencyBudgetBurn",
          expr: `${slowRatio(w.long)} > (${w.factor} * ${budget}) and ${slowRatio(w.short)} > (${w.factor} * ${budget})`,
          for: "2m",
          labels: { severity: w.severity, burn_window: `${w.long}/${w.short}` },
          annotations: {
            summary: `Latency objective burning ${w.factor}x too fast (${w.long}/${w.short} windows)`,
            description: `More than ${w.factor}x the allowed share of requests took longer than ${threshold}s over both ${w.long} and ${w.short}; at this rate the ${objective * 100}% objective's budget is gone early.`,
            runbook_url: runbook("gatewaylatencybudgetburn"),
          },
        })),
        {
          alert: "GatewayUpstreamCircuitOpen",
          expr: "max by (upstream, model) (gateway_circuit_breaker_state) == 2",
          for: "1m",
          labels: { severity: "page" },
          annotations: {
            summary: "Circuit open for {{ $labels.model }} on {{ $labels.upstream }}",
            description: "gateway-app stopped sending to this upstream and model after repeated failures; requests fail fast or go to fallbacks.",
            runbook_url: runbook("gatewayupstreamcircuitopen"),
          },
        },
      ],
    },
    {
      name: "ai-gateway.edge",
      rules: [
        {
          alert: "KongSustainedRateLimiting",
          expr: `sum(rate(kong_http_requests_total{code="429"}[5m])) / sum(rate(kong_http_requests_total[5m])) > 0.1`,
          for: "15m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "Kong rejects many requests with 429",
            description: "More than 10% of requests hit rate limits for 15 minutes: a consumer outgrew its limits, or a client is misbehaving.",
            runbook_url: runbook("kongsustainedratelimiting"),
          },
        },
      ],
    },
    {
      name: "ai-gateway.router",
      rules: [
        {
          alert: "LiteLlmDeploymentCooledDown",
          expr: "sum by (litellm_model_name, api_provider) (increase(litellm_deployment_cooled_down_total[10m])) > 0",
          for: "0m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "LiteLLM cooled down a deployment of {{ $labels.litellm_model_name }}",
            description: "LiteLLM took a model deployment out of rotation after failures; traffic moves to other deployments or fallbacks.",
            runbook_url: runbook("litellmdeploymentcooleddown"),
          },
        },
        {
          alert: "RedisUnreachable",
          expr: "sum(rate(litellm_redis_failed_requests_total[5m])) / sum(rate(litellm_redis_total_requests_total[5m])) > 0.5",
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "LiteLLM cannot reach Memorystore",
            description: "Most Redis calls from LiteLLM fail: the cache is off and rate state is not shared; Kong's rate limits run fault-tolerant.",
            runbook_url: runbook("redisunreachable"),
          },
        },
      ],
    },
    {
      name: "ai-gateway.kubernetes",
      rules: [
        {
          alert: "GatewayPodRestarting",
          expr: `increase(kube_pod_container_status_restarts_total{namespace=~"${namespaces}"}[30m]) > 3`,
          for: "0m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "{{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in 30 minutes",
            description: "A gateway container keeps restarting: crash loop, failing liveness probe or OOM kill.",
            runbook_url: runbook("gatewaypodrestarting"),
          },
        },
        {
          alert: "GatewayAutoscalerAtMaximum",
          expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace=~"${namespaces}"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace=~"${namespaces}"}`,
          for: "15m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "{{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum for 15 minutes",
            description: "The autoscaler cannot add replicas: raise maxReplicas or the node pool's maximum before latency suffers.",
            runbook_url: runbook("gatewayautoscaleratmaximum"),
          },
        },
      ],
    },
  ];
}
