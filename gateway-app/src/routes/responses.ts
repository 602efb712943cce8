import { invalidField } from "../errors.js";

/**
 * `POST /v1/responses` (OpenAI's Responses API, which the Vercel AI SDK's `openai(model)` calls):
 * checks only what the gateway itself relies on, the rest passes through to LiteLLM, which
 * serves the same path (CartoDB/litellm@dd24252a9f litellm/proxy/response_api_endpoints/endpoints.py:19-37).
 */
export function validateResponsesRequest(body: Record<string, unknown>): void {
  if (typeof body.model !== "string" || body.model.length === 0) throw invalidField("model", "model must be a non-empty string");
  const input = body.input;
  if (!(typeof input === "string" || (Array.isArray(input) && input.length > 0)))
    throw invalidField("input", "input must be a string or a non-empty array");
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") throw invalidField("stream", "stream must be a boolean");
  const max = body.max_output_tokens;
  if (max !== undefined && max !== null && !(Number.isInteger(max) && (max as number) > 0))
    throw invalidField("max_output_tokens", "max_output_tokens must be a positive integer");
}
