import { describe, expect, it, vi } from "vitest";
import type { ModelConfig, TenantConfig } from "../src/config.js";
import { outputTokenCap } from "../src/tenancy.js";
import { createLogger } from "../src/logger.js";
import { HttpClient, parseEndpoint, type HttpRequest } from "../src/upstream/http-client.js";
import { OpenAiCompatibleUpstream } from "../src/upstream/openai-compatible.js";
import { FakeUpstream } from "./support/fake-upstream.js";
import { UpstreamFailure, type UpstreamCall, type UpstreamResponse } from "../src/upstream/types.js";

const timeouts = { connectMs: 1000, firstByteMs: 2000, totalMs: 3000, streamIdleMs: 4000, streamTotalMs: 5000 };

/** Records what the upstream would send instead of sending it. */
function recordingClient() {
  const sent: HttpRequest[] = [];
  const client = { request: async (req: HttpRequest) => (sent.push(req), { status: 200 } as UpstreamResponse) } as unknown as HttpClient;
  return { client, sent };
}

function call(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return {
    path: "/chat/completions",
    body: Buffer.from('{"model":"m"}'),
    model: { name: "m" } as ModelConfig,
    stream: false,
    requestId: "req-1",
    acceptedAt: 1_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("OpenAI-compatible upstream", () => {
  it("sends the body's length, the request id and a key given as a plain value", async () => {
    const { client, sent } = recordingClient();
    await new OpenAiCompatibleUpstream({ name: "litellm", baseUrl: "http://router:4000/v1", client, timeouts, token: () => "sk-static" }).send(
      call(),
    );
    expect(sent[0].headers).toEqual({
      "content-type": "application/json",
      "content-length": "13",
      accept: "application/json",
      "x-request-id": "req-1",
      // LiteLLM's call id (litellm/proxy/common_request_processing.py:423-425): its logs carry our id.
      "x-litellm-call-id": "req-1",
      authorization: "Bearer sk-static",
    });
    expect(sent[0].endpoint).toMatchObject({ hostname: "router", port: 4000, basePath: "/v1", hostHeader: "router:4000" });
  });

  it("names the Host as node would: the port only when it is not the scheme's, an IPv6 address bracketed", () => {
    expect(parseEndpoint("https://aiplatform.googleapis.com/v1/projects/p")).toMatchObject({
      https: true,
      hostname: "aiplatform.googleapis.com",
      port: 443,
      hostHeader: "aiplatform.googleapis.com",
    });
    expect(parseEndpoint("http://[::1]:4000/")).toMatchObject({ hostname: "::1", port: 4000, basePath: "", hostHeader: "[::1]:4000" });
    expect(parseEndpoint("http://litellm.ai-gateway.svc:80")).toMatchObject({ port: 80, hostHeader: "litellm.ai-gateway.svc" });
  });

  it("waits for a token that needs fetching, and sends none when there is none", async () => {
    const { client, sent } = recordingClient();
    await new OpenAiCompatibleUpstream({
      name: "vertex",
      baseUrl: "https://vertex.example/v1",
      client,
      timeouts,
      token: async () => "ya29.fresh",
    }).send(call({ stream: true }));
    await new OpenAiCompatibleUpstream({ name: "litellm", baseUrl: "http://router:4000", client, timeouts, token: () => undefined }).send(call());
    expect(sent[0].headers.authorization).toBe("Bearer ya29.fresh");
    expect(sent[0].headers.accept).toBe("text/event-stream");
    expect(sent[1].headers.authorization).toBeUndefined();
    expect(sent[0].headers["x-litellm-call-id"]).toBeUndefined();
  });

  it("turns a token that cannot be had, thrown or rejected, into a connect failure that names the upstream", async () => {
    const { client, sent } = recordingClient();
    const failing = [
      () => {
        throw new Error("metadata server down");
      },
      () => Promise.reject(new Error("metadata server down")),
    ];
    for (const token of failing) {
      const attempt = new OpenAiCompatibleUpstream({ name: "vertex", baseUrl: "https://vertex.example/v1", client, timeouts, token }).send(call());
      await expect(attempt).rejects.toBeInstanceOf(UpstreamFailure);
      await expect(attempt).rejects.toMatchObject({ kind: "connect", message: "vertex: no access token (metadata server down)" });
    }
    expect(sent).toHaveLength(0);
  });

  it("bounds whole answers by the model's own total, and streams by the stream total, from acceptance", async () => {
    const { client, sent } = recordingClient();
    const upstream = new OpenAiCompatibleUpstream({ name: "litellm", baseUrl: "http://router:4000", client, timeouts, token: () => undefined });
    const slow = { name: "slow", timeoutMs: 90_000 } as ModelConfig;
    await upstream.send(call({ model: slow }));
    await upstream.send(call({ model: slow, stream: true }));
    await upstream.send(call());
    const common = { acceptedAt: 1_000, connectMs: 1000, firstByteMs: 2000, idleMs: 4000 };
    expect(sent.map((s) => s.timeouts)).toEqual([
      { ...common, totalMs: 90_000 },
      { ...common, totalMs: 5000 },
      { ...common, totalMs: 3000 },
    ]);
  });
});

describe("logger", () => {
  it("writes one JSON line per call with an ISO time, leaving out undefined fields", () => {
    const lines: string[] = [];
    const clock = [0, 0, 1500];
    const logger = createLogger(
      (line) => lines.push(line),
      () => clock.shift()!,
    );
    logger.info("request", { status: 200, model: undefined, tenant: 'a"b' });
    logger.warn("again");
    logger.error("later", { error: "x" });
    expect(lines.every((line) => line.endsWith("}\n"))).toBe(true);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: "1970-01-01T00:00:00.000Z", level: "info", msg: "request", status: 200, tenant: 'a"b' },
      { time: "1970-01-01T00:00:00.000Z", level: "warn", msg: "again" },
      { time: "1970-01-01T00:00:01.500Z", level: "error", msg: "later", error: "x" },
    ]);
  });
});

