import http from "node:http";
import net from "node:net";
import { answerProtocolErrors } from "../src/client-error.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { completion, FakeUpstream, json, sleep, streamChunks } from "./support/fake-upstream.js";
import { chatBody, parseLogs, startTestGateway, type TestGateway } from "./support/harness.js";

// #11 "Statuses, metrics and the breaker tell the truth", against the compiled server.
const fake = new FakeUpstream();
let gw: TestGateway;
// One model per test: each has its own circuit breaker.
const MODELS = ["cut", "hang", "nested", "stream-cut", "abort", "abort-stream", "breaker", "ok"];

beforeAll(async () => {
  const upstreamUrl = await fake.start();
  gw = await startTestGateway(
    {
      LITELLM_BASE_URL: upstreamUrl,
      UPSTREAM_MAX_RETRIES: "0",
      STREAM_IDLE_TIMEOUT_MS: "300",
      BREAKER_FAILURE_THRESHOLD: "2",
      BREAKER_COOLDOWN_MS: "5000",
    },
    { models: MODELS.map((name) => ({ name, upstream: "litellm" })) },
  );
});
afterEach(() => fake.reset());
afterAll(async () => {
  await gw.gateway.shutdown();
  await fake.stop();
});

function post(body: unknown, init: RequestInit = {}) {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

async function metrics(): Promise<string> {
  await sleep(20);
  return (await fetch(gw.metricsUrl)).text();
}

const requestsWith = (text: string, status: string) =>
  Number(new RegExp(`gateway_http_requests_total\\{route="/v1/chat/completions",method="POST",status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0);

/** Sends the headers and half the body, then resets (or hangs). */
function cutAfterHeaders(hang: boolean) {
  return async (req: { body: any }, res: import("node:http").ServerResponse) => {
    const text = JSON.stringify(completion(req.body.model, "x".repeat(2000)));
    res.writeHead(200, { "content-type": "application/json", "content-length": String(text.length) });
    res.write(text.slice(0, 1000));
    // Let the headers arrive on their own first: a reset in the same packet fails the attempt before its headers.
    await sleep(hang ? 1500 : 50);
    res.socket?.destroy();
  };
}

describe("answers cut after their headers", () => {
  it("a reset mid-body is a 502 envelope and an upstream failure, not a 500 and a success", async () => {
    fake.queue(cutAfterHeaders(false));
    const response = await post(chatBody("cut"));
    expect(response.status).toBe(502);
    // Its headers came: the model ran it, and a client's retry would bill it again.
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(((await response.json()) as any).error).toMatchObject({ type: "api_error", code: "upstream_error" });
    const text = await metrics();
    expect(text).toMatch(/gateway_upstream_errors_total\{upstream="litellm",model="cut",outcome="body_reset"\} 1/);
    await gw.logsSettled();
    expect(gw.logs.join("\n")).not.toContain("unhandled error");
  });

  it("a hang mid-body is a 504", async () => {
    fake.queue(cutAfterHeaders(true));
    const response = await post(chatBody("hang"));
    expect(response.status).toBe(504);
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(((await response.json()) as any).error.code).toBe("upstream_timeout");
    expect(await metrics()).toMatch(/gateway_upstream_errors_total\{upstream="litellm",model="hang",outcome="body_idle_timeout"\} 1/);
  });
});

describe("client errors and the breaker", () => {
  it("deeply nested JSON, with stream:true or in a field the gateway overrides, is a 400 and never opens the circuit", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const bodies = [
      `{"model":"nested","stream":true,"messages":[{"role":"user","content":${deep}}]}`,
      `{"model":"nested","stream":true,"stream_options":{"x":${deep}},"messages":[{"role":"user","content":"x"}]}`,
      `{"model":"nested","max_tokens":5,"messages":[{"role":"user","content":${deep}}]}`,
    ];
    for (let i = 0; i < 6; i++) {
      const response = await post(bodies[i % bodies.length]);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.code).toBe("invalid_json");
    }
    expect((await post(chatBody("nested"))).status).toBe(200);
    expect(fake.received).toHaveLength(1);
  });
});

describe("streams that break midway", () => {
  it("end with an error event and count as upstream failures, in the request metrics and the breaker", async () => {
    const breaking = async (req: { body: any }, res: import("node:http").ServerResponse) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "half" } }], model: req.body.model })}\n\n`);
      await sleep(50);
      res.socket?.destroy();
    };
    const before = requestsWith(await metrics(), "502");
    fake.queue(breaking, breaking);
    for (let i = 0; i < 2; i++) {
      const text = await (await post(chatBody("stream-cut", { stream: true }))).text();
      expect(text).toContain('"code":"upstream_error"');
    }
    const text = await metrics();
    expect(requestsWith(text, "502") - before).toBe(2);
    expect(text).toMatch(/gateway_upstream_errors_total\{upstream="litellm",model="stream-cut",outcome="body_reset"\} 2/);
    // Two failures open this model's circuit.
    expect(text).toMatch(/gateway_circuit_breaker_state\{upstream="litellm",model="stream-cut"\} 2/);
    expect((await post(chatBody("stream-cut", { stream: true }))).status).toBe(503);
  });
});

