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
   * Latency objectives: this share of non-streamed requests finishes within
   * `latencyThresholdSeconds`, and this share of streams sends its first token within
   * `ttftThresholdSeconds`. A stream's total time is the answer's length, not the gateway's speed.
   * @default 0.99
   */
  readonly latencyObjective?: number;
  /**
   * Total time of a non-streamed request; must be one of gateway-app's request-duration buckets.
   * @default 10
   */
  readonly latencyThresholdSeconds?: number;
  /**
   * Time to first token of a stream; must be one of gateway-app's time-to-first-token buckets.
   * @default 5
   */
  readonly ttftThresholdSeconds?: number;
  /**
   * Severity of a tenant's budget running out. A spent budget is governance working: the tenant
   * gets 429 `budget_exceeded` until the period resets, and only a budget owner can change that,
   * so by default it is a ticket, like the warning at 80%; "page" for teams whose tenants must
   * never be cut off unseen.
   * @default "ticket"
   */
  readonly budgetExhaustedSeverity?: "ticket" | "page";
  /**
   * Where the runbook lives; each alert links to its section.
   * @default "https://github.com/gke-ai-gateway/gke-ai-gateway/blob/main/README.md"
   */
  readonly runbookBaseUrl?: string;
}

const ALERT_DEFAULTS = {
  errorRatio: 0.05,
  latencyObjective: 0.99,
  latencyThresholdSeconds: 10,
  ttftThresholdSeconds: 5,
  budgetExhaustedSeverity: "ticket",
  runbookBaseUrl: "https://github.com/gke-ai-gateway/gke-ai-gateway/blob/main/README.md",
} as const;

/** Multi-window, multi-burn-rate pairs from the Google SRE workbook: (long, short, factor, severity). */
const BURN_WINDOWS = [
  { long: "1h", short: "5m", factor: 14.4, severity: "page" as const },
  { long: "6h", short: "30m", factor: 6, severity: "page" as const },
];

/**
 * Share of each tenant's budget used, per period (day, month) and unit (usd, tokens), from
 * gateway-app's gauges; every replica reports the shared counters, so the highest report is the
 * latest. A budget of 0 blocks every call on purpose and has no share.
 */
export const BUDGET_USED_SHARE = "max by (tenant, period, unit) (gateway_budget_used) / max by (tenant, period, unit) (gateway_budget_limit > 0)";

// Probes, scrapes, unknown routes and clients that hung up say nothing about the service.
export const SERVED_TRAFFIC = 'route!~"/healthz|/readyz|/metrics|unmatched",status!="499"';

/**
 * A matcher of one histogram bucket that holds on both Prometheus majors: Prometheus 3 stores
 * classic-histogram `le` values as floats (`"10"` is ingested as `"10.0"`), 2.x as exposed.
 */
export function bucketMatcher(seconds: number): string {
  return Number.isInteger(seconds) ? `le=~"${seconds}|${seconds}[.]0"` : `le="${seconds}"`;
}

/** Share of a histogram's observations above `threshold`, over `window`. */
function slowShare(histogram: string, selector: string, threshold: number, window: string): string {
  const bucket = [selector, bucketMatcher(threshold)].filter(Boolean).join(",");
  const count = selector ? `{${selector}}` : "";
  return `(1 - sum(rate(${histogram}_bucket{${bucket}}[${window}])) / sum(rate(${histogram}_count${count}[${window}])))`;
}

/**
 * Share of non-streamed requests slower than `threshold`. With gateway-app's `stream` label on
 * the request histogram, exactly; without it, streams (counted by their first token) are all
 * assumed slow and taken out, so a long stream can never page, at the price of missing slow
 * non-streamed requests while they are fewer than the streams.
 */
export function nonStreamedSlowShare(threshold: number, window: string): string {
  const exact = slowShare("gateway_http_request_duration_seconds", `${SERVED_TRAFFIC},stream="false"`, threshold, window);
  const all = `sum(rate(gateway_http_request_duration_seconds_count{${SERVED_TRAFFIC}}[${window}]))`;
  const fast = `sum(rate(gateway_http_request_duration_seconds_bucket{${SERVED_TRAFFIC},${bucketMatcher(threshold)}}[${window}]))`;
  const streams = `(sum(rate(gateway_time_to_first_token_seconds_count[${window}])) or vector(0))`;
  return `(${exact} or (clamp_min(${all} - ${fast} - ${streams}, 0) / (${all} - ${streams})))`;
}

