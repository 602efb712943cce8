import type { ClientContext, Redis, Result } from "ioredis";
import { BUDGET_APPLY_LUA, BUDGET_CHECK_LUA, type Budgets, inputTokenBound, type Prices, type Reservation, type ReserveResult } from "./budgets.js";
import type { VerifyResult } from "./keys.js";
import { LIMIT_APPLY_LUA, LIMIT_CHECK_LUA, type LimitCharge, type LimitReply, type LimitResult, type RateLimiter } from "./rate-limits.js";
import { TenantBatches } from "./batches.js";
import { isUnavailable } from "./redis.js";

// Budgets and limits in one script, so an admission is one command and one reply (#14 §8), and a
// refusal by either charges nothing (no second round trip to give back what the other took). The
// admissions of one tenant that arrive in the same turn of the event loop share the command.
// KEYS: per admission the budget counters' hashes and zsets, then the limit buckets (all in the tenant's hash slot).
// ARGV: the number of admissions, then per admission: now, id, deadline, counters, limits, then per counter limit,
// amount, ttl, then per limit ms per unit, cost.
// Returns per admission {0, counter index, used} (over budget), {2, limit results} (over a limit), or {1, settled, limit results}.
const ADMIT = `
local function admit(kb, ab)
  local now, id, deadline = tonumber(ARGV[ab + 1]), ARGV[ab + 2], ARGV[ab + 3]
  local nb, nl = tonumber(ARGV[ab + 4]), tonumber(ARGV[ab + 5])
  local bargs, lk = ab + 5, kb + 2 * nb
  local largs = bargs + 3 * nb
${BUDGET_CHECK_LUA}
${LIMIT_CHECK_LUA}
  if not fits then return {2, results} end
${BUDGET_APPLY_LUA}
${LIMIT_APPLY_LUA}
  return {1, settled, results}
end
local replies, kb, ab = {}, 0, 1
for r = 1, tonumber(ARGV[1]) do
  local nb, nl = tonumber(ARGV[ab + 4]), tonumber(ARGV[ab + 5])
  replies[r] = admit(kb, ab)
  kb, ab = kb + 2 * nb + nl, ab + 5 + 3 * nb + 2 * nl
end
return replies
`;

type AdmitReply = [0, number, number] | [2, LimitReply] | [1, number[], LimitReply];

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    gwAdmit(...args: Array<string | number>): Result<AdmitReply[], Context>;
  }
}

