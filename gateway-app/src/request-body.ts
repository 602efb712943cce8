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
 * too large (declared or actual), 400 when it is not a JSON object.
 */
export async function readJsonBody(c: Context<GatewayEnv>, limitBytes: number): Promise<JsonBody> {
  const contentType = requestHeader(c, "content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType.trim())) {
    throw new GatewayError("unsupported_media_type", `Content-Type must be application/json (received ${contentType ? `"${contentType}"` : "none"})`);
  }
  const declared = Number(requestHeader(c, "content-length"));
  if (declared > limitBytes) throw tooLarge(limitBytes);
  // Straight from node:http: no copy into a web ArrayBuffer, and reading stops at the limit.
  const raw = await collectBody(nodeRequest(c), { limit: { bytes: limitBytes, error: () => tooLarge(limitBytes) }, broken: incompleteBody });
  if (raw.byteLength > limitBytes) throw tooLarge(limitBytes);
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

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError("payload_too_large", `The body is larger than the ${limitBytes} byte limit`);
}

function incompleteBody(): GatewayError {
  return new GatewayError("invalid_request", "The request body ended before it was complete");
}
