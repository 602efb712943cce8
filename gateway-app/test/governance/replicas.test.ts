import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { periodOf } from "../../src/governance/budgets.js";
import { KeyStore } from "../../src/governance/keys.js";
import { eventually, redisClients, startRedis, type TestRedis } from "../support/redis.js";

/**
 * Two replicas, each its own Node process with its own cache and Redis connections, sharing one
 * Redis: what two gateway-app pods see. The fixture (fixtures/replica.ts) drives the real
 * governance modules behind a small HTTP API.
 */
const FIXTURE = fileURLToPath(new URL("./fixtures/replica.ts", import.meta.url));

interface Replica {
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

type Policy = Record<string, { budgets?: unknown; limits?: unknown }>;

let redis: TestRedis;
const clients = redisClients(() => redis.settings);
const running: Replica[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  clients.closeAll();
  await Promise.all(running.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await redis?.stop();
});

function startReplica(policy: Policy, env: Record<string, string> = {}): Promise<Replica> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: {
      ...process.env,
      GOVERNANCE_REDIS_URL: redis.url,
      GOVERNANCE_REDIS_AUTH: redis.password,
      GOVERNANCE_REDIS_CA_FILE: redis.caFile,
      GOV_TEST_POLICY: JSON.stringify(policy),
      // Production's 250 ms is missed by a loopback Redis on an overloaded machine; the outages here are kills, which fail at once.
      GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: "3000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`replica did not start:\n${output}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}:\n${output}`)));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const port = /listening (\d+)/.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      const replica: Replica = {
        async post(path, body = {}) {
          const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body: JSON.stringify(body) });
          return (await response.json()) as never;
        },
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      };
      running.push(replica);
      resolve(replica);
    });
  });
}

async function startPair(policy: Policy, env: Record<string, string> = {}): Promise<[Replica, Replica]> {
  return Promise.all([startReplica(policy, env), startReplica(policy, env)]);
}

/** What Redis holds as settled for a tenant's daily token budget. */
async function settledTokens(tenant: string): Promise<number> {
  const client = await clients.connect();
  return Number((await client.hget(`gw:budget:{${tenant}}:t:tokens:day:${periodOf(Date.now(), "day").id}`, "settled")) ?? 0);
}

interface CallOutcome {
  admitted: boolean;
  status?: number;
  code?: string;
  used?: number;
}

/** `total` calls spread over the replicas, `concurrency` in flight on each. */
async function load(replicas: Replica[], total: number, concurrency: number, call: (i: number) => object): Promise<CallOutcome[]> {
  const outcomes: CallOutcome[] = [];
  let next = 0;
  const worker = async (replica: Replica) => {
    while (next < total) {
      const i = next++;
      outcomes.push(await replica.post<CallOutcome>("/call", call(i)));
    }
  };
  await Promise.all(replicas.flatMap((replica) => Array.from({ length: concurrency }, () => worker(replica))));
  return outcomes;
}

let seq = 0;
const tenantName = (what: string) => `${what}-${++seq}-${Date.now()}`;

describe("two replicas under concurrent load", () => {
  it("never spend a budget past its limit by more than one reservation", async () => {
    const tenant = tenantName("budget");
    const limit = 20_000;
    const reservation = 100 + 400;
    const replicas = await startPair({ [tenant]: { budgets: { tenant: { tokensPerDay: limit } } } });
    const outcomes = await load(replicas, 300, 16, (i) => ({ tenant, bodyBytes: 100, maxOutputTokens: 400, outputTokens: 200 + (i % 5) * 50 }));
    const admitted = outcomes.filter((o) => o.admitted);
    const refused = outcomes.filter((o) => !o.admitted);
    const spent = await settledTokens(tenant);
    expect(spent).toBe(admitted.reduce((sum, o) => sum + (o.used ?? 0), 0));
    expect(spent).toBeLessThanOrEqual(limit + reservation);
    expect(spent).toBeGreaterThan(limit - 2 * 16 * reservation);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((o) => `${o.status} ${o.code}`))).toEqual(new Set(["429 budget_exceeded"]));
  });

  it("admit no more requests per minute than the limit between them", async () => {
    const tenant = tenantName("rpm");
    const replicas = await startPair({ [tenant]: { limits: { requestsPerMinute: 60 } } });
    const started = Date.now();
    const outcomes = await load(replicas, 200, 8, () => ({ tenant, bodyBytes: 10, maxOutputTokens: 10, outputTokens: 5 }));
    const elapsedS = (Date.now() - started) / 1000;
    const admitted = outcomes.filter((o) => o.admitted).length;
    // The bucket holds 60 and refills one a second.
    expect(admitted).toBeGreaterThanOrEqual(60);
    expect(admitted).toBeLessThanOrEqual(60 + Math.ceil(elapsedS));
    expect(outcomes.filter((o) => !o.admitted).every((o) => o.status === 429 && o.code === "rate_limited")).toBe(true);
  });
});

