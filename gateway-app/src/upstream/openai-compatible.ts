import type { UpstreamTimeouts } from "../config.js";
import { parseEndpoint, type Endpoint, type HttpClient } from "./http-client.js";
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

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    let token: string | undefined;
    try {
      token = await this.options.token();
    } catch (error) {
      throw new UpstreamFailure("connect", `${this.name}: no access token (${(error as Error).message})`, { cause: error });
    }
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: call.stream ? "text/event-stream" : "application/json",
      "x-request-id": call.requestId,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const timeouts = call.model.timeoutMs ? { ...this.options.timeouts, totalMs: call.model.timeoutMs } : this.options.timeouts;
    return this.options.client.request({ endpoint: this.endpoint, path: call.path, headers, body: call.body, signal: call.signal, timeouts });
  }
}
