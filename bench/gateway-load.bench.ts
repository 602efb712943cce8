// Load benchmark of gateway-app under the loads a pod meets: an open-loop fixed rate, thousands
// of long streams, and a pile of large bodies. gateway-app runs as its image runs it (the CMD's
// node flags, the compiled server) against a loopback upstream; everything shares this machine.
// Targets (2-core reference machine):
// - open loop at 2,000 req/s: gateway adds <= 0.3 ms at p50 and <= 1 ms at p99 over direct (the
//   bare node:http reference proxy is measured alongside: what any node:http proxy adds here);
// - 10,000 concurrent streams, one small chunk a second for 20 s: all complete, time to first
//   byte p99 <= 1 s, /healthz p99 <= 50 ms, RSS <= 512 MiB;
// - concurrent 1 MiB requests to a slow model: RSS stays under the pod's 512 MiB limit, the excess
//   is answered 429/503 (what the server answers is reported, whatever it is).
// BENCH_CASES=open,streams,bodies (the default) picks the cases to run.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { median, metricSample, printTable } from "./support/measure";
import { cpuSeconds, imageRuntime, memoryOf, startNode, startReferenceProxy, type Started } from "./support/processes";

const ROOT = join(__dirname, "..");
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Each target takes the open loop this long before the rounds. A fresh gateway's old generation
// reaches V8's first limit after 5-16 s of this load: one Mark-Compact (a 5-9 ms pause after
// 9-15 ms of marking steps; by its timing, the "stall ~8 s after start" of earlier runs), which
// set the p99 of whichever round it fell in. After it one comes about every 75 s at this rate
// (the old generation grows ~35 bytes per request), each a 2-5 ms pause since the upstream pool
// stopped churning connections (13-25 ms before). A pod serves for hours, and the rounds measure
// it warm; the table reports the Mark-Compacts that fall in them.
const OPEN_LOOP_WARM_UP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_WARM_UP_SECONDS ?? 20);
// Each round's generator, a fresh process, first sends this long untimed (why, in open-loop-client.mjs).
const ROUND_WARM_UP_SECONDS = 1;
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const STREAM_CHUNKS = Number(process.env.BENCH_STREAM_CHUNKS ?? 20);
// Streams open over this long (1,000 new connections a second): opened all at once, connections
// beyond the listen backlog wait for SYN retransmits (1 s, 3 s, 7 s...), which times TCP, not us.
const STREAM_RAMP_MS = Number(process.env.BENCH_STREAM_RAMP_MS ?? 10_000);
const BIG_BODIES = Number(process.env.BENCH_BIG_BODIES ?? 1000);
const BIG_BODY_BYTES = 1_000_000;
const POD_LIMIT_MIB = 512;

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function startGatewayProcess(upstreamUrl: string, env: Record<string, string> = {}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-load-"));
  const models = ["fast", "slow-stream", "slow-json"].map((name) => ({ name, upstream: "litellm" }));
  writeFileSync(join(dir, "catalogue.json"), JSON.stringify({ models }));
  const image = imageRuntime(ROOT);
  return startNode(image.args, {
    ...image.env,
    PORT: "0",
    METRICS_PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_CONFIG: join(dir, "catalogue.json"),
    LITELLM_BASE_URL: upstreamUrl,
    ...env,
  });
}

/** The open-file limit a child of this process gets: the soft limit (root may not raise it past the hard one in a container). */
function openFileLimit(): number {
  return Number(execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim());
}

/**
 * How many proxied streams a started gateway can still hold under the open-file limit: two
 * sockets each (the client's and the upstream's), after the descriptors it holds idle and a few
 * for the /healthz prober and the metrics scrapes.
 */
function streamsTheFdLimitAllows(gateway: Started): number {
  const limit = openFileLimit();
  if (!Number.isFinite(limit)) return Number.POSITIVE_INFINITY;
  return Math.floor((limit - readdirSync(`/proc/${gateway.child.pid}/fd`).length - 8) / 2);
}

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "Say something short." }], ...extra });

interface Reply {
  readonly status: number;
  readonly firstByteMs: number;
  readonly endMs: number;
  readonly tail: string;
}

