import type { BudgetRefusal, Budgets, Counter, Prices } from "./budgets.js";
import { costMicroUsd, inputTokenBound } from "./budgets.js";
import type { VerifyResult } from "./keys.js";
import { type CallCost, Leases, type LeaseTicket, type Route } from "./leases.js";
import { type ActiveLimit, type LimitRefusal, type LimitReply, type RateLimitHeaders, type RateLimiter, rateLimitHeaders } from "./rate-limits.js";

/**
 * What the request path calls: `admit` before the upstream call, `finish` after it (streams and
 * fallbacks included, with the model that served). Calls are admitted from the replica's leases
 * (leases.ts) without a round trip while they last; otherwise budgets and limits are checked by
 * one script, shared by the tenant's calls of the same turn. A refusal by one charges the other nothing.
 */
export interface AdmitRequest {
  readonly tenant: string;
  readonly keyId?: string;
  /** Size of the request body: the bound on its prompt tokens. */
  readonly bodyBytes: number;
  /** max_tokens after the gateway's caps. */
  readonly maxOutputTokens: number;
  /** Prices of the model asked for; settlement uses the prices of the one that served. */
  readonly prices: Prices;
}

/** A refusal in the gateway's error vocabulary; the app renders it in OpenAI's envelope. */
export interface Refusal {
  readonly status: 401 | 429 | 503;
  readonly code: "invalid_api_key" | "budget_exceeded" | "rate_limited" | "governance_unavailable";
  readonly type: "authentication_error" | "rate_limit_error" | "insufficient_quota" | "api_error";
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A call's hold on its tenant's budgets and limits; undefined when it holds nothing. */
export type Ticket = LeaseTicket | undefined;

export type Admission =
  | { readonly ok: true; readonly ticket: Ticket; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly refusal: Refusal };

export interface ActualUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly prices: Prices;
}

/** The decision on a call: its hold when admitted, or why it was refused, before that is put in the gateway's words. */
export type Judgement =
  | { readonly ok: true; readonly ticket: Ticket; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly budget: BudgetRefusal }
  | { readonly ok: false; readonly limit: LimitRefusal }
  | { readonly ok: false; readonly unavailable: "budgets" | "rate limits" };

export class Governor {
  private readonly leases: Leases | undefined;

  constructor(
    private readonly parts: { readonly budgets?: Budgets; readonly limiter?: RateLimiter },
    private readonly now: () => number = Date.now,
  ) {
    const { budgets, limiter } = parts;
    if (budgets && limiter && budgets.redis !== limiter.redis) throw new Error("Governor: budgets and limits must share one store client");
    const redis = budgets?.redis ?? limiter?.redis;
    this.leases =
      redis &&
      new Leases(redis, {
        now,
        onSettled: (tenant, counters, settled) => budgets?.report(tenant, counters, settled),
      });
  }

  /** Finished calls whose usage the store does not have yet (while it is unreachable, they wait in memory). */
  get pendingSettlements(): number {
    return this.leases?.pendingSettlements ?? 0;
  }

  /** Synchronous when the replica's leases cover the call (most calls): no promise to wait for. */
  admit(request: AdmitRequest): Admission | Promise<Admission> {
    const judged = this.judge(request);
    return judged instanceof Promise ? judged.then((j) => this.render(request, j)) : this.render(request, judged);
  }

  /** The decision on a call, and its hold on budgets and limits when admitted. */
  judge(request: AdmitRequest): Judgement | Promise<Judgement> {
    const { budgets, limiter } = this.parts;
    const counters = budgets?.countersFor(request.tenant, request.keyId, this.now()) ?? NO_COUNTERS;
    const limits = limiter?.activeLimits(request.tenant) ?? NO_LIMITS;
    if (!this.leases || (counters.length === 0 && limits.length === 0)) return UNGOVERNED;
    const route = this.leases.route(request.tenant, request.keyId, counters, limits);
    const cost = worstCase(request);
    const ticket = this.leases.admitLocally(route, cost);
    if (ticket) {
      const tightest = this.leases.tightestLimit(route);
      return { ok: true, ticket, headers: tightest ? rateLimitHeaders(tightest.limit, tightest.remaining, tightest.resetMs) : NO_HEADERS };
    }
    return this.leases.request(route, cost).then(({ outcome, ticket }): Judgement => {
      switch (outcome.kind) {
        case "admitted":
          return { ok: true, ticket, headers: this.headers(route, cost, outcome.limitReply) ?? NO_HEADERS };
        case "budget":
          return { ok: false, budget: budgets!.exceeded(counters[outcome.index], outcome.used) };
        case "limit": {
          const judged = limiter!.judge(limits, cost.tokens, outcome.reply);
          if (!judged.ok) return { ok: false, limit: judged.refusal };
          throw new Error("governance store refused a call on a limit that admits it");
        }
        case "unavailable":
          return this.withoutStore(route, cost);
      }
    });
  }

  /**
   * Settles what the call used: undefined when no upstream call was made, "reserved" when the
   * model may have run but its usage is unknown (a cut stream): the worst case admitted stays
   * charged. Written to the store with the tenant's next exchange (`written` waits for it), or
   * kept until the store is back; never throws.
   */
  finish(ticket: Ticket, usage: ActualUsage | "reserved" | undefined): void {
    if (!this.leases || !ticket) return;
    if (usage === "reserved") this.leases.finish(ticket, "reserved");
    else if (!usage) this.leases.finish(ticket, NOTHING_USED);
    else
      this.leases.finish(ticket, {
        usd: costMicroUsd(usage.inputTokens, usage.outputTokens, usage.prices),
        tokens: usage.inputTokens + usage.outputTokens,
      });
  }

