import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeListener, type NodeFetch } from "../src/node-serving.js";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(fetch: NodeFetch): Promise<number> {
  const server = http.createServer(nodeListener(fetch));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends a raw request head and returns the whole answer as text. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.end(head));
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("nodeListener", () => {
  it("gives the app the method, a URL with the path and query, the headers, and node's request and response", async () => {
    let seen: { method: string; url: string; header: string | null; sameIncoming: boolean } | undefined;
    const port = await serve((request, env) => {
      seen = {
        method: request.method,
        url: request.url,
        header: request.headers.get("X-Thing"),
        sameIncoming: env.incoming.url === "/v1/models?x=1",
      };
      env.outgoing.end("ok");
    });
    const text = await raw(port, "GET /v1/models?x=1 HTTP/1.1\r\nHost: a\r\nX-Thing: one\r\nX-Thing: two\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(seen).toEqual({ method: "GET", url: "http://gateway/v1/models?x=1", header: "one, two", sameIncoming: true });
  });

  it("routes HEAD as GET, and node sends that answer's head without its body", async () => {
    const methods: string[] = [];
    const port = await serve((request, env) => {
      methods.push(request.method);
      env.outgoing.writeHead(200, { "content-type": "application/json", "content-length": "11" });
      env.outgoing.end('{"ok":true}');
    });
    const head = await raw(port, "HEAD /v1/models HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const get = await raw(port, "GET /v1/models HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(methods).toEqual(["GET", "GET"]);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ncontent-length: 11\r\n/i);
    expect(head.endsWith("\r\n\r\n")).toBe(true);
    expect(get.endsWith('\r\n\r\n{"ok":true}')).toBe(true);
  });

  it("takes an absolute URL as its path, and answers another request target with a 400 envelope", async () => {
    const paths: string[] = [];
    const port = await serve((request, env) => {
      paths.push(new URL(request.url).pathname);
      env.outgoing.end("ok");
    });
    expect(await raw(port, "GET http://elsewhere/healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1\.1 200/);
    expect(paths).toEqual(["/healthz"]);
    const refused = await raw(port, "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(refused).toMatch(/^HTTP\/1\.1 400/);
    expect(refused).toMatch(/x-content-type-options: nosniff/i);
    expect(JSON.parse(refused.slice(refused.indexOf("\r\n\r\n") + 4)).error).toEqual({
      message: "The request target must be a path, such as /v1/chat/completions",
      type: "invalid_request_error",
      param: null,
      code: "invalid_request",
    });
    expect(paths).toEqual(["/healthz"]);
  });

  it("answers 500 with the envelope when the app throws, rejects, or returns without answering", async () => {
    const apps: NodeFetch[] = [
      () => {
        throw new Error("thrown");
      },
      () => Promise.reject(new Error("rejected")),
      () => undefined,
      async () => undefined,
    ];
    for (const app of apps) {
      const text = await raw(await serve(app), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      expect(text).toMatch(/^HTTP\/1\.1 500/);
      expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).error.code).toBe("internal_error");
    }
  });
});