/** One POST; times from `since` (the moment it was due, for open-loop load) to the first body byte and to the end. */
function post(port: number, agent: http.Agent, body: string, since = performance.now()): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/v1/chat/completions",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let firstByteMs = Number.NaN;
        let tail = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - since;
          tail = (tail + d).slice(-32);
        });
        res.on("end", () => resolve({ status: res.statusCode!, firstByteMs, endMs: performance.now() - since, tail }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface OpenLoopRound {
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly achieved: number;
  /** The load generator's own share of one core. */
  readonly cpuShare: number;
}

/**
 * Requests at a fixed rate whatever the answers do (open loop), latency counted from the moment
 * each was due, so a slow answer cannot hide the queue behind it (no coordinated omission). The
 * requests come from open-loop-client.mjs, its own light process (why, there).
 */
async function openLoop(port: number, rate: number, seconds: number): Promise<OpenLoopRound> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [join(__dirname, "support/open-loop-client.mjs"), String(port), String(rate), String(seconds), String(ROUND_WARM_UP_SECONDS)],
    {
      env: { ...process.env, OPEN_LOOP_BODY: chat("fast") },
    },
  );
  return JSON.parse(stdout) as OpenLoopRound;
}

/** One open-loop round against `port`, with the share of one core the generator and each given child used meanwhile. */
async function openLoopWithCpu(port: number, children: Record<string, Started>): Promise<{ result: OpenLoopRound; cpu: Record<string, number> }> {
  const wall = performance.now();
  const before = Object.fromEntries(Object.entries(children).map(([name, c]) => [name, cpuSeconds(c.child.pid!)]));
  const result = await openLoop(port, RATE, OPEN_LOOP_SECONDS);
  const seconds = (performance.now() - wall) / 1000;
  const cpu: Record<string, number> = { "load generator": result.cpuShare };
  for (const [name, c] of Object.entries(children)) cpu[name] = (cpuSeconds(c.child.pid!) - before[name]) / seconds;
  return { result, cpu };
}

/**
 * The open loop against the upstream directly, through the bare node:http reference proxy (the
 * floor any node:http proxy pays on this machine) and through the gateway, back to back in each
 * round so the machine's noise falls on all alike.
 */
async function openLoopCase(targets: { direct: Started; reference: Started; gateway: Started }) {
  for (const target of Object.values(targets)) await openLoop(target.port, RATE, OPEN_LOOP_WARM_UP_SECONDS);
  const gcBefore = majorGcs(await scrape(targets.gateway));
  const rounds: Record<keyof typeof targets, OpenLoopRound>[] = [];
  const cpu: Record<string, number>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const direct = await openLoop(targets.direct.port, RATE, OPEN_LOOP_SECONDS);
    const reference = await openLoop(targets.reference.port, RATE, OPEN_LOOP_SECONDS);
    const g = await openLoopWithCpu(targets.gateway.port, { upstream: targets.direct, gateway: targets.gateway });
    rounds.push({ direct, reference, gateway: g.result });
    cpu.push(g.cpu);
  }
  const gcAfter = majorGcs(await scrape(targets.gateway));
  const summary = (name: keyof typeof targets) => ({
    p50: median(rounds.map((r) => r[name].p50)),
    p99: median(rounds.map((r) => r[name].p99)),
    achieved: median(rounds.map((r) => r[name].achieved)),
    addedP50: median(rounds.map((r) => r[name].p50 - r.direct.p50)),
    addedP99: median(rounds.map((r) => r[name].p99 - r.direct.p99)),
  });
  return {
    cpu: Object.fromEntries(Object.keys(cpu[0]).map((name) => [name, median(cpu.map((c) => c[name]))])),
    direct: summary("direct"),
    reference: summary("reference"),
    gateway: summary("gateway"),
    failed: rounds.reduce((sum, r) => sum + r.direct.failed + r.reference.failed + r.gateway.failed, 0),
    majorGcs: {
      count: gcAfter.count - gcBefore.count,
      seconds: gcAfter.seconds - gcBefore.seconds,
      requests: ROUNDS * (OPEN_LOOP_SECONDS + ROUND_WARM_UP_SECONDS) * RATE,
    },
  };
}

