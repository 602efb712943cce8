import type { MiddlewareHandler } from "hono";
import { nodeRequest, type GatewayEnv } from "../middleware/request-context.js";
import type { Tracing } from "./tracing.js";

/**
 * Starts the request's SERVER span at its arrival (the request context's clock); the request
 * context ends it with the status it records, at the last byte (a stream's end). Registered only
 * when tracing is on: when it is off no request pays for it.
 */
export function traceRequests(tracing: Tracing): MiddlewareHandler<GatewayEnv> {
  return (c, next) => {
    const state = c.get("state");
    const incoming = nodeRequest(c);
    // node's method, not Hono's: HEAD is routed as GET (node-serving.ts appMethod).
    state.trace = tracing.startRequest(incoming.headers, incoming.method ?? c.req.method, state.started);
    return next();
  };
}
