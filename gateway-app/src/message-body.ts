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
