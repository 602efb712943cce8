import { describe, expect, it } from "vitest";
import { Governor, type Ticket } from "../../src/governance/governor.js";
import { RateLimiter, type RateLimits } from "../../src/governance/rate-limits.js";
import { useTestRedis } from "../support/redis.js";

const clients = useTestRedis();
let seq = 0;
const newTenant = () => `rl${++seq}-${Date.now()}`;
const prices = { inputPerMillionTokens: 0, outputPerMillionTokens: 0 };

/** A replica's limits, as the governor runs them: `admit` charges a call of `tokens` worst case (at least 1). */
async function limiter(limits: RateLimits, clock: { now: number }) {
  const governor = new Governor({ limiter: new RateLimiter(await clients.connect(), () => limits) }, () => clock.now);
  return {
    async admit(tenant: string, tokens: number) {
      const judged = await governor.judge({ tenant, bodyBytes: tokens, maxOutputTokens: 0, prices });
      if (judged.ok) return { ok: true as const, ticket: judged.ticket, headers: judged.headers };
      return "limit" in judged ? { ok: false as const, ...judged.limit } : judged;
    },
    settle(ticket: Ticket, tokens: number) {
      governor.finish(ticket, { inputTokens: tokens, outputTokens: 0, prices });
      return governor.written();
    },
  };
}

describe("requests per minute", () => {
  it("admits a minute's allowance at once, then refuses with Retry-After and the RateLimit fields", async () => {
    const clock = { now: 1_000_000 };
    const tenant = newTenant();
    const rl = await limiter({ requestsPerMinute: 3 }, clock);
    const first = await rl.admit(tenant, 0);
    expect(first).toMatchObject({
      ok: true,
      headers: { ratelimit: '"requests";r=2;t=20', "ratelimit-policy": '"requests";q=3;w=60' },
    });
    expect((await rl.admit(tenant, 0)).ok).toBe(true);
    expect((await rl.admit(tenant, 0)).ok).toBe(true);
    expect(await rl.admit(tenant, 0)).toEqual({
      ok: false,
      reason: "rate_limited",
      limit: "requests",
      perMinute: 3,
      retryAfterSeconds: 20,
      tooLarge: false,
      headers: { ratelimit: '"requests";r=0;t=60', "ratelimit-policy": '"requests";q=3;w=60', "retry-after": "20" },
    });
    clock.now += 19_999;
    expect((await rl.admit(tenant, 0)).ok).toBe(false);
    clock.now += 1;
    expect((await rl.admit(tenant, 0)).ok).toBe(true);
  });
});

describe("tokens per minute", () => {
  it("charges the worst case when admitted and gives back what the call did not use", async () => {
    const clock = { now: 2_000_000 };
    const tenant = newTenant();
    const rl = await limiter({ tokensPerMinute: 1000 }, clock);
    const first = await rl.admit(tenant, 1000);
    if (!first.ok) throw new Error("expected admission");
    expect(await rl.admit(tenant, 100)).toMatchObject({ ok: false, limit: "tokens", retryAfterSeconds: 6 });
    await rl.settle(first.ticket, 100);
    expect(await rl.admit(tenant, 900)).toMatchObject({ ok: true, headers: { ratelimit: '"tokens";r=0;t=60' } });
  });

  it("says when a request alone is larger than a minute's allowance", async () => {
    const rl = await limiter({ tokensPerMinute: 1000 }, { now: 3_000_000 });
    expect(await rl.admit(newTenant(), 1001)).toMatchObject({ ok: false, tooLarge: true, retryAfterSeconds: 60 });
  });

  it("charges no limit when another refuses the call", async () => {
    const clock = { now: 4_000_000 };
    const tenant = newTenant();
    const rl = await limiter({ requestsPerMinute: 1, tokensPerMinute: 1000 }, clock);
    expect(await rl.admit(tenant, 5000)).toMatchObject({ ok: false, limit: "tokens" });
    expect(await rl.admit(tenant, 10)).toMatchObject({ ok: true });
  });

  it("reports the limit closest to running out, and lists every limit as a policy, tokens in their own unit", async () => {
    const rl = await limiter({ requestsPerMinute: 100, tokensPerMinute: 1000 }, { now: 5_000_000 });
    expect(await rl.admit(newTenant(), 900)).toMatchObject({
      ok: true,
      headers: { ratelimit: '"tokens";r=100;t=54', "ratelimit-policy": '"requests";q=100;w=60, "tokens";q=1000;w=60;qu="tokens"' },
    });
  });
});