describe("client aborts", () => {
  it("are recorded as 499 with client_aborted, for JSON requests and streams, outside the 5xx statuses", async () => {
    const before = await metrics();
    fake.queue(async (req, res) => {
      await sleep(500);
      if (!res.destroyed) json(res, 200, completion(req.body.model, "late"));
    });
    fake.queue(streamChunks(["a", "b", "c", "d", "e", "f"], { delayMs: 100 }));
    const leaving = new AbortController();
    const jsonRequest = post(chatBody("abort"), { signal: leaving.signal }).catch(() => undefined);
    await sleep(100);
    leaving.abort();
    await jsonRequest;
    const stream = new AbortController();
    const streamed = await post(chatBody("abort-stream", { stream: true }), { signal: stream.signal });
    await streamed.body!.getReader().read();
    stream.abort();
    await sleep(700);
    const after = await metrics();
    expect(requestsWith(after, "499") - requestsWith(before, "499")).toBe(2);
    expect(requestsWith(after, "502")).toBe(requestsWith(before, "502"));
    await gw.logsSettled();
    const lines = parseLogs(gw.logs).filter((l) => l.msg === "request" && ["abort", "abort-stream"].includes(l.model));
    expect(lines.map((l) => [l.model, l.status, l.client_aborted])).toEqual(
      expect.arrayContaining([
        ["abort", 499, true],
        ["abort-stream", 499, true],
      ]),
    );
    // A client leaving says nothing about the upstream.
    expect(after).toMatch(/gateway_circuit_breaker_state\{upstream="litellm",model="abort"\} 0/);
  });
});

describe("the breaker's Retry-After", () => {
  it("is the time left until a probe, not the whole cool-down", async () => {
    fake.always((_req, res) => json(res, 500, { error: { message: "down" } }));
    for (let i = 0; i < 2; i++) expect((await post(chatBody("breaker"))).status).toBe(502);
    expect((await post(chatBody("breaker"))).headers.get("retry-after")).toBe("5");
    await sleep(1600);
    const later = await post(chatBody("breaker"));
    expect(later.status).toBe(503);
    expect(later.headers.get("retry-after")).toBe("4");
  });
});

/** Raw bytes to the server, and whatever it answers before closing. */
function raw(request: string, port = Number(new URL(gw.url).port), end = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => (end ? socket.end(request) : socket.write(request)));
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("protocol errors", () => {
  it("answers a malformed request with a 400 in the OpenAI envelope", async () => {
    const answer = await raw("GARBAGE\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request" });
  });

  it("answers oversized headers with a 431 in the envelope", async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).error.code).toBe("request_header_fields_too_large");
  });

  it("answers a request that does not arrive in time with a 408 in the envelope", async () => {
    const server = http.createServer({ requestTimeout: 200, headersTimeout: 200, connectionsCheckingInterval: 50 }, (_req, res) => res.end());
    answerProtocolErrors(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const answer = await raw("GET /healthz HTTP/1.1\r\nHost: x\r\n", (server.address() as net.AddressInfo).port, false);
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).error.code).toBe("request_timeout");
    } finally {
      server.close();
    }
  });

  it("sends Allow with a 405", async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    const models = await fetch(`${gw.url}/v1/models`, { method: "DELETE" });
    expect(models.status).toBe(405);
    expect(models.headers.get("allow")).toBe("GET, HEAD");
  });
});
