import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodOf } from "../../src/governance/budgets.js";
import { KeyStore } from "../../src/governance/keys.js";
import { completion, FakeUpstream, json, streamChunks } from "../support/fake-upstream.js";
import { chatBody, parseLogs, postJson, startTestGateway, stringPrototypeFast, stringPrototypeProbe, type TestGateway } from "../support/harness.js";
import { eventually, redisClients, startRedis, type TestRedis } from "../support/redis.js";

/**
 * Governance in the request path of the compiled server (its own process, as the image runs it),
 * against a real redis-server with TLS and AUTH and a fake LiteLLM that records what reached it.
 */
const prices = { inputPerMillionTokens: 1_000, outputPerMillionTokens: 2_000 };
const catalogue = {
  models: [
    { name: "m", upstream: "litellm", prices, limits: { maxOutputTokens: 100 } },
    { name: "primary", upstream: "litellm", fallbacks: ["fb"], prices: { inputPerMillionTokens: 1, outputPerMillionTokens: 1 } },
    { name: "fb", upstream: "litellm", prices },
  ],
  tenants: [
    { name: "keyed", models: ["*"], apiKeys: true, limits: { tokensPerMinute: 1_000_000 }, budgets: { tokensPerDay: 1_000_000 } },
    { name: "jwt-only", models: ["*"] },
    { name: "tight", models: ["*"], budgets: { tokensPerDay: 300 } },
    { name: "rpm", models: ["*"], limits: { requestsPerMinute: 1 } },
    { name: "usd", models: ["*"], budgets: { usdPerDay: 100 } },
    { name: "streamer", models: ["*"], budgets: { tokensPerDay: 1_000_000 } },
    { name: "uncapped", models: ["*"], budgets: { tokensPerDay: 1_000_000 } },
  ],
};

/** What Kong's jwt plugin sends for a request it let through as its anonymous consumer (tenancy.ts cites the source). */
const withKey = (key: string) => ({ "x-anonymous-consumer": "true", "x-consumer-username": "anonymous", authorization: `Bearer ${key}` });
const asTenant = (tenant: string) => ({ "x-consumer-username": tenant });

let redis: TestRedis;
const litellm = new FakeUpstream();
let gw: TestGateway;
const clients = redisClients(() => redis.settings);
let store: KeyStore;
let admin: Redis;
let litellmUrl: string;

function governedEnv(litellmUrl: string): Record<string, string> {
  return {
    LITELLM_BASE_URL: litellmUrl,
    GOVERNANCE_REDIS_URL: redis.url,
    GOVERNANCE_REDIS_AUTH: redis.password,
    GOVERNANCE_REDIS_CA_FILE: redis.caFile,
    // Production's 250 ms is missed by a loopback Redis on an overloaded CI machine; outages here are kills, which fail at once.
    GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: "3000",
  };
}

beforeAll(async () => {
  redis = await startRedis();
  litellmUrl = await litellm.start();
  gw = await startTestGateway(governedEnv(litellmUrl), catalogue);
  admin = await clients.connect();
  store = new KeyStore(admin);
}, 120_000);

afterAll(async () => {
  await gw?.gateway.shutdown();
  clients.closeAll();
  await litellm.stop();
  await redis?.stop();
});

async function settled(tenant: string, unit: "tokens" | "usd"): Promise<number> {
  return Number((await admin.hget(`gw:budget:{${tenant}}:t:${unit}:day:${periodOf(Date.now(), "day").id}`, "settled")) ?? 0);
}

const chat = (body: unknown, headers: Record<string, string>) => fetch(`${gw.url}/v1/chat/completions`, postJson(body, headers));

describe("start-up", () => {
  it("refuses to start when a tenant has API keys, limits or budgets and no governance store is configured", async () => {
    await expect(startTestGateway({ LITELLM_BASE_URL: "http://127.0.0.1:9" }, catalogue)).rejects.toThrow(
      /GOVERNANCE_REDIS_URL: required, tenant "keyed" has apiKeys, limits, budgets/,
    );
  });
});

