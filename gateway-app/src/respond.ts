import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Context } from "hono";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { GatewayEnv } from "./middleware/request-context.js";

/**
 * Every response leaves through these helpers, which add the request id (and `connection:
 * close` while draining) and record the status. On Node they write to the socket's response
 * directly: building a web Response with several headers costs more than the proxying itself.
 * In-process (`app.request`) they build an ordinary Response.
 */
export function sendBytes(c: Context<GatewayEnv>, status: number, headers: Record<string, string>, payload: Uint8Array | string): Response {
  const all = withCommonHeaders(c, status, headers);
  const outgoing = c.env?.outgoing;
  if (outgoing) {
    // An error after a stream began cannot change the status any more; end what was sent.
    if (outgoing.headersSent) outgoing.end();
    else {
      outgoing.writeHead(status, all);
      outgoing.end(payload);
    }
    return RESPONSE_ALREADY_SENT;
  }
  return c.body(payload as string, status as 200, all);
}

export function sendJson(c: Context<GatewayEnv>, status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return sendBytes(c, status, { "content-type": "application/json", ...headers }, JSON.stringify(value));
}

/** Where a stream's bytes go: the Node response, or a web ReadableStream in-process. */
export interface ByteSink {
  /** Resolves when it is fine to write more (backpressure). */
  write(chunk: Uint8Array): Promise<void> | void;
  end(): void;
}

/**
 * Starts a streamed response and runs `pump` to fill it. Headers go out at once; each chunk
 * is written as soon as `pump` has it.
 */
export function sendStream(c: Context<GatewayEnv>, headers: Record<string, string>, pump: (sink: ByteSink) => Promise<void>): Response {
  const all = withCommonHeaders(c, 200, headers);
  const outgoing = c.env?.outgoing;
  if (outgoing) {
    const batch = turnBatcher(outgoing);
    batch();
    outgoing.writeHead(200, all);
    outgoing.flushHeaders();
    void pump({
      write: (chunk) => {
        if (outgoing.destroyed) return;
        batch();
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
    return RESPONSE_ALREADY_SENT;
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      void pump({
        write: (chunk) => controller.enqueue(chunk),
        end: () => controller.close(),
      });
    },
  });
  return c.body(body, 200, all);
}

/**
 * Holds a streamed response's writes until the end of the current event-loop turn, then sends
 * them in one system call: the headers with the first chunk when it is already there, the
 * last chunk with the end of the stream. Nothing waits for more data, so no chunk is delayed
 * past the turn it arrived in; without it a short stream costs three or four writes.
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

function withCommonHeaders(c: Context<GatewayEnv>, status: number, headers: Record<string, string>): Record<string, string> {
  const state = c.get("state");
  state.status = status;
  const all: Record<string, string> = { ...headers, "x-request-id": state.requestId };
  if (state.draining) all.connection = "close";
  return all;
}
