import { createHash } from "node:crypto";
import { bufferedResponse, type Upstream, type UpstreamCall, type UpstreamResponse } from "./types.js";

const REPLY_WORDS = "Hello from the AI gateway's built-in mock model. It answers every request with this deterministic text.".split(" ");
const WORDS_PER_CHUNK = 4;
const EMBEDDING_DIMENSIONS = 8;
const JSON_TYPE = { "content-type": "application/json" };

/**
 * The built-in model: answers chat and embedding requests deterministically, streams in
 * several chunks, fills in usage. Lets a new user run the gateway with no keys at all.
 */
export class MockUpstream implements Upstream {
  readonly name = "mock" as const;

  constructor(private readonly now: () => number = Date.now) {}

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const request = JSON.parse(Buffer.from(call.body).toString("utf8")) as Record<string, any>;
    if (call.path === "/embeddings") return bufferedResponse(200, JSON_TYPE, this.embeddings(request));
    if (!call.stream) return bufferedResponse(200, JSON_TYPE, this.completion(request, call.requestId));
    const events = this.stream(request, call.requestId);
    return {
      status: 200,
      headers: { "content-type": "text/event-stream" },
      body: events,
      readAll: async () => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of events) chunks.push(chunk);
        return Buffer.concat(chunks);
      },
      abort: () => undefined,
    };
  }

  private completion(request: Record<string, any>, id: string): Buffer {
    const text = REPLY_WORDS.join(" ");
    return Buffer.from(
      JSON.stringify({
        id: `chatcmpl-mock-${id}`,
        object: "chat.completion",
        created: Math.floor(this.now() / 1000),
        model: request.model,
        choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
        usage: usage(request),
      }),
    );
  }

  private async *stream(request: Record<string, any>, id: string): AsyncIterable<Uint8Array> {
    const base = { id: `chatcmpl-mock-${id}`, object: "chat.completion.chunk", created: Math.floor(this.now() / 1000), model: request.model };
    const event = (data: unknown) => Buffer.from(`data: ${JSON.stringify(data)}\n\n`);
    yield event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] });
    for (let i = 0; i < REPLY_WORDS.length; i += WORDS_PER_CHUNK) {
      const words = REPLY_WORDS.slice(i, i + WORDS_PER_CHUNK).join(" ");
      yield event({ ...base, choices: [{ index: 0, delta: { content: i === 0 ? words : ` ${words}` }, logprobs: null, finish_reason: null }] });
    }
    yield event({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
    if (request.stream_options?.include_usage === true) yield event({ ...base, choices: [], usage: usage(request) });
    yield Buffer.from("data: [DONE]\n\n");
  }

  private embeddings(request: Record<string, any>): Buffer {
    const inputs: unknown[] = Array.isArray(request.input) ? request.input : [request.input];
    const data = inputs.map((input, index) => ({ object: "embedding", index, embedding: vectorOf(JSON.stringify(input)) }));
    const promptTokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(JSON.stringify(input)), 0);
    return Buffer.from(
      JSON.stringify({ object: "list", data, model: request.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
    );
  }
}

function usage(request: Record<string, any>) {
  const promptTokens = estimateTokens(JSON.stringify(request.messages ?? ""));
  const completionTokens = REPLY_WORDS.length;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Roughly four characters a token, as OpenAI's rule of thumb. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function vectorOf(text: string): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => Number(((digest[i] / 255) * 2 - 1).toFixed(6)));
}
