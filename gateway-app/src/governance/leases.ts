import { randomBytes } from "node:crypto";
import type { ClientContext, Redis, Result } from "ioredis";
import { type Counter, ttlSeconds } from "./budgets.js";
import { type ActiveLimit, closestToRunningOut, type LimitReply, WINDOW_MS } from "./rate-limits.js";
import { isUnavailable } from "./redis.js";

/**
 * Leases: each replica holds a share of every budget counter and limit bucket it uses, reserved in
 * the store like a call, and admits calls from it without a round trip. The store is asked only
 * when a share runs short (the calls that need more wait for one script call per tenant), and to
 * write settled usage (at most every FLUSH_INTERVAL_MS per tenant). A share never takes more than
 * an eighth of what is left under the limit, and grows only when a whole call fits in it, so near
 * the limit a replica asks for each call again, as one without leases would; it is given back
 * after LEASE_IDLE_MS without a call. Everything a replica holds is reserved in the store, so no
 * replica admits what the limit cannot take: the bound on overspend is the one budgets.ts states.
 *
 * In a counter's hash each replica's lease is one field, `l:<lease id>` = "<held> <settled>":
 * what it holds now and the cumulative usage it has written. A replica sends its absolute held
 * and cumulative usage every time, so a command repeated or lost does not count twice or leave
 * anything behind. The zset `<counter>:leases` scores each lease by its deadline, which every
 * exchange moves on; a lease past it (its replica died) is released by the first call it would refuse.
 */

/** A share is given back after this long without a call. */
export const LEASE_IDLE_MS = 1_000;
/** Settled usage waits at most this long for the next exchange with the store. */
export const FLUSH_INTERVAL_MS = 100;
/** A lease not renewed for this long is released by the next call it would refuse. */
export const LEASE_DEADLINE_MS = 120_000;
/** Leases in use are renewed this often, well inside the deadline. */
const RENEW_INTERVAL_MS = 30_000;
const RETRY_MS = 1_000;
const HOUSEKEEPING_MS = 250;
/** A share is at most 1/SHARE of what is left under the limit. */
const SHARE = 8;
/** A share covers about this long of the replica's demand. */
const DEMAND_WINDOW_MS = 1_000;
const MAX_ITEMS_PER_SYNC = 100;
const MAX_ROUTES_PER_TENANT = 10_000;

/**
 * One script call per tenant (one hash slot, so a cluster takes it too).
 * KEYS: per budget slot its hash and zset of leases, then per limit slot its bucket.
 * ARGV: now, lease id, deadline, budget slots, limit slots, items; per budget slot: limit, ttl,
 * cumulative settled, committed, free, want, unit; per limit slot: ms per unit, units given back
 * (negative: charged more), want, unit; per item: its budget entries (slot, deficit, taken from the
 * replica's share), then its limit entries (slot, deficit).
 * Each budget slot is settled and held as sent; each item is admitted (deficits reserved on all of
 * its slots) or refused, in order; then each slot that wants more gets min(want, 1/SHARE of what is
 * left) when a whole unit fits. Returns {per budget slot {settled, granted, free units kept}, per limit slot
 * {granted, remaining, ms until full}, per item {1, limit results} | {0, budget slot, used} | {2, limit results}}.
 */
