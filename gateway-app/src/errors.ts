/**
 * The closed set of errors the gateway reports. Every error, ours or an upstream's, reaches
 * the client in OpenAI's envelope `{ error: { message, type, param, code } }`.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_request: { status: 400, type: "invalid_request_error" },
  consumer_required: { status: 401, type: "authentication_error" },
  edge_unauthenticated: { status: 401, type: "authentication_error" },
  invalid_api_key: { status: 401, type: "authentication_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  model_not_found: { status: 404, type: "invalid_request_error" },
  not_found: { status: 404, type: "invalid_request_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  payload_too_large: { status: 413, type: "invalid_request_error" },
  unsupported_media_type: { status: 415, type: "invalid_request_error" },
  rate_limited: { status: 429, type: "rate_limit_error" },
  /** OpenAI's type for a spent quota, which its SDKs do not retry. */
  budget_exceeded: { status: 429, type: "insufficient_quota" },
  /** nginx's convention: the client closed the connection before the answer; never sent, only recorded. */
  client_closed: { status: 499, type: "invalid_request_error" },
  request_timeout: { status: 408, type: "invalid_request_error" },
  request_header_fields_too_large: { status: 431, type: "invalid_request_error" },
  internal_error: { status: 500, type: "api_error" },
  upstream_error: { status: 502, type: "api_error" },
  upstream_response_too_large: { status: 502, type: "api_error" },
  upstream_unavailable: { status: 503, type: "api_error" },
  overloaded: { status: 503, type: "api_error" },
  shutting_down: { status: 503, type: "api_error" },
  governance_unavailable: { status: 503, type: "api_error" },
  upstream_timeout: { status: 504, type: "api_error" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  /** Seconds, passed on as `Retry-After`. */
  readonly retryAfter?: string;
  /** Other headers the answer needs, e.g. `Allow` on a 405. */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { param?: string; retryAfter?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toEnvelope(): ErrorEnvelope {
    return { error: { message: this.message, type: ERROR_CODES[this.code].type, param: this.param, code: this.code } };
  }
}

/**
 * Headers of an error answer for a request the model may have run, and billed: a cut or hung
 * answer, an upstream 5xx, a connection that broke after the request was written. The openai SDK
 * retries every 5xx by default, but obeys `x-should-retry` (openai@6.49.0 client.js, `shouldRetry`),
 * so its retries do not bill the call again; answers for requests provably never sent go without it.
 */
export const MAY_HAVE_RUN: Readonly<Record<string, string>> = Object.freeze({ "x-should-retry": "false" });

/** Shortcut for the most common client error: a field that is missing or wrong. */
export function invalidField(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param });
}

/**
 * Wraps an upstream's error body in the envelope, keeping the upstream's own message, type and
 * code when it already used the envelope.
 */
export function upstreamErrorEnvelope(status: number, body: Uint8Array): ErrorEnvelope {
  const text = Buffer.from(body).toString("utf8");
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    const error = parsed.error;
    if (error && typeof error === "object") {
      const e = error as Record<string, unknown>;
      return {
        error: {
          message: typeof e.message === "string" ? e.message : `upstream answered ${status}`,
          type: typeof e.type === "string" ? e.type : status >= 500 ? "api_error" : "invalid_request_error",
          param: typeof e.param === "string" ? e.param : null,
          code: typeof e.code === "string" || typeof e.code === "number" ? String(e.code) : null,
        },
      };
    }
    if (typeof error === "string") return envelopeFor(status, error);
  } catch {
    // Not JSON: fall through and report the status.
  }
  return envelopeFor(status, `upstream answered ${status}`);
}

function envelopeFor(status: number, message: string): ErrorEnvelope {
  return { error: { message, type: status >= 500 ? "api_error" : "invalid_request_error", param: null, code: null } };
}
