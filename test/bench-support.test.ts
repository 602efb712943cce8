import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { functionCosts } from "../bench/support/callgrind-functions";
import { metricSample, turnOrder } from "../bench/support/measure";
import { startReferenceProxy } from "../bench/support/processes";

const execFileAsync = promisify(execFile);

describe("benchmark turns", () => {
  it("rotate the targets each round, so each takes every place once in as many rounds as there are targets", () => {
    const targets = ["off", "keys", "on"];
    const rounds = [0, 1, 2, 3].map((round) => turnOrder(targets, round));
    expect(rounds).toEqual([
      ["off", "keys", "on"],
      ["keys", "on", "off"],
      ["on", "off", "keys"],
      ["off", "keys", "on"],
    ]);
    for (const name of targets) expect(new Set(rounds.slice(0, 3).map((order) => order.indexOf(name)))).toEqual(new Set([0, 1, 2]));
  });
});

describe("callgrind function costs", () => {
  it("name JIT addresses from the perf map, merge a function's tiers, and add callees' cost to the caller's inclusive count", () => {
    const dir = mkdtempSync(join(tmpdir(), "callgrind-"));
    // Two tiers of one JavaScript function (Maglev "+", TurboFan "*") and a native callee, in callgrind's compressed format.
    writeFileSync(
      join(dir, "perf.map"),
      "1000 100 JS:+handler file:///app.js:1:1\n2000 80 JS:*handler file:///app.js:1:1\n3000 10 JS:~other file:///b.js:2:3\n",
    );
    const dump = [
      "events: Ir",
      "fl=(1) ???",
      "fn=(1) 0x0000000000001010",
      "0 30",
      "cfn=(2) memcpy",
      "calls=2 0",
      "0 50",
      "fn=(3) 0x0000000000002004'2",
      "+4 20",
      "* 5",
      "cfn=(1)",
      "calls=1 0",
      "0 7",
      "fn=(2)",
      "0 50",
      "fn=(4) 0x0000000000005000",
      "0 3",
    ].join("\n");
    writeFileSync(join(dir, "callgrind.out"), dump);
    const costs = Object.fromEntries(functionCosts(join(dir, "callgrind.out"), join(dir, "perf.map")).map((f) => [f.name, f]));
    expect(costs["handler file:///app.js:1:1"]).toEqual({ name: "handler file:///app.js:1:1", self: 55, inclusive: 105 });
    expect(costs.memcpy).toEqual({ name: "memcpy", self: 50, inclusive: 50 });
    expect(costs["(JIT code without a name)"]).toMatchObject({ self: 3 });
  });
});

describe("the reference proxy", () => {
  it("runs in plain node with the image's node flags, not under tsx, and relays a request", async () => {
    const upstream: Server = createServer((req, res) => res.end(`upstream saw ${req.method} ${req.url}`));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const { port } = upstream.address() as AddressInfo;
    const root = join(__dirname, "..");
    const reference = await startReferenceProxy(root, { UPSTREAM_URL: `http://127.0.0.1:${port}` });
    try {
      const args = readFileSync(`/proc/${reference.child.pid}/cmdline`, "utf8").split("\0");
      expect(args).toEqual(
        expect.arrayContaining(["--max-old-space-size=256", "--max-semi-space-size=8", join(root, "bench/support/reference-proxy.mjs")]),
      );
      expect(args).not.toContain("tsx");
      const answer = await fetch(`http://127.0.0.1:${reference.port}/v1/models?x=1`);
      expect(await answer.text()).toBe("upstream saw GET /v1/models?x=1");
    } finally {
      reference.child.kill();
      upstream.close();
    }
  });
});

