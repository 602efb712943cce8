import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "./errors.js";
import { requestHeader, type GatewayEnv } from "./middleware/request-context.js";

/**
 * The header Kong adds to every request it proxies, with the token from a Kubernetes Secret
 * (KongEdge `edgeToken`). Only Kong's pods may reach the API port (NetworkPolicy); this is the
 * second lock, for when a policy is missing or a pod shares Kong's labels.
 */
export const EDGE_TOKEN_HEADER = "x-gateway-edge-token";

/**
 * Letters, digits, `-` and `_`, at least 32: the token passes through a Kubernetes `$(VAR)`
 * expansion and an nginx `proxy_set_header` value, where `$` and spaces mean something.
 */
export const EDGE_TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,512}$/;

/**
 * Refuses every API request that does not carry the edge token, whatever its other headers:
 * without it `X-Consumer-Username` could be anyone's. The comparison is of SHA-256 digests in
 * constant time, so neither the token's bytes nor its length leak through timing.
 */
export function edgeAuth(token: string): MiddlewareHandler<GatewayEnv> {
  const expected = digest(token);
  return async (c, next) => {
    const presented = requestHeader(c, EDGE_TOKEN_HEADER);
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new GatewayError("edge_unauthenticated", "Requests must come through the gateway's edge (Kong)");
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
