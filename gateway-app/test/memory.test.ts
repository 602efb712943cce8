import http from "node:http";
import net from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { completion, FakeUpstream, json, sleep, streamChunks } from "./support/fake-upstream.js";
import {
  chatBody,
  packageModuleProbe,
  packageModules,
  parseLogs,
  startTestGateway,
  undiciLoaded,
  undiciProbe,
  type TestGateway,
} from "./support/harness.js";

// #11 "Memory is bounded whatever clients send", against the compiled server with the image's flags.
const fake = new FakeUpstream();
let upstreamUrl: string;
const started: TestGateway[] = [];

beforeAll(async () => {
  upstreamUrl = await fake.start();
});
afterEach(() => fake.reset());
afterAll(async () => {
  for (const gw of started) await gw.gateway.shutdown();
  await fake.stop();
});

async function gateway(env: Record<string, string>): Promise<TestGateway> {
  const gw = await startTestGateway(
    { LITELLM_BASE_URL: upstreamUrl, UPSTREAM_MAX_RETRIES: "0", ...env },
    { models: [{ name: "m", upstream: "litellm" }] },
  );
  started.push(gw);
  return gw;
}

/** One POST with a body that may be shared between requests (no copy per request). */
function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    const target = new URL(`${url}/v1/chat/completions`);
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d) => chunks.push(d));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A request's status over node:http (this test process's fetch would not matter, but stays out of it). */
function fetchStatus(url: string, method = "GET"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A chat body of about `bytes` bytes. */
function bodyOf(bytes: number): Buffer {
  const base = JSON.stringify(chatBody("m", { padding: "" }));
  return Buffer.from(JSON.stringify(chatBody("m", { padding: "x".repeat(Math.max(0, bytes - base.length)) })));
}

const slowAnswer = (ms: number) => async (req: { body: any }, res: http.ServerResponse) => {
  await sleep(ms);
  json(res, 200, completion(req.body?.model ?? "m", "slow answer"));
};

describe("admission control", () => {
  it("answers 503 overloaded with Retry-After past the in-flight body budget, and admits again once bodies are released", async () => {
    const gw = await gateway({ AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: "5000" });
    fake.always(slowAnswer(300));
    const body = bodyOf(2000);
    const results = await Promise.all([post(gw.url, body), post(gw.url, body), sleep(100).then(() => post(gw.url, body))]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 503]);
    const refused = results[2];
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.body.error).toMatchObject({ type: "api_error", code: "overloaded" });
    expect(refused.body.error.message).toContain("AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES");
    // Released with their responses: the same body is admitted now.
    expect((await post(gw.url, body)).status).toBe(200);
  });

  it("answers a refusal given before the body was read once the body is in, so a client still sending gets the 503, not a reset", async () => {
    const gw = await gateway({ AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: "5000" });
    const { port } = new URL(gw.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    const errors: string[] = [];
    socket.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    let answer = "";
    let answeredAfterBody: boolean | undefined;
    let bodySent = false;
    socket.on("data", (chunk: Buffer) => {
      answeredAfterBody ??= bodySent;
      answer += chunk.toString("utf8");
    });
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await new Promise((resolve) => socket.once("connect", resolve));
    const body = bodyOf(200_000);
    const headers = ["POST /v1/chat/completions HTTP/1.1", "Host: gateway", "Content-Type: application/json", `Content-Length: ${body.length}`];
    socket.write(`${[...headers, "Connection: close"].join("\r\n")}\r\n\r\n`);
    // Over the 5,000-byte budget from its Content-Length: refused at once, while the body is still on its way.
    for (let start = 0; start < body.length; start += 20_000) {
      await sleep(30);
      if (socket.destroyed) break;
      socket.write(body.subarray(start, start + 20_000));
    }
    bodySent = true;
    await closed;
    expect(errors).toEqual([]);
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain('"code":"overloaded"');
    expect(answeredAfterBody).toBe(true);
  });

  it("counts chunked bodies as they arrive", async () => {
    const gw = await gateway({ AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: "3000" });
    fake.always(slowAnswer(300));
    const first = post(gw.url, bodyOf(2000), { "transfer-encoding": "chunked" });
    await sleep(100);
    const second = await post(gw.url, bodyOf(2000), { "transfer-encoding": "chunked" });
    expect(second.status).toBe(503);
    expect((await first).status).toBe(200);
  });

  it("answers 503 past the in-flight request budget, while /healthz still answers", async () => {
    const gw = await gateway({ AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS: "2" });
    fake.always(slowAnswer(300));
    const body = bodyOf(200);
    const pending = [post(gw.url, body), post(gw.url, body)];
    await sleep(100);
    const third = await post(gw.url, body);
    expect(third.status).toBe(503);
    expect(third.body.error.message).toContain("AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS");
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
  });

  it("survives 300 concurrent 1 MiB requests to a slow model with the image's 256 MiB heap, under the pod's 512 Mi", async () => {
    const gw = await gateway({});
    fake.always(slowAnswer(1500));
    const body = bodyOf(1024 * 1024);
    const results = await Promise.all(Array.from({ length: 300 }, () => post(gw.url, body)));
    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual([200, 503]);
    expect(results.filter((r) => r.status === 503).every((r) => r.body.error.code === "overloaded")).toBe(true);
    expect(gw.gateway.child.exitCode).toBeNull();
    const peakKiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${gw.gateway.child.pid}/status`, "utf8"))![1]);
    expect(peakKiB / 1024).toBeLessThan(512);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  }, 60_000);
});

describe("upstream answer size", () => {
  it("answers 502 naming the setting for a non-streamed answer over the cap, declared or chunked", async () => {
    const gw = await gateway({ AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: "4096" });
    const big = completion("m", "y".repeat(10_000));
    fake.queue(
      (_req, res) => json(res, 200, big),
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const text = JSON.stringify(big);
        res.write(text.slice(0, 3000));
        res.end(text.slice(3000));
      },
    );
    for (let i = 0; i < 2; i++) {
      const response = await post(gw.url, bodyOf(100));
      expect(response.status).toBe(502);
      expect(response.body.error).toMatchObject({ type: "api_error", code: "upstream_response_too_large" });
      expect(response.body.error.message).toContain("AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES");
    }
    expect((await post(gw.url, bodyOf(100))).status).toBe(200);
  });
});

describe("logging prompts", () => {
  it("with LOG_PROMPTS=true, survives 10,000-deep content, and bounds what a prompt line holds", async () => {
    const gw = await gateway({ LOG_PROMPTS: "true" });
    const deep = `{"model":"m","messages":[{"role":"user","content":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}`;
    const refused = await post(gw.url, deep);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_json");
    const long = await post(gw.url, JSON.stringify(chatBody("m", { messages: [{ role: "user", content: "z".repeat(100_000) }] })));
    expect(long.status).toBe(200);
    expect(gw.gateway.child.exitCode).toBeNull();
    await gw.logsSettled();
    const lines = parseLogs(gw.logs).filter((l) => l.msg === "request");
    expect(lines.map((l) => l.status)).toEqual([400, 200]);
    const logged = lines[1].prompt[0].content as string;
    expect(logged.endsWith("…[truncated]")).toBe(true);
    expect(logged.length).toBeLessThan(8200);
  });
});

describe("idle footprint", () => {
  it("does not load node's undici (~4 MiB resident) serving JSON, streams, errors, metrics and HEAD", async () => {
    const gw = await gateway(undiciProbe());
    fake.queue((_req, res) => json(res, 200, completion("m", "hi")));
    expect((await post(gw.url, bodyOf(100))).status).toBe(200);
    fake.queue(streamChunks(["a", "b"]));
    expect((await post(gw.url, JSON.stringify(chatBody("m", { stream: true })))).body).toContain("data: [DONE]");
    expect(await fetchStatus(`${gw.url}/nowhere`)).toBe(404);
    expect(await fetchStatus(gw.metricsUrl)).toBe(200);
    // Hono's own HEAD path wraps the GET answer in a web Response, which loads undici; HEAD is routed as GET.
    expect(await fetchStatus(`${gw.url}/healthz`, "HEAD")).toBe(200);
    await sleep(120);
    expect(undiciLoaded(gw.errors())).toBe(false);
  });

  it("does not load ioredis with governance off, after serving a request", async () => {
    const gw = await gateway(packageModuleProbe());
    expect((await post(gw.url, bodyOf(100))).status).toBe(200);
    const loaded = packageModules(gw.errors());
    // The probe sees the packages the server does load, so an empty answer would not pass for none.
    expect(loaded.some((url) => url.includes("/node_modules/hono/"))).toBe(true);
    expect(loaded.filter((url) => url.includes("/node_modules/ioredis/"))).toEqual([]);
  });
});