const LEASE = `
local now, lid, deadline = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local nb, nl, ni = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local field, tau, share = 'l:' .. lid, ${WINDOW_MS}, ${SHARE}
local a = 6
local limit, ttl, settled, reserved, held, done, free, want, unit = {}, {}, {}, {}, {}, {}, {}, {}, {}
local function record(text)
  local h, d = string.match(text, '^(%d+) (%d+)$')
  return tonumber(h), tonumber(d)
end
for i = 1, nb do
  limit[i], ttl[i] = tonumber(ARGV[a + 1]), ARGV[a + 2]
  local c, k, f = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  want[i], unit[i] = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  a = a + 7
  local v = redis.call('HMGET', KEYS[2 * i - 1], 'settled', 'reserved', field)
  local oldHeld, oldDone = 0, 0
  if v[3] then oldHeld, oldDone = record(v[3]) end
  settled[i], reserved[i], done[i] = tonumber(v[1]) or 0, tonumber(v[2]) or 0, math.max(c, oldDone)
  settled[i] = settled[i] + done[i] - oldDone
  -- Holding more than the store has means the lease was released as stale (or the store lost it): calls in flight
  -- are held again whatever it takes, the replica's free units only as far as they fit.
  if k + f > oldHeld then f = math.max(0, math.min(f, limit[i] - settled[i] - (reserved[i] - oldHeld) - k)) end
  held[i], free[i] = k + f, f
  reserved[i] = reserved[i] + held[i] - oldHeld
end
local interval, tat, lwant, lunit = {}, {}, {}, {}
for j = 1, nl do
  interval[j], lwant[j], lunit[j] = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local t = math.max(tonumber(redis.call('GET', KEYS[2 * nb + j])) or now, now)
  tat[j] = math.max(now, t - tonumber(ARGV[a + 2]) * interval[j])
  a = a + 4
end
local function sweep(i)
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', z, '-inf', now)) do
    if id ~= lid then
      local rec = redis.call('HGET', h, 'l:' .. id)
      if rec then
        local staleHeld, staleDone = record(rec)
        reserved[i] = reserved[i] - staleHeld
        redis.call('HSET', h, 'l:' .. id, '0 ' .. string.format('%d', staleDone))
      end
      redis.call('ZREM', z, id)
    end
  end
end
local function charge(j, d)
  local newTat = tat[j] + d * interval[j]
  local waitMs = newTat - tau - now
  if waitMs > 0 then return {0, math.floor((tau - (tat[j] - now)) / interval[j]), math.ceil(tat[j] - now), math.ceil(waitMs)}, tat[j] end
  return {1, math.floor((tau - (newTat - now)) / interval[j]), math.ceil(newTat - now), 0}, newTat
end
local items = {}
for r = 1, ni do
  local entries, lentries = {}, {}
  for e = 1, tonumber(ARGV[a + 1]) do
    entries[e] = {tonumber(ARGV[a + 3 * e - 1]), tonumber(ARGV[a + 3 * e]), tonumber(ARGV[a + 3 * e + 1])}
  end
  a = a + 1 + 3 * #entries
  for e = 1, tonumber(ARGV[a + 1]) do lentries[e] = {tonumber(ARGV[a + 2 * e]), tonumber(ARGV[a + 2 * e + 1])} end
  a = a + 1 + 2 * #lentries
  local reply
  for _, en in ipairs(entries) do
    local i, d = en[1], en[2]
    if d > 0 and settled[i] + reserved[i] + d > limit[i] then
      sweep(i)
      if settled[i] + reserved[i] + d > limit[i] then
        reply = {0, i, settled[i] + reserved[i] - free[i] - en[3]}
        break
      end
    end
  end
  if not reply then
    local results, tats, fits = {}, {}, true
    for e, en in ipairs(lentries) do
      results[e], tats[e] = charge(en[1], en[2])
      fits = fits and results[e][1] == 1
    end
    if fits then
      for _, en in ipairs(entries) do
        reserved[en[1]] = reserved[en[1]] + en[2]
        held[en[1]] = held[en[1]] + en[2]
      end
      for e, en in ipairs(lentries) do tat[en[1]] = tats[e] end
      reply = {1, results}
    else
      for e = 1, #results do results[e][1] = 0 end
      reply = {2, results}
    end
  end
  items[r] = reply
end
local budgets, limits = {}, {}
for i = 1, nb do
  local h, z, g = KEYS[2 * i - 1], KEYS[2 * i], 0
  if want[i] > 0 then
    g = math.min(want[i], math.floor((limit[i] - settled[i] - reserved[i]) / share))
    if g < unit[i] then g = 0 end
    reserved[i], held[i] = reserved[i] + g, held[i] + g
  end
  redis.call('HSET', h, 'settled', string.format('%d', settled[i]), 'reserved', string.format('%d', reserved[i]),
    field, string.format('%d %d', held[i], done[i]))
  redis.call('EXPIRE', h, ttl[i])
  if held[i] > 0 then
    redis.call('ZADD', z, deadline, lid)
    redis.call('EXPIRE', z, ttl[i])
  else
    redis.call('ZREM', z, lid)
  end
  budgets[i] = {settled[i], g, free[i]}
end
for j = 1, nl do
  local key, g = KEYS[2 * nb + j], 0
  if lwant[j] > 0 then
    g = math.min(lwant[j], math.floor(math.floor((tau - (tat[j] - now)) / interval[j]) / share))
    if g < lunit[j] then g = 0 end
    tat[j] = tat[j] + g * interval[j]
  end
  if tat[j] <= now then redis.call('DEL', key)
  else redis.call('SET', key, tostring(tat[j]), 'PX', math.ceil(tat[j] - now)) end
  limits[j] = {g, math.floor((tau - (tat[j] - now)) / interval[j]), math.ceil(tat[j] - now)}
end
return {budgets, limits, items}
`;

