/**
 * One shutdown budget for the request path. A stream that is running when its pod is told to
 * stop may go on for up to `streamSeconds`; every tier in front waits longer than the tier
 * behind it, so Kong never cuts a stream gateway-app is still finishing:
 *
 *   Kong's grace > Kong's `kong quit` (deregistration wait + drain) > Kong's nginx drain
 *   > gateway-app's drain; gateway-app's grace covers its own drain, and LiteLLM's grace
 *   covers the same streams behind it.
 *
 * Streams longer than this that are running at shutdown are cut. A longer budget makes every
 * rollout, scale-in and node drain wait that much longer per pod.
 */
export const SHUTDOWN_BUDGET = {
  /** How long gateway-app lets in-flight streams finish after SIGTERM (its `drainSeconds`). */
  streamSeconds: 300,
  /**
   * How long Kong keeps serving after it is told to stop, while the load balancer's health
   * checks (externalTrafficPolicy Local) take the node out of rotation.
   */
  edgeDeregistrationSeconds: 30,
  /** How much longer each tier drains than the one behind it. */
  tierMarginSeconds: 10,
  /** Slack between a process's own deadline and the one that kills it. */
  killMarginSeconds: 5,
} as const;
