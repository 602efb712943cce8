import { Hono } from "hono";
import type { Registry } from "prom-client";
import type { Catalogue } from "./config.js";
import { GatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { GatewayMetrics } from "./metrics.js";
import { requestContext, type GatewayEnv } from "./middleware/request-context.js";
import { inferenceHandler } from "./routes/inference.js";
import { isModelVisible, resolveTenant } from "./tenancy.js";
import type { Dispatcher } from "./upstream/dispatcher.js";
import { recordUsage } from "./usage.js";
import { validateChatRequest, validateEmbeddingsRequest } from "./validation.js";

export interface AppDeps {
  readonly catalogue: Catalogue;
  readonly dispatcher: Dispatcher;
  readonly metrics: GatewayMetrics;
  readonly registry: Registry;
  readonly logger: Logger;
  /** @default 1 MiB */
  readonly bodyLimitBytes?: number;
  /** Log prompt and completion text. @default false */
  readonly logPrompts?: boolean;
  /** False once shutdown has begun: /readyz fails so the pod leaves the Service. */
  readonly isReady?: () => boolean;
  readonly now?: () => number;
  readonly newRequestId?: () => string;
}

/** The gateway's HTTP app: no I/O of its own, everything it touches is injected. */
export function createApp(deps: AppDeps): Hono<GatewayEnv> {
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const isReady = deps.isReady ?? (() => true);
  const inference = {
    catalogue: deps.catalogue,
    dispatcher: deps.dispatcher,
    metrics: deps.metrics,
    bodyLimitBytes: deps.bodyLimitBytes ?? 1024 * 1024,
    logPrompts: deps.logPrompts ?? false,
    now,
  };
  const app = new Hono<GatewayEnv>();

  app.use(requestContext({
    metrics: deps.metrics,
    logger: deps.logger,
    now,
    newId: deps.newRequestId,
    isDraining: () => !isReady(),
    onComplete: (state) => recordUsage(state, deps.catalogue, deps.metrics),
  }));

  app.post("/v1/chat/completions", inferenceHandler("chat", validateChatRequest, inference));
  app.post("/v1/embeddings", inferenceHandler("embeddings", validateEmbeddingsRequest, inference));
  app.get("/v1/models", (c) => {
    const tenant = resolveTenant(deps.catalogue, (name) => c.req.header(name));
    if (tenant) c.get("state").tenant = tenant.name;
    const data = [...deps.catalogue.models.keys()]
      .filter((name) => isModelVisible(tenant, name))
      .map((id) => ({ id, object: "model", created: 0, owned_by: "ai-gateway" }));
    return c.json({ object: "list", data });
  });
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => (isReady() ? c.json({ status: "ready" }) : c.json({ status: "draining" }, 503)));
  app.get("/metrics", async (c) => {
    c.header("content-type", deps.registry.contentType);
    return c.body(await deps.registry.metrics());
  });
  for (const path of ["/v1/chat/completions", "/v1/embeddings", "/v1/models", "/healthz", "/readyz", "/metrics"]) {
    app.all(path, () => {
      throw new GatewayError("method_not_allowed", "Method not allowed on this path");
    });
  }

  app.notFound((c) => c.json(new GatewayError("not_found", `No route for ${c.req.method} ${c.req.path}`).toEnvelope(), 404));
  app.onError((error, c) => {
    const state = c.get("state");
    if (error instanceof GatewayError) {
      if (state) state.errorCode = error.code;
      if (error.retryAfter) c.header("retry-after", error.retryAfter);
      return c.json(error.toEnvelope(), error.status as 400);
    }
    if (state) state.errorCode = "internal_error";
    deps.logger.error("unhandled error", { request_id: state?.requestId, error: error instanceof Error ? error.message : String(error) });
    return c.json(new GatewayError("internal_error", "Internal error").toEnvelope(), 500);
  });
  return app;
}