type ItemReply = [1, LimitReply] | [0, number, number] | [2, LimitReply];
type LeaseReply = [Array<[number, number, number]>, Array<[number, number, number]>, ItemReply[]];

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    gwLease(...args: Array<string | number>): Result<LeaseReply, Context>;
  }
}

/** What a replica holds of one counter or bucket. */
class Share {
  /** Units held in the store that calls may be admitted from without asking. */
  free = 0;
  /** Worst cases of the calls admitted and not finished, and what waiting calls took from `free`. */
  committed = 0;
  /** Wall-clock ms of the last admission, and of the last exchange with the store. */
  lastAdmittedAt = 0;
  lastSyncAt = 0;
  /** Set when `free` runs low: the next exchange asks for more. */
  refill = false;
  private windowStart = 0;
  private windowDemand = 0;
  private lastWindowDemand = 0;
  private lastAmount = 0;

  noteAdmission(amount: number, wall: number): void {
    if (wall - this.windowStart >= DEMAND_WINDOW_MS) {
      this.lastWindowDemand = wall - this.windowStart < 2 * DEMAND_WINDOW_MS ? this.windowDemand : 0;
      this.windowDemand = 0;
      this.windowStart = wall;
    }
    this.windowDemand += amount;
    this.lastAdmittedAt = wall;
    this.lastAmount = amount;
  }

  /** What to ask the store for beyond the waiting calls: about a window of this replica's demand. */
  get want(): number {
    return Math.max(this.lastWindowDemand, this.windowDemand, this.lastAmount);
  }

  /** The smallest share worth holding: one call of the latest size. */
  get unit(): number {
    return Math.max(1, this.lastAmount);
  }

  idle(wall: number): boolean {
    return this.committed === 0 && wall - this.lastAdmittedAt >= LEASE_IDLE_MS;
  }

  /** Moves what `free` has of a call's amount (all of it, or what is there) to `committed`; returns how much. */
  take(amount: number, wall: number): number {
    const taken = Math.min(Math.max(0, this.free), amount);
    this.free -= taken;
    this.committed += taken;
    this.noteAdmission(amount, wall);
    return taken;
  }

  /** Takes a call's whole amount from `free` (which covers it); true when what is left asks for a refill. */
  commit(amount: number, wall: number): boolean {
    this.take(amount, wall);
    if (this.free >= this.want / 4) return false;
    this.refill = true;
    return true;
  }
}

/** What a call costs (or used): USD in millionths and tokens; a limit on requests counts one. */
export interface CallCost {
  readonly usd: number;
  readonly tokens: number;
}

class BudgetShare extends Share {
  /** Cumulative usage of the calls finished on this counter, and how much of it the store has. */
  settledTotal = 0;
  syncedTotal = 0;

  constructor(readonly counter: Counter) {
    super();
  }

  amountOf(cost: CallCost): number {
    return this.counter.unit === "usd" ? cost.usd : cost.tokens;
  }
}

class LimitShare extends Share {
  /** Units used beyond what calls were charged: charged at the next exchange. */
  owed = 0;
  /** Units to give back to the bucket at the next exchange (a share let go). */
  released = 0;
  /** The bucket as the store last answered (store clock). */
  reading = { remaining: 0, resetMs: 0, at: 0 };

  constructor(readonly limit: ActiveLimit) {
    super();
  }

  amountOf(cost: CallCost): number {
    return this.limit.name === "requests" ? 1 : cost.tokens;
  }
}

