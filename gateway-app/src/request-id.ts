/**
 * One request id across the tiers: Kong's correlation-id plugin sets it (or passes on the
 * client's), gateway-app logs it and returns it, LiteLLM takes it as its call id.
 */

/** The header Kong's correlation-id plugin is configured with (KongEdge), and the one we echo. */
export const REQUEST_ID_HEADER = "x-request-id";

/**
 * LiteLLM's proxy takes its `litellm_call_id` from this request header (else a fresh uuid4),
 * logs it, keys its spend log by it when the answer has no id, and returns it as a response header.
 * @see CartoDB/litellm@dd24252a9f (LiteLLM 1.80.12) litellm/proxy/common_request_processing.py:423-425, 248;
 *   litellm/proxy/spend_tracking/spend_tracking_utils.py:149-151
 */
export const LITELLM_CALL_ID_HEADER = "x-litellm-call-id";

/**
 * What we accept from upstream of us: the ids of Kong's generators (`uuid`: 36 characters;
 * `uuid#counter`: a uuid, `#` and a counter; `tracker`: addresses, ports, numbers joined by
 * `-` and `.`), W3C trace ids, and ids a client picks from letters, digits and `. _ : # @ + = / -`.
 * Nothing that could split a header, a log line or a JSON string; at most 128 characters.
 */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:#@+=/-]{1,128}$/;

/** The caller's id when it is one we can pass on safely, else a new one. */
export function acceptRequestId(incoming: string | undefined, newId: () => string): string {
  return incoming !== undefined && VALID_REQUEST_ID.test(incoming) ? incoming : newId();
}

/** The id in the headers the upstream reads: LiteLLM's call id too, so its logs carry our id. */
export function requestIdHeaders(upstream: "litellm" | "vertex", requestId: string): Record<string, string> {
  return upstream === "litellm" ? { [REQUEST_ID_HEADER]: requestId, [LITELLM_CALL_ID_HEADER]: requestId } : { [REQUEST_ID_HEADER]: requestId };
}
