import { describe, expect, it } from "vitest";
import { startMetricsServer } from "../src/metrics-server.js";
import { chatBody, servedApp, parseLogs, postJson, settle } from "./support/harness.js";
import { jsonResponse, RecordingUpstream } from "./support/recording-upstream.js";

const CATALOGUE = {
  models: [
    {
      name: "fast",
      upstream: "litellm",
      upstreamModel: "gemini-flash",
      limits: { maxOutputTokens: 1000 },
      prices: { inputPerMillionTokens: 2, outputPerMillionTokens: 10 },
    },
    { name: "mock", upstream: "mock" },
  ],
};

const TENANTS = {
  ...CATALOGUE,
  tenants: [
    { name: "team-a", models: ["fast"], maxOutputTokens: 500 },
    { name: "team-b", models: ["*"] },
  ],
};

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
  return { status: response.status, ...body.error };
}

describe("happy path", () => {
  it("lists the catalogue as OpenAI models", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/v1/models");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: "list",
      data: [
        { id: "fast", object: "model", created: 0, owned_by: "ai-gateway" },
        { id: "mock", object: "model", created: 0, owned_by: "ai-gateway" },
      ],
    });
  });

  it("answers a chat completion from the mock with usage", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/v1/chat/completions", postJson(chatBody("mock")));
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.content).toMatch(/mock model/);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it("passes unknown fields through untouched and addresses the upstream model id", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp(CATALOGUE, { litellm: upstream });
    const extra = {
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      response_format: { type: "json_object" },
      logprobs: true,
      something_new: { nested: [1, 2] },
      max_tokens: 10,
    };
    await app.request("/v1/chat/completions", postJson(chatBody("fast", extra)));
    expect(upstream.calls).toHaveLength(1);
    expect(upstream.calls[0].body).toEqual({ ...chatBody("fast", extra), model: "gemini-flash" });
  });

  it("sends the client's bytes as they are when nothing changes", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp({ models: [{ name: "plain", upstream: "litellm" }] }, { litellm: upstream });
    const raw = '{"model":"plain",  "messages":[{"role":"user","content":"x"}],"seed":1.50}';
    await app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: raw });
    expect(Buffer.from(upstream.calls[0].call.body).toString("utf8")).toBe(raw);
  });

  it("puts the fields it adds in front of the client's bytes, and re-encodes only to change one the client sent", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp({ models: [{ name: "plain", upstream: "litellm" }] }, { litellm: upstream });
    const send = (body: string) => app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body });
    const raw = '{ "model":"plain",  "stream":true, "messages":[{"role":"user","content":"x"}],"seed":1.50}';
    await (await send(raw)).text();
    expect(Buffer.from(upstream.calls[0].call.body).toString("utf8")).toBe(`{"stream_options":{"include_usage":true},${raw.slice(1)}`);
    // The client's own stream_options must be merged: the body is encoded again.
    await (await send('{"model":"plain","stream":true,"stream_options":{},"messages":[{"role":"user","content":"x"}],"seed":1.50}')).text();
    expect(Buffer.from(upstream.calls[1].call.body).toString("utf8")).toBe(
      '{"model":"plain","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}],"seed":1.5}',
    );
  });

  it("keeps the upstream's response shape byte for byte", async () => {
    const answer =
      '{"id":"x","object":"chat.completion","vendor_field":{"a":1},"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}';
    const { app } = servedApp(CATALOGUE, { litellm: new RecordingUpstream("litellm", () => jsonResponse(200, answer)) });
    const response = await app.request("/v1/chat/completions", postJson(chatBody("fast")));
    expect(await response.text()).toBe(answer);
  });

  it("frames whole answers with Content-Length, not chunks: relayed bytes and the gateway's own (non-ASCII) envelopes", async () => {
    const answer = '{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}';
    const { app } = servedApp(CATALOGUE, { litellm: new RecordingUpstream("litellm", () => jsonResponse(200, answer)) });
    const relayed = await app.request("/v1/chat/completions", postJson(chatBody("fast")));
    expect(relayed.headers.get("content-length")).toBe(String(answer.length));
    expect(relayed.headers.get("transfer-encoding")).toBeNull();
    const refused = await app.request("/v1/chat/completions", postJson(chatBody("modèle-ünbekannt")));
    const text = await refused.text();
    expect(refused.status).toBe(404);
    expect(text).toContain("modèle-ünbekannt");
    expect(refused.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(refused.headers.get("transfer-encoding")).toBeNull();
  });

  it("answers embeddings", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/v1/embeddings", postJson({ model: "mock", input: ["a", "b"] }));
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body.data).toHaveLength(2);
    expect(body.data[0].embedding).toHaveLength(8);
  });

  it("reports liveness and readiness, and readiness false while draining", async () => {
    let ready = true;
    const { app } = servedApp(CATALOGUE, {}, { isReady: () => ready });
    expect((await app.request("/healthz")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
    ready = false;
    expect((await app.request("/readyz")).status).toBe(503);
    expect((await app.request("/healthz")).status).toBe(200);
  });
});

