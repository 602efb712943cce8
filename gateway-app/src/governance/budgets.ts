import { randomBytes } from "node:crypto";
import type { ClientContext, Redis, Result } from "ioredis";
import { TenantBatches } from "./batches.js";
import { isUnavailable } from "./redis.js";

/**
 * USD and token budgets per tenant (and per key), per UTC day and month, enforced atomically
 * across replicas in Redis. Before a call its worst case is reserved; after it, the reservation is
 * settled to the actual usage. A counter never admits a reservation that would take settled plus
 * reserved past the limit, so spend exceeds a budget by at most what one call uses beyond its
 * own reservation (nothing, when max_tokens is enforced upstream and input is bounded as below).
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

export interface CallEstimate {
  readonly tenant: string;
  readonly keyId?: string;
  /** Upper bound on prompt tokens; see `inputTokenBound`. */
  readonly inputTokens: number;
  /** The request's max_tokens after the gateway's caps. */
  readonly maxOutputTokens: number;
  readonly prices: Prices;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Prices of the model that served the call (a fallback may cost more or less). */
  readonly prices: Prices;
}

export type Unit = "usd" | "tokens";
export type Period = "day" | "month";

interface Counter {
  readonly key: string;
  readonly scope: "tenant" | "key";
  readonly unit: Unit;
  readonly period: Period;
  readonly limit: number;
  /** Epoch ms at which the counter's period ends; its hash lives a day longer. */
  readonly resetAt: number;
}

const ttlSeconds = (counter: Counter, now: number) => Math.ceil((counter.resetAt - now) / 1000) + 86_400;

/** A reservation before the store took it: its counters, amounts and deadline. */
export interface ReservationPlan {
  readonly id: string;
  readonly tenant: string;
  readonly now: number;
  readonly deadline: number;
  readonly counters: readonly Counter[];
  readonly amounts: readonly number[];
}

export interface Reservation {
  readonly id: string;
  readonly tenant: string;
  readonly counters: readonly Counter[];
  readonly amounts: readonly number[];
  /** True when the store could not be reached and the budget failed open: nothing to release. */
  readonly unreserved: boolean;
}

export type ReserveResult =
  | { readonly ok: true; readonly reservation: Reservation }
  | {
      readonly ok: false;
      readonly reason: "budget_exceeded";
      readonly scope: "tenant" | "key";
      readonly unit: Unit;
      readonly period: Period;
      /** In the unit: USD or tokens. */
      readonly limit: number;
      readonly used: number;
      /** Epoch ms at which the period starts again. */
      readonly resetAt: number;
    }
  | { readonly ok: false; readonly reason: "store_unavailable" };

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

