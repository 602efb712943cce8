import { beforeAll, describe, expect, it } from "vitest";
import { stickyPoint } from "../src/governance/variants.js";
import { MockUpstream } from "../src/upstream/mock.js";
import { bufferedResponse, type Upstream, type UpstreamCall } from "../src/upstream/types.js";
import { chatBody, compiledGateway, parseLogs, postJson, servedApp, settle } from "./support/harness.js";

// Weighted routing (A/B) against the compiled app, served over real HTTP.
const MODELS = [
  { name: "flash", upstream: "litellm", fallbacks: ["lite"], prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } },
  { name: "pro", upstream: "litellm", fallbacks: ["flash"], prices: { inputPerMillionTokens: 1.25, outputPerMillionTokens: 10 } },
  { name: "lite", upstream: "litellm", prices: { inputPerMillionTokens: 0.1, outputPerMillionTokens: 0.4 } },
];
const split = (sticky?: unknown) => ({
  name: "chat",
  variants: [
    { model: "flash", weight: 70 },
    { model: "pro", weight: 30 },
  ],
  ...(sticky ? { sticky } : {}),
});

/**
 * LiteLLM as the models answer it: the mock's answer after `delayMs(model)`, or `failing(model)`'s
 * status when it returns one; counts calls per model.
 */
function litellm(failing: (model: string) => number | undefined = () => undefined, delayMs: (model: string) => number = () => 0) {
  const mock = new MockUpstream();
  const calls: Record<string, number> = {};
  const upstream: Upstream = {
    name: "litellm",
    send: async (call: UpstreamCall) => {
      calls[call.model.name] = (calls[call.model.name] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs(call.model.name)));
      const status = failing(call.model.name);
      if (status)
        return bufferedResponse(status, { "content-type": "application/json", "retry-after": "0" }, Buffer.from('{"error":{"message":"down"}}'));
      return mock.send(call);
    },
  };
  return { upstream, calls };
}

/** A sticky key (header value or tenant) whose hash lands on the given arm of `split()`: [0, 70) is flash. */
function keyOnArm(arm: "flash" | "pro", prefix: string, kind: "h" | "t"): string {
  for (let i = 0; ; i++) {
    const point = stickyPoint("chat", `${kind}:${prefix}${i}`);
    if (point < 70 === (arm === "flash")) return `${prefix}${i}`;
  }
}

const served = (response: Response) => response.headers.get("x-gateway-model");

// Compiling takes seconds on a busy machine: once, before the tests' own clocks start.
beforeAll(() => void compiledGateway(), 120_000);

