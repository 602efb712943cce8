import { describe, expect, it } from "vitest";
import { gatewayAlertGroups, type AlertRule } from "../../lib/observability/alerts";
import { KNOWN_METRICS, metricNamesIn } from "../../lib/observability/metric-names";
import { toYaml } from "../../lib/yaml";
import { promtool } from "../support/processes";

const groups = gatewayAlertGroups({ namespaces: ["ai-gateway-edge", "ai-gateway-app", "ai-gateway-router"] });
const rules = groups.flatMap((g) => g.rules);
const ruleFile = toYaml({ groups });
const ROUTE = 'route="/v1/chat/completions",method="POST"';

/** The annotations an alert fires with, for promtool's exact comparison. */
function annotationsOf(rule: AlertRule, labels: Record<string, string> = {}) {
  const expand = (text: string) => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, name) => labels[name] ?? "");
  return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v)]));
}

function unitTest(tests: unknown[]) {
  return promtool(["test", "rules", "tests.yaml"], {
    "rules.yaml": ruleFile,
    "tests.yaml": toYaml({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests }),
  });
}

describe("alert rules", () => {
  it("pass promtool check rules", () => {
    const result = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": ruleFile });
    expect(result.stderr + result.stdout).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  it("cover every alert the runbook describes, each with summary, description and runbook", () => {
    expect([...new Set(rules.map((r) => r.alert))].sort()).toEqual([
      "GatewayAutoscalerAtMaximum",
      "GatewayBudgetExhausted",
      "GatewayBudgetNearlySpent",
      "GatewayHighErrorRatio",
      "GatewayLatencyBudgetBurn",
      "GatewayNoTraffic",
      "GatewayNotScraped",
      "GatewayPodRestarting",
      "GatewayPodsUnavailable",
      "GatewayTimeToFirstTokenBudgetBurn",
      "GatewayUpstreamCircuitOpen",
      "KongHighErrorRatio",
      "KongSustainedRateLimiting",
      "LiteLlmDeploymentCooledDown",
      "RedisUnreachable",
    ]);
    for (const rule of rules) {
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(20);
      // The repository's own README, where the runbook sections are (package.json's repository).
      expect(rule.annotations.runbook_url).toBe(`https://github.com/gke-ai-gateway/gke-ai-gateway/blob/main/README.md#${rule.alert.toLowerCase()}`);
    }
  });

  it("use only metric names their exporters really expose", () => {
    for (const rule of rules) for (const name of metricNamesIn(rule.expr)) expect(KNOWN_METRICS.has(name), `${rule.alert}: ${name}`).toBe(true);
  });

  /** promtool test rules must pass; an alert's expected labels are its rule labels plus `labels`. */
  function expectFires(alert: string, tests: { input: { series: string; values: string }[]; at: string; labels?: Record<string, string>[] }[]) {
    const rule = (extra: Record<string, string>) =>
      rules.find((r) => r.alert === alert && Object.entries(r.labels).every(([k, v]) => extra[k] === undefined || extra[k] === v))!;
    const result = unitTest(
      tests.map((t) => ({
        interval: "1m",
        input_series: t.input,
        alert_rule_test: [
          {
            eval_time: t.at,
            alertname: alert,
            exp_alerts: (t.labels ?? []).map((labels) => {
              const r = rule(labels);
              return { exp_labels: { ...r.labels, ...labels }, exp_annotations: annotationsOf(r, labels) };
            }),
          },
        ],
      })),
    );
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  }
  const probes = ["/healthz", "/readyz", "/metrics"].map((route) => ({
    series: `gateway_http_requests_total{route="${route}",method="GET",status="200"}`,
    values: "0+1000x40",
  }));

  it("GatewayHighErrorRatio fires on a 10% 5xx ratio and stays quiet at 1%", () => {
    expectFires("GatewayHighErrorRatio", [
      {
        input: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+90x30" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+10x30" },
        ],
        at: "15m",
        labels: [{}],
      },
      {
        input: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+90x30" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+10x30" },
        ],
        at: "3m",
      },
      {
        input: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+99x30" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+1x30" },
        ],
        at: "20m",
      },
    ]);
  });

  it("GatewayHighErrorRatio fires when every real request fails behind probes, scrapes and client aborts", () => {
    expectFires("GatewayHighErrorRatio", [
      // Two requests a minute, all failing, under 3000 probe and scrape requests: 0.07% of all traffic.
      { input: [...probes, { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+2x40" }], at: "15m", labels: [{}] },
      // 10% 5xx among answered requests, 0.5% once the 499s of clients that hung up are counted.
      {
        input: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+90x40" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+10x40" },
          { series: `gateway_http_requests_total{${ROUTE},status="499"}`, values: "0+2000x40" },
          { series: 'gateway_http_requests_total{route="unmatched",method="GET",status="404"}', values: "0+5000x40" },
        ],
        at: "15m",
        labels: [{}],
      },
      // Failing probes alone are the pods' business (restarts, readiness), not the API's error ratio.
      {
        input: [
          { series: 'gateway_http_requests_total{route="/readyz",method="GET",status="503"}', values: "0+100x40" },
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+100x40" },
        ],
        at: "15m",
      },
    ]);
  });

  // Prometheus 3 ingests gateway-app's le="10" as le="10.0"; Prometheus 2 (promtool here) keeps it as
  // exposed. Feeding both spellings checks the rules hold on either major.
  describe.each([
    ["Prometheus 2 spelling", "10", "5"],
    ["Prometheus 3 spelling", "10.0", "5.0"],
  ])("latency objectives, %s of le", (_name, le10, le5) => {
    const durations = (stream: string, fastPerMinute: number, totalPerMinute: number) => [
      {
        series: `gateway_http_request_duration_seconds_bucket{${ROUTE},status="200",stream="${stream}",le="${le10}"}`,
        values: `0+${fastPerMinute}x400`,
      },
      { series: `gateway_http_request_duration_seconds_count{${ROUTE},status="200",stream="${stream}"}`, values: `0+${totalPerMinute}x400` },
    ];
    const probeDurations = [
      { series: `gateway_http_request_duration_seconds_bucket{route="/readyz",method="GET",status="200",le="${le10}"}`, values: "0+1000x400" },
      { series: 'gateway_http_request_duration_seconds_count{route="/readyz",method="GET",status="200"}', values: "0+1000x400" },
    ];
    const ttft = (fastPerMinute: number, totalPerMinute: number) => [
      { series: `gateway_time_to_first_token_seconds_bucket{model="gemini-2.5-flash",le="${le5}"}`, values: `0+${fastPerMinute}x400` },
      { series: 'gateway_time_to_first_token_seconds_count{model="gemini-2.5-flash"}', values: `0+${totalPerMinute}x400` },
    ];
    const bothWindows = [
      { burn_window: "1h/5m", severity: "page" },
      { burn_window: "6h/30m", severity: "page" },
    ];

    it("non-streamed: both burn windows fire when 20% are slow, quiet at 0.5%, and long streams do not count", () => {
      expectFires("GatewayLatencyBudgetBurn", [
        { input: [...durations("false", 80, 100), ...probeDurations], at: "45m", labels: bothWindows },
        { input: [...durations("false", 995, 1000), ...probeDurations], at: "6h" },
        // Every stream takes longer than 10 s to its last byte: normal for a long answer.
        { input: [...durations("false", 100, 100), ...durations("true", 0, 100)], at: "6h" },
      ]);
    });

    it("non-streamed, before gateway-app labels streams: long streams still never page, slow non-streamed requests do", () => {
      const unlabelled = (fastPerMinute: number, totalPerMinute: number) => [
        { series: `gateway_http_request_duration_seconds_bucket{${ROUTE},status="200",le="${le10}"}`, values: `0+${fastPerMinute}x400` },
        { series: `gateway_http_request_duration_seconds_count{${ROUTE},status="200"}`, values: `0+${totalPerMinute}x400` },
      ];
      expectFires("GatewayLatencyBudgetBurn", [
        // 100 streams a minute, every one past 10 s to its last byte, beside 100 fast non-streamed requests.
        { input: [...unlabelled(100, 200), ...ttft(100, 100)], at: "6h" },
        // No streams at all, and 20% of requests slow.
        { input: [...unlabelled(80, 100), ...probeDurations], at: "45m", labels: bothWindows },
      ]);
    });

    it("streams: both burn windows fire when 20% wait too long for the first token, quiet at 0.5%", () => {
      expectFires("GatewayTimeToFirstTokenBudgetBurn", [
        { input: ttft(80, 100), at: "45m", labels: bothWindows },
        { input: ttft(995, 1000), at: "6h" },
      ]);
    });
  });

  it("GatewayUpstreamCircuitOpen keeps firing while a half-open probe is in flight, names the model, and clears once closed", () => {
    const labels = { upstream: "litellm", model: "gemini-2.5-pro" };
    const series = (values: string) => [
      { series: 'gateway_circuit_breaker_state{upstream="litellm",model="gemini-2.5-pro",pod="a"}', values },
      { series: 'gateway_circuit_breaker_state{upstream="litellm",model="gemini-2.5-flash",pod="a"}', values: "0x12" },
    ];
    expectFires("GatewayUpstreamCircuitOpen", [
      // Open, then half-open probes that fail and reopen: never closed, so the alert must not reset.
      { input: series("0 2 2 1 2 1 2 1 2 1"), at: "7m", labels: [labels] },
      { input: series("0 2 2 1 2 1 2 1 2 1"), at: "9m", labels: [labels] },
      { input: series("0 2 2 1 0 0 0 0 0 0"), at: "6m" },
    ]);
  });

  it("LiteLlmDeploymentCooledDown sees a deployment's first cool-down (a series born at 1) and a cool-down only the state gauge saw", () => {
    const labels = { litellm_model_name: "vertex_ai/gemini-2.5-flash", api_provider: "vertex_ai" };
    const deployment = `litellm_model_name="vertex_ai/gemini-2.5-flash",model_id="abc",api_base="",api_provider="vertex_ai"`;
    expectFires("LiteLlmDeploymentCooledDown", [
      {
        input: [{ series: `litellm_deployment_cooled_down_total{${deployment},exception_status="429"}`, values: "_ _ _ 1 1 1 1 1" }],
        at: "5m",
        labels: [labels],
      },
      { input: [{ series: `litellm_deployment_state{${deployment}}`, values: "0 0 2 0 0 0 0" }], at: "6m", labels: [labels] },
      // Long after the last cool-down, with the deployment healthy again.
      {
        input: [
          { series: `litellm_deployment_cooled_down_total{${deployment},exception_status="429"}`, values: "1x40" },
          { series: `litellm_deployment_state{${deployment}}`, values: "0x40" },
        ],
        at: "30m",
      },
    ]);
  });

  it("KongHighErrorRatio fires on a 10% 5xx ratio at the edge and stays quiet at 1%", () => {
    const kong = (code: string, perMinute: number) => ({
      series: `kong_http_requests_total{service="openai-api",route="openai-api",code="${code}",source="service",workspace="default",consumer=""}`,
      values: `0+${perMinute}x30`,
    });
    expectFires("KongHighErrorRatio", [
      { input: [kong("200", 90), kong("502", 10)], at: "15m", labels: [{}] },
      { input: [kong("200", 99), kong("503", 1)], at: "15m" },
    ]);
  });

  it("GatewayNoTraffic fires when Kong counts no request, or is not scraped at all, and not while traffic flows", () => {
    const kong = (values: string) => ({ series: 'kong_http_requests_total{service="openai-api",code="200"}', values });
    expectFires("GatewayNoTraffic", [
      { input: [kong("5x60")], at: "40m", labels: [{}] },
      { input: [{ series: 'up{job="other"}', values: "1x60" }], at: "40m", labels: [{}] },
      { input: [kong("0+1x60")], at: "40m" },
    ]);
  });

  it("GatewayNotScraped fires when no gateway-app target is up, or none is discovered", () => {
    expectFires("GatewayNotScraped", [
      { input: [{ series: 'up{job="gateway-app",namespace="ai-gateway-app",pod="a"}', values: "0x20" }], at: "10m", labels: [{}] },
      { input: [{ series: 'up{job="litellm"}', values: "1x20" }], at: "10m", labels: [{}] },
      {
        input: [
          { series: 'up{job="gateway-app",namespace="ai-gateway-app",pod="a"}', values: "0x20" },
          { series: 'up{job="gateway-app",namespace="ai-gateway-app",pod="b"}', values: "1x20" },
        ],
        at: "10m",
      },
    ]);
  });

  // gateway-app's gauges as each replica exports them (the governance contract: tenant, period, unit).
  const budget = (tenant: string, used: string, limit: number, pod = "a", period = "day", unit = "usd") => [
    { series: `gateway_budget_used{tenant="${tenant}",period="${period}",unit="${unit}",pod="${pod}"}`, values: used },
    { series: `gateway_budget_limit{tenant="${tenant}",period="${period}",unit="${unit}",pod="${pod}"}`, values: `${limit}x20` },
  ];
  const teamA = { tenant: "team-a", period: "day", unit: "usd" };

  it("GatewayBudgetNearlySpent fires from 80% of a budget, not below, and leaves 100% to GatewayBudgetExhausted", () => {
    expectFires("GatewayBudgetNearlySpent", [
      { input: budget("team-a", "17x20", 20), at: "10m", labels: [teamA] },
      { input: budget("team-a", "15x20", 20), at: "10m" },
      { input: budget("team-a", "20x20", 20), at: "10m" },
      // Within its 5 minutes: a short blip over 80% does not file a ticket.
      { input: budget("team-a", "15 15 15 15 15 17 17 17", 20), at: "7m" },
    ]);
  });

  it("GatewayBudgetNearlySpent reads the highest replica's report, per budget", () => {
    expectFires("GatewayBudgetNearlySpent", [
      {
        input: [
          ...budget("team-a", "17x20", 20, "a"),
          // A replica whose last read of the shared counter is older.
          ...budget("team-a", "10x20", 20, "b"),
          ...budget("team-b", "450000000x20", 500000000, "a", "month", "tokens"),
        ],
        at: "10m",
        labels: [teamA, { tenant: "team-b", period: "month", unit: "tokens" }],
      },
    ]);
  });

  it("GatewayBudgetExhausted fires at 100% of a budget as a ticket, clears when the period resets, and ignores a blocking budget of 0", () => {
    expectFires("GatewayBudgetExhausted", [
      { input: budget("team-a", "21x20", 20), at: "5m", labels: [teamA] },
      { input: budget("team-a", "19x20", 20), at: "5m" },
      { input: budget("team-a", "21 21 21 21 0 0 0 0 0", 20), at: "8m" },
      // A budget of 0 blocks the tenant on purpose (its spend from before the change stays counted).
      { input: budget("team-b", "3x20", 0), at: "5m" },
    ]);
    expect(rules.find((r) => r.alert === "GatewayBudgetExhausted")!.labels.severity).toBe("ticket");
    expect(rules.find((r) => r.alert === "GatewayBudgetNearlySpent")!.labels.severity).toBe("ticket");
  });

  it("GatewayBudgetExhausted pages when budgetExhaustedSeverity asks", () => {
    const paged = gatewayAlertGroups({ namespaces: [], budgetExhaustedSeverity: "page" }).flatMap((g) => g.rules);
    expect(paged.find((r) => r.alert === "GatewayBudgetExhausted")!.labels.severity).toBe("page");
  });

  it("GatewayPodsUnavailable fires below two available pods (or the desired count) in any tier", () => {
    const deployment = (ns: string, name: string, available: number, desired: number) => [
      { series: `kube_deployment_status_replicas_available{namespace="${ns}",deployment="${name}"}`, values: `${available}x20` },
      { series: `kube_deployment_spec_replicas{namespace="${ns}",deployment="${name}"}`, values: `${desired}x20` },
    ];
    expectFires("GatewayPodsUnavailable", [
      { input: deployment("ai-gateway-edge", "kong-kong", 1, 3), at: "10m", labels: [{ namespace: "ai-gateway-edge", deployment: "kong-kong" }] },
      { input: deployment("ai-gateway-router", "litellm", 0, 1), at: "10m", labels: [{ namespace: "ai-gateway-router", deployment: "litellm" }] },
      { input: [...deployment("ai-gateway-app", "gateway-app", 2, 3), ...deployment("kube-system", "kube-dns", 0, 2)], at: "10m" },
    ]);
  });
});

describe("metricNamesIn", () => {
  it("finds metric names, not label names", () => {
    expect(
      metricNamesIn(
        'sum by (litellm_model_name) (increase(litellm_deployment_cooled_down_total{api_provider="vertex_ai"}[5m])) / on (kube_x) kube_pod_info',
      ),
    ).toEqual(["litellm_deployment_cooled_down_total", "kube_pod_info"]);
  });
});