describe("API-key callers", () => {
  it("are resolved to their tenant and key id; the key reaches neither LiteLLM, the log line nor /metrics", async () => {
    const issued = await store.issue("keyed");
    litellm.reset();
    const response = await chat(chatBody("m", { max_tokens: 50 }), withKey(issued.key));
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-policy")).toBe('"tokens";q=1000000;w=60;qu="tokens"');
    expect(response.headers.get("ratelimit")).toMatch(/^"tokens";r=99\d{4};t=1$/);
    // Kong's rate-limiting plugin sets these in front of us (and would not replace ours): they stay Kong's.
    for (const kongs of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]) expect(response.headers.get(kongs)).toBeNull();
    expect(litellm.received).toHaveLength(1);
    const sent = litellm.received[0];
    expect(JSON.stringify(sent.headers)).not.toContain("sk-gw-");
    expect(sent.rawBody).not.toContain("sk-gw-");
    // No LITELLM_API_KEY here: an Authorization reaching LiteLLM could only be the caller's.
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body.user).toBe("keyed");
    const lineOf = () => parseLogs(gw.logs).find((l) => l.msg === "request" && l.key_id === issued.id);
    await eventually(() => lineOf() !== undefined);
    const line = lineOf();
    expect(line).toMatchObject({ tenant: "keyed", key_id: issued.id, status: 200 });
    expect(gw.logs.join("\n")).not.toContain(issued.key);
    expect(await (await fetch(gw.metricsUrl)).text()).not.toContain(issued.key);
  });

  it("with a malformed key get 401 invalid_api_key naming the header, and no upstream call", async () => {
    litellm.reset();
    const response = await chat(chatBody("m"), withKey("sk-gw-not-a-key"));
    expect(response.status).toBe(401);
    const { error } = await response.json();
    expect(error).toMatchObject({ code: "invalid_api_key", type: "authentication_error" });
    expect(error.message).toMatch(/Authorization header/);
    expect(litellm.received).toHaveLength(0);
  });

  it("without any credential get 401, and a revoked key 401 invalid_api_key", async () => {
    const bare = await chat(chatBody("m"), { "x-anonymous-consumer": "true", "x-consumer-username": "anonymous" });
    expect(bare.status).toBe(401);
    const issued = await store.issue("keyed");
    expect((await chat(chatBody("m"), withKey(issued.key))).status).toBe(200);
    await store.revoke("keyed", issued.id);
    await eventually(async () => (await chat(chatBody("m"), withKey(issued.key))).status === 401, 5_000);
    const { error } = await (await chat(chatBody("m"), withKey(issued.key))).json();
    expect(error).toMatchObject({ code: "invalid_api_key", message: `API key ${issued.id} has been revoked` });
  });

  it("are refused when the key's tenant does not authenticate with API keys", async () => {
    const issued = await store.issue("jwt-only");
    litellm.reset();
    const response = await chat(chatBody("m"), withKey(issued.key));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("invalid_api_key");
    expect(litellm.received).toHaveLength(0);
  });

  it("list and retrieve the models of their key's tenant, and are refused /v1/models without a valid key", async () => {
    const issued = await store.issue("keyed");
    const models = (path: string, headers: Record<string, string>) => fetch(`${gw.url}${path}`, { headers });
    const listed = await models("/v1/models", withKey(issued.key));
    expect(listed.status).toBe(200);
    expect((await listed.json()).data.map((m: { id: string }) => m.id)).toEqual(["m", "primary", "fb"]);
    expect((await models("/v1/models/fb", withKey(issued.key))).status).toBe(200);
    const bare = await models("/v1/models", { "x-anonymous-consumer": "true", "x-consumer-username": "anonymous" });
    expect(bare.status).toBe(401);
    expect((await bare.json()).error.code).toBe("consumer_required");
    expect((await models("/v1/models", withKey("sk-gw-not-a-key"))).status).toBe(401);
  });

  it("never take their tenant from the anonymous consumer's name", async () => {
    const response = await chat(chatBody("m"), { "x-anonymous-consumer": "true", "x-consumer-username": "keyed" });
    expect(response.status).toBe(401);
  });
});

