import { createHash } from "node:crypto";
import { chatFormat, estimateTokens, mockText, mockToolCall, textChunks, type MockToolCall } from "./mock-content.js";
import { mockResponse, mockResponseEvents } from "./mock-responses.js";
import { bufferedResponse, forEachOf, type Upstream, type UpstreamCall, type UpstreamResponse } from "./types.js";

const EMBEDDING_DIMENSIONS = 8;
/** OpenAI accepts `n` up to 128. */
const MAX_CHOICES = 128;
const JSON_TYPE = { "content-type": "application/json" };

/**
 * The built-in model: answers chat, Responses and embedding requests deterministically, streams
 * in several chunks, fills in usage, and honours what clients build on (`tools`, `n`,
 * `response_format`, `text.format`, `encoding_format: "base64"`). Lets a new user run the
 * gateway, with the clients they use, with no keys at all.
 */
export class MockUpstream implements Upstream {
  readonly name = "mock" as const;

  constructor(private readonly now: () => number = Date.now) {}

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const request = JSON.parse(Buffer.from(call.body).toString("utf8")) as Record<string, any>;
    const created = Math.floor(this.now() / 1000);
    if (call.path === "/embeddings") return bufferedResponse(200, JSON_TYPE, embeddings(request));
    if (call.path === "/responses") {
      if (!call.stream) return bufferedResponse(200, JSON_TYPE, Buffer.from(JSON.stringify(mockResponse(request, call.requestId, created))));
      return eventStream(mockResponseEvents(request, call.requestId, created));
    }
    const answer = chatAnswer(request);
    if (!call.stream) return bufferedResponse(200, JSON_TYPE, completion(request, answer, call.requestId, created));
    return eventStream(chatStream(request, answer, call.requestId, created));
  }
}

function eventStream(events: AsyncIterable<Uint8Array>): UpstreamResponse {
  return {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    forEachChunk: (onChunk) => forEachOf(events, onChunk),
    readAll: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of events) chunks.push(chunk);
      return Buffer.concat(chunks);
    },
    abort: () => undefined,
  };
}

/** What every choice says: a tool call, or text (in the requested format). */
interface ChatAnswer {
  readonly choices: number;
  readonly toolCall?: MockToolCall;
  readonly text: string;
}

function chatAnswer(request: Record<string, any>): ChatAnswer {
  const messages: unknown[] = Array.isArray(request.messages) ? request.messages : [];
  const sawToolResult = messages.some((m) => (m as { role?: unknown } | null)?.role === "tool");
  const n = Number.isInteger(request.n) && request.n > 0 ? Math.min(request.n, MAX_CHOICES) : 1;
  return {
    choices: n,
    toolCall: mockToolCall(request.tools, request.tool_choice, sawToolResult),
    text: mockText(chatFormat(request.response_format)),
  };
}

function toolCallOf(call: MockToolCall, index: number) {
  return { id: `call_mock_${index}`, type: "function", function: { name: call.name, arguments: call.arguments } };
}

function completion(request: Record<string, any>, answer: ChatAnswer, id: string, created: number): Buffer {
  const choices = Array.from({ length: answer.choices }, (_, index) => ({
    index,
    message: answer.toolCall
      ? { role: "assistant", content: null, tool_calls: [toolCallOf(answer.toolCall, index)], refusal: null }
      : { role: "assistant", content: answer.text, refusal: null },
    logprobs: null,
    finish_reason: answer.toolCall ? "tool_calls" : "stop",
  }));
  return Buffer.from(
    JSON.stringify({ id: `chatcmpl-mock-${id}`, object: "chat.completion", created, model: request.model, choices, usage: usage(request, answer) }),
  );
}

async function* chatStream(request: Record<string, any>, answer: ChatAnswer, id: string, created: number): AsyncIterable<Uint8Array> {
  const base = { id: `chatcmpl-mock-${id}`, object: "chat.completion.chunk", created, model: request.model };
  const event = (index: number, delta: unknown, finish: string | null = null) =>
    Buffer.from(`data: ${JSON.stringify({ ...base, choices: [{ index, delta, logprobs: null, finish_reason: finish }] })}\n\n`);
  for (let index = 0; index < answer.choices; index++) {
    if (answer.toolCall) {
      const { id: callId, type, function: fn } = toolCallOf(answer.toolCall, index);
      yield event(index, {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: callId, type, function: { name: fn.name, arguments: "" } }],
      });
      yield event(index, { tool_calls: [{ index: 0, function: { arguments: fn.arguments } }] });
      yield event(index, {}, "tool_calls");
      continue;
    }
    yield event(index, { role: "assistant", content: "" });
    for (const content of textChunks(answer.text)) yield event(index, { content });
    yield event(index, {}, "stop");
  }
  if (request.stream_options?.include_usage === true)
    yield Buffer.from(`data: ${JSON.stringify({ ...base, choices: [], usage: usage(request, answer) })}\n\n`);
  yield Buffer.from("data: [DONE]\n\n");
}

function usage(request: Record<string, any>, answer: ChatAnswer) {
  const promptTokens = estimateTokens(JSON.stringify(request.messages ?? ""));
  const perChoice = answer.toolCall ? estimateTokens(answer.toolCall.name + answer.toolCall.arguments) : answer.text.split(" ").length;
  const completionTokens = perChoice * answer.choices;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Float vectors, or with `encoding_format: "base64"` their little-endian float32 bytes in base64, as OpenAI sends them. */
function embeddings(request: Record<string, any>): Buffer {
  const inputs: unknown[] = Array.isArray(request.input) ? request.input : [request.input];
  const base64 = request.encoding_format === "base64";
  const data = inputs.map((input, index) => {
    const vector = vectorOf(JSON.stringify(input));
    return { object: "embedding", index, embedding: base64 ? float32Base64(vector) : vector };
  });
  const promptTokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(JSON.stringify(input)), 0);
  return Buffer.from(
    JSON.stringify({ object: "list", data, model: request.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
  );
}

function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString("base64");
}

function vectorOf(text: string): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => Number(((digest[i] / 255) * 2 - 1).toFixed(6)));
}