/**
 * The gateway's alerts: 5xx ratios at gateway-app and Kong, latency-objective burns
 * (multi-window: total time of non-streamed requests, first token of streams), no traffic,
 * gateway-app missing from the scrape, upstream circuit not closed, sustained 429s at the
 * edge, LiteLLM deployments cooled down, Redis unreachable, tenants' budgets at 80% and 100%,
 * too few available pods, pod restarts, HPA at its maximum. Each has a summary, a description and a runbook link.
 */
export function gatewayAlertGroups(options: AlertOptions): RuleGroup[] {
  const errorRatio = options.errorRatio ?? ALERT_DEFAULTS.errorRatio;
  const objective = options.latencyObjective ?? ALERT_DEFAULTS.latencyObjective;
  const threshold = options.latencyThresholdSeconds ?? ALERT_DEFAULTS.latencyThresholdSeconds;
  const ttftThreshold = options.ttftThresholdSeconds ?? ALERT_DEFAULTS.ttftThresholdSeconds;
  const runbook = (anchor: string) => `${options.runbookBaseUrl ?? ALERT_DEFAULTS.runbookBaseUrl}#${anchor}`;
  const budget = Number((1 - objective).toFixed(6));
  const namespaces = options.namespaces.join("|");

  const burn = (alert: string, what: string, share: (window: string) => string, seconds: number, anchor: string) =>
    BURN_WINDOWS.map((w) => ({
      alert,
      expr: `${share(w.long)} > (${w.factor} * ${budget}) and ${share(w.short)} > (${w.factor} * ${budget})`,
      for: "2m",
      labels: { severity: w.severity, burn_window: `${w.long}/${w.short}` },
      annotations: {
        summary: `${what} objective burning ${w.factor}x too fast (${w.long}/${w.short} windows)`,
        description:
          `More than ${w.factor}x the allowed share of ${what.toLowerCase()} took longer than ${seconds}s over both ${w.long} and ${w.short}; ` +
          `at this rate the ${objective * 100}% objective's budget is gone early.`,
        runbook_url: runbook(anchor),
      },
    }));

  return [
    {
      name: "ai-gateway.backend",
      rules: [
        {
          alert: "GatewayHighErrorRatio",
          expr:
            `sum(rate(gateway_http_requests_total{${SERVED_TRAFFIC},status=~"5.."}[5m])) / ` +
            `sum(rate(gateway_http_requests_total{${SERVED_TRAFFIC}}[5m])) > ${errorRatio}`,
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "gateway-app answers too many requests with 5xx",
            description:
              `More than ${errorRatio * 100}% of gateway-app's answers to API requests (probes, scrapes and client aborts not counted) were ` +
              `5xx over 5 minutes. Upstreams are failing or timing out.`,
            runbook_url: runbook("gatewayhigherrorratio"),
          },
        },
        ...burn(
          "GatewayLatencyBudgetBurn",
          "Non-streamed requests",
          (w) => nonStreamedSlowShare(threshold, w),
          threshold,
          "gatewaylatencybudgetburn",
        ),
        ...burn(
          "GatewayTimeToFirstTokenBudgetBurn",
          "Streams' first tokens",
          (w) => slowShare("gateway_time_to_first_token_seconds", "", ttftThreshold, w),
          ttftThreshold,
          "gatewaytimetofirsttokenbudgetburn",
        ),
        {
          alert: "GatewayNotScraped",
          expr: 'absent(up{job="gateway-app"} == 1)',
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "Prometheus scrapes no gateway-app pod",
            description:
              "No gateway-app target has been up for 5 minutes: the pods are gone, or the ServiceMonitor, Service " +
              "or NetworkPolicy no longer lets Prometheus in. Every gateway-app alert is blind meanwhile.",
            runbook_url: runbook("gatewaynotscraped"),
          },
        },
        {
          alert: "GatewayUpstreamCircuitOpen",
          // Open (2) and half-open (1) alike: a probe in flight has not closed the circuit yet.
          expr: "max by (upstream, model) (gateway_circuit_breaker_state) >= 1",
          for: "1m",
          labels: { severity: "page" },
          annotations: {
            summary: "Circuit not closed for {{ $labels.model }} on {{ $labels.upstream }}",
            description: "gateway-app stopped sending to this upstream and model after repeated failures; requests fail fast or go to fallbacks.",
            runbook_url: runbook("gatewayupstreamcircuitopen"),
          },
        },
      ],
    },
    {
      name: "ai-gateway.budgets",
      rules: [
        {
          alert: "GatewayBudgetNearlySpent",
          // Below 100%: from there GatewayBudgetExhausted speaks for the same budget.
          expr: `${BUDGET_USED_SHARE} >= 0.8 < 1`,
          for: "5m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "Tenant {{ $labels.tenant }} has used 80% of its {{ $labels.period }} {{ $labels.unit }} budget",
            description:
              "At this pace the tenant's calls will be refused with 429 budget_exceeded before the period resets (UTC midnight, " +
              "or the 1st of the month). Raise the budget, or tell the tenant's owner.",
            runbook_url: runbook("gatewaybudgetnearlyspent"),
          },
        },
        {
          alert: "GatewayBudgetExhausted",
          expr: `${BUDGET_USED_SHARE} >= 1`,
          for: "1m",
          labels: { severity: options.budgetExhaustedSeverity ?? ALERT_DEFAULTS.budgetExhaustedSeverity },
          annotations: {
            summary: "Tenant {{ $labels.tenant }} has spent its {{ $labels.period }} {{ $labels.unit }} budget",
            description:
              "gateway-app refuses the tenant's calls with 429 budget_exceeded, without calling a model, until the period resets " +
              "or the budget is raised.",
            runbook_url: runbook("gatewaybudgetexhausted"),
          },
        },
      ],
    },
    {
      name: "ai-gateway.edge",
      rules: [
        {
          alert: "KongHighErrorRatio",
          expr: `sum(rate(kong_http_requests_total{code=~"5.."}[5m])) / sum(rate(kong_http_requests_total[5m])) > ${errorRatio}`,
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "Kong answers too many requests with 5xx",
            description:
              `More than ${errorRatio * 100}% of the edge's responses were 5xx over 5 minutes: gateway-app is failing or unreachable from ` +
              `Kong, or Kong itself errs.`,
            runbook_url: runbook("konghigherrorratio"),
          },
        },
        {
          alert: "GatewayNoTraffic",
          // No series at all (Kong not scraped, or restarted without traffic) counts as none.
          expr: "(sum(rate(kong_http_requests_total[10m])) or vector(0)) == 0",
          for: "15m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "The edge has served no request for 25 minutes",
            description: "Kong counted no proxied request: the load balancer, DNS or certificate may be broken, or clients cannot reach the address.",
            runbook_url: runbook("gatewaynotraffic"),
          },
        },
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
          // The counter's series is born at 1 on a deployment's first cool-down, where increase() sees
          // nothing: a series absent 10 minutes ago counts too, and so does the state gauge, which
          // LiteLLM sets to 2 on every cool-down (router_utils/cooldown_callbacks.py).
          expr: [
            "sum by (litellm_model_name, api_provider) (increase(litellm_deployment_cooled_down_total[10m])) > 0",
            "sum by (litellm_model_name, api_provider) (litellm_deployment_cooled_down_total unless " +
              "litellm_deployment_cooled_down_total offset 10m) > 0",
            "max by (litellm_model_name, api_provider) (max_over_time(litellm_deployment_state[10m])) == 2",
          ].join(" or "),
          for: "0m",
          labels: { severity: "ticket" },
          annotations: {
            summary: "LiteLLM cooled down a deployment of {{ $labels.litellm_model_name }}",
            description:
              "LiteLLM took a model deployment out of rotation (429 or failures in a model with several " +
              "deployments, 401/404 in any); traffic moves to other deployments or fallbacks.",
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
          alert: "GatewayPodsUnavailable",
          expr:
            `kube_deployment_status_replicas_available{namespace=~"${namespaces}"} < ` +
            `clamp_max(kube_deployment_spec_replicas{namespace=~"${namespaces}"}, 2)`,
          for: "5m",
          labels: { severity: "page" },
          annotations: {
            summary: "{{ $labels.namespace }}/{{ $labels.deployment }} has fewer available pods than two (or its desired count)",
            description:
              "A tier runs without redundancy (or not at all): pods crash, fail readiness, or cannot be scheduled. " +
              "One more failure and its requests fail.",
            runbook_url: runbook("gatewaypodsunavailable"),
          },
        },
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
          expr:
            `kube_horizontalpodautoscaler_status_current_replicas{namespace=~"${namespaces}"} >= ` +
            `kube_horizontalpodautoscaler_spec_max_replicas{namespace=~"${namespaces}"}`,
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
