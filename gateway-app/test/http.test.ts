import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, completion, json, sleep, streamChunks } from "./support/fake-upstream.js";
import { chatBody, parseLogs, startTestGateway, type TestGateway } from "./support/harness.js";

const API_KEY = "sk-litellm-test-key-9f8e7d6c";

const CATALOGUE = {
  models: [
    { name: "primary", upstream: "litellm", fallbacks: ["backup"], prices: { inputPerMillionTokens: 1, outputPerMillionTokens: 1 } },
    { name: "backup", upstream: "litellm", upstreamModel: "backup-upstream" },
    { name: "solo", upstream: "litellm" },
    { name: "gemini", upstream: "vertex", upstreamModel: "google/gemini-2.0-flash" },
  ],
};

const fake = new FakeUpstream();
const metadata = new FakeUpstream();
let gw: TestGateway;

beforeAll(async () => {
  const upstreamUrl = await fake.start();
  const metadataUrl = await metadata.start();
  gw = await startTestGateway(
    {
      LITELLM_BASE_URL: `${upstreamUrl}/v1`,
      LITELLM_API_KEY: API_KEY,
      VERTEX_BASE_URL: `${upstreamUrl}/vertex`,
      METADATA_BASE_URL: metadataUrl,
      UPSTREAM_CONNECT_TIMEOUT_MS: "500",
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "400",
      STREAM_IDLE_TIMEOUT_MS: "400",
      UPSTREAM_MAX_RETRIES: "2",
      BREAKER_FAILURE_THRESHOLD: "3",
      BREAKER_COOLDOWN_MS: "60000",
    },
    CATALOGUE,
  );
});

afterEach(() => {
  fake.reset();
  metadata.reset();
});

