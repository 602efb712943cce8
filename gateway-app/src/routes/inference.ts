import type { Context } from "hono";
import type { Admission } from "../admission.js";
import type { LiveStreams } from "../live-streams.js";
import type { Catalogue, ModelConfig } from "../config.js";
import { GatewayError, invalidField, MAY_HAVE_RUN, upstreamErrorEnvelope } from "../errors.js";
import type { GatewayMetrics } from "../metrics.js";
import { withVariant, type VariantRouter } from "../routing/weighted.js";
import { admitCall, dispatchMetered, outputTokenBound } from "../governance/request-path.js";
import type { RequestGovernance } from "../governance/runtime.js";
import { clientGone, requestHeader, type GatewayEnv, type RequestState } from "../middleware/request-context.js";
import { readJsonBody } from "../request-body.js";
import { sendBytes, sendJson, sendStream, type ByteSink } from "../respond.js";
import { SseRelay, streamErrorEvent } from "../sse.js";
import { outputTokenCap, resolveCaller } from "../tenancy.js";
import type { Dispatcher } from "../upstream/dispatcher.js";
import { UpstreamFailure, type UpstreamCall, type UpstreamResponse } from "../upstream/types.js";
import { dropLiteLlmControls } from "../upstream/litellm-controls.js";
import { applyCacheControls } from "../upstream/cache-controls.js";

export interface InferenceDeps {
  readonly catalogue: Catalogue;
  /** Resolves the requested name, a weighted one to its variant. */
  readonly variants: VariantRouter;
  readonly dispatcher: Dispatcher;
  readonly metrics: GatewayMetrics;
  readonly bodyLimitBytes: number;
  readonly admission: Admission;
  /** Largest non-streamed answer held before it is relayed (AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES). */
  readonly maxUpstreamResponseBytes: number;
  readonly logPrompts: boolean;
  readonly now: () => number;
  /** Streams in flight, which shutdown ends with an error event. */
  readonly streams: LiveStreams;
  /** API keys, budgets and token limits. @default - off (GOVERNANCE_REDIS_URL unset) */
  readonly governance?: RequestGovernance;
}

type Kind = "chat" | "embeddings" | "responses";

/** Per endpoint: the upstream path, and the fields that cap output tokens (the first is set when none is). */
const ENDPOINTS: Readonly<Record<Kind, { path: UpstreamCall["path"]; tokenFields: readonly string[] }>> = {
  chat: { path: "/chat/completions", tokenFields: ["max_tokens", "max_completion_tokens"] },
  embeddings: { path: "/embeddings", tokenFields: [] },
  responses: { path: "/responses", tokenFields: ["max_output_tokens"] },
};

/**
 * One handler for the two model endpoints: read and check the body, resolve the tenant and
 * model, dispatch with retries and fallbacks, and relay the answer (JSON or a stream).
 */
