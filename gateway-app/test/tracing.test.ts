import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completion, FakeUpstream, json, streamChunks } from "./support/fake-upstream.js";
import { chatBody, packageModuleProbe, packageModules, parseLogs, postJson, startTestGateway, type TestGateway } from "./support/harness.js";
import { closedPortUrl, OtlpReceiver, SPAN_KIND, STATUS_ERROR, type ReceivedSpan } from "./support/otlp-receiver.js";

// The compiled server in its own process, exporting to a loopback OTLP receiver, with a fake LiteLLM behind it.
const litellm = new FakeUpstream();
let litellmUrl: string;

/** `primary` falls back to `backup`, both through LiteLLM. */
const CATALOGUE = {
  models: [
    { name: "primary", upstream: "litellm", fallbacks: ["backup"] },
    { name: "backup", upstream: "litellm" },
  ],
};

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN_ID = "00f067aa0ba902b7";
const traceparent = (flags: "01" | "00") => `00-${TRACE_ID}-${PARENT_SPAN_ID}-${flags}`;

beforeAll(async () => {
  litellmUrl = await litellm.start();
});
afterAll(() => litellm.stop());

function gatewayEnv(endpoint: string, env: Record<string, string> = {}): Record<string, string> {
  return { LITELLM_BASE_URL: litellmUrl, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: "20", ...env };
}

const chat = (gateway: TestGateway, headers: Record<string, string> = {}, body = chatBody("primary")) =>
  fetch(`${gateway.url}/v1/chat/completions`, postJson(body, headers));

describe("tracing: a request with a traceparent, retried and fallen back", () => {
  const receiver = new OtlpReceiver();
  let gateway: TestGateway;
  let spans: ReceivedSpan[];
  let upstreamTraceparents: (string | undefined)[];
  let logs: Record<string, any>[];

  beforeAll(async () => {
    const endpoint = await receiver.start();
    gateway = await startTestGateway(gatewayEnv(endpoint, { GOOGLE_CLOUD_PROJECT: "acme-prod", OTEL_SERVICE_NAME: "gateway-app-test" }), CATALOGUE);
    litellm.reset();
    // primary: declined with a Retry-After (retried), then a 500 (not retried: it may have run), so backup serves.
    litellm.queue(
      (_req, res) => json(res, 429, { error: { message: "slow down" } }, { "retry-after": "0" }),
      (_req, res) => json(res, 500, { error: { message: "boom" } }),
      (req, res) => json(res, 200, completion(req.body.model, "from backup")),
    );
    const response = await chat(gateway, { traceparent: traceparent("01"), tracestate: "vendor=abc", "x-request-id": "req-traced-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-model")).toBe("backup");
    upstreamTraceparents = litellm.received.map((r) => r.headers.traceparent as string | undefined);
    spans = await receiver.waitFor(4);
    await gateway.logsSettled();
    logs = parseLogs(gateway.logs);
  });
  afterAll(async () => {
    await gateway?.gateway.shutdown();
    await receiver.stop();
  });

  const requestSpan = () => spans.find((s) => s.kind === SPAN_KIND.server)!;
  const attempts = () => spans.filter((s) => s.kind === SPAN_KIND.client);

  it("exports OTLP/HTTP JSON with the service name", () => {
    expect(receiver.contentTypes[0]).toBe("application/json");
    expect(requestSpan().resource["service.name"]).toBe("gateway-app-test");
  });

  it("makes the request span a SERVER child of the incoming span, named after the route", () => {
    const span = requestSpan();
    expect(span.traceId).toBe(TRACE_ID);
    expect(span.parentSpanId).toBe(PARENT_SPAN_ID);
    expect(span.name).toBe("POST /v1/chat/completions");
    expect(span.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
      "gateway.request_id": "req-traced-1",
      "gateway.tenant": "anonymous",
      "gen_ai.request.model": "primary",
      "gateway.served_by": "backup",
      "gateway.fallback_used": true,
      "gateway.upstream": "litellm",
    });
  });

  it("gives each upstream attempt a CLIENT span under the request span: a fallback shows as attempts of two models", () => {
    const list = attempts();
    expect(list).toHaveLength(3);
    for (const attempt of list) {
      expect(attempt.traceId).toBe(TRACE_ID);
      expect(attempt.parentSpanId).toBe(requestSpan().spanId);
    }
    expect(list.map((a) => [a.attributes["gateway.model"], a.attributes["gateway.attempt"], a.attributes["http.response.status_code"]])).toEqual([
      ["primary", 1, 429],
      ["primary", 2, 500],
      ["backup", 1, 200],
    ]);
  });

  it("says why an attempt was retried, and marks failed attempts as errors", () => {
    const [declined, failed, served] = attempts();
    expect(declined.attributes).toMatchObject({ "gateway.retried": true, "gateway.retry_reason": "http_429", "error.type": "429" });
    expect(failed.attributes["gateway.retried"]).toBeUndefined();
    expect(failed.status.code).toBe(STATUS_ERROR);
    expect(served.status.code ?? 0).not.toBe(STATUS_ERROR);
    expect(requestSpan().events.find((e) => e.name === "gateway.fallback")?.attributes).toEqual({
      "gateway.fallback.from": "primary",
      "gateway.fallback.to": "backup",
      "gateway.fallback.reason": "http_error",
    });
  });

  it("sends LiteLLM a traceparent naming the attempt span, and passes tracestate on", () => {
    expect(upstreamTraceparents).toEqual(attempts().map((a) => `00-${TRACE_ID}-${a.spanId}-01`));
    expect(litellm.received.every((r) => r.headers.tracestate === "vendor=abc")).toBe(true);
  });

  it("puts trace_id, span_id and Cloud Logging's join fields on the request's log line", () => {
    const line = logs.find((l) => l.msg === "request" && l.request_id === "req-traced-1")!;
    expect(line).toMatchObject({
      trace_id: TRACE_ID,
      span_id: requestSpan().spanId,
      "logging.googleapis.com/trace": `projects/acme-prod/traces/${TRACE_ID}`,
      "logging.googleapis.com/spanId": requestSpan().spanId,
      "logging.googleapis.com/trace_sampled": true,
    });
  });

  it("records the stream's first token as an event on the request span", async () => {
    receiver.spans.length = 0;
    litellm.queue(streamChunks(["Hel", "lo"], { delayMs: 5 }));
    const response = await chat(gateway, { traceparent: traceparent("01") }, chatBody("primary", { stream: true }));
    await response.text();
    const received = await receiver.waitFor(2);
    const span = received.find((s) => s.kind === SPAN_KIND.server)!;
    const event = span.events.find((e) => e.name === "gateway.first_token");
    expect(event?.attributes["gateway.time_to_first_token_ms"]).toBeGreaterThan(0);
  });

  it("sets the request span's status to error on a 5xx", async () => {
    receiver.spans.length = 0;
    litellm.queue(
      (_req, res) => json(res, 503, { error: { message: "down" } }),
      (_req, res) => json(res, 503, { error: { message: "down" } }),
    );
    const response = await chat(gateway, { traceparent: traceparent("01") });
    expect(response.status).toBe(502);
    const received = await receiver.waitFor(3);
    const span = received.find((s) => s.kind === SPAN_KIND.server)!;
    expect(span.status).toMatchObject({ code: STATUS_ERROR, message: "upstream_503" });
    expect(span.attributes["http.response.status_code"]).toBe(502);
  });
});

