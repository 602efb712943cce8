import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { functionCosts } from "../bench/support/callgrind-functions";
import { turnOrder } from "../bench/support/measure";
import { startReferenceProxy } from "../bench/support/processes";

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
