import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Registry } from "prom-client";
import type { AppDeps } from "../../src/app.js";
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import type { Upstream } from "../../src/upstream/types.js";

const APP_DIR = resolve(__dirname, "../..");
const ROOT = resolve(APP_DIR, "..");

/** Loads a config from an environment and a catalogue object, failing the test on problems. */
export function configFrom(env: Record<string, string>, catalogue?: unknown): GatewayConfig {
  const files: Record<string, string> = catalogue ? { "/etc/gateway/catalogue.json": JSON.stringify(catalogue) } : {};
  const result = loadConfig({
    env: { PORT: "0", METRICS_PORT: "0", HOST: "127.0.0.1", ...(catalogue ? { GATEWAY_CONFIG: "/etc/gateway/catalogue.json" } : {}), ...env },
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return files[path];
    },
  });
  if (!result.ok) throw new Error(`test config invalid:\n${result.problems.join("\n")}`);
  return result.config;
}

/** The node arguments of the image's CMD (heap flags, then the entry point), read from the Dockerfile. */
export function imageCommand(): string[] {
  const dockerfile = readFileSync(join(APP_DIR, "Dockerfile"), "utf8");
  return JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
}

/** The production defaults (config.ts), as literals. */
const SERVED_APP_DEFAULTS = { admission: { maxRequests: 10_000, maxBodyBytes: 64 * 1024 * 1024 }, maxUpstreamResponseBytes: 32 * 1024 * 1024 };

let compiledDir: string | undefined;

/**
 * gateway-app compiled as the image's build stage compiles it, once per test worker, into its
 * own directory under gateway-app/dist (so parallel workers never read a half-written file, and
 * node_modules resolve as in the image).
 */
export function compiledGateway(): string {
  if (compiledDir) return compiledDir;
  mkdirSync(join(APP_DIR, "dist"), { recursive: true });
  const dir = mkdtempSync(join(APP_DIR, "dist", "test-"));
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(APP_DIR, "tsconfig.json"), "--outDir", dir], {
    stdio: "pipe",
  });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  compiledDir = dir;
  return dir;
}

export interface CompiledGateway {
  readonly child: ChildProcess;
  readonly port: number;
  /** SIGTERM, then the exit code once the process is gone. */
  shutdown(): Promise<number | null>;
}

export interface TestGateway {
  readonly url: string;
  /** Where /metrics is served: its own listener. */
  readonly metricsUrl: string;
  readonly gateway: CompiledGateway;
  /** Its stdout, one JSON line an entry, as they arrive. */
  readonly logs: string[];
  /** Its stderr so far. */
  readonly errors: () => string;
  /** Waits until the buffered log lines (at most 20 ms old) have reached `logs`. */
  logsSettled(): Promise<void>;
}

/**
 * The compiled server in its own process, started as the image's CMD starts it (same node flags,
 * same entry point), with `env` and the catalogue as its GATEWAY_CONFIG file.
 */
export async function startTestGateway(env: Record<string, string>, catalogue?: unknown): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "gw-test-"));
  const files: Record<string, string> = {};
  if (catalogue) {
    writeFileSync(join(dir, "catalogue.json"), JSON.stringify(catalogue));
    files.GATEWAY_CONFIG = join(dir, "catalogue.json");
  }
  const compiled = compiledGateway();
  const args = imageCommand().map((arg) => (arg === "gateway-app/dist/server.js" ? join(compiled, "server.js") : arg));
  const child = spawn(process.execPath, args, {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH, PORT: "0", METRICS_PORT: "0", HOST: "127.0.0.1", ...files, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  let partial = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const [port, metricsPort] = await new Promise<[number, number]>((resolvePorts, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const lines = (partial + d.toString("utf8")).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        logs.push(line);
        const match = /"msg":"listening","port":(\d+),"metrics_port":(\d+)/.exec(line);
        if (match) resolvePorts([Number(match[1]), Number(match[2])]);
      }
    });
    void exited.then((code) => reject(new Error(`gateway exited ${code} before listening: ${stderr}`)));
  });
  const gateway: CompiledGateway = {
    child,
    port,
    shutdown: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    gateway,
    logs,
    errors: () => stderr,
    logsSettled: () => new Promise((r) => setTimeout(r, 60)),
  };
}

/**
 * A module of the compiled gateway, loaded by Node itself (no test transform): what the image
 * runs. Synchronous: Node 24 requires ES modules without top-level await.
 */
function compiledModule<T>(path: string): T {
  return createRequire(__filename)(join(compiledGateway(), path)) as T;
}

export interface ServedApp {
  /** Like Hono's `app.request`, but over real HTTP to the app served as production serves it. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The loopback URL, once the first request started the server. */
  url(): Promise<string>;
}

/**
 * The compiled app served by nodeListener on a loopback port, the way server.ts serves it,
 * with upstreams the test provides. The server starts on the first request and never keeps the
 * test process alive.
 */
