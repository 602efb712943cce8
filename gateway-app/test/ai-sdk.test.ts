import { createOpenAI } from "@ai-sdk/openai";
import { embed, generateText, jsonSchema, Output, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./support/harness.js";

// The Vercel AI SDK as a user points it at the gateway: its default `openai(model)` speaks the
// Responses API (POST /v1/responses), `openai.chat(model)` chat completions.
const REPLY = "Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.";
let gw: TestGateway;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  gw = await startTestGateway({});
  openai = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-token" });
});

afterAll(() => gw.gateway.shutdown());

const weather = tool({
  description: "The weather in a city",
  inputSchema: jsonSchema<{ city: string }>({
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  }),
  execute: async ({ city }) => ({ city, temperature: 21 }),
});

describe("Vercel AI SDK against the gateway (built-in mock)", () => {
  it("generates text with the default provider, which calls /v1/responses", async () => {
    const result = await generateText({ model: openai("mock"), prompt: "Hello", maxRetries: 0 });
    expect(result.text).toBe(REPLY);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    await gw.logsSettled();
    expect(gw.logs.some((l) => l.includes('"route":"/v1/responses"') && l.includes('"status":200'))).toBe(true);
  });

  it("streams text over the Responses API", async () => {
    const result = streamText({ model: openai("mock"), prompt: "Hello", maxRetries: 0 });
    const parts: string[] = [];
    for await (const part of result.textStream) parts.push(part);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join("")).toBe(REPLY);
  });

  it.each([
    ["Responses API", () => openai("mock")],
    ["chat completions", () => openai.chat("mock")],
  ])("runs a tool round trip over the %s", async (_api, model) => {
    const result = await generateText({ model: model(), prompt: "Weather in Paris?", tools: { weather }, stopWhen: stepCountIs(3), maxRetries: 0 });
    expect(result.steps[0].toolCalls[0]).toMatchObject({ toolName: "weather", input: { city: "mock" } });
    expect(result.steps[0].toolResults[0]).toMatchObject({ output: { city: "mock", temperature: 21 } });
    expect(result.text).toBe(REPLY);
  });

  it("returns structured output that fits the schema", async () => {
    const schema = jsonSchema<{ title: string; tags: string[] }>({
      type: "object",
      properties: { title: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
      required: ["title", "tags"],
      additionalProperties: false,
    });
    const result = await generateText({ model: openai("mock"), prompt: "Describe", output: Output.object({ schema }), maxRetries: 0 });
    expect(result.output).toEqual({ title: "mock", tags: ["mock"] });
  });

  it("embeds", async () => {
    const { embedding } = await embed({ model: openai.embedding("mock"), value: "one", maxRetries: 0 });
    expect(embedding).toHaveLength(8);
  });
});
