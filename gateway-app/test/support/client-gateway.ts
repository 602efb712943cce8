import { startTestGateway, type TestGateway } from "./harness.js";

/**
 * The compiled gateway as the client-library tests point a client at it: the built-in mock, and
 * one model relayed to a fake LiteLLM at `upstream`, whose errors reach the client unretried.
 */
export function startClientGateway(upstream: string, relayedModel: string): Promise<TestGateway> {
  return startTestGateway(
    { LITELLM_BASE_URL: upstream, UPSTREAM_MAX_RETRIES: "0" },
    {
      models: [
        { name: "mock", upstream: "mock" },
        { name: relayedModel, upstream: "litellm" },
      ],
    },
  );
}
