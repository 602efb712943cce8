// What the governance benchmarks share: the model, the governed tenant, the request, how Kong
// forwards an API-key caller, and how the gateway reaches the test Redis.
import type { TestRedis } from "../../gateway-app/test/support/redis-server";

/** A chat request with an output cap, which budgets and token limits reserve against. */
export const body = JSON.stringify({ model: "bench", max_tokens: 256, messages: [{ role: "user", content: "Say something short." }] });

/** The bench model on the built-in mock, with prices so that budgets meter it. */
export const model = { name: "bench", upstream: "mock", prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } };
/** Budgets and limits that never refuse: the bench measures their cost, not a refusal. */
const huge = 1e12;
/** Full governance: an API key, budgets (tenant and per key) and token limits. */
export const governedTenant = {
  name: "bench",
  models: ["*"],
  apiKeys: true,
  limits: { requestsPerMinute: huge, tokensPerMinute: huge },
  budgets: { usdPerDay: huge, tokensPerDay: huge, perKey: { usdPerMonth: huge } },
};

/** What Kong's jwt plugin forwards for an API-key caller: its anonymous consumer, and the key. */
export const asKongSends = (key: string) => ({ "x-anonymous-consumer": "true", "x-consumer-username": "anonymous", authorization: `Bearer ${key}` });

/** The gateway's environment for the governance store: the test Redis, with TLS and AUTH as Memorystore has them. */
export function storeEnv(redis: TestRedis, commandTimeoutMs = process.env.GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS ?? "2000"): Record<string, string> {
  return {
    GOVERNANCE_REDIS_URL: redis.url,
    GOVERNANCE_REDIS_AUTH: redis.password,
    GOVERNANCE_REDIS_CA_FILE: redis.caFile,
    // 250 ms by default: a shared 2-core machine at load 30 misses it now and then, which would measure outages, not overhead.
    GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: commandTimeoutMs,
  };
}