describe("weighted routing on the compiled server", () => {
  it("splits 1,000 requests 70/30 within ±5 points (3.4 standard deviations of a binomial draw)", async () => {
    const { upstream } = litellm();
    const { app, registry, logs } = servedApp({ models: MODELS, weightedModels: [split()] }, { litellm: upstream });
    const counts: Record<string, number> = {};
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => app.request("/v1/chat/completions", postJson(chatBody("chat")))));
      for (const response of answers) {
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        counts[served(response)!] = (counts[served(response)!] ?? 0) + 1;
      }
    }
    expect(counts.flash + counts.pro).toBe(1000);
    expect(counts.pro).toBeGreaterThanOrEqual(250);
    expect(counts.pro).toBeLessThanOrEqual(350);
    await settle();
    const lines = parseLogs(logs).filter((l) => l.route === "/v1/chat/completions");
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toMatchObject({ model: "chat", variant: lines[0].served_by, variant_by: "random" });
    const text = await registry.metrics();
    expect(text).toContain(`gateway_http_requests_total{route="/v1/chat/completions",method="POST",status="200",variant="pro"} ${counts.pro}`);
    expect(text).toMatch(/gateway_tokens_total\{model="flash",tenant="anonymous",variant="flash",kind="prompt"\} [1-9]/);
    expect(text).toMatch(/gateway_cost_usd_total\{model="pro",tenant="anonymous",variant="pro"\} [0-9.e-]+/);
    expect(text).toMatch(/gateway_http_request_duration_seconds_count\{route="\/v1\/chat\/completions",method="POST",status="200",variant="flash"\}/);
  }, 90_000);

  it("keeps each tenant on one arm when sticky is 'tenant', and spreads tenants over both", async () => {
    const tenants = Array.from({ length: 40 }, (_, i) => ({ name: `t${i}`, models: ["chat"] }));
    const { upstream } = litellm();
    const { app } = servedApp({ models: MODELS, weightedModels: [split("tenant")], tenants }, { litellm: upstream });
    const arms = new Set<string>();
    for (const { name } of tenants) {
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const response = await app.request("/v1/chat/completions", postJson(chatBody("chat"), { "x-consumer-username": name }));
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        seen.add(served(response)!);
      }
      expect([...seen], name).toHaveLength(1);
      arms.add([...seen][0]);
    }
    expect([...arms].sort()).toEqual(["flash", "pro"]);
  });

  it("keeps a session on one arm by its header, and never logs or labels the header's value", async () => {
    const { upstream } = litellm();
    const { app, logs, registry } = servedApp({ models: MODELS, weightedModels: [split({ header: "X-Session-Id" })] }, { litellm: upstream });
    const session = keyOnArm("pro", "secret-session-", "h");
    for (let i = 0; i < 10; i++) {
      const response = await app.request("/v1/chat/completions", postJson(chatBody("chat"), { "x-session-id": session }));
      expect(served(response)).toBe("pro");
      await response.arrayBuffer();
    }
    await settle();
    expect(parseLogs(logs).filter((l) => l.route === "/v1/chat/completions")[0]).toMatchObject({ variant: "pro", variant_by: "header" });
    expect(logs.join("\n")).not.toContain("secret-session");
    expect(await registry.metrics()).not.toContain("secret-session");
  });

  it("keeps the variant label's values to the arms, whatever the callers send (bounded cardinality)", async () => {
    const { upstream } = litellm();
    const { app, registry } = servedApp({ models: MODELS, weightedModels: [split({ header: "x-session-id" })] }, { litellm: upstream });
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) =>
        (await app.request("/v1/chat/completions", postJson(chatBody("chat"), { "x-session-id": `s${i}` }))).arrayBuffer(),
      ),
    );
    await settle();
    const values = new Set([...(await registry.metrics()).matchAll(/variant="([^"]*)"/g)].map((m) => m[1]));
    expect([...values].sort()).toEqual(["flash", "pro"]);
  });

  it("serves a failing arm along its own chain, retried once in gateway-app's tier; the label stays the arm", async () => {
    const { upstream, calls } = litellm((model) => (model === "flash" ? 503 : undefined));
    const { app, logs, registry } = servedApp({ models: MODELS, weightedModels: [split({ header: "x-session-id" })] }, { litellm: upstream });
    const response = await app.request("/v1/chat/completions", postJson(chatBody("chat"), { "x-session-id": keyOnArm("flash", "s", "h") }));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    // flash's own fallback (lite), not pro's (flash) nor the other arm: 1 + UPSTREAM_MAX_RETRIES (2 in the harness) calls to flash.
    expect(served(response)).toBe("lite");
    expect(calls).toEqual({ flash: 3, lite: 1 });
    await settle();
    expect(parseLogs(logs).find((l) => l.route === "/v1/chat/completions")).toMatchObject({ model: "chat", served_by: "lite", variant: "flash" });
    const text = await registry.metrics();
    expect(text).toContain('gateway_fallbacks_total{model="flash",fallback="lite"} 1');
    expect(text).toMatch(/gateway_tokens_total\{model="lite",tenant="anonymous",variant="flash",kind="prompt"\}/);
  });

  it("lists the public name in /v1/models, to the tenants that may use it", async () => {
    const tenants = [
      { name: "ab", models: ["chat"] },
      { name: "plain", models: ["flash"] },
    ];
    const { app } = servedApp({ models: MODELS, weightedModels: [split()], tenants });
    const ids = async (tenant: string) =>
      ((await (await app.request("/v1/models", { headers: { "x-consumer-username": tenant } })).json()) as any).data.map((m: any) => m.id);
    expect(await ids("ab")).toEqual(["chat"]);
    expect(await ids("plain")).toEqual(["flash"]);
    expect((await app.request("/v1/models/chat", { headers: { "x-consumer-username": "ab" } })).status).toBe(200);
    expect((await app.request("/v1/models/chat", { headers: { "x-consumer-username": "plain" } })).status).toBe(404);
  });

  it("answers a client's bad input with a 4xx naming the field", async () => {
    const tenants = [{ name: "plain", models: ["flash"] }];
    const { upstream, calls } = litellm();
    const { app } = servedApp({ models: MODELS, weightedModels: [split({ header: "x-session-id" })], tenants }, { litellm: upstream });
    const ask = async (headers: Record<string, string>) => {
      const response = await app.request("/v1/chat/completions", postJson(chatBody("chat"), headers));
      return { status: response.status, error: ((await response.json()) as any).error };
    };
    expect(await ask({ "x-consumer-username": "plain" })).toMatchObject({ status: 403, error: { code: "model_not_allowed", param: "model" } });
    const { app: open } = servedApp({ models: MODELS, weightedModels: [split({ header: "x-session-id" })] }, { litellm: upstream });
    const long = await open.request("/v1/chat/completions", postJson(chatBody("chat"), { "x-session-id": "x".repeat(257) }));
    expect(long.status).toBe(400);
    expect(((await long.json()) as any).error).toMatchObject({ param: "x-session-id", message: expect.stringContaining("at most 256 characters") });
    expect(calls).toEqual({});
  });

  it("refuses at start-up a catalogue whose weights do not sum to 100 or name an unknown model", async () => {
    const { parseCatalogue } = await import("../src/config.js");
    const problems: string[] = [];
    const bad = {
      ...split(),
      variants: [
        { model: "flash", weight: 60 },
        { model: "gpt-9", weight: 30 },
      ],
    };
    expect(parseCatalogue({ models: MODELS, weightedModels: [bad] }, problems)).toBeUndefined();
    expect(problems).toEqual([
      'GATEWAY_CONFIG: weightedModels[0].variants[1].model: unknown model "gpt-9"; use a model\'s name',
      "GATEWAY_CONFIG: weightedModels[0].variants: weights sum to 90; make them sum to 100",
    ]);
  });

  it("cost-aware: moves traffic to the cheapest arm meeting the objective once both arms are measured", async () => {
    const cheap = {
      name: "chat-cheap",
      variants: [
        { model: "lite", weight: 50 },
        { model: "flash", weight: 50 },
      ],
      strategy: "cheapest-within-latency",
      latencyObjective: { p95Ms: 150, minSamples: 5, explorePercent: 20 },
    };
    // lite is the cheapest but misses the 150 ms objective (it takes 300 ms); flash meets it (a loaded machine has 150 ms of slack).
    const { upstream, calls } = litellm(undefined, (model) => (model === "lite" ? 300 : 0));
    const { app, logs } = servedApp({ models: MODELS, weightedModels: [cheap] }, { litellm: upstream });
    const ask = async () => {
      const response = await app.request("/v1/chat/completions", postJson(chatBody("chat-cheap")));
      await response.arrayBuffer();
      return served(response);
    };
    // No data yet: drawn by the weights; then 20% still are, so the slow arm gets measured too.
    for (let i = 0; i < 300 && ((calls.lite ?? 0) < 5 || (calls.flash ?? 0) < 5); i++) await ask();
    expect(calls.lite).toBeGreaterThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the p95 is refreshed at most once a second
    logs.length = 0;
    for (let i = 0; i < 40; i++) await ask();
    await settle();
    const lines = parseLogs(logs).filter((l) => l.model === "chat-cheap");
    const picked = lines.filter((l) => l.variant_by === "cheapest");
    // 80% of 40 expected; fewer than 20 has a chance of about one in a million.
    expect(picked.length).toBeGreaterThanOrEqual(20);
    expect(new Set(picked.map((l) => l.variant))).toEqual(new Set(["flash"]));
    expect(lines.filter((l) => l.variant_by !== "cheapest").every((l) => l.variant_by === "random")).toBe(true);
  }, 90_000);
});
