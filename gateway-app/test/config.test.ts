import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

function load(env: Record<string, string>, files: Record<string, string> = {}) {
  return loadConfig({
    env,
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
      return files[path];
    },
  });
}

const withCatalogue = (catalogue: unknown, env: Record<string, string> = {}) =>
  load({ GATEWAY_CONFIG: "/c.json", ...env }, { "/c.json": JSON.stringify(catalogue) });

function problemsOf(result: ReturnType<typeof load>): string[] {
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

describe("configuration defaults", () => {
  const result = load({});
  if (!result.ok) throw new Error(result.problems.join("\n"));
  const config = result.config;

  it("serves the built-in mock model on port 8080 without requiring a consumer", () => {
    expect(config.port).toBe(8080);
    // A pod's net.core.somaxconn (4096 on Linux >= 5.4), not Node's 511.
    expect(config.listenBacklog).toBe(4096);
    expect([...config.catalogue.models.keys()]).toEqual(["mock"]);
    expect(config.catalogue.models.get("mock")!.upstream).toBe("mock");
    expect(config.catalogue.requireConsumer).toBe(false);
  });

  it("documents its limits and timeouts", () => {
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.timeouts).toEqual({ connectMs: 5000, firstByteMs: 60000, totalMs: 600000, streamIdleMs: 60000, streamTotalMs: 3600000 });
    // Sized for the streams one 512Mi pod holds (bench/gateway-load.bench.ts), not Node's old 512.
    expect(config.upstreamPool).toEqual({ maxSockets: 6000, idleSocketTimeoutMs: 4000 });
    expect(config.maxRetries).toBe(2);
    expect(config.breaker).toEqual({ failureThreshold: 5, cooldownMs: 30000 });
    expect(config.shutdownGraceMs).toBe(25000);
    expect(config.shutdownDelayMs).toBe(0);
    expect(config.logPrompts).toBe(false);
    expect(config.litellm).toEqual({ baseUrl: "http://127.0.0.1:4000", apiKey: undefined });
    expect(config.metadataBaseUrl).toBe("http://metadata.google.internal");
  });

  it("bounds memory per process by default, as the README documents", () => {
    expect(config.admission).toEqual({ maxRequests: 10000, maxBodyBytes: 67108864 });
    expect(config.maxUpstreamResponseBytes).toBe(33554432);
    const custom = load({
      AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS: "50",
      AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: "2048",
      AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: "4096",
    });
    expect(custom.ok && custom.config.admission).toEqual({ maxRequests: 50, maxBodyBytes: 2048 });
    expect(custom.ok && custom.config.maxUpstreamResponseBytes).toBe(4096);
    const bad = load({ AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: "lots" });
    expect(!bad.ok && bad.problems).toEqual([expect.stringMatching(/^AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: must be a whole number/)]);
  });

  it("takes PORT from the environment", () => {
    const r = load({ PORT: "9091" });
    expect(r.ok && r.config.port).toBe(9091);
  });

  it("serves /metrics on a port of its own, 9090 unless METRICS_PORT says otherwise, never the API's", () => {
    expect(config.metricsPort).toBe(9090);
    const r = load({ METRICS_PORT: "9464" });
    expect(r.ok && r.config.metricsPort).toBe(9464);
    const same = load({ PORT: "8080", METRICS_PORT: "8080" });
    expect(same.ok).toBe(false);
    expect(!same.ok && same.problems).toEqual([expect.stringMatching(/^METRICS_PORT: must differ from PORT \(8080\)/)]);
  });
});

