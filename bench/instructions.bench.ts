// Instructions per request, counted by callgrind: the figure to judge a small change by on a shared
// machine. CPU time per request swings ±15% between rounds here (steal, neighbours), and session
// after session that noise hid changes of 5-20 µs; callgrind counts what the gateway executes,
// whatever else the machine does. gateway-app runs as the image runs it (compiled server, the CMD's
// node flags) under `valgrind --tool=callgrind --separate-threads=yes`: after a warm-up the counters
// are zeroed (callgrind_control -z), BENCH_REQUESTS requests are sent and the counters dumped (-d).
// The main thread (JavaScript, the HTTP parser, the user side of syscalls) is reported apart from the
// other threads (V8's GC and compiler helpers, libuv's pool), whose count swings with whether a major
// GC falls in the window and whether the optimizing compiler is still at work. Kernel time and
// cache misses are not counted, so this complements CPU time; it does not replace it. Work paced by
// the clock (governance's 100 ms usage flushes, lease renewals, timers) is overcounted per request,
// since under callgrind a request takes ~50x as long: compare revisions, not absolute figures.
// BENCH_BASELINE_REF=<rev> adds that revision as a second target; BENCH_GOVERNANCE=1 sends the
// governed tenant's requests (API key, budgets, limits, the TLS + AUTH Redis) instead of governance off.
// BENCH_UPSTREAM=litellm serves the bench model from a loopback upstream (support/bench-upstream.ts)
// through the upstream HTTP client, which the built-in mock (the default) leaves out.
// BENCH_FUNCTIONS=<n> adds the n functions that executed most on the main thread, per request, JIT
// code named through the perf map of --perf-basic-prof (support/callgrind-functions.ts): self
// instructions and inclusive ones (with what they called), for each target side by side.
// Needs valgrind (Debian's package). A tool, not a target: it prints a table and asserts nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { KeyStore } from "../gateway-app/src/governance/keys";
import { createRedis, whenReady } from "../gateway-app/src/governance/redis";
import { startRedis, type TestRedis } from "../gateway-app/test/support/redis-server";
import { asKongSends, body, governedTenant, startBenchGateway } from "./support/governance";
import { type FunctionCost, functionCosts } from "./support/callgrind-functions";
import { printTable } from "./support/measure";
import { compileRevision, type Started, startNode } from "./support/processes";

const ROOT = join(__dirname, "..");
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 3000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const BASELINE_REF = process.env.BENCH_BASELINE_REF;
const GOVERNED = process.env.BENCH_GOVERNANCE === "1";
const FUNCTIONS = Number(process.env.BENCH_FUNCTIONS ?? 0);
const UPSTREAM = process.env.BENCH_UPSTREAM ?? "mock";

interface Counted {
  readonly mainThread: number;
  readonly otherThreads: number;
  /** Per function on the main thread, when BENCH_FUNCTIONS asks. */
  readonly functions?: readonly FunctionCost[];
}

/**
 * callgrind_control finds the process through vgdb's pipes, whose names carry $HOST; the gateway
 * runs with HOST=127.0.0.1 (its listen address), so the control command must see the same.
 */
function callgrindControl(pid: number, command: "-z" | "-d"): void {
  execFileSync("callgrind_control", [command, String(pid)], { env: { ...process.env, HOST: "127.0.0.1" }, stdio: "ignore" });
}

/** The instructions of every thread in the dump callgrind wrote after `-d` (files `<out>.<dump>-<thread>`). */
function readDump(dir: string, pid: number): Counted {
  const dumps = readdirSync(dir).filter((name) => /\.1-\d+$/.test(name));
  if (dumps.length === 0) throw new Error(`no callgrind dump in ${dir}`);
  let mainThread = 0;
  let otherThreads = 0;
  for (const name of dumps) {
    const total = Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(join(dir, name), "utf8"))?.[1] ?? 0);
    if (name.endsWith("-01")) mainThread += total;
    else otherThreads += total;
  }
  const main = dumps.find((name) => name.endsWith("-01"));
  const functions = FUNCTIONS > 0 && main ? functionCosts(join(dir, main), `/tmp/perf-${pid}.map`) : undefined;
  return { mainThread, otherThreads, functions };
}

