import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { chatBody, servedApp, postJson, startTestGateway, type TestGateway } from "./support/harness.js";

const TOKEN = "3f9c1d7e5b2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c";
const CATALOGUE = { models: [{ name: "mock", upstream: "mock" }], tenants: [{ name: "team-a", models: ["*"] }] };
const forged = { "x-consumer-username": "team-a" };

describe("only Kong may speak for a tenant: the edge token", () => {
  const { app } = servedApp(CATALOGUE, {}, { edgeToken: TOKEN });

  it("refuses a request with a forged X-Consumer-Username and no token, or a wrong one, with 401 in the envelope", async () => {
    for (const headers of [forged, { ...forged, "x-gateway-edge-token": "wrong" }, { ...forged, "x-gateway-edge-token": `${TOKEN}x` }]) {
      const response = await app.request("/v1/chat/completions", postJson(chatBody("mock"), headers));
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).error).toEqual({
        message: "Requests must come through the gateway's edge (Kong)",
        type: "authentication_error",
        param: null,
        code: "edge_unauthenticated",
      });
    }
    expect((await app.request("/v1/models", { headers: forged })).status).toBe(401);
    expect((await app.request("/v1/responses", postJson({ model: "mock", input: "x" }, forged))).status).toBe(401);
  });

  it("serves what carries the token Kong adds", async () => {
    const response = await app.request("/v1/chat/completions", postJson(chatBody("mock"), { ...forged, "x-gateway-edge-token": TOKEN }));
    expect(response.status).toBe(200);
  });

  it("leaves the kubelet's probes alone", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
  });

  it("checks nothing when no token is configured (local use, no Kong in front)", async () => {
    const { app: open } = servedApp(CATALOGUE);
    expect((await open.request("/v1/chat/completions", postJson(chatBody("mock"), forged))).status).toBe(200);
  });
});

describe("EDGE_TOKEN configuration", () => {
  const load = (env: Record<string, string>, files: Record<string, string> = {}) =>
    loadConfig({
      env,
      readFile: (path) =>
        files[path] ??
        (() => {
          throw Object.assign(new Error("missing"), { code: "ENOENT" });
        })(),
    });

  it("reads the token from a mounted file, trimmed", () => {
    const result = load({ EDGE_TOKEN_FILE: "/run/edge-token" }, { "/run/edge-token": `${TOKEN}\n` });
    expect(result.ok && result.config.edgeToken).toBe(TOKEN);
  });

  it("refuses a token nginx or Kubernetes would mangle, or too short to be secret", () => {
    for (const bad of ["short", `${TOKEN} x`, `${TOKEN}$(HOME)`]) {
      const result = load({ EDGE_TOKEN: bad });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems).toEqual([expect.stringMatching(/^EDGE_TOKEN: must be 32 to 512 letters, digits, - or _/)]);
    }
  });
});

describe("the edge token over HTTP", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ EDGE_TOKEN: TOKEN }, CATALOGUE);
  });
  afterAll(() => gw.gateway.shutdown());

  it("answers a forged identity with 401 and logs it, and says at start that the check is on", async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, postJson(chatBody("mock"), forged));
    expect(response.status).toBe(401);
    expect(gw.logs.some((l) => l.includes('"edge_auth":"on"'))).toBe(true);
  });
});