export function servedApp(
  catalogue: unknown,
  upstreams: Partial<Record<"litellm" | "vertex" | "mock", Upstream>> = {},
  options: Partial<Pick<AppDeps, "bodyLimitBytes" | "isReady" | "logPrompts" | "edgeToken" | "admission" | "maxUpstreamResponseBytes">> = {},
) {
  const { createApp } = compiledModule<typeof import("../../src/app.js")>("app.js");
  const { parseCatalogue } = compiledModule<typeof import("../../src/config.js")>("config.js");
  const { createLogger } = compiledModule<typeof import("../../src/logger.js")>("logger.js");
  const { createMetrics } = compiledModule<typeof import("../../src/metrics.js")>("metrics.js");
  const { Dispatcher } = compiledModule<typeof import("../../src/upstream/dispatcher.js")>("upstream/dispatcher.js");
  const { MockUpstream } = compiledModule<typeof import("../../src/upstream/mock.js")>("upstream/mock.js");
  const { nodeListener } = compiledModule<typeof import("../../src/node-serving.js")>("node-serving.js");
  const problems: string[] = [];
  const parsed = parseCatalogue(catalogue, problems);
  if (!parsed) throw new Error(problems.join("\n"));
  const registry = new Registry();
  const metrics = createMetrics(registry, { defaultMetrics: false });
  const logs: string[] = [];
  const dispatcher = new Dispatcher({
    upstreams: { mock: new MockUpstream(), litellm: undefined, vertex: undefined, ...upstreams },
    models: parsed.models,
    metrics,
    maxRetries: 2,
    breaker: { failureThreshold: 3, cooldownMs: 60_000 },
    backoff: { baseMs: 1, capMs: 5 },
  });
  const hono = createApp({
    catalogue: parsed,
    dispatcher,
    metrics,
    logger: createLogger((line) => logs.push(line)),
    ...SERVED_APP_DEFAULTS,
    ...options,
  });
  let base: Promise<string> | undefined;
  const url = () =>
    (base ??= new Promise<string>((resolveUrl) => {
      const server = createServer(nodeListener(hono.fetch));
      server.listen(0, "127.0.0.1", () => resolveUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
    }));
  const app: ServedApp = { url, request: async (path, init) => fetch((await url()) + path, init) };
  return { app, routes: hono.routes, registry, metrics, logs };
}

/** Lets setImmediate work (metrics, usage, the log line) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

export function chatBody(model: string, extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: "user", content: "Say hello" }], ...extra };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/**
 * Environment that preloads (NODE_OPTIONS) a module hook writing each package module the process
 * resolves to its stderr, which `packageModules` reads back: what a process loads, seen from outside.
 */
export function packageModuleProbe(): Record<string, string> {
  return preloading(
    `import { registerHooks } from "node:module";
import { writeSync } from "node:fs";
registerHooks({ resolve(specifier, context, next) {
  const found = next(specifier, context);
  if (found.url.includes("/node_modules/")) writeSync(2, "package-module " + found.url + "\\n");
  return found;
} });
`,
  );
}

/**
 * Environment that preloads a module reporting, every 50 ms on stderr, whether V8 keeps
 * String.prototype in fast mode (natives syntax, enabled from inside: NODE_OPTIONS refuses the
 * flag). `stringPrototypeFast` reads the latest report back.
 */
export function stringPrototypeProbe(): Record<string, string> {
  return reportingEvery50ms(
    "string-prototype-fast",
    `import { setFlagsFromString } from "node:v8";
import { runInThisContext } from "node:vm";
setFlagsFromString("--allow-natives-syntax");
const reading = runInThisContext("(() => %HasFastProperties(String.prototype))");`,
  );
}

/** The latest report of a process started with `stringPrototypeProbe`: true, false, or undefined before the first. */
export function stringPrototypeFast(stderr: string): boolean | undefined {
  return latestReport(stderr, "string-prototype-fast");
}

/**
 * Environment that preloads a module reporting, every 50 ms on stderr, whether the process has
 * loaded node's bundled undici (its internal module list). `undiciLoaded` reads the latest report.
 */
export function undiciProbe(): Record<string, string> {
  return reportingEvery50ms("undici-loaded", `const reading = () => process.moduleLoadList.some((m) => m.includes("undici"));`);
}

/** The latest report of a process started with `undiciProbe`: true, false, or undefined before the first. */
export function undiciLoaded(stderr: string): boolean | undefined {
  return latestReport(stderr, "undici-loaded");
}

/** A preload whose `setup` defines `reading()`, a boolean written to stderr as `<name> true|false` every 50 ms. */
function reportingEvery50ms(name: string, setup: string): Record<string, string> {
  return preloading(
    `import { writeSync } from "node:fs";
${setup}
setInterval(() => writeSync(2, "${name} " + reading() + "\\n"), 50).unref();
`,
  );
}

/** The last `<name> true|false` line in a probed process's stderr, or undefined before the first. */
function latestReport(stderr: string, name: string): boolean | undefined {
  const reports = [...stderr.matchAll(new RegExp(`^${name} (true|false)$`, "gm"))];
  return reports.length === 0 ? undefined : reports.at(-1)![1] === "true";
}

/** Environment that preloads (NODE_OPTIONS) an ES module with this source, written to a temporary file. */
function preloading(source: string): Record<string, string> {
  const probe = join(mkdtempSync(join(tmpdir(), "preload-probe-")), "probe.mjs");
  writeFileSync(probe, source);
  return { NODE_OPTIONS: `--import ${probe}` };
}

/** The package module URLs a process started with `packageModuleProbe` reported in its stderr. */
export function packageModules(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("package-module "))
    .map((line) => line.slice("package-module ".length));
}

/** Parses log lines. */
export function parseLogs(logs: string[]): Record<string, any>[] {
  return logs.map((line) => JSON.parse(line));
}
