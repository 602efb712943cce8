import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, completion, json, sleep, streamChunks } from "./support/fake-upstream.js";
import { chatBody, startTestGateway, type TestGateway } from "./support/harness.js";

const CATALOGUE = {
  models: [
    { name: "solo", upstream: "litellm" },
    // A tight total for whole answers, which must not cut streams.
    { name: "short-total", upstream: "litellm", limits: { timeoutMs: 300 } },
  ],
};

const fake = new FakeUpstream();
let upstreamUrl: string;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  upstreamUrl = await fake.start();
});
afterEach(async () => {
  fake.reset();
  for (const gw of gateways.splice(0)) await gw.gateway.shutdown();
});
afterAll(() => fake.stop());

async function gateway(env: Record<string, string> = {}, baseUrl = upstreamUrl): Promise<TestGateway> {
  const gw = await startTestGateway(
    { LITELLM_BASE_URL: baseUrl, UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "300", STREAM_IDLE_TIMEOUT_MS: "400", SHUTDOWN_GRACE_MS: "0", ...env },
    CATALOGUE,
  );
  gateways.push(gw);
  return gw;
}

function post(gw: TestGateway, body: unknown) {
  return fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function metric(gw: TestGateway, pattern: RegExp): Promise<string | undefined> {
  return pattern.exec(await (await fetch(gw.metricsUrl)).text())?.[1];
}

describe("upstream connection pool", () => {
  it("gives a request queued for a connection its 504 at the first-byte timeout, not when a connection frees", async () => {
    const gw = await gateway({ UPSTREAM_MAX_SOCKETS: "1" });
    // The only connection is busy with a healthy stream for 1.5 s (a chunk every 100 ms).
    fake.queue(streamChunks(Array(15).fill("word "), { delayMs: 100 }));
    const busy = post(gw, chatBody("solo", { stream: true })).then((r) => r.text());
    await sleep(100);
    const started = Date.now();
    const queued = await post(gw, chatBody("solo"));
    const waited = Date.now() - started;
    expect(queued.status).toBe(504);
    expect(((await queued.json()) as any).error.code).toBe("upstream_timeout");
    expect(waited).toBeLessThan(1000);
    expect(await busy).toContain("data: [DONE]");
    // The queued request never reached the upstream.
    expect(fake.received).toHaveLength(1);
  });

  it("counts the first-byte timeout from acceptance across attempts, and sends no attempt past it", async () => {
    const gw = await gateway({ UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "500", UPSTREAM_MAX_RETRIES: "5" });
    fake.always(async (_req, res) => {
      await sleep(150);
      json(res, 429, { error: { message: "busy" } }, { "retry-after": "0.1" });
    });
    const started = Date.now();
    const response = await post(gw, chatBody("solo"));
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(900);
    // Attempts at about 0, 250 and 500 ms: the one due at the deadline is not sent.
    expect(fake.received.length).toBeLessThanOrEqual(2);
    fake.reset();
    fake.always(async (_req, res) => {
      await sleep(150);
      json(res, 503, { error: { message: "busy" } }, { "retry-after": "0.4" });
    });
    expect((await post(gw, chatBody("solo"))).status).toBe(504);
    expect(fake.received).toHaveLength(1);
  });

  it("closes pooled connections after UPSTREAM_IDLE_SOCKET_TIMEOUT_MS, before the upstream would", async () => {
    const gw = await gateway({ UPSTREAM_IDLE_SOCKET_TIMEOUT_MS: "200" });
    for (const pause of [20, 500]) {
      expect((await post(gw, chatBody("solo"))).status).toBe(200);
      await sleep(pause);
    }
    expect((await post(gw, chatBody("solo"))).status).toBe(200);
    const ports = fake.received.map((r) => r.remotePort);
    // Reused after 20 ms of idleness, a new connection after 500 ms.
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[1]);
  });
});

