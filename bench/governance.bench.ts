// Governance overhead on the real request path: gateway-app's server (src/server.ts, built-in
// mock upstream), governance on against off, measured in one run, targets taking turns. "on" is a
// tenant with API keys, budgets (tenant and per key) and token limits on a TLS + AUTH Redis (as
// Memorystore): Kong's anonymous-consumer headers and an API key, verified from the replica's
// cache, admitted from the replica's leases (the store asked only when a share runs short), and
// settled after the response. "off" is the same server without tenants; "keys" (shown as "API key
// only") the tenant with its API key and no budgets or limits, which splits the cost between the
// tenant and its key, and budgets and limits; "tenant" the same tenant as a JWT consumer (no key,
// no store), which splits the key's cost from the tenant's own (its `user` field, its labels).
// Targets (#14 §8): added p50 at 1 connection <= 0.3 ms; JSON throughput at 50 connections >= 0.8x
// of off; no RSS growth over the soak.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { KeyStore } from "../gateway-app/src/governance/keys";
import { createRedis, whenReady } from "../gateway-app/src/governance/redis";
import { startRedis, type TestRedis } from "../gateway-app/test/support/redis-server";
import { median, printTable, sequentialLatency, turnOrder } from "./support/measure";
import { asKongSends, body, governedTenant, startBenchGateway } from "./support/governance";
import { cpuSeconds, memoryOf, type Started } from "./support/processes";

const ROOT = join(__dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);

/** The same tenant with its API key and nothing else: what key verification costs, apart from budgets and limits. */
const keysOnlyTenant = { name: "bench", models: ["*"], apiKeys: true };
/** The tenant as a JWT consumer, no key and no store: what being a tenant costs (its `user` field, labels), apart from the key. */
const plainTenant = { name: "bench", models: ["*"] };

/** Each target in one place: its catalogue's tenants, whether it has the store, how its caller comes through Kong, its row's name. */
const TARGETS = {
  off: { tenants: undefined, store: false, caller: "api key", label: "off" },
  tenant: { tenants: [plainTenant], store: false, caller: "jwt", label: "tenant (JWT), no key" },
  keys: { tenants: [keysOnlyTenant], store: true, caller: "api key", label: "API key only" },
  on: { tenants: [governedTenant], store: true, caller: "api key", label: "on" },
} as const;
type Target = keyof typeof TARGETS;
const TARGET_NAMES = Object.keys(TARGETS) as Target[];

function gateway(target: Target, redis: TestRedis): Promise<Started> {
  return startBenchGateway(ROOT, { tenants: TARGETS[target].tenants, redis: TARGETS[target].store ? redis : undefined });
}

/** What Kong forwards for a caller its jwt plugin verified: the consumer, which is the tenant. */
const asJwtConsumer = { "x-consumer-username": "bench" };

async function load(port: number, headers: Record<string, string>, connections: number, seconds = SECONDS, { warmUp = false } = {}) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    connections,
    duration: seconds,
  });
  // Warm-up may see a store command time out (250 ms) while a cold process and Redis share two loaded cores.
  if (!warmUp && (result.non2xx > 0 || result.errors > 0))
    throw new Error(`port ${port}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors`);
  return result;
}

/**
 * Requests per second and the gateway's CPU per request in one round. Throughput on two shared
 * cores swings ±15% between rounds; CPU per request is the steadier figure to judge a change by.
 */
async function round(target: Started, headers: Record<string, string>) {
  const before = cpuSeconds(target.child.pid!);
  const result = await load(target.port, headers, 50);
  return { rps: result.requests.average, cpuUs: ((cpuSeconds(target.child.pid!) - before) * 1e6) / result.requests.total };
}