function actualAmounts(counters: readonly Counter[], usage: Usage | undefined): number[] {
  const tokens = usage ? usage.inputTokens + usage.outputTokens : 0;
  const usd = usage ? costMicroUsd(usage.inputTokens, usage.outputTokens, usage.prices) : 0;
  return counters.map((c) => (c.unit === "usd" ? usd : tokens));
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

/** A reservation that outlives this is released by the next reserve on the counter (its process died). */
const RESERVATION_LIFETIME_MS = 30 * 60_000;
const SETTLED_MARKER_SECONDS = 24 * 3600;

/**
 * Lua that checks each budget counter, for RESERVE and for the combined admission
 * (governor.ts). Expects `nb` counters whose hash and zset of open reservations ("id|amount" by
 * deadline) are KEYS[kb+2i-1], KEYS[kb+2i], `now`, and `bargs`: the ARGV index before the first
 * counter's limit, amount, ttl. Leaves `settled` and `fresh` (the hash did not exist); returns
 * {0, counter index, used} when one would pass its limit. Only then are reservations older than
 * their deadline (their replica died) released, each noted in the counter's hash ("released:<id>")
 * so a settlement arriving later still counts once: a stale reservation matters only to a call it
 * would refuse, and sweeping on every call was a sixth of the script's Redis commands.
 */
export const BUDGET_CHECK_LUA = `
local settled, fresh = {}, {}
for i = 1, nb do
  local h, z = KEYS[kb + 2 * i - 1], KEYS[kb + 2 * i]
  local limit, amount = tonumber(ARGV[bargs + 3 * i - 2]), tonumber(ARGV[bargs + 3 * i - 1])
  local counts = redis.call('HMGET', h, 'settled', 'reserved')
  fresh[i] = not counts[1] and not counts[2]
  settled[i] = tonumber(counts[1]) or 0
  local reserved = tonumber(counts[2]) or 0
  if settled[i] + reserved + amount > limit then
    local stale = redis.call('ZRANGEBYSCORE', z, '-inf', now)
    if #stale > 0 then
      local released = 0
      for _, member in ipairs(stale) do
        released = released + tonumber(string.match(member, '|(%d+)$'))
        redis.call('HSET', h, 'released:' .. string.match(member, '^([^|]*)|'), 1)
      end
      reserved = redis.call('HINCRBY', h, 'reserved', -released)
      redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
    end
    if settled[i] + reserved + amount > limit then return {0, i, settled[i] + reserved} end
  end
end
`;

/**
 * Lua that reserves on every counter checked by BUDGET_CHECK_LUA (same variables, plus `id` and
 * `deadline`). A counter's hash gets its expiry when it is created; the zset of open reservations
 * on every reservation, since it vanishes whenever its last member is settled.
 */
export const BUDGET_APPLY_LUA = `
for i = 1, nb do
  local h, z = KEYS[kb + 2 * i - 1], KEYS[kb + 2 * i]
  local amount, ttl = tonumber(ARGV[bargs + 3 * i - 1]), ARGV[bargs + 3 * i]
  redis.call('HINCRBY', h, 'reserved', amount)
  if fresh[i] then redis.call('EXPIRE', h, ttl) end
  redis.call('ZADD', z, deadline, id .. '|' .. amount)
  redis.call('EXPIRE', z, ttl)
end
`;

// KEYS: per counter its hash and zset. ARGV: now, id, deadline, then per counter limit, amount, ttl.
// Returns {1, settled per counter before this call} or {0, counter index, used}.
const RESERVE = `
local now, id, deadline = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local nb, bargs, kb = #KEYS / 2, 3, 0
${BUDGET_CHECK_LUA}
${BUDGET_APPLY_LUA}
return {1, unpack(settled)}
`;

// Settlements of one tenant, in order. KEYS: per settlement its counters' hashes and zsets, then its settled marker.
// ARGV: marker ttl, number of settlements, then per settlement: id, 1 when the store holds the reservation (0: it
// failed open), its number of counters, then per counter reserved, actual, ttl.
// Idempotent: a retried settle counts once. A held reservation is its own marker, per counter: its open member
// (or its "released:<id>" note, once released as stale) is removed by the settle that counts it, so a settled call
// leaves nothing behind. Only a reservation that failed open, which has neither, writes the marker key.
// Returns per settlement {1, settled per counter after it}, or {0} when it was settled before.
const SETTLE = `
local markerTtl, count = ARGV[1], tonumber(ARGV[2])
local k, a, replies = 0, 2, {}
for s = 1, count do
  local id, held, n = ARGV[a + 1], ARGV[a + 2] == '1', tonumber(ARGV[a + 3])
  a = a + 3
  local reply = {0}
  if held or redis.call('SET', KEYS[k + 2 * n + 1], '1', 'NX', 'EX', markerTtl) then
    local settled, counted = {}, false
    for i = 1, n do
      local h, z = KEYS[k + 2 * i - 1], KEYS[k + 2 * i]
      local reserved, actual = ARGV[a + 3 * i - 2], tonumber(ARGV[a + 3 * i - 1])
      local open = not held
      if held and redis.call('ZREM', z, id .. '|' .. reserved) == 1 then
        redis.call('HINCRBY', h, 'reserved', -tonumber(reserved))
        open = true
      elseif held then
        open = redis.call('HDEL', h, 'released:' .. id) == 1
      end
      if open and actual > 0 then settled[i] = redis.call('HINCRBY', h, 'settled', actual)
      else settled[i] = tonumber(redis.call('HGET', h, 'settled')) or 0 end
      -- A held reservation's hash got its expiry when it was created; one that failed open may be creating it.
      if not held then redis.call('EXPIRE', h, ARGV[a + 3 * i]) end
      counted = counted or open
    end
    if counted then reply = {1, unpack(settled)} end
  end
  replies[s] = reply
  k, a = k + 2 * n + 1, a + 3 * n
end
return replies
`;

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    /** {1, settled per counter before this call} or {0, index of the counter over its limit, its settled + reserved}. */
    gwBudgetReserve(...args: Array<string | number>): Result<number[], Context>;
    gwBudgetSettle(...args: Array<string | number>): Result<number[][], Context>;
  }
}

