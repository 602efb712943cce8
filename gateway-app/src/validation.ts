import { invalidField } from "./errors.js";

/**
 * Checks the fields the gateway itself relies on and nothing else: every other field passes
 * through untouched to the upstream, which knows its own schema best.
 */
export function validateChatRequest(body: Record<string, unknown>): void {
  requireModel(body);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw invalidField("messages", "messages must be a non-empty array");
  messages.forEach((message, index) => {
    if (!message || typeof message !== "object" || Array.isArray(message))
      throw invalidField(`messages[${index}]`, `messages[${index}] must be an object`);
    if (typeof (message as { role?: unknown }).role !== "string")
      throw invalidField(`messages[${index}].role`, `messages[${index}].role must be a string`);
  });
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") throw invalidField("stream", "stream must be a boolean");
  for (const field of ["max_tokens", "max_completion_tokens"] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) > 0))
      throw invalidField(field, `${field} must be a positive integer`);
  }
  const options = body.stream_options;
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options)))
    throw invalidField("stream_options", "stream_options must be an object");
}

export function validateEmbeddingsRequest(body: Record<string, unknown>): void {
  requireModel(body);
  const input = body.input;
  const ok = typeof input === "string" || (Array.isArray(input) && input.length > 0);
  if (!ok) throw invalidField("input", "input must be a string or a non-empty array");
}

function requireModel(body: Record<string, unknown>): void {
  if (typeof body.model !== "string" || body.model.length === 0) throw invalidField("model", "model must be a non-empty string");
}