  /** Resolves once the usage settled so far has been offered to the store (taken, or kept for when it is back). */
  written(): Promise<void> {
    return this.leases?.written() ?? Promise.resolve();
  }

  /** Gives back the leases and writes the usage still in memory (at most `graceMs`); returns the calls whose usage was not written. */
  close(graceMs: number): Promise<number> {
    return this.leases?.close(graceMs) ?? Promise.resolve(0);
  }

  private render(request: AdmitRequest, judged: Judgement): Admission {
    if (judged.ok)
      // The same shape as an admission: passed on as it is.
      return judged;
    if ("budget" in judged) return { ok: false, refusal: this.budgetRefusal(request.tenant, judged.budget) };
    if ("limit" in judged) return { ok: false, refusal: limitRefusal(request.tenant, judged.limit) };
    return { ok: false, refusal: unavailable(judged.unavailable) };
  }

  private headers(route: Route, cost: CallCost, reply: LimitReply): RateLimitHeaders | undefined {
    if (route.limits.length === 0) return undefined;
    const judged = this.parts.limiter!.judge(route.limits, cost.tokens, reply);
    return judged.ok ? judged.headers : undefined;
  }

  /** The store could not answer: each part refuses or lets the call through uncounted, as configured. */
  private withoutStore(route: Route, cost: CallCost): Judgement {
    if (route.counters.length > 0 && this.parts.budgets!.onStoreError === "closed") return { ok: false, unavailable: "budgets" };
    if (route.limits.length > 0 && this.parts.limiter!.onStoreError === "closed") return { ok: false, unavailable: "rate limits" };
    // A budget failing open still counts the call's usage once the store is back.
    return { ok: true, ticket: route.counters.length > 0 ? this.leases!.unheld(route, cost) : undefined, headers: NO_HEADERS };
  }

  private budgetRefusal(tenant: string, result: BudgetRefusal): Refusal {
    const resetIso = new Date(result.resetAt).toISOString();
    const amount = (n: number) => (result.unit === "usd" ? `$${n.toFixed(6).replace(/0+$/, "").replace(/\.$/, "")}` : `${n} tokens`);
    const who = result.scope === "tenant" ? `Tenant "${tenant}"` : "This API key";
    return {
      status: 429,
      code: "budget_exceeded",
      type: "insufficient_quota",
      message:
        `${who} has used ${amount(result.used)} of its ${result.period === "day" ? "daily" : "monthly"} budget of ${amount(result.limit)}; ` +
        `this request could exceed it. The budget resets at ${resetIso}`,
      headers: { "retry-after": String(Math.max(1, Math.ceil((result.resetAt - this.now()) / 1000))), "x-budget-reset": resetIso },
    };
  }
}

/** The worst case of a call: its prompt's bound plus max_tokens, and what that costs at the model's prices. */
function worstCase(request: AdmitRequest): CallCost {
  const inputTokens = inputTokenBound(request.bodyBytes);
  return { usd: costMicroUsd(inputTokens, request.maxOutputTokens, request.prices), tokens: inputTokens + request.maxOutputTokens };
}

const NO_COUNTERS: readonly Counter[] = [];
const NO_LIMITS: readonly ActiveLimit[] = [];
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const NOTHING_USED: CallCost = { usd: 0, tokens: 0 };
const UNGOVERNED: Judgement = { ok: true, ticket: undefined, headers: NO_HEADERS };

function limitRefusal(tenant: string, result: LimitRefusal): Refusal {
  const allowance = `${result.perMinute} ${result.limit === "requests" ? "requests" : "tokens"} per minute`;
  const message = result.tooLarge
    ? `This request's worst case (prompt bound plus max_tokens) is more than tenant "${tenant}"'s ${allowance}; lower max_tokens`
    : `Tenant "${tenant}" is over its ${allowance}; retry after ${result.retryAfterSeconds} s`;
  return { status: 429, code: "rate_limited", type: "rate_limit_error", message, headers: { ...result.headers } };
}

function unavailable(part: string): Refusal {
  return {
    status: 503,
    code: "governance_unavailable",
    type: "api_error",
    message: `The gateway cannot check ${part} right now (its store is unreachable), and is set to refuse calls meanwhile; retry shortly`,
    headers: { "retry-after": "1" },
  };
}

/** A key the verifier did not accept, as the caller sees it. The key itself is never echoed. */
export function keyRefusal(result: Exclude<VerifyResult, { ok: true }>): Refusal {
  if (result.reason === "store_unavailable") return unavailable("API keys");
  const messages = {
    malformed: "The API key in the Authorization header is malformed: expected Bearer sk-gw-<id>_<secret>",
    unknown: `API key ${result.keyId} is not valid`,
    revoked: `API key ${result.keyId} has been revoked`,
    expired: `API key ${result.keyId} has expired (it was rotated); use its replacement`,
  } as const;
  return { status: 401, code: "invalid_api_key", type: "authentication_error", message: messages[result.reason], headers: {} };
}
