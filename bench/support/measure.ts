import { spawnSync } from "node:child_process";
import http from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sample {
  readonly wallMs: number;
  readonly maxRssMiB: number;
}

/** Runs a command once and measures its wall time and (through the preload) its peak RSS. */
export function measureOnce(command: string, args: string[], env: Record<string, string> = {}): Sample {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const usageFile = join(dir, "usage.json");
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    env: {
      ...process.env,
      ...env,
      CDKTF_OUTDIR: join(dir, "out"),
      BENCH_USAGE_FILE: usageFile,
      NODE_OPTIONS: `--require ${join(__dirname, "report-usage.cjs")}`,
    },
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
  let maxRssMiB = Number.NaN;
  try {
    maxRssMiB = JSON.parse(readFileSync(usageFile, "utf8")).maxRssKiB / 1024;
  } catch {
    // Processes that are not Node (the native compiler) report no memory.
  }
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, maxRssMiB };
}

/**
 * The order the targets take their turns in round `round`: rotated each round, so that none
 * always runs first or right after the same other one. A process goes on collecting garbage
 * and closing sockets for a moment after its load stops, and a fixed order charged that to
 * whichever target came next (one run here: 0.72x for a target in second place, 0.87x first).
 */
export function turnOrder<T>(targets: readonly T[], round: number): T[] {
  const shift = round % targets.length;
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Prints rows as an aligned Markdown table. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const row of cells.slice(1)) console.log(line(row));
}

export interface SequentialLatencyOptions {
  /** The chat completion request body. */
  readonly body: string;
  /** Time to the first body byte, or to the end of the response. */
  readonly until: "first-byte" | "end";
  readonly samples: number;
  /** Headers besides `content-type`, e.g. an API key. @default {} */
  readonly headers?: Record<string, string>;
}

/**
 * Median time over sequential requests, one keep-alive connection per target, in ms: to the
 * first body byte, or to the end of the response. Sub-millisecond resolution, unlike
 * autocannon's. The targets take turns request by request, so noise hits them alike.
 */
export async function sequentialLatency(ports: Record<string, number>, options: SequentialLatencyOptions): Promise<Record<string, number>> {
  const { body, until, samples, headers = {} } = options;
  const agents = Object.fromEntries(Object.keys(ports).map((name) => [name, new http.Agent({ keepAlive: true, maxSockets: 1 })]));
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ports).map((name) => [name, []]));
  const once = (name: string) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
      const req = http.request(
        {
          host: "127.0.0.1",
          port: ports[name],
          path: "/v1/chat/completions",
          method: "POST",
          agent: agents[name],
          headers: { "content-type": "application/json", ...headers },
        },
        (res) => {
          if (until === "first-byte") res.once("data", () => resolve(elapsed()));
          else res.once("end", () => resolve(elapsed()));
          res.resume();
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  for (let i = 0; i < samples; i++) {
    for (const name of Object.keys(ports)) times[name].push(await once(name));
  }
  for (const agent of Object.values(agents)) agent.destroy();
  // The first tenth warms connections and code paths.
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t.slice(Math.floor(samples / 10)))]));
}

/**
 * One sample's value in a Prometheus text exposition: `series` is the name with its labels as
 * exposed (`name_count{kind="major"}`). 0 when absent: a labelled series appears only once
 * something was observed under those labels.
 */
export function metricSample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
