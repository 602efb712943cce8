import { spawn } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatResults, runSmoke } from "../lib/smoke";
import { startTestGateway, type TestGateway } from "../gateway-app/test/support/harness";

let gateway: TestGateway;

/** The CLI as a separate process; asynchronous, since the servers it calls live in this process. */
function runCli(url: string, extra: string[] = []): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "..", "scripts", "smoke.ts"), "--url", url, ...extra], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("exit", (status) => resolve({ status, stdout }));
  });
}
beforeAll(async () => {
  gateway = await startTestGateway(
    {},
    {
      models: [
        { name: "mock", upstream: "mock" },
        { name: "mock-2", upstream: "mock" },
      ],
    },
  );
});
afterAll(() => gateway.gateway.shutdown());

describe("npm run smoke against a local gateway-app", () => {
  it("passes every check that applies, and says why the edge checks do not", async () => {
    const results = await runSmoke({ url: gateway.url, metricsUrl: gateway.metricsUrl });
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName["chat completion: mock"].status).toBe("pass");
    expect(byName["chat completion: mock-2"].status).toBe("pass");
    expect(byName["streaming: chunks arrive and the stream ends with [DONE]"].status).toBe("pass");
    expect(byName["metrics: Prometheus text with gateway metrics"].status).toBe("pass");
    expect(byName["edge: a request without a token is rejected"]).toMatchObject({
      status: "n/a",
      detail: expect.stringMatching(/not applicable here: .* is not behind Kong/),
    });
    expect(byName["rate limiting: 429 with rate-limit headers once the limit is passed"]).toMatchObject({
      status: "n/a",
      detail: expect.stringMatching(/--rate-limit/),
    });
    expect(formatResults(results).split("\n").at(-1)).toMatch(/^smoke: \d+ passed, 0 failed, 3 skipped$/);
  });

  it("exits 0 from the command line, printing one line per check", async () => {
    // gateway-app serves /metrics on its own listener.
    const run = await runCli(gateway.url, ["--metrics-url", gateway.metricsUrl]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^PASS  health: GET \/v1\/models/m);
    expect(run.stdout).toMatch(/^N\/A   edge: a request without a token is rejected/m);
  });

  it("fails, and exits non-zero, against a gateway that breaks", async () => {
    const broken = http.createServer((req, res) => {
      if (req.url === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "m" }] }));
      } else {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("boom");
      }
    });
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(broken.address() as { port: number }).port}`;
    try {
      const results = await runSmoke({ url });
      expect(results.find((r) => r.name === "chat completion: m")!.status).toBe("fail");
      const run = await runCli(url);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^FAIL  chat completion: m/m);
    } finally {
      broken.close();
    }
  });

  it("checks the edge's authentication when the URL is behind it", async () => {
    // A stand-in edge: 401 without the right token, like Kong's jwt plugin.
    const edge = http.createServer((req, res) => {
      const ok = req.headers.authorization === "Bearer good";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json", "x-request-id": String(req.headers["x-request-id"] ?? "") });
      res.end(JSON.stringify(ok ? { object: "list", data: [] } : { message: "Unauthorized" }));
    });
    await new Promise<void>((r) => edge.listen(0, "127.0.0.1", r));
    try {
      const results = await runSmoke({ url: `http://127.0.0.1:${(edge.address() as { port: number }).port}`, token: "good" });
      const byName = Object.fromEntries(results.map((r) => [r.name, r.status]));
      expect(byName["edge: a request without a token is rejected"]).toBe("pass");
      expect(byName["edge: a request with a bad token is rejected"]).toBe("pass");
    } finally {
      edge.close();
    }
  });
});
