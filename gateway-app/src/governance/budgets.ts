import type { Redis } from "ioredis";

/**
 * USD and token budgets per tenant (and per key), per UTC day and month, enforced atomically
 * across replicas in Redis. Before a call its worst case is reserved; after it, the reservation is
 * settled to the actual usage. A counter never lets settled plus reserved pass its limit (a
 * replica's lease, leases.ts, is reserved like a call), so spend exceeds a budget by at most what
 * one call uses beyond its own reservation (nothing, when max_tokens is enforced upstream and
 * input is bounded as below).
 */
export interface BudgetLimits {
  readonly usdPerDay?: number;
  readonly usdPerMonth?: number;
  readonly tokensPerDay?: number;
  readonly tokensPerMonth?: number;
}

export interface BudgetPolicy {
  /** Shared by all of the tenant's callers. */
  readonly tenant?: BudgetLimits;
  /** Applied to each API key on its own, on top of the tenant's. @default - no per-key budget */
  readonly perKey?: BudgetLimits;
}

export interface Prices {
  readonly inputPerMillionTokens: number;
  readonly outputPerMillionTokens: number;
}

export type Unit = "usd" | "tokens";
export type Period = "day" | "month";

export interface Counter {
  readonly key: string;
  readonly scope: "tenant" | "key";
  readonly unit: Unit;
  readonly period: Period;
  readonly limit: number;
  /** Epoch ms at which the counter's period ends; its hash lives a day longer. */
  readonly resetAt: number;
}

/** A counter's hash (and its zset of leases) outlive the period by a day, for late settlements and the dashboard. */
export const ttlSeconds = (counter: Counter, now: number) => Math.ceil((counter.resetAt - now) / 1000) + 86_400;

/** Why a call was refused by a budget: the counter it would pass, and what that counter holds. */
export interface BudgetRefusal {
  readonly reason: "budget_exceeded";
  readonly scope: "tenant" | "key";
  readonly unit: Unit;
  readonly period: Period;
  /** In the unit: USD or tokens. */
  readonly limit: number;
  /** Settled plus held by calls in flight and by the replicas' leases, in the unit. */
  readonly used: number;
  /** Epoch ms at which the period starts again. */
  readonly resetAt: number;
}

/**
 * An upper bound on a prompt's tokens from its request body's size. Byte-level BPE and
 * SentencePiece with byte fallback never make a token out of less than one byte, and the JSON
 * around the messages is larger than the chat template's few tokens per message.
 */
export function inputTokenBound(bodyBytes: number): number {
  return Math.max(1, bodyBytes);
}

/** USD in millionths, as whole numbers, so Redis adds exactly. Prices are per million tokens. */
export function costMicroUsd(inputTokens: number, outputTokens: number, prices: Prices): number {
  // Rounds up, less a hair for binary floating point (700 × 0.07 is 49.00000000000001, not above 49).
  return Math.ceil(inputTokens * prices.inputPerMillionTokens + outputTokens * prices.outputPerMillionTokens - 1e-6);
}

export function periodOf(now: number, period: Period): { id: string; resetAt: number } {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const pad = (n: number) => String(n).padStart(2, "0");
  if (period === "month") return { id: `${year}-${pad(month + 1)}`, resetAt: Date.UTC(year, month + 1, 1) };
  const day = date.getUTCDate();
  return { id: `${year}-${pad(month + 1)}-${pad(day)}`, resetAt: Date.UTC(year, month, day + 1) };
}

const LIMIT_FIELDS: ReadonlyArray<{ field: keyof BudgetLimits; unit: Unit; period: Period }> = [
  { field: "usdPerDay", unit: "usd", period: "day" },
  { field: "usdPerMonth", unit: "usd", period: "month" },
  { field: "tokensPerDay", unit: "tokens", period: "day" },
  { field: "tokensPerMonth", unit: "tokens", period: "month" },
];

export interface BudgetOptions {
  /** "closed": refuse calls (503) while the store cannot answer; "open": let them through, counted later. @default "closed" */
  readonly onStoreError?: "closed" | "open";
  /**
   * Told what the store answered for a tenant's own budgets (not its keys') at each exchange with
   * it: settled spend and limit per budget, USD in dollars. Feeds the budget gauges.
   */
  readonly onReadings?: (tenant: string, readings: readonly BudgetReading[]) => void;
}

export interface BudgetReading {
  readonly unit: Unit;
  readonly period: Period;
  readonly limit: number;
  readonly settled: number;
}

/**
 * The budgets part of governance: which counters a call is charged on, and how a refusal and the
 * store's readings read. The governor (governor.ts) holds the leases and talks to the store.
 */
