/**
 * Request-body fields LiteLLM's Router reads per call to retry, fall back or fake an answer.
 * gateway-app owns retries and fallbacks (one tier per path), so a client must not turn them
 * back on behind it: each would multiply provider calls, or skip the provider while we account
 * a real call.
 * @see CartoDB/litellm@dd24252a9f (LiteLLM 1.80.12) litellm/router.py:1661 (num_retries from
 *   kwargs), 4500-4520 (fallbacks, context_window_fallbacks, content_policy_fallbacks,
 *   disable_fallbacks, mock_timeout, mock_testing_fallbacks), 4600-4610, 4773
 *   (mock_testing_rate_limit_error); litellm/main.py (mock_response, max_retries).
 */
export const LITELLM_CONTROL_FIELDS: readonly string[] = [
  "num_retries",
  "max_retries",
  "fallbacks",
  "context_window_fallbacks",
  "content_policy_fallbacks",
  "disable_fallbacks",
  "mock_response",
  "mock_timeout",
  "mock_testing_fallbacks",
  "mock_testing_rate_limit_error",
];

/** Marks every control field the client sent for removal (an undefined override is dropped from the JSON). */
export function dropLiteLlmControls(body: Record<string, unknown>, overrides: Record<string, unknown>): void {
  for (const field of LITELLM_CONTROL_FIELDS) if (field in body) overrides[field] = undefined;
}
