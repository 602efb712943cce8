import { once } from "node:events";
import { Command, type Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { type BudgetPolicy, Budgets, costMicroUsd, inputTokenBound, periodOf, type Prices } from "../../src/governance/budgets.js";
import { Governor, type Ticket } from "../../src/governance/governor.js";
import { createRedis } from "../../src/governance/redis.js";
import { eventually, useTestRedis } from "../support/redis.js";

const clients = useTestRedis();

const free = { inputPerMillionTokens: 0, outputPerMillionTokens: 0 };
const flash = { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 };
let tenantSeq = 0;
const newTenant = () => `t${++tenantSeq}-${Date.now()}`;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

interface Call {
  readonly tenant: string;
  readonly keyId?: string;
  /** The prompt's bound (the body's bytes), at least 1. */
  readonly inputTokens: number;
  readonly maxOutputTokens: number;
  readonly prices: Prices;
}

/** A replica's budgets, as the governor runs them, with the budget's own view of each decision. */
async function budgets(policy: BudgetPolicy, now = () => NOW, options: { redis?: Redis; onStoreError?: "open" | "closed" } = {}) {
  const redis = options.redis ?? (await clients.connect());
  const governor = new Governor({ budgets: new Budgets(redis, () => policy, { onStoreError: options.onStoreError }) }, now);
  return {
    governor,
    async reserve(call: Call) {
      const judged = await governor.judge({ ...call, bodyBytes: call.inputTokens });
      if (judged.ok) return { ok: true as const, ticket: judged.ticket };
      return "budget" in judged ? { ok: false as const, ...judged.budget } : judged;
    },
    settle(ticket: Ticket, usage: { inputTokens: number; outputTokens: number; prices: Prices } | undefined) {
      governor.finish(ticket, usage);
      return governor.written();
    },
  };
}

/** The hash of a tenant's counter (beside it, its zset of leases). */
async function counterKey(redis: Redis, tenant: string, counter: string): Promise<string> {
  const keys = await redis.keys(`gw:budget:{${tenant}}:t:${counter}:*`);
  return keys.find((key) => !key.endsWith(":leases"))!;
}

async function settledOf(tenant: string, counter: string): Promise<number> {
  const redis = await clients.connect();
  return Number(await redis.hget(await counterKey(redis, tenant, counter), "settled"));
}

describe("budget periods", () => {
  it("are UTC days and months, and reset at the next one", () => {
    expect(periodOf(Date.UTC(2026, 11, 31, 23, 59, 59), "day")).toEqual({ id: "2026-12-31", resetAt: Date.UTC(2027, 0, 1) });
    expect(periodOf(Date.UTC(2026, 11, 31, 23, 59, 59), "month")).toEqual({ id: "2026-12", resetAt: Date.UTC(2027, 0, 1) });
    expect(periodOf(Date.UTC(2026, 1, 3), "month")).toEqual({ id: "2026-02", resetAt: Date.UTC(2026, 2, 1) });
  });

  it("price a call in whole millionths of a dollar, rounding up", () => {
    expect(costMicroUsd(1000, 500, flash)).toBe(1550);
    expect(costMicroUsd(1, 0, flash)).toBe(1);
    expect(costMicroUsd(3, 0, { inputPerMillionTokens: 0.1, outputPerMillionTokens: 0 })).toBe(1);
    expect(costMicroUsd(700, 0, { inputPerMillionTokens: 0.07, outputPerMillionTokens: 0 })).toBe(49);
    expect(inputTokenBound(0)).toBe(1);
    expect(inputTokenBound(2048)).toBe(2048);
  });
});

describe("reserving and settling", () => {
  it("refuses a call whose worst case would pass the budget, with the period's reset time", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 1000 } });
    const first = await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 500, prices: free });
    expect(first.ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 500, prices: free })).toEqual({
      ok: false,
      reason: "budget_exceeded",
      scope: "tenant",
      unit: "tokens",
      period: "day",
      limit: 1000,
      used: 600,
      resetAt: Date.UTC(2026, 11, 2),
    });
  });

  it("settling to the actual usage gives back what the call did not use", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 1000 } });
    const first = await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 500, prices: free });
    if (!first.ok) throw new Error("expected a reservation");
    await b.settle(first.ticket, { inputTokens: 80, outputTokens: 20, prices: free });
    expect((await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 800, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, used: 1000 });
  });

  it("counts a call's usage once, however often it is settled", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerMonth: 1000 } });
    const r = await b.reserve({ tenant, inputTokens: 10, maxOutputTokens: 10, prices: free });
    if (!r.ok) throw new Error("expected a reservation");
    await b.settle(r.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    await b.settle(r.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await b.reserve({ tenant, inputTokens: 701, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, period: "month", used: 300 });
  });

  it("counts usage once when the store runs the same exchange twice (a reply lost, the command sent again)", async () => {
    const tenant = newTenant();
    const redis = await clients.connect();
    // Every script call runs twice in the store, in order; the replica sees the second answer.
    let repeated = 0;
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command: Command) => {
      if (command.name === "evalsha" || command.name === "eval") {
        repeated += 1;
        (send(new Command(command.name, command.args)) as Promise<unknown>).catch(() => {});
      }
      return send(command);
    }) as typeof redis.sendCommand;
    const b = await budgets({ tenant: { tokensPerDay: 10_000 } }, () => NOW, { redis });
    for (let i = 0; i < 3; i++) {
      const r = await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 100, prices: free });
      if (!r.ok) throw new Error("expected a reservation");
      await b.settle(r.ticket, { inputTokens: 100, outputTokens: 50, prices: free });
    }
    expect(repeated).toBeGreaterThanOrEqual(3);
    expect(await settledOf(tenant, "tokens")).toBe(450);
    await b.governor.close(2_000);
    expect(await redis.hget(await counterKey(redis, tenant, "tokens"), "reserved")).toBe("0");
  });

  it("keeps one field per replica in the store, whatever the traffic, and nothing held once the replica lets go", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 1e12, usdPerDay: 1e6 }, perKey: { usdPerMonth: 1e6 } });
    const calls = 2000;
    for (let batch = 0; batch < calls / 200; batch++) {
      await Promise.all(
        Array.from({ length: 200 }, async () => {
          const r = await b.reserve({ tenant, keyId: "aaaa", inputTokens: 10, maxOutputTokens: 10, prices: flash });
          if (!r.ok) throw new Error("expected a reservation");
          await b.settle(r.ticket, { inputTokens: 5, outputTokens: 5, prices: flash });
        }),
      );
    }
    expect(await b.governor.close(2_000)).toBe(0);
    const redis = await clients.connect();
    // One hash per counter, and no zset of leases once none holds anything: 3 keys.
    const keys = (await redis.keys(`gw:budget:{${tenant}}:*`)).sort();
    expect(keys).toHaveLength(3);
    const { reserved, settled, ...leases } = await redis.hgetall(keys.find((key) => key.includes(":t:tokens:day:"))!);
    expect({ reserved, settled }).toEqual({ reserved: "0", settled: String(calls * 10) });
    // The replica's lease: holding nothing, and all of its usage written.
    expect(Object.entries(leases)).toEqual([[expect.stringMatching(/^l:/), `0 ${calls * 10}`]]);
  });

  it("releases the lease of a replica that stopped renewing it after 2 minutes, and counts its late usage once", async () => {
    const tenant = newTenant();
    const clock = { now: NOW };
    const policy = { tenant: { tokensPerDay: 1000 } };
    const dead = await budgets(policy, () => clock.now);
    const alive = await budgets(policy, () => clock.now);
    const held = await dead.reserve({ tenant, inputTokens: 1, maxOutputTokens: 599, prices: free });
    if (!held.ok) throw new Error("expected a reservation");
    clock.now += 120_000 - 1;
    expect(await alive.reserve({ tenant, inputTokens: 1, maxOutputTokens: 499, prices: free })).toMatchObject({ ok: false, used: 600 });
    clock.now += 1;
    expect((await alive.reserve({ tenant, inputTokens: 1, maxOutputTokens: 499, prices: free })).ok).toBe(true);
    // The replica comes back: its call used 300, counted once; it holds again only what fits beside the live one's 500.
    await dead.settle(held.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    await dead.settle(held.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await settledOf(tenant, "tokens")).toBe(300);
    expect(await alive.reserve({ tenant, inputTokens: 1, maxOutputTokens: 200, prices: free })).toMatchObject({ ok: false });
    const redis = await clients.connect();
    const counts = await redis.hmget(await counterKey(redis, tenant, "tokens"), "settled", "reserved");
    expect(Number(counts[0]) + Number(counts[1])).toBeLessThanOrEqual(1000);
  });

  it("gives a replica's unused share back after a second without calls, so other replicas can spend it", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 1_000_000 } });
    for (let i = 0; i < 5; i++) {
      const r = await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 100, prices: free });
      if (!r.ok) throw new Error("expected a reservation");
      await b.settle(r.ticket, { inputTokens: 100, outputTokens: 50, prices: free });
    }
    const redis = await clients.connect();
    const key = await counterKey(redis, tenant, "tokens");
    const reserved = async () => Number(await redis.hget(key, "reserved"));
    // The share this replica holds beyond its calls: reserved in the store, nothing in flight.
    expect(await reserved()).toBeGreaterThan(0);
    await eventually(async () => (await reserved()) === 0, 3_000, 50);
    expect(await settledOf(tenant, "tokens")).toBe(5 * 150);
  });

  it("a call admitted while the store was down (failed open) is counted once when the store is back", async () => {
    const tenant = newTenant();
    const redis = await clients.connect();
    const b = await budgets({ tenant: { tokensPerDay: 1000 } }, () => NOW, { redis, onStoreError: "open" });
    redis.disconnect();
    await once(redis, "end");
    const admitted = await b.reserve({ tenant, inputTokens: 10, maxOutputTokens: 10, prices: free });
    if (!admitted.ok) throw new Error("expected an admission");
    await redis.connect();
    await b.settle(admitted.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    await b.settle(admitted.ticket, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await b.reserve({ tenant, inputTokens: 701, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, used: 300 });
  });

  it("refuses with 503 while the store is down when the budget fails closed, holding nothing", async () => {
    const tenant = newTenant();
    const redis = await clients.connect();
    const b = await budgets({ tenant: { tokensPerDay: 1000 } }, () => NOW, { redis });
    redis.disconnect();
    await once(redis, "end");
    expect(await b.reserve({ tenant, inputTokens: 10, maxOutputTokens: 10, prices: free })).toEqual({ ok: false, unavailable: "budgets" });
  });

  it("enforces USD budgets from the model's prices", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { usdPerMonth: 0.01 } });
    // 1000 in + 3000 out at flash prices = 0.0003 + 0.0075 = 0.0078 USD
    const r = await b.reserve({ tenant, inputTokens: 1000, maxOutputTokens: 3000, prices: flash });
    expect(r.ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 1000, maxOutputTokens: 3000, prices: flash })).toMatchObject({
      ok: false,
      unit: "usd",
      limit: 0.01,
      used: 0.0078,
      resetAt: Date.UTC(2027, 0, 1),
    });
  });

  it("takes a USD budget to the exact millionth (2.01 is not 2.009999)", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { usdPerDay: 2.01 } });
    const perMillion = { inputPerMillionTokens: 1, outputPerMillionTokens: 0 };
    expect((await b.reserve({ tenant, inputTokens: 2_010_000, maxOutputTokens: 0, prices: perMillion })).ok).toBe(true);
  });

  it("a key's own budget stops that key while the tenant's other keys go on", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 10_000 }, perKey: { tokensPerDay: 100 } });
    expect((await b.reserve({ tenant, keyId: "aaaa", inputTokens: 50, maxOutputTokens: 50, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, keyId: "aaaa", inputTokens: 1, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, scope: "key" });
    expect((await b.reserve({ tenant, keyId: "bbbb", inputTokens: 50, maxOutputTokens: 50, prices: free })).ok).toBe(true);
  });

  it("counts a call after midnight UTC against the new day, and the month's budget across it", async () => {
    const tenant = newTenant();
    let now = Date.UTC(2026, 11, 1, 23, 59, 59, 999);
    const b = await budgets({ tenant: { tokensPerDay: 1000, tokensPerMonth: 1500 } }, () => now);
    expect((await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 999, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, period: "day" });
    now += 1;
    expect((await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 499, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 0, prices: free })).toMatchObject({
      ok: false,
      period: "month",
      used: 1500,
      resetAt: Date.UTC(2027, 0, 1),
    });
  });

  it("reports settled spend against each budget of the current periods, for the dashboard", async () => {
    const tenant = newTenant();
    const policy = { tenant: { usdPerDay: 1, tokensPerMonth: 10_000 } };
    const b = await budgets(policy);
    const part = new Budgets(await clients.connect(), () => policy);
    const r = await b.reserve({ tenant, inputTokens: 1000, maxOutputTokens: 1000, prices: flash });
    if (!r.ok) throw new Error("expected a reservation");
    expect(await part.spent(tenant, NOW)).toEqual([
      { unit: "usd", period: "day", limit: 1, settled: 0 },
      { unit: "tokens", period: "month", limit: 10_000, settled: 0 },
    ]);
    await b.settle(r.ticket, { inputTokens: 1000, outputTokens: 200, prices: flash });
    expect(await part.spent(tenant, NOW)).toEqual([
      { unit: "usd", period: "day", limit: 1, settled: 0.0008 },
      { unit: "tokens", period: "month", limit: 10_000, settled: 1200 },
    ]);
  });

  it("a tenant without budgets is admitted without asking the store", async () => {
    const unreachable = createRedis({ url: "rediss://127.0.0.1:1" });
    unreachable.on("error", () => {});
    try {
      const b = await budgets({}, () => NOW, { redis: unreachable });
      expect(await b.reserve({ tenant: "anyone", inputTokens: 1, maxOutputTokens: 1, prices: free })).toMatchObject({ ok: true });
    } finally {
      unreachable.disconnect();
    }
  });
});
