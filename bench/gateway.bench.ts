// Gateway benchmark. Starts a loopback mock upstream, gateway-app pointed at it as LiteLLM, and
// a bare node:http reference proxy, then measures all of them in one run. Targets on the 2-core
// reference machine: JSON throughput at 50 connections >= 0.5x the reference proxy; added p50
// latency at 1 connection <= 0.5 ms over direct; added time to first streamed byte <= 0.5 ms (#11);
// peak RSS <= 100 MB and no growth over the soak. Big bodies: 300 concurrent 1 MiB requests never
// take RSS past the pod's 512 Mi, the excess answered 503. BENCH_BASELINE_REF=<git rev> adds that
// revision's gateway as a target taking turns with this one, for an interleaved A/B.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { compileRevision, cpuSeconds, imageRuntime, memoryOf, startNode, startReferenceProxy, type Started } from "./support/processes";
import { median, printTable, sequentialLatency, turnOrder } from "./support/measure";

const ROOT = join(__dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
// Each scenario runs this many rounds, the targets taking turns, so that the machine's noise
// (a shared 2-core VM swings 20% over a minute) falls on all of them alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 120);
const TTFB_SAMPLES = Number(process.env.BENCH_TTFB_SAMPLES ?? 300);
const BASELINE_REF = process.env.BENCH_BASELINE_REF;
// BENCH_TRACING=1 adds gateway-app with tracing on, every request sampled, its spans sent to the bench upstream.
const TRACING = process.env.BENCH_TRACING === "1";
const POD_LIMIT_MIB = 512;
// #11 states it in MB; /proc reports KiB.
const PEAK_RSS_TARGET_MIB = 100e6 / 2 ** 20;

const jsonBody = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say something short." }] });
const streamBody = JSON.stringify({ model: "bench", stream: true, messages: [{ role: "user", content: "Say something short." }] });

async function load(port: number, connections: number, body: string, seconds = SECONDS) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

/**
 * One round of `load` against a target, with the CPU time its own process spent per request served
 * (for direct that is the upstream's; for the proxies, theirs alone, without the upstream's).
 */
async function measuredRound(target: Started, connections: number, body: string) {
  const before = cpuSeconds(target.child.pid!);
  const round = await load(target.port, connections, body);
  return { ...round, cpuUsPerRequest: ((cpuSeconds(target.child.pid!) - before) * 1e6) / round.requests };
}

/**
 * Many concurrent 1 MiB bodies, more than the admission budget holds: counts the answers by
 * status and reads the gateway's peak RSS, which must stay under the pod's limit.
 */
async function bigBodies(target: Started, connections = 300, seconds = 5) {
  const body = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "x".repeat(1024 * 1024 - 100) }] });
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: seconds,
  });
  const byStatus = Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => `${status}: ${count}`);
  return {
    byStatus: byStatus.join(", "),
    errors: result.errors,
    peakMiB: memoryOf(target.child.pid!).peakMiB,
    alive: target.child.exitCode === null,
  };
}