/**
 * The gateway's Mark-Compacts so far, from its nodejs_gc_duration_seconds: the one pause long
 * enough (5-9 ms here, after as long again of marking steps) to set an open-loop round's p99.
 */
function majorGcs(metrics: string): { count: number; seconds: number } {
  return {
    count: metricSample(metrics, 'nodejs_gc_duration_seconds_count{kind="major"}'),
    seconds: metricSample(metrics, 'nodejs_gc_duration_seconds_sum{kind="major"}'),
  };
}

/** The gateway's own /metrics text, from its metrics port. */
function scrape(gateway: Started): Promise<string> {
  return new Promise((resolve, reject) => {
    if (gateway.metricsPort === undefined) return reject(new Error("the gateway reported no metrics port"));
    http
      .get({ host: "127.0.0.1", port: gateway.metricsPort, path: "/metrics" }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => resolve(text));
      })
      .on("error", reject);
  });
}

/** Samples a process's RSS and a route's latency while `work` runs. */
async function watch<T>(gateway: Started, work: () => Promise<T>) {
  const pid = gateway.child.pid!;
  const baseRss = memoryOf(pid).rssMiB;
  let maxRss = baseRss;
  const rssTimer = setInterval(() => {
    try {
      maxRss = Math.max(maxRss, memoryOf(pid).rssMiB);
    } catch {
      // The process is gone; the caller sees it.
    }
  }, 200);
  const health: number[] = [];
  let healthFailures = 0;
  let watching = true;
  const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const prober = (async () => {
    while (watching) {
      const started = performance.now();
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: "127.0.0.1", port: gateway.port, path: "/healthz", agent: healthAgent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode === 200));
        });
        req.on("error", () => resolve(false));
      });
      if (ok) health.push(performance.now() - started);
      else healthFailures += 1;
      await sleep(50);
    }
  })();
  // What the gateway itself counts: how many streams it held at once.
  let peakStreams = 0;
  const streamsTimer = setInterval(() => {
    scrape(gateway).then(
      (text) => (peakStreams = Math.max(peakStreams, metricSample(text, "gateway_streams_in_flight"))),
      () => undefined,
    );
  }, 1000);
  const cpuBefore = cpuSeconds(pid);
  const wallBefore = performance.now();
  try {
    const result = await work();
    let cpuPercent = Number.NaN;
    try {
      cpuPercent = ((cpuSeconds(pid) - cpuBefore) / ((performance.now() - wallBefore) / 1000)) * 100;
    } catch {
      // gone
    }
    return { result, baseRss, maxRss, healthP99: percentile(health, 99), healthFailures, cpuPercent, peakStreams };
  } finally {
    watching = false;
    clearInterval(streamsTimer);
    clearInterval(rssTimer);
    await prober;
    healthAgent.destroy();
  }
}

async function longStreamsCase(gateway: Started, count: number) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const body = chat("slow-stream", { stream: true });
  return watch(gateway, async () => {
    const replies = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        await sleep((i * STREAM_RAMP_MS) / count);
        return post(gateway.port, agent, body).catch(() => undefined);
      }),
    );
    agent.destroy();
    const done = replies.filter((r): r is Reply => r?.status === 200 && r.tail.endsWith("data: [DONE]\n\n"));
    return {
      completed: done.length,
      ttfbP99: percentile(
        done.map((r) => r.firstByteMs),
        99,
      ),
    };
  });
}

async function bigBodiesCase(gateway: Started, count: number) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const body = JSON.stringify({ model: "slow-json", messages: [{ role: "user", content: "x".repeat(BIG_BODY_BYTES - 100) }] });
  return watch(gateway, async () => {
    const statuses: Record<string, number> = {};
    const tally = (key: string | number) => {
      statuses[key] = (statuses[key] ?? 0) + 1;
    };
    await Promise.all(
      Array.from({ length: count }, () =>
        post(gateway.port, agent, body).then(
          (r) => tally(r.status),
          () => tally("reset"),
        ),
      ),
    );
    agent.destroy();
    return statuses;
  });
}

function alive(started: Started): boolean {
  return started.child.exitCode === null && started.child.signalCode === null;
}