class TenantLeases {
  readonly budgets = new Map<string, BudgetShare>();
  /** Per key id ("" for the tenant's own callers). */
  readonly routes = new Map<string, Route>();
  readonly limits = new Map<string, LimitShare>();
  waiting: Waiting[] = [];
  syncing = false;
  scheduled = false;
  timer: NodeJS.Timeout | undefined;
  /** Finished calls whose usage the store does not have yet. */
  unsynced = 0;
  /** Told when the next exchange ends, whatever its outcome. */
  afterSync: Array<() => void> = [];
  closing = false;

  constructor(readonly name: string) {}

  get empty(): boolean {
    return this.budgets.size === 0 && this.limits.size === 0 && this.waiting.length === 0 && !this.syncing;
  }
}

export type LeaseOutcome =
  | { readonly kind: "admitted"; readonly limitReply: LimitReply }
  | { readonly kind: "budget"; readonly index: number; readonly used: number }
  | { readonly kind: "limit"; readonly reply: LimitReply }
  | { readonly kind: "unavailable" };

interface Entry<S extends Share> {
  readonly share: S;
  readonly amount: number;
}

interface Waiting {
  readonly budget: ReadonlyArray<Entry<BudgetShare> & { take: number }>;
  readonly limits: ReadonlyArray<Entry<LimitShare> & { take: number }>;
  readonly done: (outcome: LeaseOutcome) => void;
  readonly fail: (error: unknown) => void;
}

/** The shares of one tenant (and key) a call is charged on. */
export interface Route {
  readonly tenant: TenantLeases;
  readonly counters: readonly Counter[];
  readonly limits: readonly ActiveLimit[];
  readonly budget: readonly BudgetShare[];
  readonly limitShares: readonly LimitShare[];
}

/** One script call being made: what was sent, to read the answer against. */
interface Exchange {
  readonly now: number;
  readonly items: readonly Waiting[];
  readonly budgets: readonly BudgetShare[];
  readonly limits: readonly LimitShare[];
  /** Per budget share: the cumulative usage and the free units sent. */
  readonly sent: ReadonlyArray<{ readonly settled: number; readonly free: number }>;
  readonly budgetIndex: ReadonlyMap<Share, number>;
  readonly keys: readonly string[];
  readonly args: ReadonlyArray<string | number>;
  /** Finished calls the exchange writes the usage of. */
  readonly unsynced: number;
}

/** A call's hold on its tenant's shares, from admission to `finish`. */
export interface LeaseTicket {
  readonly route: Route;
  /** The worst case admitted. */
  readonly cost: CallCost;
  /** False when the part failed open (the store was unreachable): nothing is held for the call. */
  readonly budgetHeld: boolean;
  readonly limitsHeld: boolean;
  finished: boolean;
}

export interface LeasesOptions {
  /** The store's clock (tests move it); shares' idleness and flushing follow the wall clock. */
  readonly now?: () => number;
  /** Each exchange's settled amounts of the counters it carried, for the gauges. */
  readonly onSettled?: (tenant: string, counters: readonly Counter[], settled: readonly number[]) => void;
}

const wallClock = () => performance.now();

