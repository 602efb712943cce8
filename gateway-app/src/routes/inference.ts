import type { Context } from "hono";
import type { Catalogue, ModelConfig } from "../config.js";
import { GatewayError, invalidField, upstreamErrorEnvelope } from "../errors.js";
import type { GatewayMetrics } from "../metrics.js";
import { clientGone, requestHeader, type GatewayEnv, type RequestState } from "../middleware/request-context.js";
import { readJsonBody } from "../request-body.js";
import { sendBytes, sendJson, sendStream, type ByteSink } from "../respond.js";
import { SseRelay } from "../sse.js";
import { authorizeModel, outputTokenCap, resolveTenant } from "../tenancy.js";
import type { Dispatcher } from "../upstream/dispatcher.js";
import type { UpstreamResponse } from "../upstream/types.js";
import { dropLiteLlmControls } from "../upstream/litellm-controls.js";

export interface InferenceDeps {
  readonly catalogue: Catalogue;
  readonly dispatcher: Dispatcher;
  readonly metrics: GatewayMetrics;
  readonly bodyLimitBytes: number;
  readonly logPrompts: boolean;
  readonly now: () => number;
}

type Kind = "chat" | "embeddings";

/**
 * One handler for the two model endpoints: read and check the body, resolve the tenant and
 * model, dispatch with retries and fallbacks, and relay the answer (JSON or a stream).
 */
export function inferenceHandler(kind: Kind, validate: (body: Record<string, unknown>) => void, deps: InferenceDeps) {
  const path = kind === "chat" ? "/chat/completions" : "/embeddings";
  return async (c: Context<GatewayEnv>) => {
    const state = c.get("state");
    const { value: body, raw } = await readJsonBody(c, deps.bodyLimitBytes);
    validate(body);
    const tenant = resolveTenant(deps.catalogue, (name) => requestHeader(c, name));
    if (tenant) state.tenant = tenant.name;
    const model = authorizeModel(deps.catalogue, tenant, body.model as string);
    state.model = model.name;
    if (deps.logPrompts) state.prompt = kind === "chat" ? body.messages : body.input;

    const stream = kind === "chat" && body.stream === true;
    const overrides: Record<string, unknown> = {};
    dropLiteLlmControls(body, overrides);
    if (kind === "chat") applyTokenCap(body, outputTokenCap(model, tenant), overrides);
    const clientWantsUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (stream && !clientWantsUsage) overrides.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };

    const { response, served } = await deps.dispatcher.dispatch({
      path,
      stream,
      requestId: state.requestId,
      acceptedAt: state.started,
      signal: clientGone(c),
      model,
      body,
      rawBody: raw,
      overrides,
    });
    state.servedBy = served.name;
    state.upstream = served.upstream;

    if (response.status >= 400) return relayError(c, state, response, served);
    if (stream && isEventStream(response)) return relayStream(c, state, response, served, !clientWantsUsage, deps);
    const payload = await response.readAll();
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

function applyTokenCap(body: Record<string, unknown>, cap: number | undefined, overrides: Record<string, unknown>): void {
  if (cap === undefined) return;
  for (const field of ["max_tokens", "max_completion_tokens"] as const) {
    const asked = body[field];
    if (typeof asked === "number" && asked > cap) throw invalidField(field, `${field} may be at most ${cap} for this model`);
  }
  if (body.max_tokens == null && body.max_completion_tokens == null) overrides.max_tokens = cap;
}

async function relayError(c: Context<GatewayEnv>, state: RequestState, response: UpstreamResponse, served: ModelConfig) {
  let payload: Uint8Array;
  try {
    payload = await response.readAll();
  } catch {
    payload = new Uint8Array(0);
  }
  state.errorCode = `upstream_${response.status}`;
  const headers: Record<string, string> = { "x-gateway-model": served.name };
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
) {
  const relay = new SseRelay({
    hideUsage,
    onFirstToken: () => deps.metrics.timeToFirstToken.observe({ model: served.name }, (deps.now() - state.started) / 1000),
  });
  let finish!: (result: { status: number; aborted?: boolean }) => void;
  state.streamDone = new Promise((resolve) => (finish = resolve));
  const headers = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    "x-gateway-model": served.name,
  };
  return sendStream(c, headers, async (sink: ByteSink) => {
    let aborted = false;
    deps.metrics.streamsInFlight.inc();
    try {
      for await (const chunk of response.body) {
        const out = relay.push(chunk);
        if (out.byteLength) await sink.write(out);
      }
      const rest = relay.flush();
      if (rest.byteLength) await sink.write(rest);
    } catch (error) {
      aborted = (error as { kind?: string }).kind === "aborted";
      if (!aborted) {
        // Headers are gone already: tell the client in the stream, as OpenAI does.
        state.errorCode = "upstream_stream_broken";
        const message = error instanceof Error ? error.message : String(error);
        await sink.write(
          Buffer.from(`data: ${JSON.stringify(new GatewayError("upstream_error", `The upstream stream broke: ${message}`).toEnvelope())}\n\n`),
        );
      }
    } finally {
      deps.metrics.streamsInFlight.dec();
      sink.end();
      state.usage = relay.usage;
      finish({ status: 200, aborted });
    }
  });
}
