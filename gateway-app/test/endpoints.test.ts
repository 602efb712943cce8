import { describe, expect, it } from "vitest";
import { servedApp, parseLogs, postJson, settle } from "./support/harness.js";
import { RecordingUpstream } from "./support/recording-upstream.js";

const CATALOGUE = {
  models: [
    { name: "fast", upstream: "litellm", limits: { maxOutputTokens: 1000 } },
    { name: "google/gemini-2.5-pro", upstream: "litellm" },
    { name: "mock", upstream: "mock" },
  ],
  tenants: [
    { name: "team-a", models: ["fast"], maxOutputTokens: 500 },
    { name: "team-b", models: ["*"] },
  ],
};
const as = (tenant: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as object), "x-consumer-username": tenant },
});

describe("GET /v1/models/{id}", () => {
  it("returns OpenAI's model object, names with a slash included", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/v1/models/google/gemini-2.5-pro", as("team-b"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "google/gemini-2.5-pro", object: "model", created: 0, owned_by: "ai-gateway" });
  });

  it("takes the id percent-encoded too, as the openai SDK sends a name with a slash", async () => {
    const { app } = servedApp(CATALOGUE);
    const response = await app.request("/v1/models/google%2Fgemini-2.5-pro", as("team-b"));
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).id).toBe("google/gemini-2.5-pro");
  });

  it("answers 404 in the envelope for an unknown model, and for one the tenant may not use", async () => {
    const { app } = servedApp(CATALOGUE);
    for (const [path, tenant] of [
      ["/v1/models/nope", "team-b"],
      ["/v1/models/mock", "team-a"],
    ]) {
      const response = await app.request(path, as(tenant));
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).error).toMatchObject({ code: "model_not_found", type: "invalid_request_error", param: "model" });
    }
  });

  it("refuses other methods with 405", async () => {
    const { app } = servedApp(CATALOGUE);
    expect((await app.request("/v1/models/fast", as("team-b", { method: "DELETE" }))).status).toBe(405);
  });
});

describe("POST /v1/responses", () => {
  it("sends the body to the upstream's /responses, capping max_output_tokens for the tenant", async () => {
    const litellm = new RecordingUpstream("litellm");
    const { app } = servedApp(CATALOGUE, { litellm });
    const response = await app.request("/v1/responses", as("team-a", postJson({ model: "fast", input: "Hi" })));
    expect(response.status).toBe(200);
    expect(litellm.calls[0].call.path).toBe("/responses");
    expect(litellm.calls[0].call.stream).toBe(false);
    expect(litellm.calls[0].body).toEqual({ model: "fast", input: "Hi", max_output_tokens: 500, user: "team-a" });
    const over = await app.request("/v1/responses", as("team-a", postJson({ model: "fast", input: "Hi", max_output_tokens: 501 })));
    expect(over.status).toBe(400);
    expect(((await over.json()) as any).error.param).toBe("max_output_tokens");
  });

  it("streams without asking for chat's stream_options, which the Responses API does not have", async () => {
    const litellm = new RecordingUpstream("litellm");
    const { app } = servedApp(CATALOGUE, { litellm });
    await app.request("/v1/responses", as("team-b", postJson({ model: "fast", input: [{ role: "user", content: "Hi" }], stream: true })));
    expect(litellm.calls[0].call.stream).toBe(true);
    expect(litellm.calls[0].body.stream_options).toBeUndefined();
  });

  it("refuses a body without input, or with a wrong stream, in the envelope", async () => {
    const { app } = servedApp(CATALOGUE);
    for (const [body, param] of [
      [{ model: "mock" }, "input"],
      [{ model: "mock", input: [] }, "input"],
      [{ model: "mock", input: "x", stream: "yes" }, "stream"],
      [{ input: "x" }, "model"],
    ] as const) {
      const response = await app.request("/v1/responses", as("team-b", postJson(body)));
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.param).toBe(param);
    }
  });
});

describe("usage of the Responses API", () => {
  it.each([false, true])("counts its input and output tokens as prompt and completion (stream: %s)", async (stream) => {
    const { app, registry, logs } = servedApp(CATALOGUE);
    const response = await app.request("/v1/responses", as("team-b", postJson({ model: "mock", input: "Hello there", stream })));
    await response.text();
    await settle();
    const text = await registry.metrics();
    expect(text).toMatch(/gateway_tokens_total\{model="mock",tenant="team-b",kind="prompt"\} [1-9]/);
    expect(text).toMatch(/gateway_tokens_total\{model="mock",tenant="team-b",kind="completion"\} [1-9]/);
    const line = parseLogs(logs).find((l) => l.route === "/v1/responses")!;
    expect(line.prompt_tokens).toBeGreaterThan(0);
    expect(line.completion_tokens).toBeGreaterThan(0);
  });
});