describe("output token cap", () => {
  const model = (maxOutputTokens?: number) => ({ maxOutputTokens }) as ModelConfig;
  const tenant = (maxOutputTokens?: number) => ({ maxOutputTokens }) as TenantConfig;
  it("is the tighter of the model's and the tenant's, whichever are set", () => {
    expect(outputTokenCap(model(), undefined)).toBeUndefined();
    expect(outputTokenCap(model(), tenant())).toBeUndefined();
    expect(outputTokenCap(model(1000), undefined)).toBe(1000);
    expect(outputTokenCap(model(), tenant(300))).toBe(300);
    expect(outputTokenCap(model(1000), tenant(300))).toBe(300);
    expect(outputTokenCap(model(200), tenant(300))).toBe(200);
  });
});

describe("aborting an upstream call with a standard AbortSignal", () => {
  const hanging = new FakeUpstream().always(() => undefined);
  const request = async (signal: AbortSignal) => {
    const client = new HttpClient({ maxSockets: 4, idleSocketTimeoutMs: 4000 });
    const endpoint = parseEndpoint(await hanging.start());
    const body = Buffer.from("{}");
    const headers = { "content-type": "application/json", "content-length": String(body.byteLength) };
    const attempt = { acceptedAt: performance.timeOrigin + performance.now(), connectMs: 1000, firstByteMs: 2000, totalMs: 3000, idleMs: 4000 };
    const sent = client.request({ endpoint, path: "/chat/completions", headers, body, signal, timeouts: attempt });
    return { sent, close: () => (client.close(), hanging.stop()) };
  };

  it("fails the call as aborted, and closes the upstream request, when the signal fires mid-call or had fired", async () => {
    const controller = new AbortController();
    const midCall = await request(controller.signal);
    await vi.waitFor(() => expect(hanging.received).toHaveLength(1));
    controller.abort();
    await expect(midCall.sent).rejects.toMatchObject({ kind: "aborted" });
    await expect(hanging.received[0].closed).resolves.toBe("aborted");
    await midCall.close();

    const before = await request(AbortSignal.abort());
    await expect(before.sent).rejects.toMatchObject({ kind: "aborted" });
    await before.close();
  });
});
