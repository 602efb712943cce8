import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  /** The port of a separate /metrics listener, when the program reports one. */
  readonly metricsPort?: number;
}

/**
 * Starts a Node program with its stdout going to a file, as a log shipper would take it (a pipe
 * read by this process would steal CPU from the load generator), and waits for the first JSON
 * line that carries its port.
 */
export async function startNode(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const logFile = join(mkdtempSync(join(tmpdir(), "bench-log-")), "stdout.log");
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", fd, "inherit"] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  for (let waited = 0; waited < 20_000; waited += 20) {
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
