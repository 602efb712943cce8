import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatBody, startTestGateway, type TestGateway } from "./support/harness.js";

// Over real HTTP the gateway reads headers and the body from node:http's request, not from a
// web Request, so what the in-process tests check about them is checked here again.
const CATALOGUE = {
  models: [
    { name: "m", upstream: "mock" },
    { name: "other", upstream: "mock" },
  ],
  tenants: [{ name: "team-a", models: ["m"] }],
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ BODY_LIMIT_BYTES: "2048" }, CATALOGUE);
});
afterAll(async () => {
  await gw.gateway.shutdown();
});

/** A raw request, so the test decides every header (fetch would add or merge some) and how the body is cut. */
function send(headers: [string, string][], body: string | string[]): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(gw.url);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: "/v1/chat/completions",
        method: "POST",
        headers: [["host", url.host], ...headers].flat() as unknown as http.OutgoingHttpHeaders,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) });
          } catch (error) {
            reject(new Error(`${res.statusCode}: not JSON: ${text}`, { cause: error }));
          }
        });
      },
    );
    req.on("error", reject);
    const parts = Array.isArray(body) ? body : [body];
    for (const part of parts.slice(0, -1)) req.write(part);
    req.end(parts.at(-1));
  });
}

const body = JSON.stringify(chatBody("m"));
const json: [string, string] = ["content-type", "application/json"];

describe("request headers over HTTP", () => {
  it("requires a consumer when tenants are configured and resolves it from X-Consumer-Username or -Custom-ID", async () => {
    expect((await send([json], body)).body.error.code).toBe("consumer_required");
    expect((await send([json, ["X-Consumer-Username", "team-a"]], body)).status).toBe(200);
    expect((await send([json, ["x-consumer-custom-id", "team-a"]], body)).status).toBe(200);
    const forbidden = await send([json, ["X-Consumer-Username", "team-a"]], JSON.stringify(chatBody("other")));
    expect(forbidden.status).toBe(403);
    expect((await send([json, ["X-Consumer-Username", "stranger"]], body)).status).toBe(403);
  });

  it("answers 415 for another content type and 413 for a declared length over the limit", async () => {
    const wrongType = await send(
      [
        ["content-type", "text/plain"],
        ["x-consumer-username", "team-a"],
      ],
      body,
    );
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.message).toContain('"text/plain"');
    const tooLarge = await send([json, ["x-consumer-username", "team-a"]], JSON.stringify(chatBody("m", { padding: "x".repeat(4096) })));
    expect(tooLarge.status).toBe(413);
  });

  it("echoes a valid X-Request-ID, replaces an invalid one, and joins a repeated one as Headers would", async () => {
    const valid = await send([json, ["x-consumer-username", "team-a"], ["X-Request-ID", "abc-123"]], body);
    expect(valid.headers["x-request-id"]).toBe("abc-123");
    const invalid = await send([json, ["x-consumer-username", "team-a"], ["X-Request-ID", "has spaces"]], body);
    expect(invalid.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // Two ids join into "a, b", which is not a valid id, so a fresh one is made.
    const repeated = await send([json, ["x-consumer-username", "team-a"], ["X-Request-ID", "a"], ["X-Request-ID", "b"]], body);
    expect(repeated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("request bodies over HTTP", () => {
  const consumer: [string, string] = ["x-consumer-username", "team-a"];

  it("reads a body sent in several chunks without a length", async () => {
    const text = JSON.stringify(chatBody("m", { note: "y".repeat(1000) }));
    const parts = [text.slice(0, 10), text.slice(10, 500), text.slice(500)];
    const response = await send([json, consumer, ["transfer-encoding", "chunked"]], parts);
    expect(response.status).toBe(200);
    expect(response.body.object).toBe("chat.completion");
  });

  it("answers 413 as soon as a body without a declared length passes the limit", async () => {
    const text = JSON.stringify(chatBody("m", { note: "z".repeat(4096) }));
    const response = await send([json, consumer, ["transfer-encoding", "chunked"]], [text.slice(0, 1000), text.slice(1000, 3000), text.slice(3000)]);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("answers 400 naming the problem for a body that is not JSON", async () => {
    const response = await send([json, consumer], "{not json");
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/^The body is not valid JSON/);
  });
});

describe("one response path", () => {
  const security = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
  };

  it("sends the security headers over real HTTP from the compiled server, on answers, errors and streams", async () => {
    const answer = await send([json, ["x-consumer-username", "team-a"]], body);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject(security);
    const refused = await send([["content-type", "text/plain"]], body);
    expect(refused.status).toBe(415);
    expect(refused.headers).toMatchObject(security);
    const stream = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-consumer-username": "team-a" },
      body: JSON.stringify(chatBody("m", { stream: true })),
    });
    await stream.text();
    expect(Object.fromEntries(Object.keys(security).map((name) => [name, stream.headers.get(name)]))).toEqual(security);
    const metrics = await fetch(`${gw.url}/metrics`);
    expect(metrics.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