describe("request ids", () => {
  it("echoes a valid X-Request-ID and forwards it upstream", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp(CATALOGUE, { litellm: upstream });
    const response = await app.request("/v1/chat/completions", postJson(chatBody("fast"), { "x-request-id": "abc-123.def" }));
    expect(response.headers.get("x-request-id")).toBe("abc-123.def");
    expect(upstream.calls[0].call.requestId).toBe("abc-123.def");
  });

  it("replaces an invalid one with a fresh id", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/healthz", { headers: { "x-request-id": "bad id with spaces <script>" } });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("client errors", () => {
  it("400 on malformed JSON", async () => {
    const { app } = servedApp(CATALOGUE);
    const error = await errorOf(
      await app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
    );
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", code: "invalid_json" });
  });

  it("415 on a wrong content type", async () => {
    const { app } = servedApp(CATALOGUE);
    const error = await errorOf(await app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }));
    expect(error).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(error.message).toMatch(/text\/plain/);
  });

  it("413 on a body over the limit, declared or streamed", async () => {
    const { app } = servedApp(CATALOGUE, {}, { bodyLimitBytes: 100 });
    const big = JSON.stringify(chatBody("mock", { padding: "x".repeat(200) }));
    expect(
      (await errorOf(await app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: big })))
        .status,
    ).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const response = await app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await errorOf(response)).status).toBe(413);
  });

  it("404 on an unknown model, naming the param", async () => {
    const { app } = servedApp(CATALOGUE);
    const error = await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("gpt-9"))));
    expect(error).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
    expect(error.message).toMatch(/"gpt-9" does not exist/);
  });

  it.each([
    [{ model: "mock" }, "messages"],
    [{ model: "mock", messages: [] }, "messages"],
    [{ model: "mock", messages: [{ content: "x" }] }, "messages[0].role"],
    [{ messages: [{ role: "user", content: "x" }] }, "model"],
    [{ ...chatBody("mock"), stream: "yes" }, "stream"],
    [{ ...chatBody("mock"), max_tokens: -1 }, "max_tokens"],
    [{ ...chatBody("mock"), stream_options: "x" }, "stream_options"],
  ])("400 naming the invalid field (%j → %s)", async (body, param) => {
    const { app } = servedApp(CATALOGUE);
    const error = await errorOf(await app.request("/v1/chat/completions", postJson(body)));
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", code: "invalid_request", param });
  });

  it("400 on embeddings without input", async () => {
    const { app } = servedApp(CATALOGUE);
    expect(await errorOf(await app.request("/v1/embeddings", postJson({ model: "mock" })))).toMatchObject({ status: 400, param: "input" });
  });

  it("404 and 405 in the OpenAI envelope", async () => {
    const { app } = servedApp(CATALOGUE);
    expect(await errorOf(await app.request("/v2/nothing"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await app.request("/v1/chat/completions"))).toMatchObject({ status: 405, code: "method_not_allowed" });
  });

  it("refuses max_tokens above the model's cap and applies the cap when absent", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp(CATALOGUE, { litellm: upstream });
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("fast", { max_tokens: 5000 }))))).toMatchObject({
      status: 400,
      param: "max_tokens",
    });
    await app.request("/v1/chat/completions", postJson(chatBody("fast")));
    expect(upstream.calls.at(-1)!.body.max_tokens).toBe(1000);
  });
});

