import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, json } from "./support/fake-upstream.js";
import { startTestGateway, type TestGateway } from "./support/harness.js";

// The official client as a real user would point it at the gateway.
let gw: TestGateway;
let client: OpenAI;
const fake = new FakeUpstream();

beforeAll(async () => {
  const upstream = await fake.start();
  gw = await startTestGateway(
    { LITELLM_BASE_URL: upstream, UPSTREAM_MAX_RETRIES: "0" },
    {
      models: [
        { name: "mock", upstream: "mock" },
        { name: "limited", upstream: "litellm" },
      ],
    },
  );
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-token", maxRetries: 0 });
});

afterAll(async () => {
  await gw.gateway.shutdown();
  await fake.stop();
});

describe("official openai client", () => {
  it("creates a chat completion", async () => {
    const completion = await client.chat.completions.create({ model: "mock", messages: [{ role: "user", content: "Hello" }] });
    expect(completion.choices[0].message.content).toMatch(/mock model/);
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
  });

  it("streams a chat completion in several chunks", async () => {
    const stream = await client.chat.completions.create({ model: "mock", messages: [{ role: "user", content: "Hello" }], stream: true });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta?.content ?? "");
    expect(parts.filter(Boolean).length).toBeGreaterThan(2);
    expect(parts.join("")).toBe("Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.");
  });

  it("streams usage when the client asks for it", async () => {
    const stream = await client.chat.completions.create({
      model: "mock",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("creates embeddings", async () => {
    const result = await client.embeddings.create({ model: "mock", input: ["one", "two"] });
    expect(result.data).toHaveLength(2);
    expect(result.data[1].index).toBe(1);
  });

  it("lists models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["mock", "limited"]);
  });

  it("surfaces gateway errors as typed API errors", async () => {
    const error = await client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe("model_not_found");
    expect(error.message).toMatch(/"nope" does not exist/);
  });

  it("surfaces an upstream rate limit as RateLimitError", async () => {
    fake.queue((_req, res) => json(res, 429, { error: { message: "too many", type: "rate_limit_error" } }, { "retry-after": "3" }));
    const error = await client.chat.completions.create({ model: "limited", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get("retry-after")).toBe("3");
  });
});