describe("the open loop's load generator", () => {
  const client = join(__dirname, "../bench/support/open-loop-client.mjs");

  async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
    const server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => handler(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }

  async function run(port: number, args: string[] = [String(port), "100", "1", "0"]) {
    const { stdout } = await execFileAsync(process.execPath, [client, ...args], { env: { ...process.env, OPEN_LOOP_BODY: '{"model":"fast"}' } });
    return JSON.parse(stdout) as { p50: number; p99: number; answered: number; failed: number; achieved: number; cpuShare: number };
  }

  it("sends the body at the rate asked, reads answers framed by length or chunks, and counts other statuses as failures", async () => {
    let seen = 0;
    const bodies = new Set<string>();
    const { server, port } = await serve((req, body, res) => {
      const n = ++seen;
      bodies.add(`${req.method} ${req.url} ${req.headers["content-type"]} ${body}`);
      // Answered after 20 ms: every latency includes it.
      setTimeout(() => {
        if (n % 5 === 0) res.writeHead(503, { "content-length": "2" }).end("no");
        else if (n % 2 === 0)
          res.write('{"chunked"', () => res.end(":true}")); // written before its end: node frames it chunked
        else res.writeHead(200, { "content-length": "2" }).end("ok");
      }, 20);
    });
    try {
      const result = await run(port);
      expect([...bodies]).toEqual(['POST /v1/chat/completions application/json {"model":"fast"}']);
      expect(result.answered + result.failed).toBe(100);
      expect(result.failed).toBe(20);
      expect(result.p50).toBeGreaterThanOrEqual(20);
      expect(result.achieved).toBeGreaterThan(80);
    } finally {
      server.close();
    }
  });

  it("counts a request whose connection breaks as failed, and ends", async () => {
    let seen = 0;
    const { server, port } = await serve((_req, _body, res) => {
      seen += 1;
      if (seen % 10 === 0) res.socket?.destroy();
      else res.writeHead(200, { "content-length": "2", connection: seen % 3 === 0 ? "close" : "keep-alive" }).end("ok");
    });
    try {
      const result = await run(port);
      expect(result).toMatchObject({ answered: 90, failed: 10 });
    } finally {
      server.close();
    }
  });

  it("leaves the warm-up's answers out of the latencies, and times the seconds after it", async () => {
    let seen = 0;
    // The warm-up's 100 requests (1 s at 100/s) include the 50 slow ones.
    const { server, port } = await serve((_req, _body, res) => {
      const slow = ++seen <= 50;
      setTimeout(() => res.writeHead(200, { "content-length": "2" }).end("ok"), slow ? 200 : 0);
    });
    try {
      const result = await run(port, [String(port), "100", "1", "1"]);
      expect(seen).toBe(200);
      expect(result).toMatchObject({ answered: 100, failed: 0 });
      expect(result.p99).toBeLessThan(200);
    } finally {
      server.close();
    }
  });

  it("refuses arguments that are not whole numbers, naming them", async () => {
    await expect(run(1, ["8080", "fast", "1"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("usage: node open-loop-client.mjs <port> <rate per second> <seconds> [<warm-up seconds>]"),
    });
  });
});

describe("metricSample", () => {
  it("reads one labelled series of prom-client's own exposition, and 0 for one not yet observed", async () => {
    const registry = new Registry();
    // As prom-client's lib/metrics/gc.js declares nodejs_gc_duration_seconds, which bench:load reads.
    const gc = new Histogram({ name: "nodejs_gc_duration_seconds", help: "h", labelNames: ["kind"], buckets: [0.001, 0.01], registers: [registry] });
    gc.observe({ kind: "minor" }, 0.0004);
    gc.observe({ kind: "major" }, 0.007);
    gc.observe({ kind: "major" }, 0.013);
    new Gauge({ name: "gateway_streams_in_flight", help: "h", registers: [registry] }).set(42);
    const text = await registry.metrics();
    expect(metricSample(text, 'nodejs_gc_duration_seconds_count{kind="major"}')).toBe(2);
    expect(metricSample(text, 'nodejs_gc_duration_seconds_sum{kind="major"}')).toBeCloseTo(0.02, 10);
    expect(metricSample(text, 'nodejs_gc_duration_seconds_count{kind="minor"}')).toBe(1);
    expect(metricSample(text, "gateway_streams_in_flight")).toBe(42);
    expect(metricSample(text, 'nodejs_gc_duration_seconds_count{kind="incremental"}')).toBe(0);
  });
});