const CASE_NAMES = ["open", "streams", "bodies"] as const;
type CaseName = (typeof CASE_NAMES)[number];

/** BENCH_CASES: which cases run, comma-separated (default all three), so one can be iterated on alone. */
function selectedCases(): Set<CaseName> {
  const asked = (process.env.BENCH_CASES ?? CASE_NAMES.join(",")).split(",").map((name) => name.trim());
  const unknown = asked.filter((name) => !(CASE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || asked.length === 0)
    throw new Error(`BENCH_CASES names ${unknown.join(", ") || "nothing"}: use a comma-separated list of ${CASE_NAMES.join(", ")}`);
  return new Set(asked as CaseName[]);
}

type Row = string[];
const met = (ok: boolean) => (ok ? "yes" : "NO");

/** The open loop's own tables, and its rows of the targets table. */
function reportOpenLoop(open: Awaited<ReturnType<typeof openLoopCase>>): Row[] {
  console.log(`\n${ROUNDS} rounds of ${OPEN_LOOP_SECONDS} s at ${RATE} req/s\n`);
  printTable(
    ["open loop", "p50 ms", "p99 ms", "added p50 / p99 ms over direct", "answered req/s"],
    (["direct", "reference", "gateway"] as const).map((name) => [
      name === "reference" ? "bare node:http proxy" : name,
      open[name].p50.toFixed(2),
      open[name].p99.toFixed(2),
      name === "direct" ? "" : `${open[name].addedP50.toFixed(3)} / ${open[name].addedP99.toFixed(3)}`,
      open[name].achieved.toFixed(0),
    ]),
  );
  console.log("");
  // Everything shares the machine's cores: a load generator near one core cannot offer more.
  printTable(
    ["CPU while the gateway takes the open loop", "share of one core"],
    Object.entries(open.cpu).map(([name, share]) => [name, `${(share * 100).toFixed(0)}%`]),
  );
  return [
    [`added p50, open loop at ${RATE} req/s`, "<= 0.3 ms", `${open.gateway.addedP50.toFixed(3)} ms`, met(open.gateway.addedP50 <= 0.3)],
    [`added p99, open loop at ${RATE} req/s`, "<= 1 ms", `${open.gateway.addedP99.toFixed(3)} ms`, met(open.gateway.addedP99 <= 1)],
    [
      "gateway Mark-Compacts during its rounds",
      "(for the tail)",
      `${open.majorGcs.count} (${(open.majorGcs.seconds * 1000).toFixed(1)} ms) in ${open.majorGcs.requests} requests`,
      "",
    ],
    ["open-loop requests failed", "0", String(open.failed), met(open.failed === 0)],
    [
      `open-loop rate answered by the gateway`,
      `${RATE} req/s`,
      `${open.gateway.achieved.toFixed(0)} req/s`,
      met(open.gateway.achieved >= RATE * 0.98),
    ],
  ];
}

/** The long streams through a gateway and through the bare proxy: rows of the targets table. */
async function runLongStreams(fresh: Fresh, upstreamUrl: string, started: Started[]): Promise<Row[]> {
  // The pool raised to the stream count: the case measures what one process can hold, not the default cap.
  const streamGateway = await fresh({ UPSTREAM_MAX_SOCKETS: String(STREAMS) });
  const streams = Math.min(STREAMS, streamsTheFdLimitAllows(streamGateway));
  const long = await longStreamsCase(streamGateway, streams);
  const longPeak = memoryOf(streamGateway.child.pid!).peakMiB;
  // The same streams through the bare proxy: what relaying them costs any node:http proxy here.
  const streamReference = await startReferenceProxy(ROOT, {
    UPSTREAM_URL: upstreamUrl,
    REFERENCE_MAX_SOCKETS: String(STREAMS),
  });
  started.push(streamReference);
  const longReference = await longStreamsCase(streamReference, streams);
  console.log(`\n${streams} streams of ${STREAM_CHUNKS} chunks`);
  if (streams < STREAMS)
    console.log(
      `(${STREAMS} streams asked; this machine's open-file limit, ${openFileLimit()} and not to be raised here, ` +
        `allows ${streams} proxied streams per process)`,
    );
  return [
    [`long streams completed`, `${streams}`, String(long.result.completed), met(long.result.completed === streams)],
    ["long streams, time to first byte p99", "<= 1000 ms", `${long.result.ttfbP99.toFixed(1)} ms`, met(long.result.ttfbP99 <= 1000)],
    [
      "/healthz p99 during the streams",
      "<= 50 ms",
      `${long.healthP99.toFixed(1)} ms (${long.healthFailures} failed)`,
      met(long.healthP99 <= 50 && long.healthFailures === 0),
    ],
    ["gateway RSS during the streams, max / peak", "<= 512 MiB", `${long.maxRss.toFixed(0)} / ${longPeak.toFixed(0)} MiB`, met(longPeak <= 512)],
    ["peak gateway_streams_in_flight", `${streams}`, String(long.peakStreams), met(long.peakStreams === streams)],
    [
      "gateway RSS per stream in flight (over its idle RSS)",
      "(for sizing)",
      `${(((long.maxRss - long.baseRss) * 1024) / Math.max(1, long.peakStreams)).toFixed(0)} KiB over ${long.baseRss.toFixed(0)} MiB`,
      "",
    ],
    ["gateway CPU during the streams", "(for scaling)", `${long.cpuPercent.toFixed(0)}% of one core`, ""],
    [
      "the same streams through the bare node:http proxy",
      "(reference)",
      `${longReference.result.completed} completed, first byte p99 ${longReference.result.ttfbP99.toFixed(1)} ms, ` +
        `${longReference.cpuPercent.toFixed(0)}% of one core`,
      "",
    ],
  ];
}

/** The pile of 1 MB bodies: rows of the targets table. */
async function runBigBodies(fresh: Fresh): Promise<Row[]> {
  const bodyGateway = await fresh();
  const big = await bigBodiesCase(bodyGateway, BIG_BODIES);
  const bigSurvived = alive(bodyGateway);
  const bigPeak = bigSurvived ? memoryOf(bodyGateway.child.pid!).peakMiB : big.maxRss;
  const statuses = Object.entries(big.result)
    .map(([status, n]) => `${status}: ${n}`)
    .join(", ");
  return [
    [`${BIG_BODIES} concurrent 1 MB requests, answers`, "excess 429/503", statuses, met(bigSurvived && !big.result.reset)],
    [
      "gateway RSS under the big bodies, peak",
      `< ${POD_LIMIT_MIB} MiB`,
      `${bigPeak.toFixed(0)} MiB${bigSurvived ? "" : " (the process died)"}`,
      met(bigSurvived && bigPeak < POD_LIMIT_MIB),
    ],
  ];
}

type Fresh = (env?: Record<string, string>) => Promise<Started>;

async function main() {
  let cases: Set<CaseName>;
  try {
    cases = selectedCases();
  } catch (error) {
    // A setting's mistake: its message, without a stack.
    console.error((error as Error).message);
    process.exit(2);
  }
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json")], { stdio: "inherit" });
  const upstream = await startNode(["--import", "tsx", join(ROOT, "bench/support/load-upstream.ts")], { LOAD_CHUNKS: String(STREAM_CHUNKS) });
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const started: Started[] = [upstream];
  const fresh: Fresh = async (env = {}) => {
    const gateway = await startGatewayProcess(upstreamUrl, env);
    started.push(gateway);
    return gateway;
  };
  try {
    console.log(`\n${process.version}; cases: ${[...cases].join(", ")}`);
    const rows: Row[] = [];
    if (cases.has("open")) {
      const reference = await startReferenceProxy(ROOT, { UPSTREAM_URL: upstreamUrl });
      started.push(reference);
      rows.push(...reportOpenLoop(await openLoopCase({ direct: upstream, reference, gateway: await fresh() })));
    }
    if (cases.has("streams")) rows.push(...(await runLongStreams(fresh, upstreamUrl, started)));
    if (cases.has("bodies")) rows.push(...(await runBigBodies(fresh)));
    console.log("");
    printTable(["target", "limit", "measured", "met"], rows);
  } finally {
    for (const s of started) s.child.kill("SIGTERM");
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