describe("requests that never got a connection", () => {
  const breakerState = (gw: TestGateway) => metric(gw, /gateway_circuit_breaker_state\{upstream="litellm",model="solo"\} (\d+)/);

  it("a request queued for a pooled connection past its deadline: a 504 the client may retry, and the circuit stays closed", async () => {
    const gw = await gateway({ UPSTREAM_MAX_SOCKETS: "1", BREAKER_FAILURE_THRESHOLD: "1" });
    fake.queue(streamChunks(Array(15).fill("word "), { delayMs: 100 }));
    const busy = post(gw, chatBody("solo", { stream: true })).then((r) => r.text());
    await sleep(100);
    // With a threshold of 1, a queued request counted against the upstream would turn the second into a 503.
    for (let i = 0; i < 2; i++) {
      const queued = await post(gw, chatBody("solo"));
      expect(queued.status).toBe(504);
      expect(queued.headers.get("x-should-retry")).toBeNull();
      expect(((await queued.json()) as any).error.message).toMatch(/waiting for one of the 1 connections to the upstream \(UPSTREAM_MAX_SOCKETS\)/);
    }
    expect(await breakerState(gw)).toBe("0");
    expect(await metric(gw, /gateway_upstream_errors_total\{upstream="litellm",model="solo",outcome="queued_timeout"\} (\d+)/)).toBe("2");
    expect(await busy).toContain("data: [DONE]");
    expect(fake.received).toHaveLength(1);
  });

  it("a refused connection: a 502 the client may retry, and the circuit stays closed", async () => {
    const upstream = await faultyUpstream(() => undefined);
    await upstream.close();
    const gw = await gateway({ UPSTREAM_MAX_RETRIES: "0", BREAKER_FAILURE_THRESHOLD: "1" }, upstream.url);
    for (let i = 0; i < 2; i++) {
      const response = await post(gw, chatBody("solo"));
      expect(response.status).toBe(502);
      expect(response.headers.get("x-should-retry")).toBeNull();
    }
    expect(await breakerState(gw)).toBe("0");
    expect(await metric(gw, /gateway_upstream_errors_total\{upstream="litellm",model="solo",outcome="connect"\} (\d+)/)).toBe("2");
  });
});

describe("stream timeouts", () => {
  it("does not cut a healthy stream at the model's limits.timeoutMs, which bounds whole answers", async () => {
    const gw = await gateway();
    fake.queue(streamChunks(Array(8).fill("word "), { delayMs: 100 }));
    const text = await (await post(gw, chatBody("short-total", { stream: true }))).text();
    expect(text).toContain("data: [DONE]");
    expect(text).not.toContain("error");
    fake.queue(async (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      await sleep(500);
      res.end(JSON.stringify(completion(req.body.model, "too late")));
    });
    expect((await post(gw, chatBody("short-total"))).status).toBe(504);
  });

  it("ends a stream that runs past STREAM_TOTAL_TIMEOUT_MS with an error event", async () => {
    const gw = await gateway({ STREAM_TOTAL_TIMEOUT_MS: "500" });
    fake.queue(streamChunks(Array(20).fill("word "), { delayMs: 100 }));
    const text = await (await post(gw, chatBody("solo", { stream: true }))).text();
    expect(text).toMatch(/no complete answer within 500 ms/);
    expect(text).not.toContain("data: [DONE]");
  });
});

describe("streams in flight and over-long events", () => {
  it("counts streams in flight while they are relayed, and none once they end", async () => {
    const gw = await gateway();
    fake.queue(streamChunks(Array(6).fill("word "), { delayMs: 100 }), streamChunks(Array(6).fill("word "), { delayMs: 100 }));
    const streams = [0, 1].map(() => post(gw, chatBody("solo", { stream: true })).then((r) => r.text()));
    await sleep(250);
    expect(await metric(gw, /^gateway_streams_in_flight (\d+)$/m)).toBe("2");
    await Promise.all(streams);
    expect(await metric(gw, /^gateway_streams_in_flight (\d+)$/m)).toBe("0");
  });

  it("drops the half-sent event of a stream cut mid-event, so that the error event after it parses", async () => {
    const gw = await gateway();
    for (const streamOptions of [{}, { stream_options: { include_usage: true } }]) {
      fake.queue(async (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write('data: {"choices":[{"index":0,"delta":{"content":"whole"}}]}\n\ndata: {"choices":[{"index":0,"delta":{"cont');
        await sleep(20);
        res.socket!.destroy();
      });
      const text = await (await post(gw, chatBody("solo", { stream: true, ...streamOptions }))).text();
      const events = text.split("\n\n").filter(Boolean);
      expect(events, JSON.stringify(streamOptions)).toHaveLength(2);
      expect(JSON.parse(events[0].replace(/^data: /, "")).choices[0].delta.content).toBe("whole");
      expect(JSON.parse(events[1].replace(/^data: /, "")).error.message).toMatch(/^The upstream stream broke/);
    }
  });

  it("ends a stream whose event passes 4 MiB with an error event, and releases the upstream", async () => {
    const gw = await gateway({ STREAM_IDLE_TIMEOUT_MS: "5000" });
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: ");
      const piece = "x".repeat(64 * 1024);
      for (let i = 0; i < 80 && !res.destroyed; i++) {
        res.write(piece);
        await sleep(1);
      }
    });
    const text = await (await post(gw, chatBody("solo", { stream: true }))).text();
    expect(text).toMatch(/^data: \{"error":\{"message":"The upstream stream broke: an event passed 4194304 bytes without ending"/);
    expect(text.length).toBeLessThan(1000);
    expect(await fake.received[0].closed).toBe("aborted");
  });
});

