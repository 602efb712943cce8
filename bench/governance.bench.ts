// Governance overhead: gateway-app (built-in mock upstream) with governance in front against
// without, measured in one run, targets taking turns. "on" verifies an API key (replica cache),
// admits budgets and limits in one Redis round trip (TLS + AUTH, as Memorystore) and settles after
// the response. Targets (#14 §8): added p50 at 1 connection <= 0.3 ms; JSON throughput at 50
// connections >= 0.8x of off; no RSS growth over the soak.
import { join } from "node:path";
import autocannon from "autocannon";
import { KeyStore } from "../gateway-app/src/governance/keys";
import { createRedis, whenReady } from "../gateway-app/src/governance/redis";
import { startRedis } from "../gateway-app/test/support/redis-server";
import { median, printTable, sequentialLatency } from "./support/measure";
import { memoryOf, type Started, startNode } from "./support/processes";

const ROOT = join(__dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const body = JSON.stringify({ model: "bench", max_tokens: 256, messages: [{ role: "user", content: "Say something short." }] });

async function load(port: number, key: string, connections: number, seconds = SECONDS) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`port ${port}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors`);
  return result.requests.average;
}

async function main() {
  const redis = await startRedis({ durable: false });
  const admin = createRedis(redis.settings);
  await whenReady(admin);
  const key = (await new KeyStore(admin).issue("bench")).key;
  admin.disconnect();
  const gateway = (governance: "on" | "off") =>
    startNode(["--import", "tsx", join(ROOT, "bench/support/governed-gateway.ts")], {
      BENCH_GOVERNANCE: governance,
      BENCH_REDIS: JSON.stringify(redis.settings),
    });
  const targets: Record<string, Started> = { off: await gateway("off"), on: await gateway("on") };
  try {
    for (const t of Object.values(targets)) await load(t.port, key, 10, 2); // warm-up
    const rounds: Record<string, number[]> = { off: [], on: [] };
    for (let round = 0; round < ROUNDS; round++) for (const [name, t] of Object.entries(targets)) rounds[name].push(await load(t.port, key, 50));
    const ratios = rounds.on.map((rps, i) => rps / rounds.off[i]);
    const ports = Object.fromEntries(Object.entries(targets).map(([n, t]) => [n, t.port]));
    const latency = await sequentialLatency(ports, { body, until: "end", samples: SAMPLES, headers: { authorization: `Bearer ${key}` } });

    const on = targets.on;
    await load(on.port, key, 50, 10);
    await new Promise((r) => setTimeout(r, 2000));
    const before = memoryOf(on.child.pid!);
    const during: number[] = [];
    const sampler = setInterval(() => during.push(memoryOf(on.child.pid!).rssMiB), 5000);
    await load(on.port, key, 50, SOAK_SECONDS);
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 2000));
    const after = memoryOf(on.child.pid!);
    const half = Math.floor(during.length / 2);
    const [firstHalf, secondHalf] = [median(during.slice(0, half)), median(during.slice(half))];

    console.log(`\n${ROUNDS} rounds of ${SECONDS}s, ${SAMPLES} sequential samples, ${SOAK_SECONDS}s soak, ${process.version}\n`);
    printTable(
      ["governance", "JSON req/s at 50 conn (median)", "each round", "JSON latency at 1 conn, median ms"],
      ["off", "on"].map((n) => [n, median(rounds[n]).toFixed(0), rounds[n].map((r) => r.toFixed(0)).join(" "), latency[n].toFixed(3)]),
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
