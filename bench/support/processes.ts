import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  /** The port of a separate /metrics listener, when the program reports one. */
  readonly metricsPort?: number;
}

export interface StartOptions {
  /** A program that runs Node (its arguments first), such as valgrind. @default - Node itself */
  readonly launcher?: readonly string[];
  /** How long to wait for the port. @default 20000 */
  readonly startTimeoutMs?: number;
  /** The working directory, where V8 writes the logs some flags ask for. @default - this process's */
  readonly cwd?: string;
}

/**
 * Starts a Node program with its stdout going to a file, as a log shipper would take it (a pipe
 * read by this process would steal CPU from the load generator), and waits for the first JSON
 * line that carries its port.
 */
export async function startNode(args: string[], env: Record<string, string> = {}, options: StartOptions = {}): Promise<Started> {
  const logFile = join(mkdtempSync(join(tmpdir(), "bench-log-")), "stdout.log");
  const fd = openSync(logFile, "w");
  const [command, ...prefix] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(command, [...prefix, ...args], { cwd: options.cwd, env: { ...process.env, ...env }, stdio: ["ignore", fd, "inherit"] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  for (let waited = 0; waited < (options.startTimeoutMs ?? 20_000); waited += 20) {
    const log = readFileSync(logFile, "utf8");
    const match = /"port":(\d+)/.exec(log);
    const metricsPort = /"metrics_port":(\d+)/.exec(log)?.[1];
    if (match) return { child, port: Number(match[1]), metricsPort: metricsPort === undefined ? undefined : Number(metricsPort) };
    if (exited !== undefined) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill();
  throw new Error(`${args.join(" ")} did not report a port (exit ${exited})`);
}

/** Resident and peak resident memory of a process, from /proc. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

/** CPU seconds (user + system) a process has used, from /proc: clock ticks of USER_HZ, 100 on Linux. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * How the image starts gateway-app, read from its Dockerfile: the CMD's node arguments (the entry
 * point resolved by `entry`) and the runtime environment its ENV lines set, so that a benchmark
 * runs what the image runs (heap flags, allocator settings).
 */
export function imageRuntime(
  root: string,
  entry: (path: string) => string = (path) => join(root, path),
): { args: string[]; env: Record<string, string> } {
  const dockerfile = readFileSync(join(root, "gateway-app/Dockerfile"), "utf8");
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const args = (JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]) as string[]).map((arg) => (arg.endsWith(".js") ? entry(arg) : arg));
  const env: Record<string, string> = {};
  for (const [, line] of runtime.matchAll(/^ENV (.*)$/gm)) for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g)) env[key] = value;
  return { args, env };
}

/**
 * The bare node:http reference proxy (reference-proxy.mjs), started as the image starts gateway-app:
 * the same node flags (heap and semi-space sizes), and plain JavaScript in plain node, with no
 * loader (tsx) or type stripping (node's own loads a WebAssembly compiler, ~16 MiB) counting in
 * its memory. So its figures, peak RSS included, are what any node:http proxy costs on this
 * machine: the floor under gateway-app's.
 */
export function startReferenceProxy(root: string, env: Record<string, string>): Promise<Started> {
  const flags = imageRuntime(root).args.filter((arg) => arg.startsWith("--"));
  return startNode([...flags, join(root, "bench/support/reference-proxy.mjs")], env);
}

/**
 * gateway-app's sources at another revision, compiled next to this one (under gateway-app/dist,
 * so its node_modules resolve as the image's do). Returns its server.js.
 */
export function compileRevision(root: string, rev: string): string {
  const dir = join(root, "gateway-app/dist/bench-baseline");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  execFileSync("sh", ["-c", `git -C "${root}" archive "${rev}" gateway-app/src | tar -x --strip-components=2 -C "${dir}/src"`], { stdio: "inherit" });
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { rootDir: "src", outDir: "out" }, include: ["src/**/*.ts"] }),
  );
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(dir, "tsconfig.json")], { stdio: "inherit" });
  return join(dir, "out/server.js");
}
