import type { MiddlewareHandler } from "hono";
import { nodeRequest, requestMethod, type GatewayEnv } from "../middleware/request-context.js";
import type { Tracing } from "./tracing.js";

/**
 * Starts the request's SERVER span at its arrival (the request context's clock); the request
 * context ends it with the status it records, at the last byte (a stream's end). Registered only
 * when tracing is on: when it is off no request pays for it.
 */
export function traceRequests(tracing: Tracing): MiddlewareHandler<GatewayEnv> {
  return (c, next) => {
    const state = c.get("state");
    state.trace = tracing.startRequest(nodeRequest(c).headers, requestMethod(c), state.started);
    return next();
  };
}
