import { mkdtempSync, readFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { HttpClient, type HttpRequest, parseEndpoint } from "../src/upstream/http-client.js";
import { UpstreamFailure } from "../src/upstream/types.js";
import { makeCertificates } from "./support/certificates.js";
import { sleep } from "./support/fake-upstream.js";

/** A loopback server that answers each request, as it arrives, with the bytes `answer` gives. */
interface RawUpstream {
  readonly url: string;
  /** Connections accepted, how long each stayed open (ms; undefined while open), and the requests each carried. */
  readonly connections: { openedAt: number; lifetimeMs?: number; requests: number }[];
  /** Request heads received, in order. */
  readonly heads: string[];
  close(): void;
}

const closers: (() => void)[] = [];
const clients: HttpClient[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const client of clients.splice(0)) client.close();
});

function rawUpstream(answer: (index: number) => string): Promise<RawUpstream> {
  const connections: RawUpstream["connections"] = [];
  const heads: string[] = [];
  const server = net.createServer((socket) => {
    const record: RawUpstream["connections"][number] = { openedAt: Date.now(), requests: 0 };
    connections.push(record);
    socket.on("close", () => (record.lifetimeMs = Date.now() - record.openedAt));
    let pending = Buffer.alloc(0);
    socket.on("data", (data) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = pending.toString("latin1", 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        heads.push(head);
        record.requests += 1;
        socket.write(answer(heads.length - 1));
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const close = () => server.close();
      closers.push(close);
      resolve({ url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`, connections, heads, close });
    }),
  );
}

function client(idleSocketTimeoutMs = 60_000, maxSockets = 8): HttpClient {
  const made = new HttpClient({ maxSockets, idleSocketTimeoutMs });
  clients.push(made);
  return made;
}

function request(baseUrl: string, headers: Record<string, string> = {}): HttpRequest {
  const body = Buffer.from('{"model":"m"}');
  return {
    endpoint: parseEndpoint(baseUrl),
    path: "/chat/completions",
    headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
    body,
    signal: new AbortController().signal,
    timeouts: { acceptedAt: performance.timeOrigin + performance.now(), connectMs: 1000, firstByteMs: 2000, totalMs: 5000, idleMs: 2000 },
  };
}

async function send(http: HttpClient, baseUrl: string): Promise<{ status: number; body: string }> {
  const response = await http.request(request(baseUrl));
  return { status: response.status, body: (await response.readAll()).toString() };
}

const ok = (extra = "") => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: 2\r\n\r\n{}`;

describe("HttpClient connections", () => {
  it("writes one request line and head: POST, the path, Host first, keep-alive, the given headers", async () => {
    const upstream = await rawUpstream(() => ok());
    expect(await send(client(), upstream.url)).toEqual({ status: 200, body: "{}" });
    expect(upstream.heads[0].split("\r\n")).toEqual([
      "POST /v1/chat/completions HTTP/1.1",
      `host: ${new URL(upstream.url).host}`,
      "connection: keep-alive",
      "content-type: application/json",
      "content-length: 13",
    ]);
  });

  it("reuses a connection, and not one whose answer said close, came as HTTP/1.0, or ran past its length", async () => {
    for (const [answer, expected] of [
      [ok(), 1],
      [ok("Connection: close\r\n"), 3],
      ["HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", 3],
      [`${ok()}garbage`, 3],
    ] as const) {
      const upstream = await rawUpstream(() => answer);
      const http = client();
      for (let i = 0; i < 3; i++) expect((await send(http, upstream.url)).body).toBe("{}");
      expect([answer, upstream.connections.length]).toEqual([answer, expected]);
    }
  });

  it("gives an idle connection up a second before the server's Keep-Alive timeout, and after its own idle timeout", async () => {
    const hinted = await rawUpstream(() => ok("Keep-Alive: timeout=2\r\n"));
    await send(client(), hinted.url);
    const plain = await rawUpstream(() => ok());
    await send(client(300), plain.url);
    await sleep(1600);
    // The server would have closed at 2 s; the client closed at 1 s.
    expect(hinted.connections[0].lifetimeMs).toBeGreaterThanOrEqual(900);
    expect(hinted.connections[0].lifetimeMs).toBeLessThan(1600);
    expect(plain.connections[0].lifetimeMs).toBeLessThan(1000);
  });

  it("keeps every connection a burst opened in turn while traffic reaches each within the idle timeout, then lets them go", async () => {
    const upstream = await rawUpstream(() => ok());
    const http = client(400);
    await Promise.all([0, 1, 2, 3].map(() => send(http, upstream.url)));
    expect(upstream.connections.length).toBe(4);
    // One request at a time, every 60 ms for 1.2 s: each of the four comes round every 240 ms.
    for (let i = 0; i < 20; i++) {
      await send(http, upstream.url);
      await sleep(60);
    }
    expect(upstream.connections.length).toBe(4);
    expect(upstream.connections.map((c) => c.lifetimeMs)).toEqual([undefined, undefined, undefined, undefined]);
    for (const connection of upstream.connections) expect(connection.requests).toBeGreaterThanOrEqual(5);
    await sleep(700);
    for (const connection of upstream.connections) expect(connection.lifetimeMs).toBeGreaterThan(1200);
  });

  it("does not reuse a connection whose answer came before the request body was all written", async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      // Answers at the first bytes and reads on (keep-alive), as a server refusing a body early might.
      socket.once("data", () => socket.write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\n\r\n{}"));
      socket.on("data", () => {});
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`;
    const http = client();
    const big = Buffer.alloc(32 * 1024 * 1024, 120);
    const first = await http.request({ ...request(url), body: big, headers: { "content-length": String(big.length) } });
    expect(first.status).toBe(413);
    expect((await first.readAll()).toString()).toBe("{}");
    const second = await http.request(request(url));
    expect(second.status).toBe(413);
    await second.readAll();
    expect(connections).toBe(2);
  });

  it("does not keep a connection whose server announced a Keep-Alive timeout of a second or less", async () => {
    const upstream = await rawUpstream(() => ok("Keep-Alive: timeout=1\r\n"));
    const http = client();
    await send(http, upstream.url);
    await send(http, upstream.url);
    expect(upstream.connections).toHaveLength(2);
  });

  it("fails a malformed answer as a reset that names it, and drops the connection", async () => {
    const upstream = await rawUpstream(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
    const failure = await client()
      .request(request(upstream.url))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({
      kind: "reset",
      message: expect.stringMatching(/malformed answer from the upstream: a Content-Length of "2, 3"/),
    });
    await sleep(50);
    expect(upstream.connections[0].lifetimeMs).toBeDefined();
  });

  it("refuses to send a header value holding CR or LF, and sends nothing", async () => {
    const upstream = await rawUpstream(() => ok());
    const failure = await client()
      .request(request(upstream.url, { "x-request-id": "a\r\nx-injected: 1" }))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "connect", message: "the x-request-id header holds a character HTTP does not allow" });
    expect(upstream.connections).toHaveLength(0);
  });

  it("reads a chunked answer cut across packets", async () => {
    const upstream = await rawUpstream(() => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
    expect(await send(client(), upstream.url)).toEqual({ status: 200, body: "abcdef" });
  });
});

describe("HttpClient backpressure", () => {
  it("stops reading while a body waits for its reader, and while the reader holds a chunk back", async () => {
    const size = 64 * 1024 * 1024;
    let drained = false;
    const server = net.createServer((socket) => {
      socket.once("data", () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
        if (socket.write(Buffer.alloc(size, 120))) drained = true;
        else socket.once("drain", () => (drained = true));
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const response = await client().request(request(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`));
    await sleep(100);
    let chunks = 0;
    const reading = response.forEachChunk(() => {
      chunks += 1;
      return new Promise<void>(() => {});
    });
    await sleep(300);
    expect(chunks).toBe(1);
    // The upstream's 64 MiB are still not all out of its socket: the gateway stopped reading.
    expect(drained).toBe(false);
    response.abort();
    await expect(reading).rejects.toMatchObject({ kind: "aborted" });
  });

  it("hands a connection on reading again, though its last answer ended while reading was paused for a reader", async () => {
    // Past the 64 KiB kept for a reader, in the packet that completes it: reading is paused as the answer ends.
    const big = "x".repeat(90 * 1024);
    const upstream = await rawUpstream((index) => (index === 0 ? `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}` : ok()));
    const http = client(60_000, 1);
    const first = await http.request(request(upstream.url));
    // The one connection goes to the second request once the first answer is in, still unread.
    const second = await http.request(request(upstream.url));
    expect((await second.readAll()).toString()).toBe("{}");
    expect((await first.readAll()).length).toBe(big.length);
    expect(upstream.connections).toHaveLength(1);
  });
});

describe("HttpClient over TLS", () => {
  it("checks the upstream's certificate against the trusted CAs, and talks HTTP/1.1 over TLS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-tls-"));
    makeCertificates(dir);
    const server = https.createServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")) }, (req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "x-alpn": (req.socket as tls.TLSSocket).alpnProtocol || "none" });
        res.end('{"over":"tls"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const url = `https://localhost:${(server.address() as net.AddressInfo).port}/v1`;

    const untrusted = await client()
      .request(request(url))
      .catch((error: unknown) => error);
    expect(untrusted).toMatchObject({ kind: "connect", message: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify/i) });

    const defaults = tls.getCACertificates("default");
    tls.setDefaultCACertificates([...defaults, readFileSync(join(dir, "ca.crt"), "utf8")]);
    try {
      const response = await client().request(request(url));
      expect(response.status).toBe(200);
      expect(response.headers["x-alpn"]).toBe("http/1.1");
      expect((await response.readAll()).toString()).toBe('{"over":"tls"}');
    } finally {
      tls.setDefaultCACertificates(defaults);
    }
  });
});