export class Budgets {
  readonly onStoreError: "closed" | "open";
  /** Per tenant, per key id ("" for none): the counters of the UTC day they were made on (keys name the day and month). */
  private readonly countersCache = new Map<string, Map<string, { policy: BudgetPolicy; counters: Counter[]; from: number; until: number }>>();

  constructor(
    /** Shared with the other parts: the governor runs one script across them. */
    readonly redis: Redis,
    private readonly policyOf: (tenant: string) => BudgetPolicy | undefined,
    private readonly options: BudgetOptions = {},
  ) {
    this.onStoreError = options.onStoreError ?? "closed";
  }

  /** `settled`: each counter's settled amount, as the store answered. */
  report(tenant: string, counters: readonly Counter[], settled: readonly number[]): void {
    if (!this.options.onReadings) return;
    const readings: BudgetReading[] = [];
    counters.forEach((counter, i) => {
      if (counter.scope !== "tenant") return;
      const scale = counter.unit === "usd" ? 1_000_000 : 1;
      readings.push({ unit: counter.unit, period: counter.period, limit: counter.limit / scale, settled: Number(settled[i] ?? 0) / scale });
    });
    if (readings.length > 0) this.options.onReadings(tenant, readings);
  }

  /**
   * Settled spend against each of a tenant's budgets in the current periods, for a gauge
   * (spend against budget on the dashboard, alerts at 80 % and 100 %). One round trip.
   */
  async spent(tenant: string, now = Date.now()): Promise<BudgetReading[]> {
    const counters = this.countersFor(tenant, undefined, now);
    if (counters.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const counter of counters) pipeline.hget(counter.key, "settled");
    const replies = (await pipeline.exec()) ?? [];
    return counters.map((counter, i) => {
      const scale = counter.unit === "usd" ? 1_000_000 : 1;
      return { unit: counter.unit, period: counter.period, limit: counter.limit / scale, settled: Number(replies[i]?.[1] ?? 0) / scale };
    });
  }

  /** Built once per tenant (and key) per UTC day: building them took a tenth of a governed request's allocations. */
  countersFor(tenant: string, keyId: string | undefined, now: number): readonly Counter[] {
    const policy = this.policyOf(tenant);
    if (!policy) return NO_COUNTERS;
    let perKey = this.countersCache.get(tenant);
    if (!perKey) {
      if (this.countersCache.size >= MAX_CACHED_COUNTER_SETS) this.countersCache.clear();
      perKey = new Map();
      this.countersCache.set(tenant, perKey);
    }
    const cached = perKey.get(keyId ?? "");
    if (cached && cached.policy === policy && now >= cached.from && now < cached.until) return cached.counters;
    if (perKey.size >= MAX_CACHED_COUNTER_SETS) perKey.clear();
    const from = now - (now % 86_400_000);
    const counters = buildCounters(tenant, keyId, policy, now);
    perKey.set(keyId ?? "", { policy, counters, from, until: from + 86_400_000 });
    return counters;
  }

  /** What a refusal on `counter` says; `used` is in the counter's own unit (USD millionths or tokens). */
  exceeded(counter: Counter, used: number): BudgetRefusal {
    const scale = counter.unit === "usd" ? 1_000_000 : 1;
    return {
      reason: "budget_exceeded",
      scope: counter.scope,
      unit: counter.unit,
      period: counter.period,
      limit: counter.limit / scale,
      used: Math.max(0, used) / scale,
      resetAt: counter.resetAt,
    };
  }
}

const NO_COUNTERS: readonly Counter[] = [];

function buildCounters(tenant: string, keyId: string | undefined, policy: BudgetPolicy, now: number): Counter[] {
  const scopes: Array<{ scope: Counter["scope"]; name: string; limits: BudgetLimits | undefined }> = [
    { scope: "tenant", name: "t", limits: policy.tenant },
  ];
  if (keyId) scopes.push({ scope: "key", name: `k:${keyId}`, limits: policy.perKey });
  const counters: Counter[] = [];
  for (const { scope, name, limits } of scopes) {
    for (const { field, unit, period } of LIMIT_FIELDS) {
      const limit = limits?.[field];
      if (limit === undefined) continue;
      const { id, resetAt } = periodOf(now, period);
      counters.push({
        // One hash slot per tenant ({tenant}), so a call's counters can be updated by one script in a cluster too.
        key: `gw:budget:{${tenant}}:${name}:${unit}:${period}:${id}`,
        scope,
        unit,
        period,
        limit: unit === "usd" ? Math.round(limit * 1_000_000) : Math.floor(limit),
        resetAt,
      });
    }
  }
  return counters;
}

const MAX_CACHED_COUNTER_SETS = 10_000;