export interface BudgetOptions {
  /** "closed": refuse calls (503) while the store cannot answer; "open": let them through, counted later. @default "closed" */
  readonly onStoreError?: "closed" | "open";
  /** Settlements kept in memory while the store is down, replayed when it is back. @default 100000 */
  readonly maxPendingSettlements?: number;
  readonly now?: () => number;
  /** Told about settlements that could not be kept (the pending queue overflowed). */
  readonly onLostSettlement?: (reservation: Reservation) => void;
  /**
   * Told what the store answered for a tenant's own budgets (not its keys') at each reservation and
   * settlement: settled spend and limit per budget, USD in dollars. Feeds the budget gauges.
   */
  readonly onReadings?: (tenant: string, readings: readonly BudgetReading[]) => void;
}

export interface BudgetReading {
  readonly unit: Unit;
  readonly period: Period;
  readonly limit: number;
  readonly settled: number;
}

interface PendingSettlement {
  readonly reservation: Reservation;
  readonly actual: readonly number[];
}

export class Budgets {
  private readonly onStoreError: "closed" | "open";
  private readonly maxPending: number;
  private readonly now: () => number;
  private readonly pending: PendingSettlement[] = [];
  private flushing: Promise<void> | undefined;
  private readonly settlements = new TenantBatches<PendingSettlement, boolean>((tenant, jobs) => this.send(tenant, jobs));
  /** Each tenant's and key's counters for the UTC day they were made on (keys name the day and month). */
  private readonly countersCache = new Map<string, { day: number; policy: BudgetPolicy; counters: Counter[] }>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    /** Shared with the other parts, so the governor can run one script across them. */
    readonly redis: Redis,
    private readonly policyOf: (tenant: string) => BudgetPolicy | undefined,
    private readonly options: BudgetOptions = {},
  ) {
    this.onStoreError = options.onStoreError ?? "closed";
    this.maxPending = options.maxPendingSettlements ?? 100_000;
    this.now = options.now ?? Date.now;
    redis.defineCommand("gwBudgetReserve", { lua: RESERVE });
    redis.defineCommand("gwBudgetSettle", { lua: SETTLE });
    redis.on("ready", () => void this.flush());
  }

  /** Settlements waiting for the store to come back. */
  get pendingSettlements(): number {
    return this.pending.length;
  }

  async reserve(call: CallEstimate): Promise<ReserveResult> {
    const plan = this.plan(call);
    if (plan.counters.length === 0) return this.accepted(plan, []);
    const { keys, args } = this.scriptInput(plan);
    let reply: number[];
    try {
      reply = await this.redis.gwBudgetReserve(keys.length, ...keys, plan.now, plan.id, plan.deadline, ...args);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return this.unavailable(plan);
    }
    return reply[0] === 1 ? this.accepted(plan, reply.slice(1)) : this.refused(plan, reply[1], reply[2]);
  }

  /** What a call would reserve, on which counters: no store access. */
  plan(call: CallEstimate): ReservationPlan {
    const now = this.now();
    const counters = this.countersFor(call.tenant, call.keyId, now);
    const tokens = call.inputTokens + call.maxOutputTokens;
    const usd = costMicroUsd(call.inputTokens, call.maxOutputTokens, call.prices);
    const amounts = counters.map((c) => (c.unit === "usd" ? usd : tokens));
    return { id: nextReservationId(), tenant: call.tenant, now, deadline: now + RESERVATION_LIFETIME_MS, counters, amounts };
  }

  /** KEYS and the per-counter ARGV of BUDGET_CHECK_LUA and BUDGET_APPLY_LUA for a plan. */
  scriptInput(plan: ReservationPlan): { keys: string[]; args: Array<string | number> } {
    return {
      keys: plan.counters.flatMap((c) => [c.key, `${c.key}:res`]),
      args: plan.counters.flatMap((c, i) => [c.limit, plan.amounts[i], ttlSeconds(c, plan.now)]),
    };
  }

  /** The store reserved the plan; `settled` is each counter's settled amount before it. */
  accepted(plan: ReservationPlan, settled: readonly number[]): ReserveResult {
    const { id, tenant, counters, amounts } = plan;
    if (counters.length === 0) return { ok: true, reservation: { id, tenant, counters, amounts: [], unreserved: true } };
    this.report(tenant, counters, settled);
    return { ok: true, reservation: { id, tenant, counters, amounts, unreserved: false } };
  }

  /** The store refused the plan: counter `index` (from 1) has `used` settled plus reserved. */
  refused(plan: ReservationPlan, index: number, used: number): ReserveResult {
    return this.exceeded(plan.counters[index - 1], used);
  }

  /** The store could not answer: refuse, or admit without a reservation, as configured. */
  unavailable(plan: ReservationPlan): ReserveResult {
    if (plan.counters.length === 0) return this.accepted(plan, []);
    if (this.onStoreError === "closed") return { ok: false, reason: "store_unavailable" };
    const { id, tenant, counters } = plan;
    return { ok: true, reservation: { id, tenant, counters, amounts: counters.map(() => 0), unreserved: true } };
  }

  /**
   * Turns the reservation into the call's actual usage (zero when no upstream call was made;
   * "reserved": the model may have run but its usage is unknown, so the worst case is kept).
   * Never throws: while the store is down the settlement waits in memory and is replayed.
   */
  async settle(reservation: Reservation, usage: Usage | "reserved" | undefined): Promise<void> {
    if (reservation.counters.length === 0) return;
    const actual = usage === "reserved" ? reservation.amounts : actualAmounts(reservation.counters, usage);
    const job = { reservation, actual };
    if (this.pending.length > 0 || !(await this.settlements.add(reservation.tenant, job))) this.enqueue(job);
  }

  /** Releases a reservation whose call was never made (refused by a limit, invalid, client gone). */
  release(reservation: Reservation): Promise<void> {
    return this.settle(reservation, undefined);
  }

  /** Replays the pending settlements in order; stops at the first the store does not take. */
  flush(): Promise<void> {
    // Cleared in a later microtask, after the assignment, even when there is nothing to send.
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const [sent] = await this.send(this.pending[0].reservation.tenant, [this.pending[0]]);
      if (!sent) return this.scheduleRetry();
      this.pending.shift();
    }
  }

  /** Stops the retry timer (shutdown). Pending settlements are lost with the process; the count is returned to be logged. */
  close(): number {
    clearTimeout(this.retryTimer);
    return this.pending.length;
  }

  /** One tenant's settlements in one command; per settlement, false when the store could not take it. */
  private async send(tenant: string, jobs: readonly PendingSettlement[]): Promise<boolean[]> {
    const keys: string[] = [];
    const args: Array<string | number> = [SETTLED_MARKER_SECONDS, jobs.length];
    const now = this.now();
    for (const { reservation, actual } of jobs) {
      const { counters, amounts, id } = reservation;
      for (const c of counters) keys.push(c.key, `${c.key}:res`);
      keys.push(`gw:budget:{${tenant}}:settled:${id}`);
      args.push(id, reservation.unreserved ? 0 : 1, counters.length);
      for (let i = 0; i < counters.length; i++) args.push(amounts[i], actual[i], ttlSeconds(counters[i], now));
    }
    let replies: number[][];
    try {
      replies = await this.redis.gwBudgetSettle(keys.length, ...keys, ...args);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return jobs.map(() => false);
    }
    // The last settlement counted carries the newest settled spend: one reading per command is enough for the gauges.
    for (let last = replies.length - 1; last >= 0; last--) {
      if (replies[last][0] !== 1) continue;
      this.report(tenant, jobs[last].reservation.counters, replies[last].slice(1));
      break;
    }
    return jobs.map(() => true);
  }

  /** `settled`: each counter's settled amount, as the store answered. */
  private report(tenant: string, counters: readonly Counter[], settled: readonly number[]): void {
    if (!this.options.onReadings) return;
    const readings: BudgetReading[] = [];
    counters.forEach((counter, i) => {
      if (counter.scope !== "tenant") return;
      const scale = counter.unit === "usd" ? 1_000_000 : 1;
      readings.push({ unit: counter.unit, period: counter.period, limit: counter.limit / scale, settled: Number(settled[i] ?? 0) / scale });
    });
    if (readings.length > 0) this.options.onReadings(tenant, readings);
  }

  private enqueue(job: PendingSettlement): void {
    if (this.pending.length >= this.maxPending) {
      const lost = this.pending.shift()!;
      this.options.onLostSettlement?.(lost.reservation);
    }
    this.pending.push(job);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, 1000);
    this.retryTimer.unref();
  }

  /**
   * Settled spend against each of a tenant's budgets in the current periods, for a gauge
   * (spend against budget on the dashboard, alerts at 80 % and 100 %). One round trip.
   */
  async spent(tenant: string): Promise<Array<{ unit: Unit; period: Period; limit: number; settled: number }>> {
    const counters = this.countersFor(tenant, undefined, this.now());
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
  private countersFor(tenant: string, keyId: string | undefined, now: number): Counter[] {
    const policy = this.policyOf(tenant);
    if (!policy) return [];
    const cacheKey = keyId === undefined ? tenant : `${tenant}\0${keyId}`;
    const day = Math.floor(now / 86_400_000);
    const cached = this.countersCache.get(cacheKey);
    if (cached && cached.day === day && cached.policy === policy) return cached.counters;
    if (this.countersCache.size >= MAX_CACHED_COUNTER_SETS) this.countersCache.clear();
    const counters = buildCounters(tenant, keyId, policy, now);
    this.countersCache.set(cacheKey, { day, policy, counters });
    return counters;
  }

  private exceeded(counter: Counter, used: number): ReserveResult {
    const scale = counter.unit === "usd" ? 1_000_000 : 1;
    return {
      ok: false,
      reason: "budget_exceeded",
      scope: counter.scope,
      unit: counter.unit,
      period: counter.period,
      limit: counter.limit / scale,
      used: used / scale,
      resetAt: counter.resetAt,
    };
  }
}

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

/**
 * Reservation ids: unique across replicas (a random prefix per process) and cheap (a counter),
 * since one is made per governed call. They name the call's open members and settled marker.
 */
const RESERVATION_ID_PREFIX = randomBytes(9).toString("base64url");
let reservationSeq = 0;
const nextReservationId = () => `${RESERVATION_ID_PREFIX}${(++reservationSeq).toString(36)}`;