/** A raw upstream that counts the requests it fully received and then does what the test says. */
async function faultyUpstream(afterRequest: (socket: net.Socket) => void) {
  let received = 0;
  const server = net.createServer((socket) => {
    let buffered = "";
    socket.on("data", (data) => {
      buffered += data.toString("latin1");
      const headEnd = buffered.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
      if (buffered.length - headEnd - 4 < length) return;
      buffered = "";
      received += 1;
      afterRequest(socket);
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    received: () => received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("retries that cannot bill twice", () => {
  it("does not retry a connection reset after the upstream received the request", async () => {
    const upstream = await faultyUpstream((socket) => socket.resetAndDestroy());
    try {
      const gw = await gateway({ UPSTREAM_MAX_RETRIES: "2" }, upstream.url);
      const response = await post(gw, chatBody("solo"));
      expect(response.status).toBe(502);
      // Nor by the client's SDK: the model may have run it.
      expect(response.headers.get("x-should-retry")).toBe("false");
      expect(upstream.received()).toBe(1);
      expect(await metric(gw, /gateway_upstream_retries_total\{[^}]*\} (\d+)/)).toBeUndefined();
    } finally {
      await upstream.close();
    }
  });

  it("does not retry a close without an answer after the request was sent", async () => {
    const upstream = await faultyUpstream((socket) => socket.end());
    try {
      const gw = await gateway({ UPSTREAM_MAX_RETRIES: "2" }, upstream.url);
      expect((await post(gw, chatBody("solo"))).status).toBe(502);
      expect(upstream.received()).toBe(1);
    } finally {
      await upstream.close();
    }
  });

  it("retries 429 and 503 only when they carry Retry-After, and never 502 or 504", async () => {
    const gw = await gateway({ UPSTREAM_MAX_RETRIES: "2", BREAKER_FAILURE_THRESHOLD: "100" });
    const cases: [number, Record<string, string>, number][] = [
      [429, { "retry-after": "0" }, 3],
      [503, { "retry-after": "0" }, 3],
      [503, {}, 1],
      [429, {}, 1],
      [502, { "retry-after": "0" }, 1],
      [504, {}, 1],
    ];
    for (const [status, headers, attempts] of cases) {
      fake.reset();
      fake.always((_req, res) => json(res, status, { error: { message: "no" } }, headers));
      await (await post(gw, chatBody("solo"))).text();
      expect({ status, headers, attempts: fake.received.length }).toEqual({ status, headers, attempts });
    }
  });

  it("retries a request the upstream provably never got: a refused connection", async () => {
    const upstream = await faultyUpstream(() => undefined);
    const url = upstream.url;
    await upstream.close();
    // A deadline far beyond three refused connects and their backoff, even on a loaded machine.
    const gw = await gateway({ UPSTREAM_MAX_RETRIES: "2", UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "10000" }, url);
    const response = await post(gw, chatBody("solo"));
    expect(response.status).toBe(502);
    // The client may retry it too: nothing ran.
    expect(response.headers.get("x-should-retry")).toBeNull();
    expect(await metric(gw, /gateway_upstream_retries_total\{upstream="litellm",model="solo",outcome="connect"\} (\d+)/)).toBe("2");
  });
});
