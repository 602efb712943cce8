import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Context } from "hono";
import { nodeResponse, type GatewayEnv } from "./middleware/request-context.js";

/**
 * What a handler returns once it has answered on node's ServerResponse (the helpers below). Not a web
 * Response: building one would load node's undici (~4 MiB resident; see node-http.ts), which
 * @hono/node-server did at import, and a lightweight Request per request besides.
 */
export const RESPONSE_SENT = Object.freeze({ answered: "on node's ServerResponse" }) as unknown as Response;

/**
 * Sent with every response. Kong's response-transformer adds the edge's own set; these hold when
 * gateway-app is reached some other way (port-forward, a misrouted Service), and cost one header
 * object per response instead of a middleware. An API never renders, frames or shares a page.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
});

/**
 * Every response leaves through these helpers, which add the request id, the security headers
 * (and `connection: close` while draining) and record the status. They write to node's
 * ServerResponse directly, in tests as in production: building a web Response with several
 * headers costs more than the proxying itself, and one path means the tests see what ships.
 */
export function sendBytes(c: Context<GatewayEnv>, status: number, headers: Record<string, string>, payload: Uint8Array | string): Response {
  // writeHead fixes the framing before end() sees the body: without a length, node frames a whole answer as chunked.
  const length = status === 204 || status === 304 ? undefined : typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  const all = withCommonHeaders(c, status, headers, length);
  const outgoing = nodeResponse(c);
  // An error after a stream began cannot change the status any more; end what was sent.
  if (outgoing.headersSent) outgoing.end();
  else {
    outgoing.writeHead(status, all);
    outgoing.end(payload);
  }
  return RESPONSE_SENT;
}

export function sendJson(c: Context<GatewayEnv>, status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return sendBytes(c, status, { "content-type": "application/json", ...headers }, JSON.stringify(value));
}

/** Where a stream's bytes go. */
export interface ByteSink {
  /** Resolves when it is fine to write more (backpressure); undefined when it is fine now. */
  write(chunk: Uint8Array): Promise<void> | undefined;
  end(): void;
}

/**
 * Starts a streamed response and runs `pump` to fill it. Headers go out at once; each chunk
 * is written as soon as `pump` has it.
 */
export function sendStream(c: Context<GatewayEnv>, headers: Record<string, string>, pump: (sink: ByteSink) => Promise<void>): Response {
  const all = withCommonHeaders(c, 200, headers);
  const outgoing = nodeResponse(c);
  const batch = turnBatcher(outgoing);
  batch();
  outgoing.writeHead(200, all);
  outgoing.flushHeaders();
  void pump({
    write: (chunk) => {
      if (outgoing.destroyed) return undefined;
      // Not batched: node already sends a chunk and its chunked framing in one write, and a chunk
      // in the headers' turn joins them anyway; a timer per chunk cost more than it saved.
      if (!outgoing.write(chunk))
        return once(outgoing, "drain").then(
          () => undefined,
          () => undefined,
        );
      return undefined;
    },
    end: () => {
      batch();
      outgoing.end();
    },
  });
  return RESPONSE_SENT;
}

/**
 * Holds a streamed response's writes until the end of the current event-loop turn, then sends
 * them in one system call: the headers with the first chunk when it is already there, the end
 * of the stream with what flushing the relay left. Nothing waits for more data, so no chunk is
 * delayed past the turn it arrived in.
 */
function turnBatcher(outgoing: ServerResponse): () => void {
  let corked: Socket | undefined;
  const release = () => {
    corked?.uncork();
    corked = undefined;
  };
  return () => {
    const socket = outgoing.socket;
    if (corked || !socket || socket.destroyed) return;
    corked = socket;
    socket.cork();
    setImmediate(release);
  };
}

function withCommonHeaders(c: Context<GatewayEnv>, status: number, headers: Record<string, string>, contentLength?: number): Record<string, string> {
  const state = c.get("state");
  state.status = status;
  // One object for writeHead: a header set before it with setHeader sends every header through setHeader.
  // The length is in the literal: set after it, V8 took a slow path (map transitions) on every governed answer.
  const all: Record<string, string> =
    contentLength === undefined
      ? { ...SECURITY_HEADERS, ...state.answerHeaders, ...headers, "x-request-id": state.requestId }
      : { ...SECURITY_HEADERS, ...state.answerHeaders, ...headers, "x-request-id": state.requestId, "content-length": String(contentLength) };
  if (state.draining) all.connection = "close";
  return all;
}