async function main() {
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json")], { stdio: "inherit" });
  const redis = await startRedis({ durable: false });
  const admin = createRedis(redis.settings);
  await whenReady(admin);
  const key = (await new KeyStore(admin).issue("bench")).key;
  admin.disconnect();
  const targets = {} as Record<Target, Started>;
  for (const name of TARGET_NAMES) targets[name] = await gateway(name, redis);
  const headersOf = (name: Target) => (TARGETS[name].caller === "jwt" ? asJwtConsumer : asKongSends(key));
  try {
    for (const name of TARGET_NAMES)
      for (const connections of [1, 10, 50]) await load(targets[name].port, headersOf(name), connections, 2, { warmUp: true });
    const perTarget = () => Object.fromEntries(TARGET_NAMES.map((n) => [n, [] as number[]])) as Record<Target, number[]>;
    const rounds = perTarget();
    const cpu = perTarget();
    for (let turn = 0; turn < ROUNDS; turn++) {
      for (const name of turnOrder(TARGET_NAMES, turn)) {
        const measured = await round(targets[name], headersOf(name));
        rounds[name].push(measured.rps);
        cpu[name].push(measured.cpuUs);
      }
    }
    const ratios = rounds.on.map((rps, i) => rps / rounds.off[i]);
    // The targets that take an API key; the plain tenant's latency is not a target.
    const ports = { off: targets.off.port, keys: targets.keys.port, on: targets.on.port };
    const latency = await sequentialLatency(ports, { body, until: "end", samples: SAMPLES, headers: asKongSends(key) });

    const on = targets.on;
    await load(on.port, asKongSends(key), 50, 10);
    await new Promise((r) => setTimeout(r, 2000));
    const before = memoryOf(on.child.pid!);
    const during: number[] = [];
    const sampler = setInterval(() => during.push(memoryOf(on.child.pid!).rssMiB), 5000);
    await load(on.port, asKongSends(key), 50, SOAK_SECONDS);
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 2000));
    const after = memoryOf(on.child.pid!);
    const half = Math.floor(during.length / 2);
    const [firstHalf, secondHalf] = [median(during.slice(0, half)), median(during.slice(half))];

    console.log(`\n${ROUNDS} rounds of ${SECONDS}s, ${SAMPLES} sequential samples, ${SOAK_SECONDS}s soak, ${process.version}\n`);
    printTable(
      ["governance", "JSON req/s at 50 conn (median)", "vs off", "each round", "gateway CPU µs/req (median)", "JSON latency at 1 conn, median ms"],
      TARGET_NAMES.map((n) => [
        TARGETS[n].label,
        median(rounds[n]).toFixed(0),
        `${median(rounds[n].map((rps, i) => rps / rounds.off[i])).toFixed(2)}x`,
        rounds[n].map((r) => r.toFixed(0)).join(" "),
        median(cpu[n]).toFixed(0),
        latency[n]?.toFixed(3) ?? "-",
      ]),
    );
    const ratio = median(ratios);
    const added = latency.on - latency.off;
    console.log("");
    printTable(
      ["target", "limit", "measured", "met"],
      [
        ["added p50 at 1 conn", "<= 0.3 ms", `${added.toFixed(3)} ms`, added <= 0.3 ? "yes" : "NO"],
        [
          "JSON req/s at 50 conn, on vs off",
          ">= 0.8x",
          `${ratio.toFixed(2)}x (${ratios.map((r) => r.toFixed(2)).join(" ")})`,
          ratio >= 0.8 ? "yes" : "NO",
        ],
        [
          "RSS (on) before -> after soak",
          "no growth",
          `${before.rssMiB.toFixed(1)} -> ${after.rssMiB.toFixed(1)} MiB`,
          after.rssMiB - before.rssMiB <= 5 ? "yes" : "NO",
        ],
        [
          "RSS (on) during soak, 1st -> 2nd half",
          "no growth",
          `${firstHalf.toFixed(1)} -> ${secondHalf.toFixed(1)} MiB`,
          secondHalf - firstHalf <= 5 ? "yes" : "NO",
        ],
      ],
    );
  } finally {
    for (const t of Object.values(targets)) t.child.kill();
    await redis.stop();
  }
}

void main();
