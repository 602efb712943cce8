import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, streamChunks } from "./support/fake-upstream.js";
import { compiledGateway, imageCommand } from "./support/harness.js";

const APP_DIR = resolve(__dirname, "..");
const fake = new FakeUpstream();
let upstreamUrl: string;

beforeAll(async () => {
  upstreamUrl = await fake.start();
});
afterAll(() => fake.stop());

/** Starts the compiled server as the image does and resolves with its port once it logs "listening". */
function startProcess(env: Record<string, string>) {
  const args = imageCommand().map((arg) => (arg === "gateway-app/dist/server.js" ? join(compiledGateway(), "server.js") : arg));
  const child = spawn(process.execPath, args, {
    cwd: APP_DIR,
    env: { ...process.env, PORT: "0", METRICS_PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const port = new Promise<number>((resolvePort, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const match = /"msg":"listening","port":(\d+)/.exec(stdout);
      if (match) resolvePort(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, port, exited, output: () => stdout, errors: () => stderr };
}

function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; connection?: string }> {
  return new Promise((res, rej) => {
    http
      .get({ host: "127.0.0.1", port, path, agent }, (r) => {
        r.resume();
        r.on("end", () => res({ status: r.statusCode!, connection: r.headers.connection }));
      })
      .on("error", rej);
  });
}

/** Starts a streamed chat completion and reads its first chunk. */
async function openStream(port: number, model: string) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "x" }] }),
  });
  const reader = response.body!.getReader();
  return { reader, first: new TextDecoder().decode((await reader.read()).value) };
}

/** What is left of a stream, as text. */
async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

describe("graceful shutdown", () => {
  it("on SIGTERM turns unready, refuses new connections, finishes the stream in flight, exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-"));
    writeFileSync(join(dir, "catalogue.json"), JSON.stringify({ models: [{ name: "slow", upstream: "litellm" }] }));
    fake.queue(
      streamChunks(
        Array.from({ length: 8 }, (_, i) => `part${i} `),
        { delayMs: 100 },
      ),
    );
    const gateway = startProcess({
      GATEWAY_CONFIG: join(dir, "catalogue.json"),
      LITELLM_BASE_URL: upstreamUrl,
      SHUTDOWN_GRACE_MS: "5000",
      SHUTDOWN_DELAY_MS: "300",
    });
    const port = await gateway.port;
    expect((await get(port, "/readyz", new http.Agent())).status).toBe(200);

    const { reader, first } = await openStream(port, "slow");
    let text = first;
    gateway.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    // During the delay: still answering, but unready, and asking clients to reconnect elsewhere.
    expect(await get(port, "/readyz", new http.Agent())).toEqual({ status: 503, connection: "close" });
    await new Promise((r) => setTimeout(r, 400));
    // After it: no new connections.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    text += await rest(reader);
    expect(text).toContain("part7");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toMatch(/"msg":"shutting down","in_flight":1/);
    expect(gateway.output()).toMatch(/"msg":"stopped"/);
    // Log lines are written in batches: the stream's own line was still flushed before exit.
    expect(gateway.output()).toMatch(/"msg":"request","request_id":"[^"]+","method":"POST","route":"\/v1\/chat\/completions","status":200/);
  });

  it("ends a stream still alive when the grace period is over with an error event, and logs and accounts for it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-"));
    writeFileSync(join(dir, "catalogue.json"), JSON.stringify({ models: [{ name: "long", upstream: "litellm" }] }));
    fake.queue(
      streamChunks(
        Array.from({ length: 100 }, (_, i) => `tick${i} `),
        { delayMs: 100 },
      ),
    );
    const gateway = startProcess({ GATEWAY_CONFIG: join(dir, "catalogue.json"), LITELLM_BASE_URL: upstreamUrl, SHUTDOWN_GRACE_MS: "300" });
    const port = await gateway.port;
    const { reader, first } = await openStream(port, "long");
    let text = first;
    gateway.child.kill("SIGTERM");
    text += await rest(reader);
    expect(text).toContain("tick1 ");
    expect(text).not.toContain("tick99");
    const events = text.split("\n\n").filter(Boolean);
    expect(JSON.parse(events.at(-1)!.replace(/^data: /, "")).error).toMatchObject({ type: "api_error", code: "shutting_down" });
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toMatch(/"msg":"grace period over, closing remaining connections","in_flight":1,"streams":1/);
    expect(gateway.output()).toMatch(
      /"msg":"request","request_id":"[^"]+","method":"POST","route":"\/v1\/chat\/completions","status":503,[^\n]*"error":"shutting_down"/,
    );
  });

  it("lists every configuration problem and exits non-zero", async () => {
    const gateway = startProcess({ GATEWAY_CONFIG: "/nonexistent/catalogue.json", PORT: "99999" });
    gateway.port.catch(() => undefined);
    expect(await gateway.exited).toBe(1);
    expect(gateway.errors()).toMatch(/invalid configuration \(2 problems\)/);
    expect(gateway.errors()).toMatch(/GATEWAY_CONFIG: cannot read "\/nonexistent\/catalogue\.json"/);
    expect(gateway.errors()).toMatch(/PORT: must be a whole number from 0 to 65535/);
    expect(gateway.errors()).not.toMatch(/\n\s+at /);
  });
});
