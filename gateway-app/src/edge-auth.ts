import { timingSafeEqual } from "node:crypto";
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
 * without it `X-Consumer-Username` could be anyone's. The bytes are compared in constant time;
 * a header of another length costs the same comparison, so timing tells at most the length,
 * which the documented format already does. (SHA-256 digests would hide that too, at about 5 µs
 * a request on this class of machine against 0.3 µs.)
 */
export function edgeAuth(token: string): MiddlewareHandler<GatewayEnv> {
  const expected = Buffer.from(token, "latin1");
  return async (c, next) => {
    const presented = requestHeader(c, EDGE_TOKEN_HEADER);
    if (presented === undefined || !sameBytes(Buffer.from(presented, "latin1"), expected)) {
      throw new GatewayError("edge_unauthenticated", "Requests must come through the gateway's edge (Kong)");
    }
    await next();
  };
}

function sameBytes(presented: Buffer, expected: Buffer): boolean {
  if (presented.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(presented, expected);
}
