import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_USED_SHARE, gatewayAlertGroups, nonStreamedSlowShare } from "../../lib/observability/alerts";
import { gatewayDashboards } from "../../lib/observability/dashboards";
import { metricNamesIn } from "../../lib/observability/metric-names";
import { FakeUpstream, json, streamChunks } from "../../gateway-app/test/support/fake-upstream";
import { startTestGateway, type TestGateway } from "../../gateway-app/test/support/harness";
import { startRedis, type TestRedis } from "../../gateway-app/test/support/redis-server";
import { startPrometheus, type RunningPrometheus } from "../support/processes";
import { startExporterSamples } from "./exporter-samples";

// A real Prometheus scrapes a real gateway-app that served real traffic; every PromQL expression
// we ship is then evaluated through Prometheus' HTTP API.
const MODELS = ["primary", "backup"];
const dashboards = gatewayDashboards({ models: MODELS, namespaces: ["ai-gateway-app"] });
const alerts = gatewayAlertGroups({ namespaces: ["ai-gateway-app"] }).flatMap((g) => g.rules);
const dashboardExprs = Object.values(dashboards).flatMap((d) =>
  d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.title} / ${p.title}`, expr: t.expr }))),
);
const onlyGateway = (expr: string) => metricNamesIn(expr).every((name) => name.startsWith("gateway_"));
const edgeOrRouter = (expr: string) => {
  const names = metricNamesIn(expr);
  return names.length > 0 && names.every((name) => name.startsWith("kong_") || name.startsWith("litellm_"));
};

const fake = new FakeUpstream();
let gateway: TestGateway;
// A second gateway-app with a governance store, which exports the budget gauges from its settlements.
let governed: TestGateway;
let redis: TestRedis;
let prometheus: RunningPrometheus;
let exporters: Awaited<ReturnType<typeof startExporterSamples>>;

async function post(body: unknown) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hello" }], ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await (await fetch(`${prometheus.url}/api/v1/targets`)).json())}`);
}

