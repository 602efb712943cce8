import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
  readonly rawBody: string;
  /** The gateway's side of the connection: equal ports mean a reused connection. */
  readonly remotePort: number;
  /** Resolves when the gateway closed this request's connection or the response ended. */
  readonly closed: Promise<"finished" | "aborted">;
}

export type FakeHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A loopback OpenAI-compatible upstream whose behaviour each test scripts: answer, stream,
 * delay, fail, rate-limit, send garbage, reset mid-stream. Records what it received.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  private handlers: FakeHandler[] = [];
  private fallback: FakeHandler = (req, res) => json(res, 200, completion(req.body.model, "fake answer"));
  private server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next requests get these handlers, in order; after them, the default. */
  queue(...handlers: FakeHandler[]): this {
    this.handlers.push(...handlers);
    return this;
  }

  /** Every request without a queued handler gets this one. */
  always(handler: FakeHandler): this {
    this.fallback = handler;
    return this;
  }

  reset(): void {
    this.received.length = 0;
    this.handlers = [];
    this.fallback = (req, res) => json(res, 200, completion(req.body.model, "fake answer"));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    let body: any;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const closed = new Promise<"finished" | "aborted">((resolve) => {
      res.once("finish", () => resolve("finished"));
      res.once("close", () => resolve(res.writableFinished ? "finished" : "aborted"));
    });
    const received: ReceivedRequest = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body,
      rawBody,
      remotePort: req.socket.remotePort!,
      closed,
    };
    this.received.push(received);
    const handler = this.handlers.shift() ?? this.fallback;
    await handler(received, res);
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function completion(model: string, content: string, usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 }) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1700000000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Streams chat chunks with a pause between them; usage last when the request asked for it. */
export function streamChunks(
  words: string[],
  options: { delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } } = {},
): FakeHandler {
  return async (req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const withUsage = req.body?.stream_options?.include_usage === true;
    const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1700000000, model: req.body.model };
    const send = (data: object) => res.write(`data: ${JSON.stringify(withUsage ? { ...data, usage: null } : data)}\n\n`);
    for (const word of words) {
      send({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
      if (options.delayMs) await sleep(options.delayMs);
      if (res.destroyed) return;
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    if (withUsage) {
      const usage = options.usage ?? { prompt_tokens: 5, completion_tokens: words.length, total_tokens: 5 + words.length };
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  };
}
