import type { Redis } from "ioredis";

/**
 * Requests and tokens per minute per tenant, shared by every replica through Redis. Each limit is
 * a token bucket kept as GCRA (the generic cell rate algorithm): one number per bucket, the
 * theoretical arrival time (TAT), so a check is O(1) and exact at any rate. A bucket holds one
 * minute's allowance, so a tenant may burst up to its per-minute limit, then at the limit's pace.
 *
 * A call is charged its worst case in tokens (input bound + max_tokens, as OpenAI counts TPM)
 * when admitted, and corrected to the actual usage after it; a refusal charges nothing. The
 * store's side is in leases.ts, which charges a replica's lease like a call.
 */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export type LimitName = "requests" | "tokens";

/** Per limit: allowed 0/1, remaining units, ms until full, ms until the call fits. */
export type LimitReply = ReadonlyArray<readonly [number, number, number, number]>;

export interface ActiveLimit {
  readonly name: LimitName;
  readonly perMinute: number;
  /** The bucket's key in the store, in the tenant's hash slot. */
  readonly key: string;
  /** Milliseconds of the bucket one unit takes. */
  readonly interval: number;
  /** The RateLimit-Policy value of the tenant's limits (every one of them, this one included), made once. */
  readonly policyText: string;
}

/**
 * The two fields of draft-ietf-httpapi-ratelimit-headers-11 (sections 3 and 4): `RateLimit-Policy`
 * lists the tenant's quotas (`"tokens";q=100000;w=60;qu="tokens"`), `RateLimit` the one closest to
 * running out (`"tokens";r=4000;t=3`); plus Retry-After on a refusal. Not the older drafts'
 * RateLimit-Limit/-Remaining/-Reset: Kong's rate-limiting plugin sets those in front of us and
 * appends rather than replaces an upstream's (Kong/kong@3.9.1 kong/plugins/rate-limiting/handler.lua:188-204
 * sets them in the access phase; Kong/kong#14353), so a client would get each twice, with different numbers.
 */
// A type, not an interface, so that it is a Record<string, string> where one is wanted.
export type RateLimitHeaders = {
  readonly ratelimit: string;
  readonly "ratelimit-policy": string;
  readonly "retry-after"?: string;
};

export interface LimitRefusal {
  readonly reason: "rate_limited";
  readonly limit: LimitName;
  /** The limit's allowance, for the refusal's message. */
  readonly perMinute: number;
  readonly retryAfterSeconds: number;
  readonly headers: RateLimitHeaders;
  /** The request alone is larger than a minute's allowance: waiting will not help. */
  readonly tooLarge: boolean;
}

export const WINDOW_MS = 60_000;

export interface RateLimiterOptions {
  /** "open": admit while the store cannot answer (Kong's per-request limits still apply); "closed": refuse (503). @default "open" */
  readonly onStoreError?: "open" | "closed";
}

/** The limits part of governance: which buckets a call is charged on, and how their state reads. */
export class RateLimiter {
  readonly onStoreError: "open" | "closed";
  private readonly cache = new Map<string, { limits: RateLimits | undefined; active: readonly ActiveLimit[] }>();

  constructor(
    /** Shared with the other parts: the governor runs one script across them. */
    readonly redis: Redis,
    private readonly limitsOf: (tenant: string) => RateLimits | undefined,
    options: RateLimiterOptions = {},
  ) {
    this.onStoreError = options.onStoreError ?? "open";
  }

  /** The tenant's limits, built once per configuration. */
  activeLimits(tenant: string): readonly ActiveLimit[] {
    const limits = this.limitsOf(tenant);
    const cached = this.cache.get(tenant);
    if (cached && cached.limits === limits) return cached.active;
    const quotas: Array<Omit<ActiveLimit, "policyText">> = [];
    const add = (name: LimitName, perMinute: number | undefined) => {
      if (perMinute) quotas.push({ name, perMinute, key: `gw:limit:{${tenant}}:${name}`, interval: WINDOW_MS / perMinute });
    };
    add("requests", limits?.requestsPerMinute);
    add("tokens", limits?.tokensPerMinute);
    const policyText = quotas.map(policyItem).join(", ");
    const active: ActiveLimit[] = quotas.map((quota) => ({ ...quota, policyText }));
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(tenant, { limits, active });
    return active;
  }

  /**
   * The headers of an admission, or the refusal, from each bucket's state (`reply`, in the order of
   * `limits`) for a call of `tokens` worst case. The headers describe the limit closest to running
   * out, as the draft asks when several apply.
   */
  judge(
    limits: readonly ActiveLimit[],
    tokens: number,
    reply: LimitReply,
  ): { ok: true; headers: RateLimitHeaders } | { ok: false; refusal: LimitRefusal } {
    const allowed = reply.every(([ok]) => ok === 1);
    const tightest = allowed ? closestToRunningOut(limits, (i) => reply[i][1]) : reply.findIndex(([, , , wait]) => wait > 0);
    const [, remaining, resetMs, waitMs] = reply[tightest];
    const { name, perMinute } = limits[tightest];
    const headers = rateLimitHeaders(limits[tightest], remaining, resetMs);
    if (allowed) return { ok: true, headers };
    const tooLarge = (name === "requests" ? 1 : tokens) > perMinute;
    const retryAfterSeconds = tooLarge ? 60 : Math.max(1, Math.ceil(waitMs / 1000));
    return {
      ok: false,
      refusal: {
        reason: "rate_limited",
        limit: name,
        perMinute,
        retryAfterSeconds,
        tooLarge,
        headers: { ...headers, "retry-after": String(retryAfterSeconds) },
      },
    };
  }
}

/**
 * A quota policy item: the policy's name is the limit's. Requests are the draft's default unit;
 * model tokens have no entry in its quota-unit registry (section 10.3), so `qu="tokens"` names
 * them outright: a strict client ignores an item it cannot read rather than take tokens for requests.
 */
function policyItem(quota: { name: LimitName; perMinute: number }): string {
  return `"${quota.name}";q=${quota.perMinute};w=60${quota.name === "tokens" ? ';qu="tokens"' : ""}`;
}

/** The RateLimit fields of one limit, `remaining` units and `resetMs` until its bucket is full. */
export function rateLimitHeaders(limit: ActiveLimit, remaining: number, resetMs: number): RateLimitHeaders {
  return {
    ratelimit: `"${limit.name}";r=${remaining > 0 ? Math.floor(remaining) : 0};t=${resetMs > 0 ? Math.ceil(resetMs / 1000) : 0}`,
    "ratelimit-policy": limit.policyText,
  };
}

/**
 * The index of the limit with the smallest share of its allowance left (`remaining(i)` units of
 * limit i): the one the RateLimit-* headers describe when several apply, as the draft asks.
 */
export function closestToRunningOut(limits: readonly ActiveLimit[], remaining: (index: number) => number): number {
  let best = 0;
  for (let i = 1; i < limits.length; i++) if (remaining(i) / limits[i].perMinute < remaining(best) / limits[best].perMinute) best = i;
  return best;
}
