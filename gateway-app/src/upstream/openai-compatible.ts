import type { UpstreamTimeouts } from "../config.js";
import { requestIdHeaders } from "../request-id.js";
import { parseEndpoint, type Endpoint, type HttpClient, type RequestTimeouts } from "./http-client.js";
import { UpstreamFailure, type Upstream, type UpstreamCall, type UpstreamResponse } from "./types.js";

export interface OpenAiCompatibleOptions {
  readonly name: "litellm" | "vertex";
  /** Base URL that `/chat/completions` and `/embeddings` hang off. */
  readonly baseUrl: string;
  readonly client: HttpClient;
  readonly timeouts: UpstreamTimeouts;
  /** The bearer token for a call, if any (a static key, or a fresh Workload Identity token). */
  readonly token: () => Promise<string | undefined> | string | undefined;
}

/** An upstream that speaks OpenAI's HTTP API: LiteLLM, or Vertex AI's OpenAI-compatible endpoint. */
export class OpenAiCompatibleUpstream implements Upstream {
  readonly name: "litellm" | "vertex";
  private readonly endpoint: Endpoint;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.name = options.name;
    this.endpoint = parseEndpoint(options.baseUrl);
  }

  send(call: UpstreamCall): Promise<UpstreamResponse> {
    let token: ReturnType<OpenAiCompatibleOptions["token"]>;
    try {
      token = this.options.token();
    } catch (error) {
      return Promise.reject(noToken(this.name, error));
    }
    // A static key comes back at once; only a Workload Identity token may need a round trip.
    if (isPromiseLike(token))
      return Promise.resolve(token).then(
        (value) => this.request(call, value),
        (error) => Promise.reject(noToken(this.name, error)),
      );
    return this.request(call, token);
  }

  private request(call: UpstreamCall, token: string | undefined): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(call.body.byteLength),
      accept: call.stream ? "text/event-stream" : "application/json",
      ...requestIdHeaders(this.name, call.requestId),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    if (call.traceHeaders) Object.assign(headers, call.traceHeaders);
    return this.options.client.request({
      endpoint: this.endpoint,
      path: call.path,
      headers,
      body: call.body,
      signal: call.signal,
      timeouts: attemptTimeouts(this.options.timeouts, call),
    });
  }
}

/**
 * A stream is cut only when it stalls (idle) or passes the generous stream total; a model's
 * `limits.timeoutMs` bounds non-streamed answers, which the client waits for in one piece.
 */
export function attemptTimeouts(timeouts: UpstreamTimeouts, call: Pick<UpstreamCall, "stream" | "model" | "acceptedAt">): RequestTimeouts {
  return {
    acceptedAt: call.acceptedAt,
    connectMs: timeouts.connectMs,
    firstByteMs: timeouts.firstByteMs,
    totalMs: call.stream ? timeouts.streamTotalMs : (call.model.timeoutMs ?? timeouts.totalMs),
    idleMs: timeouts.streamIdleMs,
  };
}

function noToken(upstream: string, error: unknown): UpstreamFailure {
  return new UpstreamFailure("connect", `${upstream}: no access token (${(error as Error).message})`, { cause: error });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === "function";
}