/**
 * What the request path calls: `admit` before the upstream call, `finish` after it (streams and
 * fallbacks included, with the model that served). Budgets and limits are checked by one script,
 * so admission costs one round trip, shared by the tenant's admissions of the same turn. A refusal
 * by one charges the other nothing.
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

export interface Ticket {
  readonly reservation?: Reservation;
  readonly charge?: LimitCharge;
}

export type Admission =
  | { readonly ok: true; readonly ticket: Ticket; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly refusal: Refusal };

export interface ActualUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly prices: Prices;
}

export class Governor {
  /** When both parts share one store, admission runs as one script, one command per tenant per turn. */
  private readonly admissions: TenantBatches<ScriptCall, AdmitReply> | undefined;

  constructor(
    private readonly parts: { readonly budgets?: Budgets; readonly limiter?: RateLimiter },
    private readonly now: () => number = Date.now,
  ) {
    const { budgets, limiter } = parts;
    const shared = budgets && limiter && budgets.redis === limiter.redis ? budgets.redis : undefined;
    shared?.defineCommand("gwAdmit", { lua: ADMIT });
    this.admissions = shared && new TenantBatches((_tenant, calls) => sendAdmissions(shared, calls));
  }

  async admit(request: AdmitRequest): Promise<Admission> {
    const inputTokens = inputTokenBound(request.bodyBytes);
    const { budgets, limiter } = this.parts;
    const call = { tenant: request.tenant, keyId: request.keyId, inputTokens, maxOutputTokens: request.maxOutputTokens, prices: request.prices };
    const [budget, limit] =
      this.admissions && budgets && limiter
        ? await admitTogether(this.admissions, budgets, limiter, call)
        : await Promise.all([budgets?.reserve(call), limiter?.admit(request.tenant, inputTokens + request.maxOutputTokens)]);
    const reservation = budget?.ok ? budget.reservation : undefined;
    const charge = limit?.ok ? limit.charge : undefined;
    const refusal =
      (budget && !budget.ok && this.budgetRefusal(request.tenant, budget)) ||
      (limit && !limit.ok && limitRefusal(request.tenant, limit)) ||
      undefined;
    if (refusal) {
      await Promise.all([reservation && budgets?.release(reservation), charge && limiter?.release(charge)]);
      return { ok: false, refusal };
    }
    return { ok: true, ticket: { reservation, charge }, headers: limit?.ok && limit.headers ? { ...limit.headers } : {} };
  }

  /**
   * Settles what the call used: undefined when no upstream call was made, "reserved" when the
   * model may have run but its usage is unknown (a cut stream): the worst case admitted stays
   * charged. Never throws for an unreachable store.
   */
  async finish(ticket: Ticket, usage: ActualUsage | "reserved" | undefined): Promise<void> {
    const { budgets, limiter } = this.parts;
    const tokens = usage === "reserved" ? (ticket.charge?.tokens ?? 0) : usage ? usage.inputTokens + usage.outputTokens : 0;
    await Promise.all([ticket.reservation && budgets?.settle(ticket.reservation, usage), ticket.charge && limiter?.settle(ticket.charge, tokens)]);
  }

  private budgetRefusal(tenant: string, result: Exclude<ReserveResult, { ok: true }>): Refusal {
    if (result.reason === "store_unavailable") return unavailable("budgets");
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

/**
 * Both parts' answers from one script. The part that did not refuse took nothing: its result is
 * an uncharged admission, which the caller's give-back turns into no command at all.
 */
async function admitTogether(
  admissions: TenantBatches<ScriptCall, AdmitReply>,
  budgets: Budgets,
  limiter: RateLimiter,
  call: Parameters<Budgets["plan"]>[0],
): Promise<[ReserveResult, LimitResult]> {
  const budgetPlan = budgets.plan(call);
  const limitPlan = limiter.plan(call.tenant, call.inputTokens + call.maxOutputTokens);
  const untouchedBudget = () => budgets.accepted({ ...budgetPlan, counters: [], amounts: [] }, []);
  const untouchedLimit = () => limiter.judge({ ...limitPlan, limits: [], costs: [] }, []);
  if (budgetPlan.counters.length === 0 && limitPlan.limits.length === 0) return [untouchedBudget(), untouchedLimit()];
  const b = budgets.scriptInput(budgetPlan);
  const l = limiter.scriptInput(limitPlan);
  const head = [budgetPlan.now, budgetPlan.id, budgetPlan.deadline, budgetPlan.counters.length, limitPlan.limits.length];
  let reply: AdmitReply;
  try {
    reply = await admissions.add(call.tenant, { keys: [...b.keys, ...l.keys], args: [...head, ...b.args, ...l.args] });
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    return [budgets.unavailable(budgetPlan), limiter.unavailable(limitPlan)];
  }
  if (reply[0] === 0) return [budgets.refused(budgetPlan, reply[1], reply[2]), untouchedLimit()];
  if (reply[0] === 2) return [untouchedBudget(), limiter.judge(limitPlan, reply[1])];
  return [budgets.accepted(budgetPlan, reply[1]), limiter.judge(limitPlan, reply[2])];
}

interface ScriptCall {
  readonly keys: readonly string[];
  readonly args: ReadonlyArray<string | number>;
}

/** One tenant's admissions as one command: their keys in order, then the count and their arguments in order. */
function sendAdmissions(redis: Redis, calls: readonly ScriptCall[]): Promise<AdmitReply[]> {
  const keys = calls.flatMap((c) => c.keys);
  const args = calls.flatMap((c) => c.args);
  return redis.gwAdmit(keys.length, ...keys, calls.length, ...args);
}

function limitRefusal(tenant: string, result: Exclude<LimitResult, { ok: true }>): Refusal {
  if (result.reason === "store_unavailable") return unavailable("rate limits");
  const unit = result.limit === "requests" ? "requests" : "tokens";
  const message = result.tooLarge
    ? `This request's worst case (prompt bound plus max_tokens) is more than tenant "${tenant}"'s ${result.headers["ratelimit-limit"]} ${unit} ` +
      `per minute; lower max_tokens`
    : `Tenant "${tenant}" is over its ${result.headers["ratelimit-limit"]} ${unit} per minute; retry after ${result.retryAfterSeconds} s`;
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