describe("budgets in the request path", () => {
  it("refuse a call whose worst case exceeds the budget with 429 budget_exceeded and its reset time, before any upstream call", async () => {
    litellm.reset();
    const response = await chat(chatBody("m", { max_tokens: 100 }), asTenant("tight"));
    // The prompt bound (the body's bytes) plus 100 output tokens fit in 300 tokens.
    expect(response.status).toBe(200);
    await eventually(async () => (await settled("tight", "tokens")) === 18);
    const big = JSON.stringify(chatBody("m", { max_tokens: 100, messages: [{ role: "user", content: "x".repeat(200) }] }));
    const refused = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...asTenant("tight") },
      body: big,
    });
    expect(refused.status).toBe(429);
    const { error } = await refused.json();
    expect(error).toMatchObject({ code: "budget_exceeded", type: "insufficient_quota" });
    const reset = new Date(periodOf(Date.now(), "day").resetAt).toISOString();
    expect(refused.headers.get("x-budget-reset")).toBe(reset);
    expect(error.message).toContain(reset);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(litellm.received).toHaveLength(1);
  });

  it("settle a fallback at the prices of the model that served, and export spend against budget as gauges", async () => {
    litellm.reset();
    litellm.queue((_req, res) => json(res, 500, { error: { message: "boom" } }));
    const response = await chat(chatBody("primary", { max_tokens: 10 }), asTenant("usd"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-gateway-model")).toBe("fb");
    // 11 prompt and 7 completion tokens at fb's $1000 and $2000 per million: $0.025.
    await eventually(async () => (await settled("usd", "usd")) === 25_000);
    // The gauge follows the settle script's answer, which reaches this process just after Redis wrote it.
    const used = 'gateway_budget_used{tenant="usd",period="day",unit="usd"} 0.025';
    await eventually(async () => (await (await fetch(gw.metricsUrl)).text()).includes(used), 5_000);
    const metrics = await (await fetch(gw.metricsUrl)).text();
    expect(metrics).toContain(used);
    expect(metrics).toContain('gateway_budget_limit{tenant="usd",period="day",unit="usd"} 100');
  });

  it("settle a stream to its reported usage, and a stream the client abandoned to the reservation's worst case", async () => {
    litellm.reset();
    litellm.queue(streamChunks(["a", "b", "c"], { usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }));
    const whole = await chat(chatBody("m", { stream: true, max_tokens: 40 }), asTenant("streamer"));
    expect(whole.status).toBe(200);
    await whole.text();
    await eventually(async () => (await settled("streamer", "tokens")) === 12);

    litellm.queue(
      streamChunks(
        Array.from({ length: 50 }, () => "word"),
        { delayMs: 50 },
      ),
    );
    const body = JSON.stringify(chatBody("m", { stream: true, max_tokens: 40 }));
    const abort = new AbortController();
    const cut = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...asTenant("streamer") },
      body,
      signal: abort.signal,
    });
    const reader = cut.body!.getReader();
    await reader.read();
    abort.abort();
    // Usage unknown, the model ran: the worst case (body bytes bound the prompt, plus max_tokens) stays charged.
    await eventually(async () => (await settled("streamer", "tokens")) === 12 + Buffer.byteLength(body) + 40);
  });

  it("ask a budgeted call without max_tokens and without a cap to name max_tokens", async () => {
    litellm.reset();
    const response = await chat(chatBody("primary"), asTenant("uncapped"));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "invalid_request", param: "max_tokens" });
    expect(litellm.received).toHaveLength(0);
  });
});

describe("token rate limits in the request path", () => {
  it("refuse over the limit with 429 rate_limited, Retry-After and the RateLimit fields, before any upstream call", async () => {
    litellm.reset();
    const first = await chat(chatBody("m"), asTenant("rpm"));
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit")).toBe('"requests";r=0;t=60');
    const second = await chat(chatBody("m"), asTenant("rpm"));
    expect(second.status).toBe(429);
    expect((await second.json()).error).toMatchObject({ code: "rate_limited", type: "rate_limit_error" });
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(second.headers.get("ratelimit")).toMatch(/^"requests";r=0;t=(59|60)$/);
    expect(second.headers.get("ratelimit-policy")).toBe('"requests";q=1;w=60');
    expect(litellm.received).toHaveLength(1);
  });
});

describe("JSON answers", () => {
  it("settle to the answer's usage", async () => {
    litellm.reset();
    litellm.queue((req, res) => json(res, 200, completion(req.body.model, "hi", { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 })));
    const before = await settled("streamer", "tokens");
    expect((await chat(chatBody("m", { max_tokens: 30 }), asTenant("streamer"))).status).toBe(200);
    await eventually(async () => (await settled("streamer", "tokens")) === before + 25);
  });
});

describe("shutdown", () => {
  it("settles the last call before closing, and closes both of its store connections", async () => {
    const connections = async () =>
      String(await admin.client("LIST"))
        .trim()
        .split("\n").length;
    const before = await connections();
    const second = await startTestGateway(governedEnv(litellmUrl), catalogue);
    await eventually(async () => (await connections()) === before + 2);
    const spent = await settled("streamer", "tokens");
    litellm.reset();
    expect((await fetch(`${second.url}/v1/chat/completions`, postJson(chatBody("m", { max_tokens: 30 }), asTenant("streamer")))).status).toBe(200);
    expect(await second.gateway.shutdown()).toBe(0);
    expect(await settled("streamer", "tokens")).toBe(spent + 18);
    await eventually(async () => (await connections()) === before);
  });
});

describe("V8's fast paths", () => {
  // ioredis 6's `class VerbatimString extends String` puts String.prototype in dictionary mode,
  // which made every string method call in the request path a dictionary lookup (redis.ts).
  it("keep String.prototype in fast mode with the store connected and a key verified", async () => {
    const probed = await startTestGateway({ ...governedEnv(litellmUrl), ...stringPrototypeProbe() }, catalogue);
    try {
      const issued = await store.issue("keyed");
      litellm.reset();
      const answered = await fetch(`${probed.url}/v1/chat/completions`, postJson(chatBody("m", { max_tokens: 30 }), withKey(issued.key)));
      expect(answered.status).toBe(200);
      const reportsBefore = probed.errors().length;
      await eventually(() => stringPrototypeFast(probed.errors().slice(reportsBefore)) !== undefined);
      expect(stringPrototypeFast(probed.errors().slice(reportsBefore))).toBe(true);
    } finally {
      await probed.gateway.shutdown();
    }
  });
});