describe("catalogue", () => {
  it("accepts the minimal form and fills in documented defaults", () => {
    const result = withCatalogue({ models: [{ name: "m1", upstream: "litellm" }] });
    expect(result.ok).toBe(true);
    const model = result.ok && result.config.catalogue.models.get("m1");
    expect(model).toEqual({
      name: "m1",
      upstream: "litellm",
      upstreamModel: "m1",
      fallbacks: [],
      maxOutputTokens: undefined,
      timeoutMs: undefined,
      inputPricePerMillion: 0,
      outputPricePerMillion: 0,
    });
  });

  it("requires a consumer identity whenever tenants are configured", () => {
    const result = withCatalogue({ models: [{ name: "m1", upstream: "litellm" }], tenants: [{ name: "team-a", models: ["m1"] }] });
    expect(result.ok && result.config.catalogue.requireConsumer).toBe(true);
    expect(
      problemsOf(
        withCatalogue({ models: [{ name: "m1", upstream: "litellm" }], tenants: [{ name: "team-a", models: ["m1"] }], requireConsumer: false }),
      ),
    ).toEqual([expect.stringMatching(/requireConsumer: cannot be false while tenants are configured/)]);
  });

  it("reads a tenant's limits, budgets and API-key flag, and names a negative budget or a fractional limit", () => {
    const models = [{ name: "m1", upstream: "litellm" }];
    const tenant = {
      name: "team-a",
      models: ["m1"],
      limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
      budgets: { usdPerDay: 1.5, tokensPerMonth: 1_000_000, perKey: { usdPerDay: 0.5 } },
      apiKeys: true,
    };
    // Such a tenant needs the governance store (its absence is a start-up error, governance/wired.test.ts).
    const store = { GOVERNANCE_REDIS_URL: "rediss://10.0.0.3:6378" };
    const result = withCatalogue({ models, tenants: [tenant, { name: "team-b", models: ["*"] }] }, store);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.config.catalogue.tenants.get("team-a")).toMatchObject({
      limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
      budgets: { tenant: { usdPerDay: 1.5, tokensPerMonth: 1_000_000 }, perKey: { usdPerDay: 0.5 } },
      apiKeys: true,
    });
    expect(result.config.catalogue.tenants.get("team-b")).toMatchObject({ apiKeys: false, limits: undefined, budgets: undefined });
    expect(
      problemsOf(withCatalogue({ models, tenants: [{ ...tenant, budgets: { usdPerDay: -1 }, limits: { tokensPerMinute: 1.5 } }] }, store)),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GATEWAY_CONFIG: tenants\[0\]\.budgets\.usdPerDay: /),
        expect.stringMatching(/^GATEWAY_CONFIG: tenants\[0\]\.limits\.tokensPerMinute: /),
      ]),
    );
  });

  it("lists every problem at once, each naming its field", () => {
    const problems = problemsOf(
      withCatalogue({
        models: [
          { name: "m1", upstream: "openai" },
          { name: "m2", upstream: "litellm", prices: { inputPerMillionTokens: -1 }, extra: true },
        ],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GATEWAY_CONFIG: models\[0\]\.upstream: /),
        expect.stringMatching(/^GATEWAY_CONFIG: models\[1\]\.prices\.inputPerMillionTokens: /),
        expect.stringMatching(/^GATEWAY_CONFIG: models\[1\]: .*extra/),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it("rejects duplicate names, unknown and self fallbacks, unknown tenant models", () => {
    const problems = problemsOf(
      withCatalogue({
        models: [
          { name: "m1", upstream: "litellm", fallbacks: ["ghost", "m1"] },
          { name: "m1", upstream: "mock" },
        ],
        tenants: [{ name: "t", models: ["nope"] }],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/models\[1\]\.name: "m1" is defined twice/),
        expect.stringMatching(/models\[0\]\.fallbacks\[0\]: unknown model "ghost"/),
        expect.stringMatching(/models\[0\]\.fallbacks\[1\]: "m1" cannot fall back to itself/),
        expect.stringMatching(/tenants\[0\]\.models\[0\]: unknown model "nope"/),
      ]),
    );
  });

  it("reports an unreadable or malformed file", () => {
    expect(problemsOf(load({ GATEWAY_CONFIG: "/missing.json" }))).toEqual(['GATEWAY_CONFIG: cannot read "/missing.json" (ENOENT)']);
    expect(problemsOf(load({ GATEWAY_CONFIG: "/c.json" }, { "/c.json": "{nope" }))[0]).toMatch(/^GATEWAY_CONFIG: "\/c\.json" is not valid JSON/);
  });

  it("needs a Vertex endpoint for vertex models", () => {
    expect(problemsOf(withCatalogue({ models: [{ name: "g", upstream: "vertex" }] }))[0]).toMatch(
      /VERTEX_BASE_URL: models with upstream "vertex" need/,
    );
    const result = withCatalogue({ models: [{ name: "g", upstream: "vertex" }] }, { VERTEX_PROJECT: "acme", VERTEX_LOCATION: "europe-west4" });
    expect(result.ok && result.config.vertex.baseUrl).toBe(
      "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme/locations/europe-west4/endpoints/openapi",
    );
  });
});

describe("environment", () => {
  it("reads the LiteLLM key from a mounted file", () => {
    const result = load({ LITELLM_API_KEY_FILE: "/secrets/key" }, { "/secrets/key": "sk-file-key\n" });
    expect(result.ok && result.config.litellm.apiKey).toBe("sk-file-key");
  });

  it("refuses the key given both ways, or a missing key file", () => {
    expect(problemsOf(load({ LITELLM_API_KEY: "a", LITELLM_API_KEY_FILE: "/k" }, { "/k": "b" }))).toEqual([
      "LITELLM_API_KEY: set either LITELLM_API_KEY or LITELLM_API_KEY_FILE, not both",
    ]);
    expect(problemsOf(load({ LITELLM_API_KEY_FILE: "/nope" }))).toEqual(['LITELLM_API_KEY_FILE: cannot read "/nope" (ENOENT)']);
  });

  it("lists every bad variable", () => {
    const problems = problemsOf(load({ PORT: "http", BODY_LIMIT_BYTES: "-5", LITELLM_BASE_URL: "ftp://x", LOG_PROMPTS: "yes" }));
    expect([...problems].sort()).toEqual(
      [
        'PORT: must be a whole number from 0 to 65535 (received "http")',
        'BODY_LIMIT_BYTES: must be a whole number from 1 to 67108864 (received "-5")',
        'LOG_PROMPTS: must be "true" or "false" (received "yes")',
        'LITELLM_BASE_URL: must be an http(s) URL (received "ftp://x")',
      ].sort(),
    );
  });
});
