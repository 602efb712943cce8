import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { NodeBindings } from "../node-serving.js";
import { boundForLog, type Logger } from "../logger.js";
import type { GatewayMetrics } from "../metrics.js";
import { withVariant, type VariantChoice } from "../routing/weighted.js";
import { acceptRequestId, REQUEST_ID_HEADER } from "../request-id.js";
import type { GovernedCall } from "../governance/request-path.js";
import type { Usage } from "../sse.js";
import type { RequestTrace } from "../tracing/request-trace.js";

/** What one request accumulates for its metrics and its single log line. */
export interface RequestState {
  readonly requestId: string;
  readonly started: number;
  tenant: string;
  /** The id of the API key the caller presented (never the key). */
  keyId?: string;
  /** Admitted by budgets and limits; settled at completion. */
  governed?: GovernedCall;
  /** A governed call reached an upstream that may have run it: unknown usage is then charged at its reservation. */
  upstreamMayHaveRun?: boolean;
  model?: string;
  servedBy?: string;
  upstream?: string;
  /** The arm of a weighted model (routing/weighted.ts); undefined for a request to a plain model. */
  variant?: VariantChoice;
  usage?: Usage;
  /** A non-streamed answer's body, parsed for usage only after it was sent. */
  usageSource?: Uint8Array;
  costUsd?: number;
  errorCode?: string;
  /** The status sent, set by the response helpers. */
  status?: number;
  /** Headers for whatever answer follows (governance's RateLimit-*), merged by the response helpers. */
  answerHeaders?: Readonly<Record<string, string>>;
  /** True when the instance was draining as the request arrived. */
  draining?: boolean;
  /** Prompt and completion text, only collected when LOG_PROMPTS is on. */
  prompt?: unknown;
  /** Set by streaming handlers: resolves when the last byte went out (or the client left). */
  streamDone?: Promise<{ status: number; aborted?: boolean }>;
  /** Gives back what admission control lent the request; called once its response is complete. */
  release?: () => void;
  /** The request's span, when tracing is on (tracing/middleware.ts). */
  trace?: RequestTrace;
}

export type GatewayEnv = {
  Variables: { state: RequestState };
  /** Set by nodeListener (node-serving.ts), the only way the app is served (tests included). */
  Bindings: NodeBindings;
};

/** node:http's request. The app has no web-Request path: tests run it over real HTTP too. */
export function nodeRequest(c: Context<GatewayEnv>): IncomingMessage {
  const incoming = c.env?.incoming;
  if (!incoming) throw new Error("gateway-app is served by nodeListener only; app.request() has no node:http request");
  return incoming;
}

/** The method the client sent: node's, not Hono's, which routes HEAD as GET (node-serving.ts appMethod). */
export function requestMethod(c: Context<GatewayEnv>): string {
  return nodeRequest(c).method ?? c.req.method;
}

export function nodeResponse(c: Context<GatewayEnv>): ServerResponse {
  const outgoing = c.env?.outgoing;
  if (!outgoing) throw new Error("gateway-app is served by nodeListener only; app.request() has no node:http response");
  return outgoing;
}

/**
 * A request header, from the headers node:http already parsed: lower-case names, repeated
 * values joined with ", " as a web Headers would.
 */
export function requestHeader(c: Context<GatewayEnv>, name: Lowercase<string>): string | undefined {
  const value = nodeRequest(c).headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Aborted when the client goes away before its response is complete. It listens on the
 * response directly: reading `c.req.raw.signal` would build a full web Request per call.
 */
export function clientGone(c: Context<GatewayEnv>): AbortSignal {
  const outgoing = nodeResponse(c);
  const gone = new AbortController();
  // "close" comes once per response; `on` spares the wrapper `once` would allocate.
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) gone.abort(new Error("the client closed the connection"));
  });
  return gone.signal;
}

export interface RequestContextOptions {
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly newId?: () => string;
  /** Called after the response is complete, off the hot path (usage accounting). */
  readonly onComplete?: (state: RequestState, done: { readonly status: number; readonly seconds: number }) => void;
  readonly isDraining: () => boolean;
}