export function inferenceHandler(kind: Kind, validate: (body: Record<string, unknown>) => void, deps: InferenceDeps) {
  const { path, tokenFields } = ENDPOINTS[kind];
  return async (c: Context<GatewayEnv>) => {
    const state = c.get("state");
    const { value: body, raw } = await readJsonBody(c, deps.bodyLimitBytes, admit(state, deps.admission));
    validate(body);
    const { tenant, keyId } = await resolveCaller(deps.catalogue, (name) => requestHeader(c, name), deps.governance?.keys);
    if (tenant) state.tenant = tenant.name;
    const stream = kind !== "embeddings" && body.stream === true;
    const { model, variant } = deps.variants.route(tenant, body.model as string, { stream, header: (name) => requestHeader(c, name) });
    state.model = body.model as string;
    state.variant = variant;
    state.keyId = keyId;
    if (deps.logPrompts) state.prompt = kind === "chat" ? body.messages : body.input;

    const overrides: Record<string, unknown> = {};
    dropLiteLlmControls(body, overrides);
    const cacheControl = requestHeader(c, "cache-control");
    applyCacheControls({ body, cacheControl, tenant: tenant?.name, model, cacheable: kind === "chat" }, overrides);
    // LiteLLM attributes spend to the body's `user` (LITELLM_FACTS.endUser): the tenant, never what the client claims.
    if (tenant) overrides.user = tenant.name;
    applyTokenCap(body, outputTokenCap(model, tenant), overrides, tokenFields);
    // The Responses API always ends a stream with its usage (response.completed); only chat needs asking.
    const clientWantsUsage = kind !== "chat" || (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (stream && !clientWantsUsage) overrides.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    const maxOutputTokens = tokenFields.length === 0 ? 0 : outputTokenBound(body, overrides, tokenFields);
    await admitCall(c, deps.governance, { tenant, keyId, model, bodyBytes: raw.byteLength, maxOutputTokens, tokenField: tokenFields[0] });

    const dispatched = deps.dispatcher.dispatch({
      path,
      stream,
      requestId: state.requestId,
      acceptedAt: state.started,
      signal: clientGone(c),
      model,
      body,
      rawBody: raw,
      overrides,
      trace: state.trace,
    });
    const { response, served, mayHaveRun } = await dispatchMetered(state, dispatched);
    state.servedBy = served.name;
    state.upstream = served.upstream;

    if (response.status >= 400) return relayError(c, state, response, served, mayHaveRun);
    if (stream && isEventStream(response))
      return relayStream(c, state, response, served, !clientWantsUsage, deps, kind === "responses" ? "responses" : "chat");
    let payload: Uint8Array;
    try {
      payload = await readAnswer(response, deps.maxUpstreamResponseBytes);
      deps.dispatcher.reportAnswered(served);
    } catch (error) {
      throw brokenAnswer(error, served, deps.dispatcher);
    }
    // Usage is read after the response has gone out, off the hot path.
    state.usageSource = payload;
    return sendBytes(
      c,
      response.status,
      { "content-type": response.headers["content-type"] ?? "application/json", "x-gateway-model": served.name },
      payload,
    );
  };
}

/**
 * Takes a request slot and returns how the body's bytes are reserved; both are given back when
 * the response is complete (for a stream, its last byte).
 */
function admit(state: RequestState, admission: Admission): (bytes: number) => void {
  admission.admitRequest();
  let held = 0;
  state.release = () => {
    admission.releaseRequest();
    admission.releaseBytes(held);
  };
  return (bytes) => {
    admission.reserveBytes(bytes);
    held += bytes;
  };
}

/** A non-streamed answer, whole, within the cap; a larger one stops the upstream call. */
async function readAnswer(response: UpstreamResponse, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new GatewayError(
      "upstream_response_too_large",
      `The upstream's answer is larger than ${maxBytes} bytes (AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES); ` +
        "ask for less, stream it, or raise the setting",
      { headers: MAY_HAVE_RUN },
    );
  const declared = Number(response.headers["content-length"]);
  if (declared > maxBytes) {
    response.abort();
    throw tooLarge();
  }
  try {
    return await response.readAll({ bytes: maxBytes, error: tooLarge });
  } catch (error) {
    response.abort();
    throw error;
  }
}

/**
 * What the client gets for an answer that broke after its headers: the upstream's failure is
 * recorded (the attempt counted a success at its headers), a hang is a 504, a cut a 502, and a
 * client that left is a 499.
 */
function brokenAnswer(error: unknown, served: ModelConfig, dispatcher: Dispatcher): unknown {
  if (!(error instanceof UpstreamFailure)) return error;
  dispatcher.reportBrokenBody(served, error);
  if (error.kind === "aborted") return new GatewayError("client_closed", "The client closed the connection before the answer was complete");
  // Its headers came: the model ran it.
  if (error.isTimeout)
    return new GatewayError("upstream_timeout", `The upstream stopped sending its answer: ${error.message}`, { headers: MAY_HAVE_RUN });
  return new GatewayError("upstream_error", `The upstream's answer broke off after its headers: ${error.message}`, { headers: MAY_HAVE_RUN });
}

function applyTokenCap(body: Record<string, unknown>, cap: number | undefined, overrides: Record<string, unknown>, fields: readonly string[]): void {
  if (cap === undefined || fields.length === 0) return;
  for (const field of fields) {
    const asked = body[field];
    if (typeof asked === "number" && asked > cap) throw invalidField(field, `${field} may be at most ${cap} for this model`);
  }
  if (fields.every((field) => body[field] == null)) overrides[fields[0]] = cap;
}

async function relayError(c: Context<GatewayEnv>, state: RequestState, response: UpstreamResponse, served: ModelConfig, mayHaveRun: boolean) {
  let payload: Uint8Array;
  try {
    payload = await response.readAll();
  } catch {
    payload = new Uint8Array(0);
  }
  state.errorCode = `upstream_${response.status}`;
  const headers: Record<string, string> = { "x-gateway-model": served.name, ...(mayHaveRun ? MAY_HAVE_RUN : {}) };
  const retryAfter = response.headers["retry-after"];
  if (retryAfter) headers["retry-after"] = retryAfter;
  // Upstream 5xx are reported as 502 (the gateway's upstream failed); 4xx keep their status.
  const status = response.status >= 500 ? 502 : response.status;
  return sendJson(c, status, upstreamErrorEnvelope(response.status, payload), headers);
}

function isEventStream(response: UpstreamResponse): boolean {
  return (response.headers["content-type"] ?? "").startsWith("text/event-stream");
}

/** Forwards each upstream chunk as it arrives; a client that leaves aborts the upstream call. */
function relayStream(
  c: Context<GatewayEnv>,
  state: RequestState,
  response: UpstreamResponse,
  served: ModelConfig,
  hideUsage: boolean,
  deps: InferenceDeps,
  api: "chat" | "responses",
) {
  const relay = new SseRelay({
    hideUsage,
    sequenced: api === "responses",
    onFirstToken: () => {
      const ms = deps.now() - state.started;
      if (state.variant) state.variant.firstTokenSeconds = ms / 1000;
      deps.metrics.timeToFirstToken.observe(withVariant({ model: served.name }, state.variant), ms / 1000);
      state.trace?.firstToken(ms);
    },
  });
  let finish!: (result: { status: number; aborted?: boolean }) => void;
  state.streamDone = new Promise((resolve) => (finish = resolve));
  const headers = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    "x-gateway-model": served.name,
  };
  let shutDown = false;
  const unregister = deps.streams.add(() => {
    shutDown = true;
    response.abort();
  });
  return sendStream(c, headers, async (sink: ByteSink) => {
    let aborted = false;
    let status = 200;
    deps.metrics.streamsInFlight.inc();
    try {
      await response.forEachChunk((chunk) => {
        const out = relay.push(chunk);
        return out.byteLength ? sink.write(out) : undefined;
      });
      const rest = relay.flush();
      if (rest.byteLength) await sink.write(rest);
      deps.dispatcher.reportAnswered(served);
    } catch (error) {
      // Not an UpstreamFailure: the relay refused what the upstream sent (SseEventTooLong); its message says what.
      const message = error instanceof Error ? error.message : String(error);
      const failure = error instanceof UpstreamFailure ? error : new UpstreamFailure("reset", message, { cause: error });
      if (shutDown) {
        status = 503;
        state.errorCode = "shutting_down";
        await sink.write(
          streamErrorEvent(
            api,
            new GatewayError("shutting_down", "The gateway instance shut down before the stream ended; retry the request"),
            relay,
          ),
        );
      } else if (failure.kind === "aborted") {
        aborted = true;
        status = 499;
      } else {
        // Headers are gone already: tell the client in the stream, as OpenAI does, and count the failure.
        deps.dispatcher.reportBrokenBody(served, failure);
        status = failure.isTimeout ? 504 : 502;
        state.errorCode = "upstream_stream_broken";
        await sink.write(streamErrorEvent(api, new GatewayError("upstream_error", `The upstream stream broke: ${failure.message}`), relay));
      }
    } finally {
      unregister();
      deps.metrics.streamsInFlight.dec();
      sink.end();
      state.usage = relay.usage;
      finish({ status, aborted });
    }
  });
}
