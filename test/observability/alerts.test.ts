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
      "GatewayHighErrorRatio",
      "GatewayLatencyBudgetBurn",
      "GatewayPodRestarting",
      "GatewayUpstreamCircuitOpen",
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

  it("fire on a 10% 5xx ratio and stay quiet at 1%", () => {
    const errorRule = rules.find((r) => r.alert === "GatewayHighErrorRatio")!;
    const result = unitTest([
      {
        interval: "1m",
        input_series: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+90x30" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+10x30" },
        ],
        alert_rule_test: [
          { eval_time: "3m", alertname: "GatewayHighErrorRatio", exp_alerts: [] },
          {
            eval_time: "15m",
            alertname: "GatewayHighErrorRatio",
            exp_alerts: [{ exp_labels: { severity: "page" }, exp_annotations: annotationsOf(errorRule) }],
          },
        ],
      },
      {
        interval: "1m",
        input_series: [
          { series: `gateway_http_requests_total{${ROUTE},status="200"}`, values: "0+99x30" },
          { series: `gateway_http_requests_total{${ROUTE},status="502"}`, values: "0+1x30" },
        ],
        alert_rule_test: [{ eval_time: "20m", alertname: "GatewayHighErrorRatio", exp_alerts: [] }],
      },
    ]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it("fire both burn-rate windows when 20% of requests are slow, and stay quiet at 0.5%", () => {
    const burnRules = rules.filter((r) => r.alert === "GatewayLatencyBudgetBurn");
    const latencySeries = (fastPerMinute: number, totalPerMinute: number) => [
      { series: `gateway_http_request_duration_seconds_bucket{${ROUTE},status="200",le="2.5"}`, values: `0+${fastPerMinute}x400` },
      { series: `gateway_http_request_duration_seconds_count{${ROUTE},status="200"}`, values: `0+${totalPerMinute}x400` },
      // Probes are fast and frequent: they must not dilute the ratio.
      { series: `gateway_http_request_duration_seconds_bucket{route="/readyz",method="GET",status="200",le="2.5"}`, values: "0+1000x400" },
      { series: `gateway_http_request_duration_seconds_count{route="/readyz",method="GET",status="200"}`, values: "0+1000x400" },
    ];
    const result = unitTest([
      {
        interval: "1m",
        input_series: latencySeries(80, 100),
        alert_rule_test: [
          {
            eval_time: "45m",
            alertname: "GatewayLatencyBudgetBurn",
            exp_alerts: burnRules.map((r) => ({ exp_labels: { ...r.labels }, exp_annotations: annotationsOf(r) })),
          },
        ],
      },
      {
        interval: "1m",
        input_series: latencySeries(995, 1000),
        alert_rule_test: [{ eval_time: "6h", alertname: "GatewayLatencyBudgetBurn", exp_alerts: [] }],
      },
    ]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it("fire when a circuit is open, naming the model", () => {
    const rule = rules.find((r) => r.alert === "GatewayUpstreamCircuitOpen")!;
    const labels = { upstream: "litellm", model: "gemini-2.5-pro" };
    const result = unitTest([
      {
        interval: "1m",
        input_series: [
          { series: 'gateway_circuit_breaker_state{upstream="litellm",model="gemini-2.5-pro",pod="a"}', values: "0 0 2 2 2 2 2" },
          { series: 'gateway_circuit_breaker_state{upstream="litellm",model="gemini-2.5-flash",pod="a"}', values: "0 0 0 0 0 0 0" },
        ],
        alert_rule_test: [
          {
            eval_time: "5m",
            alertname: "GatewayUpstreamCircuitOpen",
            exp_alerts: [{ exp_labels: { severity: "page", ...labels }, exp_annotations: annotationsOf(rule, labels) }],
          },
        ],
      },
    ]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
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
