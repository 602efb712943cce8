import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, json } from "./support/fake-upstream.js";
import { startClientGateway } from "./support/client-gateway.js";
import type { TestGateway } from "./support/harness.js";

// The official client as a real user would point it at the gateway.
let gw: TestGateway;
let client: OpenAI;
const fake = new FakeUpstream();

beforeAll(async () => {
  const upstream = await fake.start();
  gw = await startClientGateway(upstream, "limited");
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

  // The SDK retries every 5xx twice by default; each retry of a request the model ran bills it again.
  it("is not retried by the SDK's default retries when the model may have run the request, and is when it declined", async () => {
    const retrying = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-token" });
    const ask = () => retrying.chat.completions.create({ model: "limited", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    fake.reset();
    fake.always((_req, res) => json(res, 500, { error: { message: "the provider failed after it ran" } }));
    const ran = await ask();
    expect(ran.status).toBe(502);
    expect(ran.headers.get("x-should-retry")).toBe("false");
    expect(fake.received).toHaveLength(1);
    fake.reset();
    fake.always((_req, res) => json(res, 503, { error: { message: "not now" } }, { "retry-after": "0" }));
    const declined = await ask();
    expect(declined.status).toBe(502);
    expect(declined.headers.get("x-should-retry")).toBeNull();
    expect(fake.received).toHaveLength(3);
    fake.reset();
  });
});

describe("the endpoints and features clients build on (official openai client, built-in mock)", () => {
  const REPLY = "Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.";
  const weather: OpenAI.ChatCompletionTool = {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } }, required: ["city", "days"] },
    },
  };

  it("retrieves one model, and answers an unknown one with a typed 404", async () => {
    expect(await client.models.retrieve("mock")).toEqual({ id: "mock", object: "model", created: 0, owned_by: "ai-gateway" });
    const error = await client.models.retrieve("nope").catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
  });

  it("creates a response with the Responses API", async () => {
    const response = await client.responses.create({ model: "mock", input: "Hello" });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe(REPLY);
    expect(response.usage!.output_tokens).toBeGreaterThan(0);
  });

  it("streams a response as OpenAI's event sequence", async () => {
    const stream = await client.responses.create({ model: "mock", input: "Hello", stream: true });
    const types: string[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(types.filter((t) => t === "response.output_text.delta").length).toBeGreaterThan(2);
    expect(text).toBe(REPLY);
    expect(completed!.output_text ?? (completed!.output[0] as any).content[0].text).toBe(REPLY);
  });

  it("calls a function tool in the Responses API, then answers once the tool's output is back", async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [
      { type: "function", name: "get_weather", parameters: weather.function.parameters!, strict: true },
    ];
    const first = await client.responses.create({ model: "mock", input: "Weather in Paris?", tools });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ type: "function_call", name: "get_weather" });
    expect(JSON.parse(call.arguments)).toEqual({ city: "mock", days: 1 });
    const second = await client.responses.create({
      model: "mock",
      tools,
      input: [{ role: "user", content: "Weather in Paris?" }, call, { type: "function_call_output", call_id: call.call_id, output: '{"temp":21}' }],
    });
    expect(second.output_text).toBe(REPLY);
  });

  it("calls a chat tool, streamed too, and ends the loop on the tool's result", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await client.chat.completions.create({ model: "mock", messages, tools: [weather] });
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call = first.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "mock", days: 1 });

    const streamed = client.chat.completions.stream({ model: "mock", messages, tools: [weather] });
    const final = await streamed.finalChatCompletion();
    expect((final.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall).function.arguments).toBe(
      call.function.arguments,
    );

    const second = await client.chat.completions.create({
      model: "mock",
      tools: [weather],
      messages: [...messages, first.choices[0].message, { role: "tool", tool_call_id: call.id, content: '{"temp":21}' }],
    });
    expect(second.choices[0].message.content).toBe(REPLY);
  });

  it("answers n choices, streamed or not", async () => {
    const completion = await client.chat.completions.create({ model: "mock", messages: [{ role: "user", content: "Hi" }], n: 3 });
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const stream = await client.chat.completions.create({ model: "mock", messages: [{ role: "user", content: "Hi" }], n: 2, stream: true });
    const texts = ["", ""];
    for await (const chunk of stream) for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? "";
    expect(texts).toEqual([REPLY, REPLY]);
  });

  it("answers JSON that fits a requested json_schema, or any JSON object for json_object", async () => {
    const schema = {
      type: "object",
      properties: { title: { type: "string" }, tags: { type: "array", items: { type: "string" } }, mood: { enum: ["happy", "sad"] } },
      required: ["title", "tags", "mood"],
      additionalProperties: false,
    };
    const structured = await client.chat.completions.create({
      model: "mock",
      messages: [{ role: "user", content: "Describe" }],
      response_format: { type: "json_schema", json_schema: { name: "note", schema, strict: true } },
    });
    expect(JSON.parse(structured.choices[0].message.content!)).toEqual({ title: "mock", tags: ["mock"], mood: "happy" });
    const object = await client.chat.completions.create({
      model: "mock",
      messages: [{ role: "user", content: "Describe" }],
      response_format: { type: "json_object" },
    });
    expect(typeof JSON.parse(object.choices[0].message.content!)).toBe("object");
    const response = await client.responses.create({
      model: "mock",
      input: "Describe",
      text: { format: { type: "json_schema", name: "note", schema, strict: true } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ title: "mock", tags: ["mock"], mood: "happy" });
  });

  it("sends embeddings as base64 when asked (the SDK's default) and as floats otherwise, the same vectors", async () => {
    const raw = await fetch(`${gw.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "mock", input: "one", encoding_format: "base64" }),
    });
    expect(typeof ((await raw.json()) as any).data[0].embedding).toBe("string");
    const decoded = await client.embeddings.create({ model: "mock", input: "one" });
    const floats = await client.embeddings.create({ model: "mock", input: "one", encoding_format: "float" });
    expect(decoded.data[0].embedding).toHaveLength(8);
    for (const [i, value] of decoded.data[0].embedding.entries()) expect(value).toBeCloseTo(floats.data[0].embedding[i], 6);
  });

  it("relays the Responses API to LiteLLM's /responses, JSON and streamed", async () => {
    fake.queue((req, res) => json(res, 200, { id: "resp_1", object: "response", status: "completed", model: req.body.model, output: [] }));
    const response = await client.responses.create({ model: "limited", input: "Hi", max_output_tokens: 50 });
    expect(response.id).toBe("resp_1");
    expect(fake.received.at(-1)).toMatchObject({ url: "/responses", body: { model: "limited", input: "Hi", max_output_tokens: 50 } });
    fake.queue((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('event: response.completed\ndata: {"type":"response.completed","sequence_number":0,"response":{"id":"resp_2","output":[]}}\n\n');
    });
    const types: string[] = [];
    for await (const event of await client.responses.create({ model: "limited", input: "Hi", stream: true })) types.push(event.type);
    expect(types).toEqual(["response.completed"]);
    expect(fake.received.at(-1)!.body).toEqual({ model: "limited", input: "Hi", stream: true });
  });

  it("ends a Responses API stream that breaks midway, mid-event, with the Responses API's own error event and no half event", async () => {
    fake.queue(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const inProgress = { id: "resp_3", object: "response", status: "in_progress", output: [] };
      for (const [sequence, type] of ["response.created", "response.in_progress"].entries())
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, response: inProgress })}\n\n`);
      // Cut mid-event: the half-sent delta must not reach the client glued to the error event.
      res.write('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":2,"del');
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
    });
    const stream = client.responses.stream({ model: "limited", input: "Hi" });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["response.created", "response.in_progress", "error"]);
    expect(events[2]).toEqual({
      type: "error",
      code: "upstream_error",
      message: expect.stringMatching(/^The upstream stream broke: /),
      param: null,
      sequence_number: 2,
    });
    await expect(stream.finalResponse()).rejects.toThrow();
  });
});