async function send(target: Started, headers: Record<string, string>, amount: number): Promise<void> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    connections: 10,
    amount,
    // Under callgrind a request takes ~50x as long; a cold one, while the JIT runs interpreted, longer.
    timeout: 60,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`port ${target.port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
}

async function count(server: string, redis: TestRedis | undefined, headers: Record<string, string>, litellmUrl?: string): Promise<Counted> {
  const dir = mkdtempSync(join(tmpdir(), "bench-callgrind-"));
  const target = await startBenchGateway(
    ROOT,
    {
      tenants: GOVERNED ? [governedTenant] : undefined,
      redis,
      commandTimeoutMs: "10000",
      server,
      nodeOptions: FUNCTIONS > 0 ? "--perf-basic-prof" : undefined,
      litellmUrl,
    },
    {
      launcher: [
        "valgrind",
        "--tool=callgrind",
        "--separate-threads=yes",
        `--callgrind-out-file=${join(dir, "callgrind.out")}`,
        `--log-file=${join(dir, "valgrind.log")}`,
      ],
      startTimeoutMs: 180_000,
      // --perf-basic-prof also has V8 write an isolate-*-v8.log into the working directory: the dump's, not the checkout.
      cwd: dir,
    },
    dir,
  );
  try {
    await send(target, headers, WARM_UP);
    callgrindControl(target.child.pid!, "-z");
    await send(target, headers, REQUESTS);
    callgrindControl(target.child.pid!, "-d");
    return readDump(dir, target.child.pid!);
  } finally {
    target.child.kill("SIGKILL");
  }
}

async function main() {
  // Before the compile and the Redis: a mistyped setting costs nothing.
  if (UPSTREAM !== "mock" && UPSTREAM !== "litellm") throw new Error(`BENCH_UPSTREAM is "${UPSTREAM}": set it to mock or litellm`);
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json")], { stdio: "inherit" });
  const servers: Record<string, string> = { gateway: join(ROOT, "gateway-app/dist/server.js") };
  if (BASELINE_REF) servers.baseline = compileRevision(ROOT, BASELINE_REF);
  const redis = GOVERNED ? await startRedis({ durable: false }) : undefined;
  const upstream = UPSTREAM === "litellm" ? await startNode(["--import", "tsx", join(ROOT, "bench/support/bench-upstream.ts")]) : undefined;
  const litellmUrl = upstream ? `http://127.0.0.1:${upstream.port}/v1` : undefined;
  try {
    let headers: Record<string, string> = {};
    if (redis) {
      const admin = createRedis(redis.settings);
      await whenReady(admin);
      headers = asKongSends((await new KeyStore(admin).issue("bench")).key);
      admin.disconnect();
    }
    const counted: Record<string, Counted> = {};
    for (const [name, server] of Object.entries(servers)) counted[name] = await count(server, redis, headers, litellmUrl);
    const perRequest = (n: number) => Math.round(n / REQUESTS);
    console.log(
      `\n${GOVERNED ? "governance on" : "governance off"}, upstream ${UPSTREAM}, ` +
        `${WARM_UP} warm-up requests, ${REQUESTS} counted, ${process.version}\n`,
    );
    printTable(
      ["target", "main thread instructions/request", "other threads", "all threads", "main thread vs baseline"],
      Object.entries(counted).map(([name, c]) => [
        name,
        perRequest(c.mainThread),
        perRequest(c.otherThreads),
        perRequest(c.mainThread + c.otherThreads),
        counted.baseline ? `${(c.mainThread / counted.baseline.mainThread).toFixed(3)}x` : "-",
      ]),
    );
    if (FUNCTIONS > 0) printFunctions(counted);
  } finally {
    upstream?.child.kill();
    await redis?.stop();
  }
}

/** The functions the first target executed most itself, with each target's self and inclusive instructions per request. */
function printFunctions(counted: Record<string, Counted>): void {
  const names = Object.keys(counted);
  const byName = Object.fromEntries(names.map((name) => [name, new Map((counted[name].functions ?? []).map((f) => [f.name, f]))]));
  const top = [...(counted[names[0]].functions ?? [])].sort((a, b) => b.self - a.self).slice(0, FUNCTIONS);
  const perRequest = (n: number | undefined) => (n === undefined ? "-" : String(Math.round(n / REQUESTS)));
  console.log(`\nmain thread, per request: the ${FUNCTIONS} functions ${names[0]} executed most itself\n`);
  printTable(
    ["function", ...names.flatMap((name) => [`${name} self`, `${name} inclusive`])],
    top.map((f) => [
      f.name.length > 90 ? `${f.name.slice(0, 87)}...` : f.name,
      ...names.flatMap((name) => [perRequest(byName[name].get(f.name)?.self), perRequest(byName[name].get(f.name)?.inclusive)]),
    ]),
  );
}

void main();