describe("revocation across replicas", () => {
  it("a key revoked through one replica is refused by the other within a second (pub/sub)", async () => {
    const [a, b] = await startPair({});
    const issued = await new KeyStore(await clients.connect()).issue("acme");
    expect(await b.post("/verify", { key: issued.key })).toMatchObject({ ok: true, tenant: "acme" });
    const revokedAt = Date.now();
    await a.post("/revoke", { tenant: "acme", id: issued.id });
    await eventually(async () => (await b.post("/verify", { key: issued.key })).ok === false, 1_000, 5);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(await b.post("/verify", { key: issued.key })).toEqual({ ok: false, reason: "revoked", keyId: issued.id });
  });

  it("without the message, within the cache TTL", async () => {
    const [a, b] = await startPair({}, { GOV_TEST_NO_PUBSUB: "true", GOVERNANCE_KEY_CACHE_TTL_MS: "1500" });
    const issued = await new KeyStore(await clients.connect()).issue("acme");
    expect(await b.post("/verify", { key: issued.key })).toMatchObject({ ok: true });
    const revokedAt = Date.now();
    await a.post("/revoke", { tenant: "acme", id: issued.id });
    await eventually(async () => (await b.post("/verify", { key: issued.key })).ok === false, 3_000, 20);
    const took = Date.now() - revokedAt;
    // The TTL bounds it; the slack is for the polling round trips on a busy machine.
    expect(took).toBeLessThanOrEqual(1_500 + 1_000);
  });
});

describe("Redis killed mid-test", () => {
  it("budgets and keys fail closed, limits fail open, all recover, and no settled usage is lost", async () => {
    const budgeted = tenantName("closed");
    const limited = tenantName("limits");
    const policy = { [budgeted]: { budgets: { tenant: { tokensPerDay: 1_000_000 } } }, [limited]: { limits: { requestsPerMinute: 1000 } } };
    const [a, b] = await startPair(policy, { GOVERNANCE_KEY_CACHE_TTL_MS: "1000" });
    const issued = await new KeyStore(await clients.connect()).issue(budgeted);
    clients.closeAll();
    const call = { tenant: budgeted, bodyBytes: 100, maxOutputTokens: 100, outputTokens: 50 };

    // Usage settled before the outage.
    await load([a, b], 10, 2, () => call);
    // Calls admitted before the kill, answered (and settled) during the outage.
    const inFlight = Promise.all([a, b].flatMap((r) => [1, 2, 3].map(() => r.post<CallOutcome>("/call", { ...call, holdMs: 1_500 }))));
    await new Promise((r) => setTimeout(r, 300));
    expect(await a.post("/verify", { key: issued.key })).toMatchObject({ ok: true });
    await redis.kill();
    // A replica admits from its leases until it sees the connection drop, a millisecond or two after the kill.
    await eventually(
      async () => (await Promise.all([a, b].map((r) => r.post<{ status: string }>("/pending")))).every((p) => p.status !== "ready"),
      5_000,
      2,
    );

    expect(await a.post("/call", call)).toEqual({ admitted: false, status: 503, code: "governance_unavailable" });
    expect(await b.post("/call", { tenant: limited, bodyBytes: 1, maxOutputTokens: 1, outputTokens: 1 })).toMatchObject({ admitted: true });
    // A key checked within its cache TTL still passes; once the copy is stale, it fails closed.
    expect(await a.post("/verify", { key: issued.key })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await a.post("/verify", { key: issued.key })).toEqual({ ok: false, reason: "store_unavailable", keyId: issued.id });
    const during = await inFlight;
    expect(during.every((o) => o.admitted)).toBe(true);
    const pending = await Promise.all([a, b].map((r) => r.post<{ pending: number }>("/pending")));
    expect(pending.map((p) => p.pending)).toEqual([3, 3]);

    await redis.restart();
    await eventually(async () => (await a.post<CallOutcome>("/call", call)).admitted, 10_000, 100);
    await eventually(
      async () => (await Promise.all([a, b].map((r) => r.post<{ pending: number }>("/pending")))).every((p) => p.pending === 0),
      10_000,
      100,
    );
    expect(await b.post("/verify", { key: issued.key })).toMatchObject({ ok: true });
    // 10 before, 6 during, 1 after: each used 100 in + 50 out.
    expect(await settledTokens(budgeted)).toBe(17 * 150);
  });

  it("a budget set to fail open admits during the outage and counts those calls once the store is back", async () => {
    const tenant = tenantName("open");
    const replicas = await startPair(
      { [tenant]: { budgets: { tenant: { tokensPerDay: 1_000_000 } } } },
      { GOVERNANCE_BUDGETS_ON_STORE_ERROR: "open" },
    );
    const call = { tenant, bodyBytes: 100, maxOutputTokens: 100, outputTokens: 50 };
    await redis.kill();
    const during = await load(replicas, 8, 2, () => call);
    expect(during.every((o) => o.admitted)).toBe(true);
    await redis.restart();
    await eventually(
      async () => (await Promise.all(replicas.map((r) => r.post<{ pending: number }>("/pending")))).every((p) => p.pending === 0),
      10_000,
      100,
    );
    expect(await settledTokens(tenant)).toBe(8 * 150);
  });
});
