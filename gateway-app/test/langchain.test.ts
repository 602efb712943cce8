import { type AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, json } from "./support/fake-upstream.js";
import { startClientGateway } from "./support/client-gateway.js";
import type { TestGateway } from "./support/harness.js";

// LangChain's ChatOpenAI (from npm, as the guide says users take it) against the compiled server.
const REPLY = "Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.";
const fake = new FakeUpstream();
let gw: TestGateway;

beforeAll(async () => {
  const upstream = await fake.start();
  gw = await startClientGateway(upstream, "relayed");
});

afterAll(async () => {
  await gw.gateway.shutdown();
  await fake.stop();
});

function chat(model: string): ChatOpenAI {
  return new ChatOpenAI({ model, apiKey: "client-token", maxRetries: 0, configuration: { baseURL: `${gw.url}/v1` } });
}

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } }, required: ["city", "days"] },
  },
};

describe("LangChain ChatOpenAI", () => {
  it("invokes a model, with its token usage", async () => {
    const answer = await chat("mock").invoke([new HumanMessage("Hello")]);
    expect(answer.content).toBe(REPLY);
    expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it("streams a model's answer in several chunks", async () => {
    const parts: string[] = [];
    for await (const chunk of await chat("mock").stream("Hello")) parts.push(String(chunk.content));
    expect(parts.filter(Boolean).length).toBeGreaterThan(2);
    expect(parts.join("")).toBe(REPLY);
  });

  it("calls a tool, and answers once the tool's result is back", async () => {
    const model = chat("mock").bindTools([weather]);
    const question = new HumanMessage("Weather in Paris?");
    const first = (await model.invoke([question])) as AIMessage;
    expect(first.tool_calls).toHaveLength(1);
    expect(first.tool_calls![0]).toMatchObject({ name: "get_weather", args: { city: "mock", days: 1 } });
    const second = await model.invoke([question, first, new ToolMessage({ tool_call_id: first.tool_calls![0].id!, content: '{"temp":21}' })]);
    expect(second.content).toBe(REPLY);
  });

  it("surfaces an upstream 429 as LangChain's rate-limit error, with the upstream's message", async () => {
    fake.queue((_req, res) => json(res, 429, { error: { message: "quota exceeded for this project", type: "rate_limit_error" } }));
    const error: Error & { status?: number; lc_error_code?: string } = await chat("relayed")
      .invoke("Hello")
      .then(
        () => expect.unreachable("a 429 must reject"),
        (e: unknown) => e as Error,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(429);
    expect(error.lc_error_code).toBe("MODEL_RATE_LIMIT");
    expect(error.message).toContain("quota exceeded for this project");
  });
});