describe("tracing: sampling", () => {
  const receiver = new OtlpReceiver();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await receiver.start();
  });
  afterAll(() => receiver.stop());

  it("sends nothing with OTEL_TRACES_SAMPLER=always_off, yet passes the trace on unsampled", async () => {
    receiver.spans.length = 0;
    litellm.reset();
    const gateway = await startTestGateway(gatewayEnv(endpoint, { OTEL_TRACES_SAMPLER: "always_off" }), CATALOGUE);
    expect((await chat(gateway)).status).toBe(200);
    // Shutdown flushes whatever is queued: nothing must be.
    await gateway.gateway.shutdown();
    expect(receiver.spans).toEqual([]);
    expect(litellm.received[0].headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it("records a sampled parent's request even at a ratio of 0 (parent-based, the default), and no unparented one", async () => {
    receiver.spans.length = 0;
    const gateway = await startTestGateway(gatewayEnv(endpoint, { OTEL_TRACES_SAMPLER_ARG: "0" }), CATALOGUE);
    try {
      expect((await chat(gateway)).status).toBe(200);
      expect((await chat(gateway, { traceparent: traceparent("01") })).status).toBe(200);
      expect((await chat(gateway, { traceparent: traceparent("00") })).status).toBe(200);
    } finally {
      await gateway.gateway.shutdown();
    }
    expect(receiver.spans.map((s) => [s.traceId, s.kind])).toEqual([
      [TRACE_ID, SPAN_KIND.client],
      [TRACE_ID, SPAN_KIND.server],
    ]);
  });
});

describe("tracing: a Collector that fails", () => {
  /** Sequential requests' latencies in ms. */
  async function latencies(gateway: TestGateway, count: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const response = await chat(gateway, { traceparent: traceparent("01") });
      await response.text();
      expect(response.status).toBe(200);
      out.push(performance.now() - started);
    }
    return out;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  it("never fails or slows a request when the Collector is down", async () => {
    litellm.reset();
    const gateway = await startTestGateway(gatewayEnv(await closedPortUrl()), CATALOGUE);
    try {
      const times = await latencies(gateway, 30);
      // A loopback round trip through the gateway takes a few ms (more on a loaded CI machine); an export
      // waited on would add its retries' backoff to every request: 1 s, then more, up to its 10 s timeout.
      expect(median(times)).toBeLessThan(250);
      expect(Math.max(...times)).toBeLessThan(5000);
    } finally {
      await gateway.gateway.shutdown();
    }
  });

  it("logs a warning when the Collector refuses spans", async () => {
    const receiver = new OtlpReceiver();
    receiver.refuseWith = 400;
    const gateway = await startTestGateway(gatewayEnv(await receiver.start()), CATALOGUE);
    try {
      expect((await chat(gateway)).status).toBe(200);
      const deadline = Date.now() + 5000;
      const warned = () => parseLogs(gateway.logs).find((l) => l.msg === "tracing: the OpenTelemetry SDK reports a problem; spans may be lost");
      while (!warned() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(warned()).toMatchObject({ level: "warn" });
    } finally {
      await gateway.gateway.shutdown();
      await receiver.stop();
    }
  });

  it("never holds up shutdown past the flush bound when the Collector hangs", async () => {
    const receiver = new OtlpReceiver();
    receiver.hang = true;
    // Batches every 20 ms: exports start, and hang, while requests are served.
    const gateway = await startTestGateway(gatewayEnv(await receiver.start()), CATALOGUE);
    try {
      const times = await latencies(gateway, 10);
      expect(Math.max(...times)).toBeLessThan(5000);
      const started = Date.now();
      expect(await gateway.gateway.shutdown()).toBe(0);
      // TRACE_FLUSH_TIMEOUT_MS (2 s) and the process's exit (over a second on a loaded machine); unbounded,
      // the flush would wait out the export's 10 s timeout.
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      await receiver.stop();
    }
  });
});

describe("tracing: shutdown and off", () => {
  it("flushes the queued spans on shutdown instead of waiting for the next batch", async () => {
    const receiver = new OtlpReceiver();
    const gateway = await startTestGateway(gatewayEnv(await receiver.start(), { OTEL_BSP_SCHEDULE_DELAY: "60000" }), CATALOGUE);
    try {
      litellm.reset();
      expect((await chat(gateway)).status).toBe(200);
      await gateway.gateway.shutdown();
      expect(receiver.spans.map((s) => s.kind).sort()).toEqual([SPAN_KIND.server, SPAN_KIND.client]);
    } finally {
      await receiver.stop();
    }
  });

  it("makes no span and sends no traceparent when off, even for a traced request", async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      for (const env of [{ LITELLM_BASE_URL: litellmUrl }, gatewayEnv(endpoint, { OTEL_TRACES_EXPORTER: "none" })]) {
        litellm.reset();
        const gateway = await startTestGateway(env, CATALOGUE);
        expect((await chat(gateway, { traceparent: traceparent("01"), "x-request-id": "req-untraced" })).status).toBe(200);
        await gateway.logsSettled();
        await gateway.gateway.shutdown();
        expect(litellm.received[0].headers.traceparent).toBeUndefined();
        const line = parseLogs(gateway.logs).find((l) => l.request_id === "req-untraced")!;
        expect(line.trace_id).toBeUndefined();
      }
      expect(receiver.spans).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  /**
   * The OTel SDK modules the compiled server loads, as the image's CMD starts it, while it serves
   * a sampled request (prom-client loads @opentelemetry/api itself, so only the SDK counts).
   */
  async function sdkModulesLoaded(env: Record<string, string>): Promise<string[]> {
    const gateway = await startTestGateway({ ...env, ...packageModuleProbe() });
    try {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, postJson(chatBody("mock"), { traceparent: traceparent("01") }));
      expect(response.status).toBe(200);
    } finally {
      await gateway.gateway.shutdown();
    }
    return packageModules(gateway.errors()).filter((url) => /@opentelemetry\/(sdk-trace|exporter-trace-otlp-http|core|resources)\//.test(url));
  }

  it("does not even load the OTel SDK when off", async () => {
    const receiver = new OtlpReceiver();
    try {
      expect(await sdkModulesLoaded({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: await receiver.start() })).not.toEqual([]);
      expect(await sdkModulesLoaded({})).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });
});