describe("tenants", () => {
  it("401 without a consumer identity when tenants are configured", async () => {
    const { app } = servedApp(TENANTS);
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("fast"))))).toMatchObject({
      status: 401,
      type: "authentication_error",
      code: "consumer_required",
    });
  });

  it("403 for a model the tenant may not use, and for an unknown consumer", async () => {
    const { app } = servedApp(TENANTS, { litellm: new RecordingUpstream("litellm") });
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("mock"), { "x-consumer-username": "team-a" })))).toMatchObject({
      status: 403,
      type: "permission_error",
      code: "model_not_allowed",
    });
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("fast"), { "x-consumer-username": "stranger" })))).toMatchObject(
      { status: 403 },
    );
    expect((await app.request("/v1/chat/completions", postJson(chatBody("fast"), { "x-consumer-username": "team-a" }))).status).toBe(200);
  });

  it("identifies the tenant by custom id when the username is not a tenant", async () => {
    const { app } = servedApp(TENANTS, { litellm: new RecordingUpstream("litellm") });
    expect((await app.request("/v1/chat/completions", postJson(chatBody("fast"), { "x-consumer-custom-id": "team-b" }))).status).toBe(200);
  });

  it("shows each tenant only its models", async () => {
    const { app } = servedApp(TENANTS);
    const body = (await (await app.request("/v1/models", { headers: { "x-consumer-username": "team-a" } })).json()) as any;
    expect(body.data.map((m: any) => m.id)).toEqual(["fast"]);
  });

  it("applies the tighter of the tenant's and the model's caps", async () => {
    const upstream = new RecordingUpstream("litellm");
    const { app } = servedApp(TENANTS, { litellm: upstream });
    await app.request("/v1/chat/completions", postJson(chatBody("fast"), { "x-consumer-username": "team-a" }));
    expect(upstream.calls[0].body.max_tokens).toBe(500);
  });
});

describe("upstream errors", () => {
  it("passes an upstream 4xx through in the envelope", async () => {
    const upstream = new RecordingUpstream("litellm", () =>
      jsonResponse(422, { error: { message: "bad tool schema", type: "invalid_request_error", param: "tools", code: "bad_tools" } }),
    );
    const { app } = servedApp(CATALOGUE, { litellm: upstream });
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("fast"))))).toEqual({
      status: 422,
      message: "bad tool schema",
      type: "invalid_request_error",
      param: "tools",
      code: "bad_tools",
    });
  });

  it("turns an upstream 500 with a non-JSON body into a 502 envelope", async () => {
    const upstream = new RecordingUpstream("litellm", () => jsonResponse(500, "<html>oops</html>"));
    const { app } = servedApp(CATALOGUE, { litellm: upstream });
    expect(await errorOf(await app.request("/v1/chat/completions", postJson(chatBody("fast"))))).toMatchObject({
      status: 502,
      type: "api_error",
      message: "upstream answered 500",
    });
  });
});

