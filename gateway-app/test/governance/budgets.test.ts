import { describe, expect, it } from "vitest";
import { type BudgetPolicy, Budgets, costMicroUsd, inputTokenBound, periodOf } from "../../src/governance/budgets.js";
import { createRedis } from "../../src/governance/redis.js";
import { useTestRedis } from "../support/redis.js";

const clients = useTestRedis();

const free = { inputPerMillionTokens: 0, outputPerMillionTokens: 0 };
const flash = { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 };
let tenantSeq = 0;
const newTenant = () => `t${++tenantSeq}-${Date.now()}`;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

async function budgets(policy: BudgetPolicy, now = () => NOW) {
  return new Budgets(await clients.connect(), () => policy, { now });
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
    await b.settle(first.reservation, { inputTokens: 80, outputTokens: 20, prices: free });
    expect((await b.reserve({ tenant, inputTokens: 100, maxOutputTokens: 800, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 1, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, used: 1000 });
  });

  it("counts a settlement once even when it is sent twice", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerMonth: 1000 } });
    const r = await b.reserve({ tenant, inputTokens: 10, maxOutputTokens: 10, prices: free });
    if (!r.ok) throw new Error("expected a reservation");
    await b.settle(r.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    await b.settle(r.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await b.reserve({ tenant, inputTokens: 701, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, period: "month", used: 300 });
  });

  it("leaves nothing in the store per call once its settlement counted (no marker key per request)", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { tokensPerDay: 1e12, usdPerDay: 1e6 }, perKey: { usdPerMonth: 1e6 } });
    const calls = 2000;
    for (let batch = 0; batch < calls / 200; batch++) {
      await Promise.all(
        Array.from({ length: 200 }, async () => {
          const r = await b.reserve({ tenant, keyId: "aaaa", inputTokens: 10, maxOutputTokens: 10, prices: flash });
          if (!r.ok) throw new Error("expected a reservation");
          await b.settle(r.reservation, { inputTokens: 5, outputTokens: 5, prices: flash });
        }),
      );
    }
    const redis = await clients.connect();
    const keys = (await redis.keys(`gw:budget:{${tenant}}:*`)).sort();
    // One hash and one (empty, so absent) zset of open reservations per counter: 3 counters, whatever the traffic.
    expect(keys).toHaveLength(3);
    expect(keys.every((key) => !key.endsWith(":res") && !key.includes(":settled:"))).toBe(true);
    expect(await redis.hgetall(keys.find((key) => key.includes(":t:tokens:day:"))!)).toEqual({ reserved: "0", settled: String(calls * 10) });
  });

  it("a settlement arriving after its reservation was released as stale counts once, however often it is sent", async () => {
    const tenant = newTenant();
    let now = NOW;
    const b = await budgets({ tenant: { tokensPerDay: 1000 } }, () => now);
    const r = await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 600, prices: free });
    if (!r.ok) throw new Error("expected a reservation");
    now += 30 * 60_000;
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 100, prices: free })).ok).toBe(true);
    await b.settle(r.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    await b.settle(r.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await b.reserve({ tenant, inputTokens: 601, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, used: 400 });
  });

  it("a call admitted while the store was down (failed open) is counted once when its settlement is replayed", async () => {
    const tenant = newTenant();
    const b = new Budgets(await clients.connect(), () => ({ tenant: { tokensPerDay: 1000 } }), { now: () => NOW, onStoreError: "open" });
    const admitted = b.unavailable(b.plan({ tenant, inputTokens: 10, maxOutputTokens: 10, prices: free }));
    if (!admitted.ok) throw new Error("expected an admission");
    await b.settle(admitted.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    await b.settle(admitted.reservation, { inputTokens: 300, outputTokens: 0, prices: free });
    expect(await b.reserve({ tenant, inputTokens: 701, maxOutputTokens: 0, prices: free })).toMatchObject({ ok: false, used: 300 });
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
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1000, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1, prices: free })).toMatchObject({ ok: false, period: "day" });
    now += 1;
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 500, prices: free })).ok).toBe(true);
    expect(await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1, prices: free })).toMatchObject({
      ok: false,
      period: "month",
      used: 1500,
      resetAt: Date.UTC(2027, 0, 1),
    });
  });

  it("a reservation whose process died is released after 30 minutes", async () => {
    const tenant = newTenant();
    let now = NOW;
    const b = await budgets({ tenant: { tokensPerDay: 1000 } }, () => now);
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1000, prices: free })).ok).toBe(true);
    now += 30 * 60_000 - 1;
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1, prices: free })).ok).toBe(false);
    now += 1;
    expect((await b.reserve({ tenant, inputTokens: 0, maxOutputTokens: 1000, prices: free })).ok).toBe(true);
  });

  it("reports settled spend against each budget of the current periods, for the dashboard", async () => {
    const tenant = newTenant();
    const b = await budgets({ tenant: { usdPerDay: 1, tokensPerMonth: 10_000 } });
    const r = await b.reserve({ tenant, inputTokens: 1000, maxOutputTokens: 1000, prices: flash });
    if (!r.ok) throw new Error("expected a reservation");
    expect(await b.spent(tenant)).toEqual([
      { unit: "usd", period: "day", limit: 1, settled: 0 },
      { unit: "tokens", period: "month", limit: 10_000, settled: 0 },
    ]);
    await b.settle(r.reservation, { inputTokens: 1000, outputTokens: 200, prices: flash });
    expect(await b.spent(tenant)).toEqual([
      { unit: "usd", period: "day", limit: 1, settled: 0.0008 },
      { unit: "tokens", period: "month", limit: 10_000, settled: 1200 },
    ]);
  });

  it("a tenant without budgets is admitted without asking the store", async () => {
    const unreachable = createRedis({ url: "rediss://127.0.0.1:1" });
    unreachable.on("error", () => {});
    try {
      const b = new Budgets(unreachable, () => undefined);
      expect(await b.reserve({ tenant: "anyone", inputTokens: 1, maxOutputTokens: 1, prices: free })).toMatchObject({ ok: true });
    } finally {
      unreachable.disconnect();
    }
  });
});
