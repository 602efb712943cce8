import { createServer, type Server } from "node:http";

/**
 * Kong's and LiteLLM's metrics as their exporters write them (names, types and the labels our
 * dashboards group by), for a real Prometheus to scrape where neither runs. Each scrape advances
 * every counter, so rate() and increase() see traffic, rare events (429s, cool-downs, fallbacks,
 * Redis failures) included.
 * Kong/kong@3.9.1:kong/plugins/prometheus/exporter.lua:105-148 (prefix `kong_`);
 * CartoDB/litellm@dd24252a9f:litellm/integrations/prometheus.py:248-258,
 * litellm/types/integrations/prometheus.py:192-243, 345-368, litellm/integrations/prometheus_services.py.
 */
const KONG_LABELS = 'service="openai-api",route="openai-api",workspace="default"';
const DEPLOYMENT = 'litellm_model_name="vertex_ai/gemini-2.5-flash",model_id="abc123",api_base="",api_provider="vertex_ai"';
const BUCKETS = ["5", "10", "25", "50", "100", "250", "500", "1000", "+Inf"];

function histogram(name: string, labels: string, n: number): string[] {
  return [
    `# TYPE ${name} histogram`,
    ...BUCKETS.map((le, i) => `${name}_bucket{${labels},le="${le}"} ${Math.round((n * (i + 1)) / BUCKETS.length)}`),
    `${name}_sum{${labels}} ${n * 40}`,
    `${name}_count{${labels}} ${n}`,
  ];
}

function kong(n: number): string[] {
  const requests = (code: string, source: string, consumer: string, count: number) =>
    `kong_http_requests_total{${KONG_LABELS},code="${code}",source="${source}",consumer="${consumer}"} ${count}`;
  return [
    "# TYPE kong_http_requests_total counter",
    requests("200", "service", "tenant-a", n * 20),
    requests("429", "kong", "tenant-a", n),
    requests("502", "kong", "tenant-b", n),
    ...histogram("kong_kong_latency_ms", KONG_LABELS, n * 22),
    ...histogram("kong_upstream_latency_ms", KONG_LABELS, n * 20),
    ...histogram("kong_request_latency_ms", KONG_LABELS, n * 22),
    "# TYPE kong_bandwidth_bytes counter",
    `kong_bandwidth_bytes{${KONG_LABELS},direction="ingress",consumer="tenant-a"} ${n * 4000}`,
    `kong_bandwidth_bytes{${KONG_LABELS},direction="egress",consumer="tenant-a"} ${n * 9000}`,
  ];
}

function liteLlm(n: number): string[] {
  const user = 'end_user="",hashed_api_key="h",api_key_alias="",requested_model="gemini-2.5-flash",team="",team_alias="",user=""';
  return [
    "# TYPE litellm_proxy_total_requests_metric_total counter",
    `litellm_proxy_total_requests_metric_total{${user},status_code="200"} ${n * 10}`,
    "# TYPE litellm_proxy_failed_requests_metric_total counter",
    `litellm_proxy_failed_requests_metric_total{${user},user_email="",exception_status="500",exception_class="InternalServerError"} ${n}`,
    ...histogram("litellm_request_total_latency_metric", `${user},model="vertex_ai/gemini-2.5-flash"`, n * 10),
    ...histogram("litellm_llm_api_latency_metric", `model="vertex_ai/gemini-2.5-flash",${user}`, n * 10),
    "# TYPE litellm_deployment_state gauge",
    `litellm_deployment_state{${DEPLOYMENT}} ${n % 3 === 0 ? 2 : 0}`,
    "# TYPE litellm_deployment_cooled_down_total counter",
    `litellm_deployment_cooled_down_total{${DEPLOYMENT},exception_status="429"} ${n}`,
    "# TYPE litellm_deployment_successful_fallbacks_total counter",
    `litellm_deployment_successful_fallbacks_total{requested_model="gemini-2.5-flash",fallback_model="gemini-2.5-pro",hashed_api_key="h",` +
      `api_key_alias="",team="",team_alias="",exception_status="429",exception_class="RateLimitError"} ${n}`,
    "# TYPE litellm_deployment_failed_fallbacks_total counter",
    `litellm_deployment_failed_fallbacks_total{requested_model="gemini-2.5-flash",fallback_model="gemini-2.5-pro",hashed_api_key="h",` +
      `api_key_alias="",team="",team_alias="",exception_status="500",exception_class="InternalServerError"} ${n}`,
    "# TYPE litellm_redis_total_requests_total counter",
    `litellm_redis_total_requests_total{service="redis"} ${n * 30}`,
    "# TYPE litellm_redis_failed_requests_total counter",
    `litellm_redis_failed_requests_total{service="redis"} ${n}`,
  ];
}

/**
 * gateway-app's budget gauges as the governance wiring exports them (tenant, period day|month,
 * unit usd|tokens), from two replicas, one with an older read, which one governed gateway-app in
 * the test cannot show. A budget of 0 (the tenant blocked) is among them.
 */
function governance(n: number): string[] {
  const budget = (tenant: string, period: string, unit: string, pod: string, used: number, limit: number) => [
    `gateway_budget_used{tenant="${tenant}",period="${period}",unit="${unit}",pod="${pod}"} ${used}`,
    `gateway_budget_limit{tenant="${tenant}",period="${period}",unit="${unit}",pod="${pod}"} ${limit}`,
  ];
  return [
    "# TYPE gateway_budget_used gauge",
    "# TYPE gateway_budget_limit gauge",
    ...budget("team-a", "day", "usd", "a", 16 + n / 100, 20),
    ...budget("team-a", "day", "usd", "b", 15, 20),
    ...budget("team-b", "month", "tokens", "a", 1000 * n, 500_000_000),
    ...budget("team-c", "day", "usd", "a", 0, 0),
  ];
}

const SAMPLES = { kong, litellm: liteLlm, governance } as const;

/** Serves Kong's metrics on /kong, LiteLLM's on /litellm and gateway-app's budget gauges on /governance, advancing with every scrape. */
export async function startExporterSamples(): Promise<{ target: string; stop: () => Promise<void> }> {
  const scrapes = { kong: 0, litellm: 0, governance: 0 };
  const server: Server = createServer((req, res) => {
    const which = req.url === "/kong" ? "kong" : req.url === "/governance" ? "governance" : "litellm";
    scrapes[which] += 1;
    const lines = SAMPLES[which](scrapes[which]);
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { target: `127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
