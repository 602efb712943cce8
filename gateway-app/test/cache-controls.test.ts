import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeUpstream } from "./support/fake-upstream.js";
import { postJson, servedApp, startTestGateway, type TestGateway } from "./support/harness.js";
import { jsonResponse, RecordingUpstream } from "./support/recording-upstream.js";

// What LiteLLM receives in the body's `cache` (LITELLM_FACTS.responseCache): its key ignores the caller,
// so the namespace is what keeps tenants apart, and in default_off mode no `cache` means not cached.
const CATALOGUE = {
  models: [
    { name: "chat", upstream: "litellm" },
    { name: "creative", upstream: "litellm", cacheSampledAnswers: true },
    { name: "embed", upstream: "litellm" },
    { name: "direct", upstream: "vertex" },
    { name: "chat-then-direct", upstream: "litellm", fallbacks: ["direct"] },
  ],
  tenants: [
    { name: "team-a", models: ["*"] },
    { name: "team-b", models: ["*"] },
  ],
  requireConsumer: true,
};
const CACHED_A = { "use-cache": true, namespace: "tenant:team-a" };
const chat = (extra: Record<string, unknown> = {}) => ({ model: "chat", messages: [{ role: "user", content: "hi" }], temperature: 0, ...extra });

const fake = new FakeUpstream();
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ LITELLM_BASE_URL: await fake.start(), VERTEX_BASE_URL: "http://127.0.0.1:9" }, CATALOGUE);
}, 60_000);
afterAll(async () => {
  await gateway?.gateway.shutdown();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function send(body: unknown, headers: Record<string, string> = {}, path = "/v1/chat/completions", tenant = "team-a") {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-consumer-username": tenant, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any, upstream: fake.received.map((r) => r.body) };
}

describe("LiteLLM's response cache, per tenant", () => {
  it("opts a deterministic request in under its tenant's namespace: the same prompt from two tenants has two keys", async () => {
    const a = await send(chat());
    const b = await send(chat(), {}, "/v1/chat/completions", "team-b");
    expect(a.status).toBe(200);
    expect(b.upstream.map((body) => body.cache)).toEqual([CACHED_A, { "use-cache": true, namespace: "tenant:team-b" }]);
  });

  it.each([
    ["temperature above 0", { temperature: 0.7 }],
    ["no temperature (the provider's default samples)", { temperature: undefined }],
    ["caching: false (LiteLLM's own opt-out)", { caching: false }],
    ["caching: false beside cache controls", { caching: false, cache: { "no-store": true } }],
  ])("leaves the cache out, lookup and write, for %s", async (_name, extra) => {
    const { upstream } = await send(chat(extra));
    expect(upstream[0]).not.toHaveProperty("cache");
    expect(upstream[0]).not.toHaveProperty("caching");
  });

  it("caches sampled answers of a model that opts in (cacheSampledAnswers)", async () => {
    const { upstream } = await send(chat({ model: "creative", temperature: 0.9 }));
    expect(upstream[0].cache).toEqual(CACHED_A);
  });

  it("leaves embeddings out, which LiteLLM in opt-in mode would store but never read back", async () => {
    const { upstream } = await send({ model: "embed", input: "hello", cache: { "no-store": true } }, {}, "/v1/embeddings");
    expect(upstream[0]).not.toHaveProperty("cache");
  });

  it.each([
    ["Cache-Control: no-cache", { "cache-control": "no-cache" }, {}, { "no-cache": true }],
    ["Cache-Control: No-Store, max-age=0", { "cache-control": "No-Store, max-age=0" }, {}, { "no-store": true }],
    ["cache.no-cache", {}, { cache: { "no-cache": true } }, { "no-cache": true }],
    ["cache.no-store and s-maxage", {}, { cache: { "no-store": true, "s-maxage": 60 } }, { "no-store": true, "s-maxage": 60 }],
  ])("honours %s", async (_name, headers, extra, expected) => {
    const { status, upstream } = await send(chat(extra), headers);
    expect(status).toBe(200);
    expect(upstream[0].cache).toEqual({ ...CACHED_A, ...expected });
  });

  it.each([
    ["cache.namespace", { cache: { namespace: "tenant:team-b" } }],
    ["cache.ttl", { cache: { ttl: 99_999_999 } }],
    ["cache.use-cache", { temperature: 1, cache: { "use-cache": true } }],
    ["cache_key", { cache_key: "tenant:team-b:0123abcd" }],
    ["metadata.redis_namespace", { metadata: { redis_namespace: "tenant:team-b" } }],
    ["cache.no-cache", { cache: { "no-cache": "yes" } }],
    ["caching", { caching: "off" }],
  ])("refuses a client's %s with a 400 naming it, and calls no model", async (field, extra) => {
    const { status, json, upstream } = await send(chat(extra));
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ type: "invalid_request_error", param: field });
    expect(upstream).toEqual([]);
  });
});

describe("a model served without LiteLLM", () => {
  it("gets no cache controls, which only LiteLLM reads", async () => {
    const vertex = new RecordingUpstream("vertex");
    const { app } = servedApp(CATALOGUE, { vertex });
    const response = await app.request(
      "/v1/chat/completions",
      postJson(
        { model: "direct", messages: [{ role: "user", content: "hi" }], cache: { "no-cache": true }, caching: false },
        {
          "x-consumer-username": "team-a",
        },
      ),
    );
    expect(response.status).toBe(200);
    expect(vertex.calls[0].body).not.toHaveProperty("cache");
    expect(vertex.calls[0].body).not.toHaveProperty("caching");
  });

  it("gets none as the fallback of a LiteLLM model whose own call carried them", async () => {
    const litellm = new RecordingUpstream("litellm", () => jsonResponse(500, { error: { message: "down" } }));
    const vertex = new RecordingUpstream("vertex");
    const { app } = servedApp(CATALOGUE, { litellm, vertex });
    const response = await app.request("/v1/chat/completions", postJson(chat({ model: "chat-then-direct" }), { "x-consumer-username": "team-a" }));
    expect(response.status).toBe(200);
    expect(litellm.calls[0].body.cache).toEqual(CACHED_A);
    expect(vertex.calls).toHaveLength(1);
    expect(vertex.calls[0].body).not.toHaveProperty("cache");
  });
});
