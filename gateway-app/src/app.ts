import { Hono } from "hono";
import { Admission, type AdmissionLimits } from "./admission.js";
import { LiveStreams } from "./live-streams.js";
import type { Catalogue } from "./config.js";
import { edgeAuth } from "./edge-auth.js";
import { GatewayError } from "./errors.js";
import { discardRest } from "./message-body.js";
import { settleCall } from "./governance/request-path.js";
import type { RequestGovernance } from "./governance/runtime.js";
import type { Logger } from "./logger.js";
import type { GatewayMetrics } from "./metrics.js";
import { nodeRequest, requestContext, type GatewayEnv } from "./middleware/request-context.js";
import { inferenceHandler } from "./routes/inference.js";
import { listModels, retrieveModel } from "./routes/models.js";
import { validateResponsesRequest } from "./routes/responses.js";
import type { Dispatcher } from "./upstream/dispatcher.js";
import { sendJson } from "./respond.js";
import { VariantRouter } from "./routing/weighted.js";
import { traceRequests } from "./tracing/middleware.js";
import type { Tracing } from "./tracing/tracing.js";
import { recordUsage } from "./usage.js";
import { validateChatRequest, validateEmbeddingsRequest } from "./validation.js";

export interface AppDeps {
  readonly catalogue: Catalogue;
  readonly dispatcher: Dispatcher;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** @default 1 MiB */
  readonly bodyLimitBytes?: number;
  /** Per-process budgets (config.ts, AI_GATEWAY_MAX_IN_FLIGHT_*); past them model requests get 503. */
  readonly admission: AdmissionLimits;
  /** Largest non-streamed upstream answer (AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES). */
  readonly maxUpstreamResponseBytes: number;
  /** Log prompt and completion text. @default false */
  readonly logPrompts?: boolean;
  /** False once shutdown has begun: /readyz fails so the pod leaves the Service. */
  readonly isReady?: () => boolean;
  readonly now?: () => number;
  readonly newRequestId?: () => string;
  /** Streams in flight, for shutdown to end. @default a set of this app's own */
  readonly streams?: LiveStreams;
  /** The token Kong adds to every request (EDGE_TOKEN); without it, API requests get 401. @default - none: no check (local use) */
  readonly edgeToken?: string;
  /** Spans for requests and upstream attempts (OTEL_* settings). @default - none: tracing off, no span work at all */
  readonly tracing?: Tracing;
  /** API keys, budgets and token limits (governance/runtime.ts). @default - off */
  readonly governance?: RequestGovernance;
}

/**
 * For 405's `Allow`: the methods registered on each route so far (GET routes answer HEAD too),
 * read from the app itself so the header cannot drift from the routes.
 */
function allowedMethods(app: Hono<GatewayEnv>): Map<string, string> {
  const byPath = new Map<string, string[]>();
  for (const { path, method } of app.routes) {
    if (method === "ALL") continue; // middleware
    byPath.set(path, [...(byPath.get(path) ?? []), method, ...(method === "GET" ? ["HEAD"] : [])]);
  }
  return new Map([...byPath].map(([path, methods]) => [path, methods.join(", ")]));
}

/**
 * How long a refusal given before its request body was read waits for the rest of that body
 * (nginx's lingering_timeout is 5 s): a client still sending past it gets the answer and a closed
 * connection.
 */
const UNREAD_BODY_WAIT_MS = 5_000;

/** The gateway's HTTP app: no I/O of its own, everything it touches is injected. */
export function createApp(deps: AppDeps): Hono<GatewayEnv> {
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const isReady = deps.isReady ?? (() => true);
  const variants = new VariantRouter(deps.catalogue, { now });
  const inference = {
    catalogue: deps.catalogue,
    variants,
    dispatcher: deps.dispatcher,
    metrics: deps.metrics,
    bodyLimitBytes: deps.bodyLimitBytes ?? 1024 * 1024,
    admission: new Admission(deps.admission),
    maxUpstreamResponseBytes: deps.maxUpstreamResponseBytes,
    logPrompts: deps.logPrompts ?? false,
    now,
    streams: deps.streams ?? new LiveStreams(),
    governance: deps.governance,
  };
  const app = new Hono<GatewayEnv>();

  app.use(
    requestContext({
      metrics: deps.metrics,
      logger: deps.logger,
      now,
      newId: deps.newRequestId,
      isDraining: () => !isReady(),
      onComplete: (state, done) => {
        recordUsage(state, deps.catalogue, deps.metrics);
        variants.observe(state.variant, done);
        settleCall(deps.governance, state, deps.catalogue);
      },
    }),
  );

  if (deps.tracing) app.use(traceRequests(deps.tracing));
  if (deps.edgeToken !== undefined) app.use("/v1/*", edgeAuth(deps.edgeToken));
  app.post("/v1/chat/completions", inferenceHandler("chat", validateChatRequest, inference));
  app.post("/v1/embeddings", inferenceHandler("embeddings", validateEmbeddingsRequest, inference));
  app.post("/v1/responses", inferenceHandler("responses", validateResponsesRequest, inference));
  app.get("/v1/models", listModels(deps.catalogue, deps.governance?.keys));
  // Model names may hold "/" (google/gemini-2.5-pro).
  app.get("/v1/models/:id{.+}", retrieveModel(deps.catalogue, deps.governance?.keys));
  app.get("/healthz", (c) => sendJson(c, 200, { status: "ok" }));
  app.get("/readyz", (c) => (isReady() ? sendJson(c, 200, { status: "ready" }) : sendJson(c, 503, { status: "draining" })));
  for (const [path, allow] of allowedMethods(app)) {
    app.all(path, (c) => {
      throw new GatewayError("method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`, { headers: { allow } });
    });
  }

  app.notFound((c) => sendJson(c, 404, new GatewayError("not_found", `No route for ${c.req.method} ${c.req.path}`).toEnvelope()));
  app.onError(async (error, c) => {
    const state = c.get("state");
    // A refusal before the body was read (overloaded, too large, unauthenticated) waits for the body the client is still sending.
    await discardRest(nodeRequest(c), inference.bodyLimitBytes, UNREAD_BODY_WAIT_MS);
    if (error instanceof GatewayError) {
      state.errorCode = error.code;
      return sendJson(c, error.status, error.toEnvelope(), error.retryAfter ? { ...error.headers, "retry-after": error.retryAfter } : error.headers);
    }
    state.errorCode = "internal_error";
    deps.logger.error("unhandled error", {
      request_id: state.requestId,
      ...state.trace?.logFields(),
      error: error instanceof Error ? error.message : String(error),
    });
    return sendJson(c, 500, new GatewayError("internal_error", "Internal error").toEnvelope());
  });
  return app;
}
