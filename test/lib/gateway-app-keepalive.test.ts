import { describe, expect, it } from "vitest";
import { loadConfig } from "../../gateway-app/src/config";
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "../../gateway-app/src/server";
import { KONG_FACTS, LITELLM_FACTS } from "../../lib/upstream-facts";

/** Both ends of a keep-alive connection: the side that closes an idle one first must be the one that stops reusing it. */
describe("gateway-app's keep-alive against the engines around it", () => {
  it("outlasts Kong's upstream idle timeout, so Kong never reuses a connection gateway-app closed", () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(KONG_FACTS.upstreamKeepalive.idleTimeoutSeconds * 1000);
    expect(HEADERS_TIMEOUT_MS).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
  });

  it("drops pooled LiteLLM connections before LiteLLM's uvicorn closes them", () => {
    const result = loadConfig({ env: {}, readFile: () => "" });
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.config.upstreamPool.idleSocketTimeoutMs).toBeLessThan(LITELLM_FACTS.serverKeepAlive.idleTimeoutSeconds * 1000);
  });
});