async function main() {
  const upstream = await startNode(["--import", "tsx", join(ROOT, "bench/support/bench-upstream.ts")]);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const dir = mkdtempSync(join(tmpdir(), "gateway-bench-"));
  writeFileSync(
    join(dir, "catalogue.json"),
    JSON.stringify({ models: [{ name: "bench", upstream: "litellm", prices: { inputPerMillionTokens: 1, outputPerMillionTokens: 2 } }] }),
  );
  // The gateway runs as it does in its image: the compiled output on plain node.
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json")], { stdio: "inherit" });
  const image = imageRuntime(ROOT);
  const gatewayEnv = {
    ...image.env,
    PORT: "0",
    METRICS_PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_CONFIG: join(dir, "catalogue.json"),
    LITELLM_BASE_URL: `${upstreamUrl}/v1`,
  };
  const gateway = await startNode(image.args, gatewayEnv);
  const reference = await startReferenceProxy(ROOT, { UPSTREAM_URL: upstreamUrl });
  const targets: Record<string, Started> = { direct: upstream, reference, gateway };
  if (TRACING) targets.traced = await startNode(image.args, { ...gatewayEnv, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${upstreamUrl}/v1/traces` });
  if (BASELINE_REF) {
    const server = compileRevision(ROOT, BASELINE_REF);
    targets.baseline = await startNode(imageRuntime(ROOT, () => server).args, {
      ...image.env,
      PORT: "0",
      HOST: "127.0.0.1",
      GATEWAY_CONFIG: join(dir, "catalogue.json"),
      LITELLM_BASE_URL: `${upstreamUrl}/v1`,
    });
  }

  try {
    for (const t of Object.values(targets)) await load(t.port, 10, jsonBody, 2); // warm-up
    const rows: (string | number)[][] = [];
    const results: Record<string, Record<string, { rps: number; p50: number; p99: number; cpuUsPerRequest: number; ratio: number }>> = {};
    for (const [scenario, connections, body] of [
      ["JSON, 50 conn", 50, jsonBody],
      ["JSON, 1 conn", 1, jsonBody],
      ["stream, 50 conn", 50, streamBody],
      ["stream, 1 conn", 1, streamBody],
    ] as const) {
      const rounds: Record<string, Awaited<ReturnType<typeof measuredRound>>[]> = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, target] of turnOrder(Object.entries(targets), round)) rounds[name].push(await measuredRound(target, connections, body));
      }
      // The ratio of each round (measured back to back), then their median.
      const ratioOf = (name: string) => median(rounds[name].map((r, i) => r.rps / rounds.reference[i].rps));
      results[scenario] = {};
      for (const name of Object.keys(targets)) {
        const r = {
          rps: median(rounds[name].map((x) => x.rps)),
          p50: median(rounds[name].map((x) => x.p50)),
          p99: median(rounds[name].map((x) => x.p99)),
          cpuUsPerRequest: median(rounds[name].map((x) => x.cpuUsPerRequest)),
          ratio: ratioOf(name),
        };
        results[scenario][name] = r;
        rows.push([
          scenario,
          name,
          r.rps.toFixed(0),
          r.p50.toFixed(2),
          r.p99.toFixed(2),
          r.cpuUsPerRequest.toFixed(0),
          name === "direct" ? "" : r.ratio.toFixed(2),
          name === "direct" ? "" : rounds[name].map((x, i) => (x.rps / rounds.reference[i].rps).toFixed(2)).join(" "),
        ]);
      }
    }
    const ports = Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, target.port]));
    const ttfb = await sequentialLatency(ports, { body: streamBody, until: "first-byte", samples: TTFB_SAMPLES });
    const latency = await sequentialLatency(ports, { body: jsonBody, until: "end", samples: TTFB_SAMPLES });

    // RSS is compared in the same state before and after: 2 s after the same load. Right after
    // the quiet latency runs V8 has shrunk its young generation, and that regrowth (~7 MiB)
    // would read as growth. A leak shows as a rising trend across the soak, so it is sampled.
    const pause = () => new Promise((r) => setTimeout(r, 2000));
    // The reference proxy takes the same load first: its peak RSS is the floor under the gateway's.
    for (const target of [reference, gateway]) {
      await load(target.port, 50, streamBody, 10);
      await load(target.port, 50, jsonBody, 10);
    }
    const referencePeakMiB = memoryOf(reference.child.pid!).peakMiB;
    await pause();
    const beforeSoak = memoryOf(gateway.child.pid!);
    const during: number[] = [];
    const sampler = setInterval(() => during.push(memoryOf(gateway.child.pid!).rssMiB), 5000);
    await load(gateway.port, 50, streamBody, SOAK_SECONDS / 2);
    await load(gateway.port, 50, jsonBody, SOAK_SECONDS / 2);
    clearInterval(sampler);
    await pause();
    const afterSoak = memoryOf(gateway.child.pid!);
    // Last, so that the soak's RSS readings are not this scenario's.
    const big = await bigBodies(gateway);
    const half = Math.floor(during.length / 2);
    const firstHalf = median(during.slice(0, half));
    const secondHalf = median(during.slice(half));

    console.log(
      `\n${ROUNDS} rounds of ${SECONDS}s per target and scenario (medians), ${process.version}, ${TTFB_SAMPLES} TTFB samples, ` +
        `${SOAK_SECONDS}s soak\n`,
    );
    printTable(["scenario", "target", "req/s", "p50 ms", "p99 ms", "CPU µs/req (own process)", "vs reference (median)", "each round"], rows);
    console.log("");
    printTable(
      ["target", "JSON latency at 1 conn, median ms", "time to first streamed byte, median ms"],
      Object.keys(targets).map((n) => [n, latency[n].toFixed(3), ttfb[n].toFixed(3)]),
    );
    console.log("");
    const jsonRatio = results["JSON, 50 conn"].gateway.ratio;
    const addedP50 = latency.gateway - latency.direct;
    const addedTtfb = ttfb.gateway - ttfb.direct;
    const growth = afterSoak.rssMiB - beforeSoak.rssMiB;
    if (results["JSON, 50 conn"].baseline) {
      const versus = (scenario: string) => results[scenario].gateway.ratio / results[scenario].baseline.ratio;
      printTable(
        ["scenario", `gateway vs baseline ${BASELINE_REF} (ratio of medians vs reference)`],
        Object.keys(results).map((scenario) => [scenario, `${versus(scenario).toFixed(3)}x`]),
      );
      console.log("");
    }
    if (results["JSON, 50 conn"].traced) {
      const traced = (scenario: string) => results[scenario].traced.ratio / results[scenario].gateway.ratio;
      printTable(
        ["scenario", "traced vs gateway (ratio of medians vs reference)"],
        Object.keys(results).map((scenario) => [scenario, `${traced(scenario).toFixed(3)}x`]),
      );
      console.log("");
    }
    printTable(
      ["target", "limit", "measured", "met"],
      [
        ["JSON req/s at 50 conn vs reference proxy", ">= 0.5x", `${jsonRatio.toFixed(2)}x`, jsonRatio >= 0.5 ? "yes" : "NO"],
        ["added p50 at 1 conn (JSON) over direct", "<= 0.5 ms", `${addedP50.toFixed(3)} ms`, addedP50 <= 0.5 ? "yes" : "NO"],
        ["added time to first streamed byte", "<= 0.5 ms", `${addedTtfb.toFixed(3)} ms`, addedTtfb <= 0.5 ? "yes" : "NO"],
        [
          "gateway peak RSS",
          `<= 100 MB (${PEAK_RSS_TARGET_MIB.toFixed(1)} MiB)`,
          `${afterSoak.peakMiB.toFixed(1)} MiB`,
          afterSoak.peakMiB <= PEAK_RSS_TARGET_MIB ? "yes" : "NO",
        ],
        ["bare node:http proxy peak RSS (same flags and load, no soak)", "(reference)", `${referencePeakMiB.toFixed(1)} MiB`, ""],
        [
          "gateway RSS before -> after soak",
          "no growth",
          `${beforeSoak.rssMiB.toFixed(1)} -> ${afterSoak.rssMiB.toFixed(1)} MiB`,
          growth <= 5 ? "yes" : "NO",
        ],
        [
          "gateway RSS during soak, median 1st -> 2nd half",
          "no growth",
          `${firstHalf.toFixed(1)} -> ${secondHalf.toFixed(1)} MiB (min ${Math.min(...during).toFixed(1)}, max ${Math.max(...during).toFixed(1)})`,
          secondHalf - firstHalf <= 5 ? "yes" : "NO",
        ],
        [
          "300 concurrent 1 MiB bodies: peak RSS, answers",
          `<= ${POD_LIMIT_MIB} MiB, alive`,
          `${big.peakMiB.toFixed(1)} MiB; ${big.byStatus}; ${big.errors} errors`,
          big.peakMiB <= POD_LIMIT_MIB && big.alive ? "yes" : "NO",
        ],
      ],
    );
  } finally {
    for (const t of Object.values(targets)) t.child.kill("SIGTERM");
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
