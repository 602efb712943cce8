import type { Context } from "hono";
import { GatewayError } from "./errors.js";
import { collectBody } from "./message-body.js";
import { nodeRequest, requestHeader, type GatewayEnv } from "./middleware/request-context.js";

/** The JSON body as parsed, and as received. */
export interface JsonBody {
  readonly value: Record<string, unknown>;
  readonly raw: Uint8Array;
}

/**
 * Reads a JSON object body within `limitBytes`: 415 for another content type, 413 when it is
 * too large (declared or actual), 400 when it is not a JSON object. `reserve` is told each byte
 * count before it is held (the declared length at once, else chunk by chunk) and may refuse.
 */
export async function readJsonBody(c: Context<GatewayEnv>, limitBytes: number, reserve: (bytes: number) => void = () => {}): Promise<JsonBody> {
  const contentType = requestHeader(c, "content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType.trim())) {
    throw new GatewayError("unsupported_media_type", `Content-Type must be application/json (received ${contentType ? `"${contentType}"` : "none"})`);
  }
  const declared = Number(requestHeader(c, "content-length"));
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const hasLength = Number.isFinite(declared) && declared > 0;
  if (hasLength) reserve(declared);
  // Straight from node:http: no copy into a web ArrayBuffer, and reading stops at the limit.
  const raw = await collectBody(nodeRequest(c), {
    limit: { bytes: limitBytes, error: () => tooLarge(limitBytes) },
    broken: incompleteBody,
    onChunk: hasLength ? undefined : reserve,
  });
  if (raw.byteLength > limitBytes) throw tooLarge(limitBytes);
  if (nestingDepth(raw) > MAX_JSON_DEPTH)
    throw new GatewayError("invalid_json", `The body is nested deeper than ${MAX_JSON_DEPTH} levels, more than any OpenAI request needs`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8"));
  } catch (error) {
    throw new GatewayError("invalid_json", `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new GatewayError("invalid_json", "The body must be a JSON object");
  }
  return { value: value as Record<string, unknown>, raw };
}

/**
 * Deepest nesting a body may have. JSON.parse takes any depth, but re-encoding it (a field the
 * gateway sets, the mock, a prompt log line) overflows the stack near 5,000 levels and LiteLLM's
 * Python parser near 1,000; tool and response schemas stay far below this.
 */
export const MAX_JSON_DEPTH = 256;

/** How deep `[` and `{` nest in JSON text, by one pass over the bytes that skips strings. */
export function nestingDepth(bytes: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) i = closingQuote(bytes, i);
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return deepest;
}

/** The index of the quote that ends the string opened at `open` (native search; escaped quotes skipped). */
function closingQuote(bytes: Uint8Array, open: number): number {
  let at = open;
  for (;;) {
    at = bytes.indexOf(0x22, at + 1);
    if (at === -1) return bytes.length;
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError("payload_too_large", `The body is larger than the ${limitBytes} byte limit`);
}

function incompleteBody(): GatewayError {
  return new GatewayError("invalid_request", "The request body ended before it was complete");
}