afterAll(async () => {
  await gw.gateway.shutdown();
  await fake.stop();
  await metadata.stop();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(gw.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

async function metricsText(): Promise<string> {
  await sleep(5);
  return (await fetch(gw.metricsUrl)).text();
}

describe("relaying to LiteLLM", () => {
  it("forwards the request with the key, the request id and the body, and relays the answer", async () => {
    const response = await post("/v1/chat/completions", chatBody("solo", { temperature: 0.2 }), { "x-request-id": "req-1" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).choices[0].message.content).toBe("fake answer");
    const [received] = fake.received;
    expect(received.url).toBe("/v1/chat/completions");
    expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(received.headers["x-request-id"]).toBe("req-1");
    expect(received.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(received.body).toEqual(chatBody("solo", { temperature: 0.2 }));
  });

  it("reuses upstream connections (keep-alive pool)", async () => {
    for (let i = 0; i < 5; i++) await post("/v1/chat/completions", chatBody("solo"));
    expect(fake.received).toHaveLength(5);
    expect(fake.received.every((r) => r.headers.connection === "keep-alive")).toBe(true);
    // Sequential requests over a pooled connection all arrive from one client port.
    expect(new Set(fake.received.map((r) => r.remotePort)).size).toBe(1);
  });
});

describe("streaming", () => {
  it("forwards each chunk as it arrives, without buffering", async () => {
    fake.queue(streamChunks(["one", "two", "three"], { delayMs: 150 }));
    const started = Date.now();
    const response = await post("/v1/chat/completions", chatBody("solo", { stream: true }));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const arrivals: { at: number; text: string }[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      arrivals.push({ at: Date.now() - started, text: decoder.decode(value) });
    }
    const first = arrivals.find((a) => a.text.includes('"one"'))!;
    const last = arrivals.find((a) => a.text.includes("[DONE]"))!;
    expect(first.at).toBeLessThan(120);
    expect(last.at).toBeGreaterThanOrEqual(400);
  });

  it("sends its headers at once when the upstream's first chunk is slow, and the whole stream after", async () => {
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      await sleep(300);
      const late = { id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "late" }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(late)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    const started = Date.now();
    const response = await post("/v1/chat/completions", chatBody("solo", { stream: true }));
    const headersAt = Date.now() - started;
    expect(response.status).toBe(200);
    expect(headersAt).toBeLessThan(200);
    const text = await response.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(text).toContain('"late"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("never forwards the fields that would make LiteLLM retry or fall back behind gateway-app", async () => {
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "c", object: "chat.completion", choices: [] }));
    });
    const body = chatBody("solo", {
      num_retries: 5,
      fallbacks: [{ solo: ["other"] }],
      context_window_fallbacks: [],
      mock_response: "free",
      temperature: 0.2,
    });
    expect((await post("/v1/chat/completions", body)).status).toBe(200);
    const forwarded = fake.received[0].body;
    for (const field of ["num_retries", "fallbacks", "context_window_fallbacks", "mock_response"]) expect(forwarded, field).not.toHaveProperty(field);
    expect(forwarded.temperature).toBe(0.2);
  });

  it("asks the upstream for usage but hides it from a client that did not", async () => {
    fake.queue(streamChunks(["a", "b"], { usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }));
    const text = await (await post("/v1/chat/completions", chatBody("primary", { stream: true }))).text();
    expect(fake.received[0].body.stream_options).toEqual({ include_usage: true });
    expect(text).not.toMatch(/usage/);
    expect(text.trim().split("\n\n").at(-1)).toBe("data: [DONE]");
    const metrics = await metricsText();
    expect(metrics).toMatch(/gateway_tokens_total\{model="primary",tenant="anonymous",kind="prompt"\} 9/);
    expect(metrics).toMatch(/gateway_time_to_first_token_seconds_count\{model="primary"\} [1-9]/);
  });

  it("holds a stream back at the upstream while the client does not read, and then relays every byte", async () => {
    const event = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "x".repeat(1000) } }] })}\n\n`;
    const total = 128 * 1024 * 1024;
    let written = 0;
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      while (written < total && !res.destroyed) {
        written += event.length;
        if (!res.write(event)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    });
    const body = JSON.stringify(chatBody("solo", { stream: true }));
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" } }, resolve);
      req.on("error", reject);
      req.end(body);
    });
    answer.pause();
    await sleep(500);
    // What the sockets' buffers hold on the way, not the stream: without backpressure the
    // gateway read all 128 MiB into its heap while the client read nothing.
    expect(written).toBeLessThan(32 * 1024 * 1024);
    let received = 0;
    answer.on("data", (chunk: Buffer) => (received += chunk.byteLength));
    answer.resume();
    await new Promise((resolve) => answer.on("end", resolve));
    expect(received).toBe(written);
    expect(written).toBeGreaterThanOrEqual(total);
  });

  it("relays usage to a client that asked for it", async () => {
    fake.queue(streamChunks(["a"]));
    const text = await (await post("/v1/chat/completions", chatBody("solo", { stream: true, stream_options: { include_usage: true } }))).text();
    expect(text).toMatch(/"usage":\{"prompt_tokens":5/);
    expect(text).toMatch(/"usage":null/);
  });

  it("ends the stream with an error event when the upstream resets mid-stream", async () => {
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n');
      await sleep(20);
      res.socket!.destroy();
    });
    const response = await post("/v1/chat/completions", chatBody("solo", { stream: true }));
    const text = await response.text();
    expect(text).toMatch(/partial/);
    expect(text).toMatch(/data: \{"error":\{"message":"The upstream stream broke/);
  });

  it("aborts the upstream request when the client disconnects", async () => {
    fake.queue(
      streamChunks(
        Array.from({ length: 50 }, (_, i) => `w${i}`),
        { delayMs: 50 },
      ),
    );
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chatBody("solo", { stream: true })),
      signal: controller.signal,
    });
    await response.body!.getReader().read();
    controller.abort();
    const upstreamSide = fake.received.at(-1)!;
    await expect(Promise.race([upstreamSide.closed, sleep(1000).then(() => "still open")])).resolves.toBe("aborted");
  });

  it("times out a stream that goes quiet", async () => {
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n');
      await sleep(1500);
      res.end();
    });
    const text = await (await post("/v1/chat/completions", chatBody("solo", { stream: true }))).text();
    expect(text).toMatch(/no data for 400 ms/);
  });
});

describe("retries, timeouts, fallbacks", () => {
  it("retries a 429 after its Retry-After, then succeeds", async () => {
    fake.queue((_req, res) => json(res, 429, { error: { message: "slow down" } }, { "retry-after": "0.2" }));
    const started = Date.now();
    const response = await post("/v1/chat/completions", chatBody("solo"));
    expect(response.status).toBe(200);
    expect(fake.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await metricsText()).toMatch(/gateway_upstream_retries_total\{upstream="litellm",model="solo",outcome="http_429"\} 1/);
  });

  it("passes a persistent 429 through with its Retry-After", async () => {
    fake.always((_req, res) => json(res, 429, { error: { message: "quota", type: "rate_limit_error" } }, { "retry-after": "0.05" }));
    const response = await post("/v1/chat/completions", chatBody("solo"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("0.05");
    expect(((await response.json()) as any).error).toMatchObject({ message: "quota", type: "rate_limit_error" });
    expect(fake.received).toHaveLength(3);
  });

  it("does not retry a 500 or a 400", async () => {
    fake.queue((_req, res) => json(res, 400, { error: { message: "bad" } }));
    expect((await post("/v1/chat/completions", chatBody("solo"))).status).toBe(400);
    expect(fake.received).toHaveLength(1);
    fake.reset();
    fake.queue((_req, res) => json(res, 500, { error: { message: "boom" } }));
    expect((await post("/v1/chat/completions", chatBody("solo"))).status).toBe(502);
    expect(fake.received).toHaveLength(1);
  });

  it("falls back to the configured model when the primary keeps failing", async () => {
    fake.always((req, res) =>
      req.body.model === "primary" ? json(res, 503, { error: { message: "down" } }) : json(res, 200, completion(req.body.model, "from backup")),
    );
    const response = await post("/v1/chat/completions", chatBody("primary"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-model")).toBe("backup");
    // A 503 without Retry-After is not retried (the model may have run): straight to the fallback.
    expect(fake.received.map((r) => r.body.model)).toEqual(["primary", "backup-upstream"]);
    expect(await metricsText()).toMatch(/gateway_fallbacks_total\{model="primary",fallback="backup"\} 1/);
  });

  it("answers 504 when the upstream does not answer in time, without retrying", async () => {
    fake.queue(async (req, res) => {
      await sleep(800);
      json(res, 200, completion(req.body.model, "late"));
    });
    const response = await post("/v1/chat/completions", chatBody("solo"));
    expect(response.status).toBe(504);
    expect(((await response.json()) as any).error).toMatchObject({ type: "api_error", code: "upstream_timeout" });
    expect(fake.received).toHaveLength(1);
  });

  it("passes malformed upstream JSON through unchanged on success", async () => {
    fake.queue((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"choices": [ broken');
    });
    const response = await post("/v1/chat/completions", chatBody("solo"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"choices": [ broken');
  });
});

describe("circuit breaker", () => {
  it("opens after repeated failures and then fails fast without calling the upstream", async () => {
    fake.always((_req, res) => json(res, 502, { error: { message: "bad gateway" } }));
    // Three requests (a 502 is not retried) reach the failure threshold of 3.
    for (let i = 0; i < 3; i++) expect((await post("/v1/chat/completions", chatBody("backup"))).status).toBe(502);
    const calls = fake.received.length;
    const response = await post("/v1/chat/completions", chatBody("backup"));
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.code).toBe("upstream_unavailable");
    expect(response.headers.get("retry-after")).toBe("60");
    expect(fake.received.length).toBe(calls);
    expect(await metricsText()).toMatch(/gateway_circuit_breaker_state\{upstream="litellm",model="backup"\} 2/);
  });
});

describe("direct Vertex AI", () => {
  it("calls Vertex's OpenAI endpoint with a metadata-server token, cached across requests", async () => {
    metadata.always((req, res) => {
      expect(req.headers["metadata-flavor"]).toBe("Google");
      json(res, 200, { access_token: "ya29.workload-identity-token", expires_in: 3599, token_type: "Bearer" });
    });
    for (let i = 0; i < 3; i++) expect((await post("/v1/chat/completions", chatBody("gemini"))).status).toBe(200);
    expect(metadata.received).toHaveLength(1);
    expect(metadata.received[0].url).toBe("/computeMetadata/v1/instance/service-accounts/default/token");
    const vertexCalls = fake.received.filter((r) => r.url.startsWith("/vertex"));
    expect(vertexCalls.map((r) => r.url)).toEqual(Array(3).fill("/vertex/chat/completions"));
    expect(vertexCalls[0].headers.authorization).toBe("Bearer ya29.workload-identity-token");
    expect(vertexCalls[0].body.model).toBe("google/gemini-2.0-flash");
  });
});

describe("logs", () => {
  it("never contain the API key, the Authorization header or prompt text", async () => {
    fake.queue(streamChunks(["secret-completion-words"]));
    await post("/v1/chat/completions", chatBody("solo", { messages: [{ role: "user", content: "prompt-text-must-not-leak" }] }), {
      authorization: "Bearer client-jwt-should-not-leak",
    });
    await (await post("/v1/chat/completions", chatBody("solo", { stream: true }), { authorization: "Bearer client-jwt-should-not-leak" })).text();
    await gw.logsSettled();
    const all = gw.logs.join("");
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain("client-jwt-should-not-leak");
    expect(all).not.toMatch(/authorization/i);
    expect(all).not.toContain("prompt-text-must-not-leak");
    expect(all).not.toContain("secret-completion-words");
    const requests = parseLogs(gw.logs).filter((l) => l.msg === "request");
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((l) => typeof l.request_id === "string" && typeof l.latency_ms === "number")).toBe(true);
  });
});

describe("connection failures", () => {
  it("answers 502 after retrying a refused connection", async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const isolated = await startTestGateway(
      { LITELLM_BASE_URL: `http://127.0.0.1:${port}`, UPSTREAM_MAX_RETRIES: "1" },
      { models: [{ name: "m", upstream: "litellm" }] },
    );
    try {
      const response = await fetch(`${isolated.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(chatBody("m")),
      });
      expect(response.status).toBe(502);
      expect(((await response.json()) as any).error).toMatchObject({ type: "api_error", code: "upstream_error" });
      const metrics = await (await fetch(isolated.metricsUrl)).text();
      expect(metrics).toMatch(/gateway_upstream_retries_total\{upstream="litellm",model="m",outcome="connect"\} 1/);
    } finally {
      await isolated.gateway.shutdown();
    }
  });
});
