import type { IncomingMessage } from "node:http";

export interface CollectOptions {
  /** The error when the message closes before its body is complete. */
  readonly broken: () => Error;
  /** Past this many bytes: stop collecting, discard the rest, reject with `error()`. */
  readonly limit?: BodyLimit;
  /** Called with each chunk's size before it is kept; throwing stops collecting and rejects with that error. */
  readonly onChunk?: (bytes: number) => void;
}

export interface BodyLimit {
  readonly bytes: number;
  readonly error: () => Error;
}

/**
 * A node:http message's whole body, event-driven rather than through the async-iterator
 * machinery: a body is usually one chunk, which comes back as it is, without a copy. Serves
 * both the client's requests and the upstream's answers.
 */
export function collectBody(message: IncomingMessage, options: CollectOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      let refused: unknown;
      if (options.limit && total > options.limit.bytes) refused = options.limit.error();
      else
        try {
          options.onChunk?.(chunk.byteLength);
        } catch (error) {
          refused = error;
        }
      if (refused) {
        stop();
        message.resume();
        reject(refused);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onBroken = () => {
      stop();
      reject(options.broken());
    };
    const stop = () => {
      message.off("data", onData);
      message.off("end", onEnd);
      message.off("close", onBroken);
      message.off("error", onBroken);
    };
    message.on("data", onData);
    message.once("end", onEnd);
    message.once("close", onBroken);
    message.once("error", onBroken);
  });
}

/**
 * Reads and drops the rest of a request body that its answer will not use, for at most
 * `maxBytes` and `timeoutMs`. node:http closes a connection whose request is unfinished as soon as
 * the answer ends, and a client still sending its body then gets a reset (EPIPE here, a 502 from
 * Kong) instead of the answer: nginx's lingering close, for answers given before the body was read.
 */
export function discardRest(message: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<void> {
  if (message.complete || message.destroyed || Number(message.headers["content-length"]) > maxBytes) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      message.off("data", onData);
      message.off("end", done);
      message.off("close", done);
      message.off("error", done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    message.on("data", onData);
    message.once("end", done);
    message.once("close", done);
    message.once("error", done);
    message.resume();
  });
}
