import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { Budgets } from "../../src/governance/budgets.js";
import { Governor, keyRefusal } from "../../src/governance/governor.js";
import { RateLimiter } from "../../src/governance/rate-limits.js";
import { useTestRedis } from "../support/redis.js";

const clients = useTestRedis();
const prices = { inputPerMillionTokens: 1, outputPerMillionTokens: 1 };
const NOW = Date.UTC(2026, 11, 1, 18, 0, 0);
let seq = 0;

/** Names of the commands the client sends from now on. */
function recordCommands(redis: Redis): string[] {
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string }) => {
    sent.push(command.name);
    return send(command as never);
  }) as typeof redis.sendCommand;
  return sent;
}

async function governor_(policy: { tokensPerDay?: number; requestsPerMinute?: number; tokensPerMinute?: number }) {
  const redis = await clients.connect();
  const budgets = new Budgets(redis, () => ({ tenant: { tokensPerDay: policy.tokensPerDay } }));
  const limiter = new RateLimiter(redis, () => policy);
  return { governor: new Governor({ budgets, limiter }, () => NOW), redis };
}

describe("admission", () => {
  it("reserves the budget and charges the limits in one round trip", async () => {
    const { governor, redis } = await governor_({ tokensPerDay: 10_000, requestsPerMinute: 10 });
    let writes = 0;
    const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const write = stream.write.bind(stream);
    stream.write = (...args: unknown[]) => {
      writes += 1;
      return write(...args);
    };
    const admission = await governor.admit({ tenant: `g${++seq}`, bodyBytes: 100, maxOutputTokens: 100, prices });
    expect(admission).toMatchObject({ ok: true, headers: { ratelimit: '"requests";r=9;t=6', "ratelimit-policy": '"requests";q=10;w=60' } });
    expect(writes).toBe(1);
  });

  it("maps an exhausted budget to 429 budget_exceeded with the reset time, and charges no limit", async () => {
    const tenant = `g${++seq}`;
    const { governor } = await governor_({ tokensPerDay: 150, requestsPerMinute: 1 });
    const refused = await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices });
    expect(refused).toEqual({
      ok: false,
      refusal: {
        status: 429,
        code: "budget_exceeded",
        type: "insufficient_quota",
        message:
          `Tenant "${tenant}" has used 0 tokens of its daily budget of 150 tokens; this request could exceed it. The budget resets at ` +
          `2026-12-02T00:00:00.000Z`,
        headers: { "retry-after": "21600", "x-budget-reset": "2026-12-02T00:00:00.000Z" },
      },
    });
    // The one request per minute was given back: a smaller call still fits.
    expect(await governor.admit({ tenant, bodyBytes: 50, maxOutputTokens: 50, prices })).toMatchObject({ ok: true });
  });

  it("maps a limit to 429 rate_limited and releases the budget it reserved", async () => {
    const tenant = `g${++seq}`;
    const { governor } = await governor_({ tokensPerDay: 400, requestsPerMinute: 1 });
    const first = await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices });
    expect(first.ok).toBe(true);
    const second = await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices });
    expect(second).toMatchObject({ ok: false, refusal: { status: 429, code: "rate_limited", headers: { "retry-after": "60" } } });
    if (!first.ok) return;
    governor.finish(first.ticket, { inputTokens: 100, outputTokens: 100, prices });
    await governor.written();
    // 200 settled + nothing left reserved by the refused call: 200 more fit.
    const { governor: later } = await governor_({ tokensPerDay: 400 });
    expect(await later.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices })).toMatchObject({ ok: true });
  });

  it("admits, and refuses on a limit, with one command to the store each (one script for budgets and limits)", async () => {
    const tenant = `g${++seq}`;
    const { governor, redis } = await governor_({ tokensPerDay: 10_000, requestsPerMinute: 1, tokensPerMinute: 5_000 });
    // The first call loads the script (EVALSHA, then EVAL on NOSCRIPT); count from the second tenant's calls.
    await governor.admit({ tenant: `${tenant}-warm`, bodyBytes: 10, maxOutputTokens: 10, prices });
    const sent = recordCommands(redis);
    expect((await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices })).ok).toBe(true);
    expect(sent).toEqual(["evalsha"]);
    sent.length = 0;
    expect(await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices })).toMatchObject({
      ok: false,
      refusal: { code: "rate_limited" },
    });
    // Nothing reserved by the refused call, so nothing to give back.
    expect(sent).toEqual(["evalsha"]);
  });

  it("admits a tenant's calls of one turn with one command, judging each in turn, and settles them with one command per part", async () => {
    const tenant = `g${++seq}`;
    const { governor, redis } = await governor_({ tokensPerDay: 1000, requestsPerMinute: 100 });
    await governor.admit({ tenant: `${tenant}-warm`, bodyBytes: 10, maxOutputTokens: 10, prices });
    const sent = recordCommands(redis);
    // 300 tokens' worst case each against 1000 a day: the first three fit, the last two would pass it.
    const admissions = await Promise.all(Array.from({ length: 5 }, () => governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 200, prices })));
    expect(sent).toEqual(["evalsha"]);
    expect(admissions.map((a) => (a.ok ? a.headers.ratelimit : a.refusal.code))).toEqual([
      '"requests";r=99;t=1',
      '"requests";r=98;t=2',
      '"requests";r=97;t=2',
      "budget_exceeded",
      "budget_exceeded",
    ]);
    expect(admissions.slice(3).map((a) => !a.ok && a.refusal.message)).toEqual([
      expect.stringContaining("has used 900 tokens"),
      expect.stringContaining("has used 900 tokens"),
    ]);
    sent.length = 0;
    const tickets = admissions.flatMap((a) => (a.ok ? [a.ticket] : []));
    for (const ticket of tickets) governor.finish(ticket, { inputTokens: 50, outputTokens: 50, prices });
    await governor.written();
    // One settle script for the three reservations (no token limit here, so no correction).
    expect(sent).toEqual(["evalsha"]);
    // 3 x 100 settled, nothing left reserved: 700 more fit, 701 do not.
    expect((await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 600, prices })).ok).toBe(true);
    const over = await governor.admit({ tenant, bodyBytes: 1, maxOutputTokens: 0, prices });
    expect(over).toMatchObject({ ok: false, refusal: { code: "budget_exceeded" } });
  });

  it("gives a call's unused tokens back to the replica's share, so the next calls use them without a command", async () => {
    const tenant = `g${++seq}`;
    const { governor, redis } = await governor_({ tokensPerMinute: 1000 });
    const admitted = await Promise.all(Array.from({ length: 4 }, () => governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 150, prices })));
    const sent = recordCommands(redis);
    for (const a of admitted) if (a.ok) governor.finish(a.ticket, { inputTokens: 10, outputTokens: 15, prices });
    await governor.written();
    // Charged 4 x 250, 4 x 225 back in the share: 900 fit at once, with no command, and 901 would not.
    expect((await governor.admit({ tenant, bodyBytes: 400, maxOutputTokens: 500, prices })).ok).toBe(true);
    expect(sent).toEqual([]);
    const over = await governor.admit({ tenant, bodyBytes: 1, maxOutputTokens: 0, prices });
    expect(over).toMatchObject({ ok: false, refusal: { code: "rate_limited" } });
    expect(sent).toEqual(["evalsha"]);
  });

  it("admits from the replica's lease without a command while it lasts, and asks for a share of about a second's calls", async () => {
    const tenant = `g${++seq}`;
    const { governor, redis } = await governor_({ tokensPerDay: 10_000_000, requestsPerMinute: 100_000 });
    const sent = recordCommands(redis);
    for (let i = 0; i < 200; i++) {
      const admission = await governor.admit({ tenant, bodyBytes: 100, maxOutputTokens: 100, prices });
      if (!admission.ok) throw new Error(admission.refusal.message);
      governor.finish(admission.ticket, { inputTokens: 100, outputTokens: 100, prices });
    }
    await governor.written();
    // Usage is written at most 100 ms after a call, many calls to a command; admissions ask when the share runs low.
    const client = await clients.connect();
    const day = (await client.keys(`gw:budget:{${tenant}}:t:tokens:day:*`)).find((key) => !key.endsWith(":leases"))!;
    expect(Number(await client.hget(day, "settled"))).toBe(200 * 200);
    expect(sent.every((name) => name === "evalsha")).toBe(true);
    expect(sent.length).toBeLessThan(20);
  });

  it("names a malformed, revoked or expired key without echoing it", () => {
    expect(keyRefusal({ ok: false, reason: "malformed" })).toMatchObject({
      status: 401,
      code: "invalid_api_key",
      message: expect.stringContaining("sk-gw-<id>_<secret>"),
    });
    expect(keyRefusal({ ok: false, reason: "revoked", keyId: "abcdefghij" }).message).toBe("API key abcdefghij has been revoked");
    expect(keyRefusal({ ok: false, reason: "store_unavailable", keyId: "abcdefghij" })).toMatchObject({
      status: 503,
      code: "governance_unavailable",
    });
  });
});
