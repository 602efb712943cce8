import type { ClientContext, Redis, Result } from "ioredis";
import { TenantBatches } from "./batches.js";
import { isUnavailable } from "./redis.js";

/**
 * Requests and tokens per minute per tenant, shared by every replica through Redis. Each limit is
 * a token bucket kept as GCRA (the generic cell rate algorithm): one number per bucket, the
 * theoretical arrival time (TAT), so a check is O(1) and exact at any rate. A bucket holds one
 * minute's allowance, so a tenant may burst up to its per-minute limit, then at the limit's pace.
 *
 * A call is charged its worst case in tokens (input bound + max_tokens, as OpenAI counts TPM)
 * when admitted, and corrected to the actual usage after it; a refusal charges nothing.
 */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export type LimitName = "requests" | "tokens";

/** Per limit: allowed 0/1, remaining units, ms until full, ms until the call fits. */
export type LimitReply = Array<[number, number, number, number]>;

/** A charge before the store took it: the tenant's active limits and each one's cost. */
export interface LimitPlan {
  readonly tenant: string;
  readonly tokens: number;
  readonly now: number;
  readonly limits: ReadonlyArray<{ readonly name: LimitName; readonly perMinute: number }>;
  readonly costs: readonly number[];
}

/** draft-ietf-httpapi-ratelimit-headers-07 fields (the RateLimit-* triple and its policy), plus Retry-After. */
export interface RateLimitHeaders {
  readonly "ratelimit-limit": string;
  readonly "ratelimit-remaining": string;
  readonly "ratelimit-reset": string;
  readonly "ratelimit-policy": string;
  readonly "retry-after"?: string;
}

export interface LimitCharge {
  readonly tenant: string;
  readonly tokens: number;
  /** False when the store was unreachable and the limit failed open: nothing to correct. */
  readonly charged: boolean;
}

export type LimitResult =
  | { readonly ok: true; readonly charge: LimitCharge; readonly headers?: RateLimitHeaders }
  | {
      readonly ok: false;
      readonly reason: "rate_limited";
      readonly limit: LimitName;
      readonly retryAfterSeconds: number;
      readonly headers: RateLimitHeaders;
      /** The request alone is larger than a minute's allowance: waiting will not help. */
      readonly tooLarge: boolean;
    }
  | { readonly ok: false; readonly reason: "store_unavailable" };

const WINDOW_MS = 60_000;

/**
 * Lua that checks each bucket, for ADMIT and for the combined admission (governor.ts). Expects
 * `nl` buckets at KEYS[lk + i], `now`, and `largs`: the ARGV index before the first limit's ms per
 * unit and cost. All or nothing: `fits` is true when every bucket takes its cost; `results` holds,
 * per limit, {allowed 0/1, remaining units, ms until full, ms until this call fits}, `tats` the new TATs.
 */
export const LIMIT_CHECK_LUA = `
local tau = ${WINDOW_MS}
local results, fits, tats = {}, true, {}
for i = 1, nl do
  local interval, cost = tonumber(ARGV[largs + 2 * i - 1]), tonumber(ARGV[largs + 2 * i])
  local tat = math.max(tonumber(redis.call('GET', KEYS[lk + i])) or now, now)
  local newTat = tat + cost * interval
  local waitMs = newTat - tau - now
  if waitMs > 0 then
    fits = false
    results[i] = {0, math.floor((tau - (tat - now)) / interval), math.ceil(tat - now), math.ceil(waitMs)}
  else
    results[i] = {1, math.floor((tau - (newTat - now)) / interval), math.ceil(newTat - now), 0}
  end
  tats[i] = newTat
end
if not fits then
  for i = 1, nl do results[i][1] = 0 end
end
`;

/** Lua that charges every bucket checked by LIMIT_CHECK_LUA (same variables). */
export const LIMIT_APPLY_LUA = `
for i = 1, nl do redis.call('SET', KEYS[lk + i], tostring(tats[i]), 'PX', math.max(1, math.ceil(tats[i] - now))) end
`;

// KEYS: one bucket per limit. ARGV: now, then per limit: ms per unit, cost.
const ADMIT = `
local now = tonumber(ARGV[1])
local nl, lk, largs = #KEYS, 0, 1
${LIMIT_CHECK_LUA}
if fits then
${LIMIT_APPLY_LUA}
end
return results
`;

// Corrections of one tenant's buckets, in order. KEYS: a bucket per correction. ARGV: now, then per correction ms per
// unit and units to add back (negative: charge more).
const ADJUST = `
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
  local interval, units = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  local newTat = math.max(now, tat - units * interval)
  if newTat <= now then redis.call('DEL', KEYS[i])
  else redis.call('SET', KEYS[i], tostring(newTat), 'PX', math.ceil(newTat - now)) end
end
return 0
`;

/** A bucket to correct after a call: ms per unit of its limit, and the units to give back. */
interface Correction {
  readonly name: LimitName;
  readonly interval: number;
  readonly units: number;
}

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    gwLimitAdmit(...args: Array<string | number>): Result<LimitReply, Context>;
    gwLimitAdjust(...args: Array<string | number>): Result<number, Context>;
  }
}

export interface RateLimiterOptions {
  /** "open": admit while the store cannot answer (Kong's per-request limits still apply); "closed": refuse (503). @default "open" */
  readonly onStoreError?: "open" | "closed";
  readonly now?: () => number;
}

const bucketKey = (tenant: string, limit: LimitName) => `gw:limit:{${tenant}}:${limit}`;