describe("metrics and logs", () => {
  it("counts requests by route template and records tokens and cost after the response", async () => {
    const { app, registry, logs } = servedApp(TENANTS, { litellm: new RecordingUpstream("litellm") });
    await app.request(
      "/v1/chat/completions",
      postJson(chatBody("fast"), { "x-consumer-username": "team-a", authorization: "Bearer sk-secret-token" }),
    );
    await settle();
    const text = await registry.metrics();
    expect(text).toMatch(/gateway_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="200"\} 1/);
    expect(text).toMatch(/gateway_tokens_total\{model="fast",tenant="team-a",kind="prompt"\} 3/);
    expect(text).toMatch(/gateway_tokens_total\{model="fast",tenant="team-a",kind="completion"\} 2/);
    // 3 prompt tokens at $2/M + 2 completion tokens at $10/M
    expect(text).toMatch(/gateway_cost_usd_total\{model="fast",tenant="team-a"\} 0\.000026/);
    const [line] = parseLogs(logs);
    expect(line).toMatchObject({
      msg: "request",
      route: "/v1/chat/completions",
      status: 200,
      tenant: "team-a",
      model: "fast",
      prompt_tokens: 3,
      completion_tokens: 2,
    });
    expect(JSON.stringify(logs)).not.toMatch(/sk-secret-token|Say hello/);
  });

  it("answers HEAD with the GET answer's head, and logs and counts it as HEAD", async () => {
    const { app, registry, logs } = servedApp(CATALOGUE);
    const get = await app.request("/v1/models");
    const head = await app.request("/v1/models", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
    expect(head.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await head.text()).toBe("");
    await settle();
    expect(parseLogs(logs).map((line) => line.method)).toEqual(["GET", "HEAD"]);
    expect(await registry.metrics()).toMatch(/gateway_http_requests_total\{route="\/v1\/models",method="HEAD",status="200"\} 1/);
  });

  it("logs and counts a call's cost as the decimal its prices give, not binary floating point's neighbour", async () => {
    const priced = { models: [{ name: "cheap", upstream: "litellm", prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } }] };
    const answer = '{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":13,"completion_tokens":16,"total_tokens":29}}';
    const { app, registry, logs } = servedApp(priced, { litellm: new RecordingUpstream("litellm", () => jsonResponse(200, answer)) });
    await app.request("/v1/chat/completions", postJson(chatBody("cheap")));
    await settle();
    // 13 x 0.3 + 16 x 2.5 = 43.9 millionths of a dollar; in doubles, 0.000043899999999999996.
    expect(parseLogs(logs)[0].cost_usd).toBe(0.0000439);
    expect(await registry.metrics()).toMatch(/gateway_cost_usd_total\{model="cheap",tenant="anonymous"\} 0\.0000439\n/);
  });

  it("labels unmatched paths with a fixed value, not the raw path", async () => {
    const { app, registry } = servedApp(CATALOGUE);
    await app.request("/random/user/input/123");
    await settle();
    expect(await registry.metrics()).toMatch(/gateway_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/);
  });

  it("logs prompts only when asked to", async () => {
    const { app, logs } = servedApp(CATALOGUE, {}, { logPrompts: true });
    await app.request("/v1/chat/completions", postJson(chatBody("mock")));
    await settle();
    expect(parseLogs(logs)[0].prompt).toEqual([{ role: "user", content: "Say hello" }]);
  });

  it("serves Prometheus text on /metrics of the metrics listener only, never on the API", async () => {
    const { app, registry } = servedApp(CATALOGUE);
    expect((await app.request("/metrics")).status).toBe(404);
    const metrics = await startMetricsServer(registry, 0, "127.0.0.1");
    try {
      const response = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/# TYPE gateway_http_requests_total counter/);
      const other = await fetch(`http://127.0.0.1:${metrics.port}/v1/models`);
      expect(other.status).toBe(404);
      // The security headers every answer carries, this port's refusals included.
      expect(other.headers.get("x-content-type-options")).toBe("nosniff");
      expect(other.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(((await other.json()) as any).error.code).toBe("not_found");
    } finally {
      metrics.server.close();
    }
  });
});
