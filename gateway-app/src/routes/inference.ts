import type { Context } from "hono";
import type { Catalogue, ModelConfig } from "../config.js";
import { GatewayError, invalidField, upstreamErrorEnvelope } from "../errors.js";
import type { GatewayMetrics } from "../metrics.js";
import { clientGone, type GatewayEnv, type RequestState } from "../middleware/request-context.js";
import { readJsonBody } from "../request-body.js";
import { SseRelay } from "../sse.js";
import { authorizeModel, outputTokenCap, resolveTenant } from "../tenancy.js";
import type { Dispatcher } from "../upstream/dispatcher.js";
import type { UpstreamResponse } from "../upstream/types.js";

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
    const tenant = resolveTenant(deps.catalogue, (name) => c.req.header(name));
    if (tenant) state.tenant = tenant.name;
    const model = authorizeModel(deps.catalogue, tenant, body.model as string);
    state.model = model.name;
    if (deps.logPrompts) state.prompt = kind === "chat" ? body.messages : body.input;

    const stream = kind === "chat" && body.stream === true;
    const overrides: Record<string, unknown> = {};
    if (kind === "chat") applyTokenCap(body, outputTokenCap(model, tenant), overrides);
    const clientWantsUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (stream && !clientWantsUsage) overrides.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };

    const { response, served } = await deps.dispatcher.dispatch({
      path, stream, requestId: state.requestId, signal: clientGone(c), model, body, rawBody: raw, overrides,
    });
    state.servedBy = served.name;
    state.upstream = served.upstream;
    c.header("x-gateway-model", served.name);

    if (response.status >= 400) return relayError(c, state, response);
    if (stream && isEventStream(response)) return relayStream(c, state, response, served, !clientWantsUsage, deps);
    const payload = await response.readAll();
    // Usage is read after the response has gone out, off the hot path.
    state.usageSource = payload;
    c.header("content-type", response.headers["content-type"] ?? "application/json");
    return c.body(payload as Uint8Array<ArrayBuffer>, response.status as 200);
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

async function relayError(c: Context<GatewayEnv>, state: RequestState, response: UpstreamResponse) {
  let payload: Uint8Array;
  try {
    payload = await response.readAll();
  } catch {
    payload = new Uint8Array(0);
  }
  state.errorCode = `upstream_${response.status}`;
  const retryAfter = response.headers["retry-after"];
  if (retryAfter) c.header("retry-after", retryAfter);
  // Upstream 5xx are reported as 502 (the gateway's upstream failed); 4xx keep their status.
  const status = response.status >= 500 ? 502 : response.status;
  return c.json(upstreamErrorEnvelope(response.status, payload), status as 400);
}

function isEventStream(response: UpstreamResponse): boolean {
  return (response.headers["content-type"] ?? "").startsWith("text/event-stream");
}

/** Forwards each upstream chunk as it arrives; a client that leaves aborts the upstream call. */
function relayStream(c: Context<GatewayEnv>, state: RequestState, response: UpstreamResponse, served: ModelConfig, hideUsage: boolean, deps: InferenceDeps) {
  const iterator = response.body[Symbol.asyncIterator]();
  const relay = new SseRelay({
    hideUsage,
    onFirstToken: () => deps.metrics.timeToFirstToken.observe({ model: served.name }, (deps.now() - state.started) / 1000),
  });
  let finish!: (result: { status: number; aborted?: boolean }) => void;
  state.streamDone = new Promise((resolve) => (finish = resolve));
  const end = (aborted: boolean) => {
    state.usage = relay.usage;
    finish({ status: 200, aborted });
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Keep reading until there is something to send: a pull that enqueues nothing is not called again.
          for (;;) {
            const { value, done } = await iterator.next();
            if (done) {
              const rest = relay.flush();
              if (rest.byteLength) controller.enqueue(rest);
              controller.close();
              end(false);
              return;
            }
            const out = relay.push(value);
            if (out.byteLength) {
              controller.enqueue(out);
              return;
            }
          }
        } catch (error) {
          // Headers are gone already: tell the client in the stream, as OpenAI does.
          state.errorCode = "upstream_stream_broken";
          const message = error instanceof Error ? error.message : String(error);
          controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(new GatewayError("upstream_error", `The upstream stream broke: ${message}`).toEnvelope())}\n\n`));
          controller.close();
          end(false);
        }
      },
      cancel() {
        response.abort();
        void iterator.return?.();
        end(true);
      },
    },
    { highWaterMark: 0 },
  );
  return c.body(body, 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
  });
}