export class RateLimiter {
  private readonly onStoreError: "open" | "closed";
  private readonly now: () => number;
  private readonly corrections = new TenantBatches<Correction, void>((tenant, items) => this.sendCorrections(tenant, items));

  constructor(
    /** Shared with the other parts, so the governor can run one script across them. */
    readonly redis: Redis,
    private readonly limitsOf: (tenant: string) => RateLimits | undefined,
    options: RateLimiterOptions = {},
  ) {
    this.onStoreError = options.onStoreError ?? "open";
    this.now = options.now ?? Date.now;
    redis.defineCommand("gwLimitAdmit", { lua: ADMIT });
    redis.defineCommand("gwLimitAdjust", { lua: ADJUST });
  }

  async admit(tenant: string, tokens: number): Promise<LimitResult> {
    const plan = this.plan(tenant, tokens);
    if (plan.limits.length === 0) return this.unavailable(plan);
    const { keys, args } = this.scriptInput(plan);
    let reply: LimitReply;
    try {
      reply = await this.redis.gwLimitAdmit(keys.length, ...keys, plan.now, ...args);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return this.unavailable(plan);
    }
    return this.judge(plan, reply);
  }

  /** The buckets a call is charged on, and what: no store access. */
  plan(tenant: string, tokens: number): LimitPlan {
    const limits = this.activeLimits(tenant);
    return { tenant, tokens, now: this.now(), limits, costs: limits.map(({ name }) => (name === "requests" ? 1 : tokens)) };
  }

  /** KEYS and the per-limit ARGV of LIMIT_CHECK_LUA and LIMIT_APPLY_LUA for a plan. */
  scriptInput(plan: LimitPlan): { keys: string[]; args: Array<string | number> } {
    return {
      keys: plan.limits.map(({ name }) => bucketKey(plan.tenant, name)),
      args: plan.limits.flatMap(({ perMinute }, i) => [WINDOW_MS / perMinute, plan.costs[i]]),
    };
  }

  /** The store could not answer (or no limit applies): admit uncharged, or refuse, as configured. */
  unavailable(plan: LimitPlan): LimitResult {
    const charge = { tenant: plan.tenant, tokens: plan.tokens, charged: false };
    if (plan.limits.length === 0 || this.onStoreError === "open") return { ok: true, charge };
    return { ok: false, reason: "store_unavailable" };
  }

  /** The store's answer for each bucket, as LIMIT_CHECK_LUA leaves `results`. */
  judge(plan: LimitPlan, reply: LimitReply): LimitResult {
    const { limits, costs, tenant, tokens } = plan;
    if (limits.length === 0) return this.unavailable(plan);
    const allowed = reply.every(([ok]) => ok === 1);
    // Headers describe the limit closest to running out, as the draft asks when several apply.
    const tightest = allowed
      ? minIndex(reply.map(([, remaining], i) => remaining / limits[i].perMinute))
      : reply.findIndex(([, , , wait]) => wait > 0);
    const [, remaining, resetMs, waitMs] = reply[tightest];
    const { name, perMinute } = limits[tightest];
    const headers: RateLimitHeaders = {
      "ratelimit-limit": String(perMinute),
      "ratelimit-remaining": String(Math.max(0, remaining)),
      "ratelimit-reset": String(Math.ceil(resetMs / 1000)),
      "ratelimit-policy": `${perMinute};w=60`,
    };
    if (allowed) return { ok: true, charge: { tenant, tokens, charged: true }, headers };
    const tooLarge = costs[tightest] > perMinute;
    const retryAfterSeconds = tooLarge ? 60 : Math.max(1, Math.ceil(waitMs / 1000));
    return {
      ok: false,
      reason: "rate_limited",
      limit: name,
      retryAfterSeconds,
      tooLarge,
      headers: { ...headers, "retry-after": String(retryAfterSeconds) },
    };
  }

  /** After the call: gives back the tokens charged but not used (or charges those used beyond). Never throws. */
  settle(charge: LimitCharge, actualTokens: number): Promise<void> {
    return this.adjust(charge, "tokens", charge.tokens - actualTokens);
  }

  /** The call was refused elsewhere (a budget) and never made: gives back its request and its tokens. */
  async release(charge: LimitCharge): Promise<void> {
    await Promise.all([this.adjust(charge, "requests", 1), this.adjust(charge, "tokens", charge.tokens)]);
  }

  private async adjust(charge: LimitCharge, name: LimitName, units: number): Promise<void> {
    const perMinute = this.activeLimits(charge.tenant).find((l) => l.name === name)?.perMinute;
    if (!charge.charged || !perMinute || units === 0) return;
    await this.corrections.add(charge.tenant, { name, interval: WINDOW_MS / perMinute, units });
  }

  private async sendCorrections(tenant: string, items: readonly Correction[]): Promise<void[]> {
    const keys = items.map(({ name }) => bucketKey(tenant, name));
    try {
      await this.redis.gwLimitAdjust(keys.length, ...keys, this.now(), ...items.flatMap(({ interval, units }) => [interval, units]));
    } catch (error) {
      // A limit is a smoothing device, not an account: a correction lost in an outage is dropped.
      if (!isUnavailable(error)) throw error;
    }
    return items.map(() => undefined);
  }

  private activeLimits(tenant: string): Array<{ name: LimitName; perMinute: number }> {
    const limits = this.limitsOf(tenant);
    const active: Array<{ name: LimitName; perMinute: number }> = [];
    if (limits?.requestsPerMinute) active.push({ name: "requests", perMinute: limits.requestsPerMinute });
    if (limits?.tokensPerMinute) active.push({ name: "tokens", perMinute: limits.tokensPerMinute });
    return active;
  }
}

function minIndex(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}
