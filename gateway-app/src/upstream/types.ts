import type { ModelConfig } from "../config.js";
import type { BodyLimit } from "../message-body.js";

/** One attempt against one upstream for one model. */
export interface UpstreamCall {
  /** Path under the OpenAI-compatible base, e.g. "/chat/completions". */
  readonly path: "/chat/completions" | "/embeddings" | "/responses";
  /** The JSON body to send, already addressed to the model's upstream id. */
  readonly body: Uint8Array;
  readonly model: ModelConfig;
  readonly stream: boolean;
  readonly requestId: string;
  /** When the gateway accepted the request (ms, the app's clock): deadlines count from here. */
  readonly acceptedAt: number;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** `traceparent`/`tracestate` of the attempt's span, when tracing is on. */
  readonly traceHeaders?: Readonly<Record<string, string>>;
}

/** What came back: headers first, then the body as it arrives. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /**
   * Hands the body's chunks to `onChunk` as they arrive (streams). While a promise it returned is
   * pending (the client reads slowly), reading pauses. Resolves once the body is complete; rejects
   * with what cut it, or with what `onChunk` threw (reading then stops).
   */
  forEachChunk(onChunk: ChunkHandler): Promise<void>;
  /** The whole body at once: the fast path for JSON answers and error bodies. Past `limit`, rejects with its error. */
  readAll(limit?: BodyLimit): Promise<Buffer>;
  /** Stops reading and releases the connection (the client went away, or we gave up). */
  abort(): void;
}

/** Takes one chunk of a streamed body; a promise it returns holds the next chunk back until it settles. */
export type ChunkHandler = (chunk: Uint8Array) => Promise<void> | undefined;

/** forEachChunk over chunks that are already an async iterable (the mock's streams). */
export async function forEachOf(chunks: AsyncIterable<Uint8Array>, onChunk: ChunkHandler): Promise<void> {
  for await (const chunk of chunks) await onChunk(chunk);
}

/** Something that answers OpenAI-compatible requests: LiteLLM, Vertex AI, the mock. */
export interface Upstream {
  readonly name: "litellm" | "vertex" | "mock";
  send(call: UpstreamCall): Promise<UpstreamResponse>;
}

/**
 * Why an attempt failed before a response arrived. `connect`: no byte of the request left (refused,
 * unreachable, no token, or a pooled connection that closed before it was written to);
 * `queued_timeout`: its deadline passed before it was sent (waiting for a pooled connection or a retry);
 * `reset`: the connection broke after the request was (perhaps partly) sent.
 */
export type FailureKind =
  | "connect"
  | "connect_timeout"
  | "queued_timeout"
  | "first_byte_timeout"
  | "total_timeout"
  | "idle_timeout"
  | "reset"
  | "aborted";

/** Kinds after which the request's bytes had gone out: the model may have run it, and billed it. */
const MAY_HAVE_RUN_KINDS: ReadonlySet<FailureKind> = new Set(["first_byte_timeout", "total_timeout", "idle_timeout", "reset"]);

/**
 * Kinds that say nothing about the upstream's health: the client left, the request waited in our
 * own pool, or it never got a connection (refused, a pooled socket closed before use, no token).
 */
const SAYS_NOTHING_OF_UPSTREAM: ReadonlySet<FailureKind> = new Set(["aborted", "queued_timeout", "connect"]);

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UpstreamFailure";
  }

  /**
   * Only failures before any byte of the request was written are safe to retry: anything else
   * may have reached the model (and been billed), even when no answer came back.
   */
  get retryable(): boolean {
    return this.kind === "connect" || this.kind === "connect_timeout";
  }

  get isTimeout(): boolean {
    return this.kind.endsWith("timeout");
  }

  /** The request may have reached the model: a retry, ours or the client's, could bill it twice. */
  get mayHaveRun(): boolean {
    return MAY_HAVE_RUN_KINDS.has(this.kind);
  }

  /** Whether the failure counts against the upstream's circuit breaker. */
  get countsAgainstUpstream(): boolean {
    return !SAYS_NOTHING_OF_UPSTREAM.has(this.kind);
  }
}

/** A response whose body is already in memory. */
export function bufferedResponse(status: number, headers: UpstreamResponse["headers"], bytes: Buffer): UpstreamResponse {
  return {
    status,
    headers,
    forEachChunk: async (onChunk) => {
      await onChunk(bytes);
    },
    readAll: async (limit) => {
      if (limit && bytes.byteLength > limit.bytes) throw limit.error();
      return bytes;
    },
    abort: () => undefined,
  };
}