export class Leases {
  /** Names this process's leases in the store: unique across replicas and restarts. */
  readonly id = randomBytes(9).toString("base64url");
  private readonly tenants = new Map<string, TenantLeases>();
  private readonly now: () => number;
  private housekeeping: NodeJS.Timeout | undefined;
  /** After close(): no housekeeping starts again for a call that comes in late. */
  private closed = false;
  /** Set by an exchange the store did not answer (a hung store keeps its connection), cleared by one it did. */
  private storeFailing = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: LeasesOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    redis.defineCommand("gwLease", { lua: LEASE });
    redis.on("ready", () => {
      for (const t of this.tenants.values()) if (this.dirty(t, wallClock())) this.schedule(t, true);
    });
  }

  /** Finished calls whose usage the store does not have yet (while it is unreachable, they wait in memory). */
  get pendingSettlements(): number {
    let pending = 0;
    for (const t of this.tenants.values()) pending += t.unsynced;
    return pending;
  }

  /**
   * The shares a tenant's (or one key's) calls are charged on, built once per set of counters
   * (a UTC day) and limits: the path of every admission, so it allocates nothing per call.
   */
  route(tenant: string, keyId: string | undefined, counters: readonly Counter[], limits: readonly ActiveLimit[]): Route {
    const t = this.tenant(tenant);
    const known = t.routes.get(keyId ?? "");
    if (known && known.counters === counters && known.limits === limits) return known;
    const route: Route = {
      tenant: t,
      counters,
      limits,
      budget: counters.map((c) => this.budgetShare(t, c)),
      limitShares: limits.map((l) => this.limitShare(t, l)),
    };
    if (t.routes.size >= MAX_ROUTES_PER_TENANT) t.routes.clear();
    t.routes.set(keyId ?? "", route);
    return route;
  }

  /**
   * Admits the call from the replica's shares when every one of them covers it, without asking
   * the store; undefined when one falls short, or while the store is lost (then `request`, which
   * fails open or closed): a replica stops using its shares once it sees the connection drop or
   * an exchange fail, so during an outage it admits no more than it had reserved.
   */
  admitLocally(route: Route, cost: CallCost): LeaseTicket | undefined {
    if (this.redis.status !== "ready" || this.storeFailing || route.tenant.closing) return undefined;
    // Indexed loops: this runs on every governed call, and for...of's iterator was a visible share of it.
    const { budget, limitShares } = route;
    for (let i = 0; i < budget.length; i++) if (budget[i].free < budget[i].amountOf(cost)) return undefined;
    for (let i = 0; i < limitShares.length; i++) if (limitShares[i].free < limitShares[i].amountOf(cost)) return undefined;
    const wall = wallClock();
    let low = false;
    for (let i = 0; i < budget.length; i++) low = budget[i].commit(budget[i].amountOf(cost), wall) || low;
    for (let i = 0; i < limitShares.length; i++) low = limitShares[i].commit(limitShares[i].amountOf(cost), wall) || low;
    if (low) this.schedule(route.tenant, true);
    return { route, cost, budgetHeld: true, limitsHeld: true, finished: false };
  }

  /**
   * After a local admission, the limit closest to running out (the draft's choice when several
   * apply): units left, from the store's last answer and the share this replica holds, and ms
   * until its bucket is full.
   */
  tightestLimit(route: Route): { limit: ActiveLimit; remaining: number; resetMs: number } | undefined {
    const shares = route.limitShares;
    if (shares.length === 0) return undefined;
    const tightest = shares[closestToRunningOut(route.limits, (i) => shares[i].reading.remaining + shares[i].free)];
    const { remaining, resetMs, at } = tightest.reading;
    return { limit: tightest.limit, remaining: remaining + tightest.free, resetMs: resetMs - (this.now() - at) };
  }

  /**
   * Asks the store for what the replica's shares lack for this call (with the tenant's other calls
   * of the turn, in one script call), and admits or refuses it on every counter and bucket at once.
   */
  request(route: Route, cost: CallCost): Promise<{ outcome: LeaseOutcome; ticket: LeaseTicket }> {
    const t = route.tenant;
    const wall = wallClock();
    const take = <S extends BudgetShare | LimitShare>(share: S) => {
      const amount = share.amountOf(cost);
      return { share, amount, take: share.take(amount, wall) };
    };
    const budget = route.budget.map(take);
    const limits = route.limitShares.map(take);
    return new Promise<LeaseOutcome>((done, fail) => {
      t.waiting.push({ budget, limits, done, fail });
      this.schedule(t, true);
    }).then((outcome) => {
      const admitted = outcome.kind === "admitted";
      for (const e of [...budget, ...limits]) {
        if (admitted) e.share.committed += e.amount - e.take;
        else {
          e.share.committed -= e.take;
          e.share.free += e.take;
        }
      }
      return { outcome, ticket: { route, cost, budgetHeld: admitted, limitsHeld: admitted, finished: false } };
    });
  }

  /** A ticket for a call admitted without the store (a part failing open): its usage is still written later. */
  unheld(route: Route, cost: CallCost): LeaseTicket {
    return { route, cost, budgetHeld: false, limitsHeld: false, finished: false };
  }

  /**
   * The call is over: its worst case goes back to the shares, and what it used (`used`; "reserved":
   * unknown, so the worst case) is written with the tenant's next exchange (`written` waits for
   * it). Tokens used beyond the charge are charged then too. Counts once per ticket.
   */
  finish(ticket: LeaseTicket, used: CallCost | "reserved"): void {
    if (ticket.finished) return;
    ticket.finished = true;
    const { route, cost } = ticket;
    const actual = used === "reserved" ? cost : used;
    let counted = false;
    const { budget, limitShares } = route;
    for (let i = 0; i < budget.length; i++) {
      const share = budget[i];
      const amount = share.amountOf(cost);
      const spent = share.amountOf(actual);
      if (ticket.budgetHeld) {
        share.committed -= amount;
        share.free += Math.max(0, amount - spent);
      }
      if (spent > 0) {
        share.settledTotal += spent;
        counted = true;
      }
    }
    if (ticket.limitsHeld) {
      for (let i = 0; i < limitShares.length; i++) {
        const share = limitShares[i];
        const amount = share.amountOf(cost);
        const spent = share.amountOf(actual);
        share.committed -= amount;
        if (spent <= amount) share.free += amount - spent;
        else share.owed += spent - amount;
      }
    }
    if (!counted) return;
    route.tenant.unsynced += 1;
    this.schedule(route.tenant, false);
  }

  /** Resolves when the usage finished so far has been offered to the store (taken, or kept for later when it could not be). */
  written(): Promise<void> {
    const waiting = [...this.tenants.values()].filter((t) => t.unsynced > 0 || t.syncing);
    return Promise.all(waiting.map((t) => new Promise<void>((resolve) => t.afterSync.push(resolve)))).then(() => undefined);
  }

  /**
   * Gives back every share and writes the usage still in memory, waiting at most `graceMs`.
   * Returns the number of finished calls whose usage the store did not take (to be logged).
   */
  async close(graceMs: number): Promise<number> {
    this.closed = true;
    clearInterval(this.housekeeping);
    this.housekeeping = undefined;
    const deadline = Date.now() + graceMs;
    const tenants = [...this.tenants.values()];
    for (const t of tenants) t.closing = true;
    for (let attempt = 0; attempt < 3 && Date.now() < deadline; attempt++) {
      const open = tenants.filter((t) => this.dirty(t, Number.POSITIVE_INFINITY) || t.syncing);
      if (open.length === 0) break;
      await Promise.race([
        Promise.all(open.map((t) => new Promise<void>((resolve) => (t.syncing ? t.afterSync.push(resolve) : this.sync(t).then(resolve))))),
        new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref()),
      ]);
    }
    for (const t of tenants) clearTimeout(t.timer);
    return this.pendingSettlements;
  }

  private tenant(name: string): TenantLeases {
    let t = this.tenants.get(name);
    if (!t) {
      t = new TenantLeases(name);
      this.tenants.set(name, t);
      if (!this.closed) this.housekeeping ??= setInterval(() => this.tidy(), HOUSEKEEPING_MS).unref();
    }
    return t;
  }

  private budgetShare(t: TenantLeases, counter: Counter): BudgetShare {
    const known = t.budgets.get(counter.key);
    if (known) return known;
    const share = new BudgetShare(counter);
    t.budgets.set(counter.key, share);
    return share;
  }

  private limitShare(t: TenantLeases, limit: ActiveLimit): LimitShare {
    const known = t.limits.get(limit.key);
    // A changed limit starts a new share; what the old one held returns to the bucket with time.
    if (known && known.limit.perMinute === limit.perMinute) return known;
    const share = new LimitShare(limit);
    t.limits.set(limit.key, share);
    return share;
  }

  /** Whether the tenant has something for the store: usage to write, a share to give back, more, or a renewal. */
  private dirty(t: TenantLeases, wall: number): boolean {
    if (t.waiting.length > 0) return true;
    for (const s of t.budgets.values()) if (this.budgetDue(t, s, wall)) return true;
    for (const s of t.limits.values()) if (this.limitDue(t, s, wall)) return true;
    return false;
  }

  /** A budget share with usage to write, a refill to ask for, a share to give back, or a lease to renew. */
  private budgetDue(t: TenantLeases, s: BudgetShare, wall: number): boolean {
    if (s.settledTotal > s.syncedTotal || s.refill || this.releasable(t, s, wall)) return true;
    return s.committed + s.free > 0 && wall - s.lastSyncAt >= RENEW_INTERVAL_MS;
  }

  /** A limit share with tokens to charge, a refill to ask for, or a share to give back. */
  private limitDue(t: TenantLeases, s: LimitShare, wall: number): boolean {
    return s.owed > 0 || s.refill || this.releasable(t, s, wall);
  }

  private releasable(t: TenantLeases, s: Share, wall: number): boolean {
    return s.free > 0 && (t.closing || s.idle(wall));
  }

  /** Urgent: calls wait, so at the end of this turn. Otherwise after the flush interval. */
  private schedule(t: TenantLeases, urgent: boolean): void {
    if (t.syncing) return;
    if (urgent) {
      if (t.scheduled) return;
      t.scheduled = true;
      clearTimeout(t.timer);
      t.timer = undefined;
      setImmediate(() => {
        t.scheduled = false;
        void this.sync(t);
      });
      return;
    }
    if (t.timer || t.scheduled) return;
    const delay = Math.max(0, FLUSH_INTERVAL_MS - (wallClock() - this.lastSyncOf(t)));
    // Unref'd: shutdown writes what is left through close().
    t.timer = setTimeout(() => {
      t.timer = undefined;
      void this.sync(t);
    }, delay).unref();
  }

  private lastSyncOf(t: TenantLeases): number {
    let last = 0;
    for (const s of t.budgets.values()) last = Math.max(last, s.lastSyncAt);
    return last;
  }

  /** Releases idle shares, renews held ones, and forgets what nothing holds any more. */
  private tidy(): void {
    const wall = wallClock();
    const now = this.now();
    for (const [name, t] of this.tenants) {
      if (!t.syncing && this.dirty(t, wall)) this.schedule(t, false);
      const shares = t.budgets.size + t.limits.size;
      for (const [key, s] of t.budgets) {
        const over = s.counter.resetAt <= now && s.committed === 0 && s.free === 0 && s.settledTotal === s.syncedTotal;
        if (over) t.budgets.delete(key);
      }
      for (const [key, s] of t.limits) if (s.idle(wall) && s.free === 0 && s.owed === 0 && s.released === 0) t.limits.delete(key);
      // A route holds its shares: one that lost a share is built again.
      if (t.budgets.size + t.limits.size < shares) t.routes.clear();
      if (t.empty && t.unsynced === 0) this.tenants.delete(name);
    }
    if (this.tenants.size === 0) {
      clearInterval(this.housekeeping);
      this.housekeeping = undefined;
    }
  }

  /** One exchange with the store for the tenant: usage, shares to hold, calls waiting. One at a time per tenant. */
  private async sync(t: TenantLeases): Promise<void> {
    if (t.syncing) return;
    clearTimeout(t.timer);
    t.timer = undefined;
    const wall = wallClock();
    const waiters = t.afterSync.splice(0);
    if (!this.dirty(t, wall)) return this.endSync(t, waiters);
    t.syncing = true;
    const exchange = this.exchangeFor(t, t.waiting.splice(0, MAX_ITEMS_PER_SYNC), wall);
    let reply: LeaseReply;
    try {
      reply = await this.redis.gwLease(exchange.keys.length, ...exchange.keys, ...exchange.args);
    } catch (error) {
      t.syncing = false;
      this.exchangeFailed(t, exchange, error);
      for (const resolve of waiters) resolve();
      return;
    }
    this.storeFailing = false;
    this.applyReply(t, exchange, reply);
    t.syncing = false;
    this.endSync(t, waiters);
  }

  /**
   * The script's KEYS and ARGV for the tenant's shares that are due and its waiting calls. Shares
   * let go are zeroed here, so no call is admitted from them while the exchange is on its way.
   */
  private exchangeFor(t: TenantLeases, items: Waiting[], wall: number): Exchange {
    const entries = items.flatMap((w) => [...w.budget, ...w.limits]);
    const inItems = new Set<Share>(entries.map((e) => e.share));
    const short = new Set<Share>(entries.filter((e) => e.take < e.amount).map((e) => e.share));
    const wantOf = (s: Share) => (!t.closing && (s.refill || short.has(s)) ? s.want : 0);
    const budgets = [...t.budgets.values()].filter((s) => inItems.has(s) || this.budgetDue(t, s, wall));
    const limits = [...t.limits.values()].filter((s) => inItems.has(s) || this.limitDue(t, s, wall));
    const now = this.now();
    const keys: string[] = [];
    const args: Array<string | number> = [now, this.id, now + LEASE_DEADLINE_MS, budgets.length, limits.length, items.length];
    const sent = budgets.map((s) => {
      if (this.releasable(t, s, wall)) s.free = 0;
      const want = wantOf(s);
      s.refill = false;
      keys.push(s.counter.key, `${s.counter.key}:leases`);
      args.push(s.counter.limit, ttlSeconds(s.counter, now), s.settledTotal, s.committed, s.free, want, s.unit);
      return { settled: s.settledTotal, free: s.free };
    });
    for (const s of limits) {
      if (this.releasable(t, s, wall)) {
        s.released += s.free;
        s.free = 0;
      }
      const want = wantOf(s);
      s.refill = false;
      keys.push(s.limit.key);
      args.push(s.limit.interval, s.released - s.owed, want, s.unit);
      s.released = 0;
      s.owed = 0;
    }
    const budgetIndex = new Map(budgets.map((s, i) => [s as Share, i + 1]));
    const limitIndex = new Map(limits.map((s, i) => [s as Share, i + 1]));
    for (const w of items) {
      args.push(w.budget.length);
      for (const e of w.budget) args.push(budgetIndex.get(e.share)!, e.amount - e.take, e.take);
      args.push(w.limits.length);
      for (const e of w.limits) args.push(limitIndex.get(e.share)!, e.amount - e.take);
    }
    return { now, items, budgets, limits, sent, budgetIndex, keys, args, unsynced: t.unsynced };
  }

  /** The store answered: grants go to the shares, readings to the gauges and headers, decisions to the calls. */
  private applyReply(t: TenantLeases, exchange: Exchange, [budgetReplies, limitReplies, itemReplies]: LeaseReply): void {
    const { budgets, limits, sent, items, budgetIndex, now } = exchange;
    const synced = wallClock();
    budgets.forEach((s, i) => {
      const [, granted, kept] = budgetReplies[i];
      s.syncedTotal = Math.max(s.syncedTotal, sent[i].settled);
      s.free = Math.max(0, s.free + granted - (sent[i].free - kept));
      s.lastSyncAt = synced;
    });
    limits.forEach((s, i) => {
      const [granted, remaining, resetMs] = limitReplies[i];
      s.free += granted;
      s.reading = { remaining, resetMs, at: now };
    });
    t.unsynced -= exchange.unsynced;
    if (budgets.length > 0)
      this.options.onSettled?.(
        t.name,
        budgets.map((s) => s.counter),
        budgetReplies.map(([settled]) => settled),
      );
    items.forEach((w, r) => {
      const item = itemReplies[r];
      if (item[0] === 1) w.done({ kind: "admitted", limitReply: item[1] });
      else if (item[0] === 2) w.done({ kind: "limit", reply: item[1] });
      else w.done({ kind: "budget", index: w.budget.findIndex((e) => budgetIndex.get(e.share) === item[1]), used: item[2] });
    });
  }

  /**
   * The store did not answer: waiting calls are told so (each part then fails open or closed), and
   * the tenant tries again when the store says it is back (the "ready" handler) or after RETRY_MS.
   * Usage and held amounts are absolute, so the next exchange carries what this one did.
   */
  private exchangeFailed(t: TenantLeases, exchange: Exchange, error: unknown): void {
    const unavailable = isUnavailable(error);
    this.storeFailing ||= unavailable;
    for (const w of exchange.items) unavailable ? w.done({ kind: "unavailable" }) : w.fail(error);
    if (t.waiting.length > 0) this.schedule(t, true);
    else if (this.dirty(t, wallClock()) && !t.timer) t.timer = setTimeout(() => void this.sync(t), RETRY_MS).unref();
  }

  private endSync(t: TenantLeases, waiters: Array<() => void>): void {
    for (const resolve of waiters) resolve();
    const refill = [...t.budgets.values(), ...t.limits.values()].some((s) => s.refill);
    if (t.waiting.length > 0 || refill) this.schedule(t, true);
    else if (t.afterSync.length > 0 || this.dirty(t, wallClock())) this.schedule(t, false);
  }
}