/**
 * Request id (the caller's X-Request-ID when valid, else a new one; echoed), in-flight count,
 * and, once the response has fully gone out, the request metrics and one JSON log line.
 */
export function requestContext(options: RequestContextOptions): MiddlewareHandler<GatewayEnv> {
  const newId = options.newId ?? randomUUID;
  const { metrics } = options;
  // Finished requests are accounted in one batch per event-loop turn, after their bytes left.
  let finished: Completion[] = [];
  let scheduled = false;
  const account = () => {
    scheduled = false;
    const batch = finished;
    finished = [];
    for (const done of batch) {
      const labels = withVariant({ route: done.route, method: done.method, status: String(done.status) }, done.state.variant);
      const seconds = (done.ended - done.state.started) / 1000;
      metrics.requests.inc(labels);
      metrics.requestDuration.observe(labels, seconds);
      options.onComplete?.(done.state, { status: done.status, seconds });
      const fields = logFields(done, seconds);
      options.logger.info("request", done.state.trace ? { ...fields, ...done.state.trace.logFields() } : fields);
    }
  };
  const complete = (state: RequestState, route: string, method: string, status: number, aborted: boolean) => {
    metrics.inFlight.dec();
    state.release?.();
    state.trace?.end(route, status, state);
    finished.push({ state, route, method, status, aborted, ended: options.now() });
    if (!scheduled) {
      scheduled = true;
      setImmediate(account);
    }
  };

  return async (c, next) => {
    const incoming = requestHeader(c, REQUEST_ID_HEADER);
    // Every field up front: one object shape for all requests, instead of one per order in
    // which a request happens to fill them in.
    const state: RequestState = {
      requestId: acceptRequestId(incoming, newId),
      started: options.now(),
      tenant: "anonymous",
      keyId: undefined,
      governed: undefined,
      upstreamMayHaveRun: undefined,
      model: undefined,
      servedBy: undefined,
      upstream: undefined,
      variant: undefined,
      usage: undefined,
      usageSource: undefined,
      costUsd: undefined,
      errorCode: undefined,
      status: undefined,
      // Draining: the response helpers tell keep-alive clients to reconnect elsewhere.
      draining: options.isDraining(),
      prompt: undefined,
      streamDone: undefined,
      release: undefined,
      trace: undefined,
    };
    c.set("state", state);
    metrics.inFlight.inc();
    let status = 500;
    try {
      await next();
      status = state.status ?? c.res.status;
    } finally {
      const route = routeTemplate(c.req.routePath);
      const method = requestMethod(c);
      if (state.streamDone) {
        state.streamDone.then(
          ({ status: s, aborted }) => complete(state, route, method, s, aborted ?? false),
          () => complete(state, route, method, status, true),
        );
      } else complete(state, route, method, status, status === 499);
    }
  };
}

interface Completion {
  readonly state: RequestState;
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly aborted: boolean;
  /** When the response was complete; accounting happens a little later. */
  readonly ended: number;
}

function routeTemplate(routePath: string): string {
  return routePath === "*" || routePath === "/*" ? "unmatched" : routePath;
}

function logFields(done: Completion, seconds: number) {
  const state = done.state;
  return {
    request_id: state.requestId,
    method: done.method,
    route: done.route,
    status: done.status,
    latency_ms: Math.round(seconds * 1000 * 10) / 10,
    tenant: state.tenant,
    key_id: state.keyId,
    model: state.model,
    served_by: state.servedBy !== state.model ? state.servedBy : undefined,
    upstream: state.upstream,
    // The arm and how it was chosen; a sticky header's value never appears, only its hash decided.
    variant: state.variant?.model,
    variant_by: state.variant?.by,
    prompt_tokens: state.usage?.prompt_tokens,
    completion_tokens: state.usage?.completion_tokens,
    cost_usd: state.costUsd,
    error: state.errorCode,
    client_aborted: done.aborted || undefined,
    prompt: state.prompt === undefined ? undefined : boundForLog(state.prompt),
  };
}