beforeAll(async () => {
  const upstream = await fake.start();
  gateway = await startTestGateway(
    { LITELLM_BASE_URL: upstream, UPSTREAM_MAX_RETRIES: "2" },
    {
      models: [
        { name: "primary", upstream: "litellm", fallbacks: ["backup"], prices: { inputPerMillionTokens: 1, outputPerMillionTokens: 2 } },
        { name: "backup", upstream: "litellm", prices: { inputPerMillionTokens: 3, outputPerMillionTokens: 4 } },
      ],
      // The A/B arms dashboard's panels need weighted traffic.
      weightedModels: [
        {
          name: "ab",
          variants: [
            { model: "primary", weight: 50 },
            { model: "backup", weight: 50 },
          ],
        },
      ],
    },
  );
  redis = await startRedis({ durable: false });
  governed = await startTestGateway(
    {
      LITELLM_BASE_URL: upstream,
      GOVERNANCE_REDIS_URL: redis.url,
      GOVERNANCE_REDIS_AUTH: redis.password,
      GOVERNANCE_REDIS_CA_FILE: redis.caFile,
      // Production's 250 ms is missed by a loopback Redis on a loaded CI machine.
      GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: "3000",
    },
    {
      models: [{ name: "priced", upstream: "litellm", prices: { inputPerMillionTokens: 1_000, outputPerMillionTokens: 2_000 } }],
      tenants: [{ name: "team-z", models: ["*"], budgets: { usdPerDay: 1 } }],
    },
  );
  exporters = await startExporterSamples();
  prometheus = await startPrometheus(
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      "  - job_name: gateway-app",
      `    static_configs: [{ targets: ["${new URL(gateway.metricsUrl).host}"] }]`,
      "  - job_name: kong",
      "    metrics_path: /kong",
      `    static_configs: [{ targets: ["${exporters.target}"] }]`,
      "  - job_name: litellm",
      "    metrics_path: /litellm",
      `    static_configs: [{ targets: ["${exporters.target}"] }]`,
      "  - job_name: gateway-app-governed",
      `    static_configs: [{ targets: ["${new URL(governed.metricsUrl).host}"] }]`,
      // Budget gauges from two replicas (one with an older read) and a blocked tenant's 0 budget,
      // which one gateway-app cannot show.
      "  - job_name: gateway-app-governance",
      "    metrics_path: /governance",
      `    static_configs: [{ targets: ["${exporters.target}"] }]`,
    ].join("\n"),
  );
  await waitFor(async () => ((await prometheus.query('up{job="gateway-app"} == 1')).data?.result.length ?? 0) > 0, "the first scrape");

  const governedCall = await fetch(`${governed.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-consumer-username": "team-z" },
    body: JSON.stringify(chat("priced", { max_tokens: 10 })),
  });
  expect(governedCall.status).toBe(200);
  await governedCall.text();

  // Traffic after the first scrape, so every counter moves between samples.
  for (let i = 0; i < 3; i++) expect(await post(chat("primary"))).toBe(200);
  for (let i = 0; i < 4; i++) expect(await post(chat("ab"))).toBe(200);
  fake.queue(streamChunks(["a", "b"]));
  expect(await post(chat("ab", { stream: true }))).toBe(200);
  for (const model of MODELS) {
    fake.queue(streamChunks(["a", "b", "c"]));
    expect(await post(chat(model, { stream: true }))).toBe(200);
  }
  fake.queue(...Array(3).fill((_req: unknown, res: any) => json(res, 503, { error: { message: "down" } }, { "retry-after": "0" })));
  expect(await post(chat("primary"))).toBe(200); // three 503s, then the fallback answers
  fake.queue((_req, res) => json(res, 429, { error: { message: "slow" } }, { "retry-after": "0" }));
  expect(await post(chat("primary"))).toBe(200);
  fake.queue((_req, res) => json(res, 500, { error: { message: "boom" } }));
  expect(await post(chat("backup"))).toBe(502);
  expect(await post(chat("nope"))).toBe(404);
  await waitFor(
    async () =>
      ((await prometheus.query("sum(gateway_fallbacks_total)")).data?.result.length ?? 0) > 0 &&
      ((await prometheus.query('sum(gateway_http_requests_total{status="502"}) > 0')).data?.result.length ?? 0) > 0,
    "scrapes after the traffic",
  );
  await waitFor(
    async () =>
      ((await prometheus.query("rate(kong_http_requests_total[5m]) > 0")).data?.result.length ?? 0) > 0 &&
      ((await prometheus.query("rate(litellm_redis_total_requests_total[5m]) > 0")).data?.result.length ?? 0) > 0 &&
      ((await prometheus.query("gateway_budget_used")).data?.result.length ?? 0) > 0 &&
      ((await prometheus.query('gateway_budget_used{job="gateway-app-governed"} > 0')).data?.result.length ?? 0) > 0,
    "two scrapes of the Kong and LiteLLM samples, and one of each source of budget gauges",
  );
  // rate() needs two samples of a series; the newest series appeared with the last traffic.
  await waitFor(
    async () => ((await prometheus.query('rate(gateway_http_requests_total{status="404"}[5m])')).data?.result.length ?? 0) > 0,
    "a second sample of every series",
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await exporters?.stop();
  await gateway?.gateway.shutdown();
  await governed?.gateway.shutdown();
  await redis?.stop();
  await fake.stop();
});

describe("PromQL against a real Prometheus scraping gateway-app", () => {
  it("computes spend against budget per tenant from the highest replica, without a blocked tenant's 0 budget", async () => {
    const answer = await prometheus.query(BUDGET_USED_SHARE);
    expect(answer.status, answer.error).toBe("success");
    const shares = Object.fromEntries(
      answer.data!.result.map((r: any) => [`${r.metric.tenant} ${r.metric.period} ${r.metric.unit}`, Number(r.value[1])]),
    );
    expect(Object.keys(shares).sort()).toEqual(["team-a day usd", "team-b month tokens", "team-z day usd"]);
    expect(shares["team-a day usd"]).toBeGreaterThan(0.8);
    expect(shares["team-a day usd"]).toBeLessThan(0.9);
  });

  it("draws the governed gateway-app's own settled spend against its budget", async () => {
    // The fake LiteLLM's answer has 11 prompt and 7 completion tokens: $0.025 at these prices, of a $1 daily budget.
    const answer = await prometheus.query(`${BUDGET_USED_SHARE} and on(tenant) gateway_budget_limit{job="gateway-app-governed"}`);
    expect(answer.status, answer.error).toBe("success");
    expect(answer.data!.result.map((r: any) => [r.metric.tenant, r.metric.period, r.metric.unit, Number(r.value[1])])).toEqual([
      ["team-z", "day", "usd", 0.025],
    ]);
  });

  it.each(dashboardExprs.filter((e) => onlyGateway(e.expr)))("$where returns series: $expr", async ({ expr }) => {
    const answer = await prometheus.query(expr);
    expect(answer.status, answer.error).toBe("success");
    expect(answer.data!.result.length).toBeGreaterThan(0);
  });

  // Kong's and LiteLLM's panels through their exporters' real metric names; a panel's zero for
  // "no such event yet" must not hide a dead left-hand side.
  it.each(dashboardExprs.filter((e) => edgeOrRouter(e.expr)))("$where returns series from the exporters' names: $expr", async ({ expr }) => {
    for (const query of [expr, expr.replace(/ or on\(\) vector\(0\)$/, "")]) {
      const answer = await prometheus.query(query);
      expect(answer.status, answer.error).toBe("success");
      expect(answer.data!.result.length, query).toBeGreaterThan(0);
    }
  });

  it.each(dashboardExprs.filter((e) => !onlyGateway(e.expr) && !edgeOrRouter(e.expr)))("$where parses: $expr", async ({ expr }) => {
    const answer = await prometheus.query(expr);
    expect(answer.status, answer.error).toBe("success");
  });

  it("measures the non-streamed latency objective on gateway-app as it is, streams taken out", async () => {
    const answer = await prometheus.query(nonStreamedSlowShare(10, "5m"));
    expect(answer.status, answer.error).toBe("success");
    expect(answer.data!.result.length).toBe(1);
  });

  it.each(alerts.map((r) => ({ alert: r.alert, expr: r.expr })))(
    "alert $alert parses, and each gateway-app selector in it finds series",
    async ({ expr }) => {
      const answer = await prometheus.query(expr);
      expect(answer.status, answer.error).toBe("success");
      if (!onlyGateway(expr)) return;
      // `up{job="gateway-app"}` too: the scrape job's name is what GatewayNotScraped watches.
      // The exact branch of the non-streamed objective waits for gateway-app's `stream` label;
      // its fallback is evaluated below.
      const selectors = [...expr.matchAll(/\b(gateway_[a-z0-9_]+|up)(\{[^}]*\})?/g)].map((m) => m[0]).filter((s) => !s.includes('stream="false"'));
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) {
        const series = await prometheus.query(selector);
        expect(series.data!.result.length, selector).toBeGreaterThan(0);
      }
    },
  );
});
