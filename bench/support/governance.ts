// What the governance benchmarks share: the model, the governed tenant, the request, how Kong
// forwards an API-key caller, and the gateway process on the test Redis.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestRedis } from "../../gateway-app/test/support/redis-server";
import { imageRuntime, type StartOptions, type Started, startNode } from "./processes";

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

export interface BenchGateway {
  /** The catalogue's tenants. @default - none (governance's tenants off) */
  readonly tenants?: readonly unknown[];
  /** The governance store. @default - none */
  readonly redis?: TestRedis;
  /** GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS. @default - storeEnv's */
  readonly commandTimeoutMs?: string;
  /** The compiled server.js to run. @default - this checkout's gateway-app/dist/server.js */
  readonly server?: string;
  /** NODE_OPTIONS for the gateway (such as --perf-basic-prof). @default - none */
  readonly nodeOptions?: string;
  /** LiteLLM's base URL: the bench model is served through the upstream client instead of the built-in mock. @default - the mock */
  readonly litellmUrl?: string;
}

/**
 * gateway-app as the image runs it: the compiled server on plain node with the Dockerfile's CMD
 * flags and ENV, the catalogue (the bench model and `tenants`) written to a file in `dir`. Through
 * tsx and without the heap flags the same server held ~290 MiB and grew through the soak (V8's
 * default heap sizing, tsx's loader thread), and served ~35% fewer requests: that measured the
 * harness, not what production runs.
 */
export function startBenchGateway(
  root: string,
  gateway: BenchGateway,
  options: StartOptions = {},
  dir = mkdtempSync(join(tmpdir(), "bench-governance-")),
): Promise<Started> {
  const catalogue = join(dir, "catalogue.json");
  const served = gateway.litellmUrl ? { ...model, upstream: "litellm" } : model;
  writeFileSync(catalogue, JSON.stringify({ models: [served], tenants: gateway.tenants }));
  const image = imageRuntime(root, gateway.server ? () => gateway.server! : undefined);
  const store = gateway.redis ? storeEnv(gateway.redis, gateway.commandTimeoutMs) : {};
  const nodeOptions: Record<string, string> = gateway.nodeOptions ? { NODE_OPTIONS: gateway.nodeOptions } : {};
  return startNode(
    image.args,
    {
      ...image.env,
      GATEWAY_CONFIG: catalogue,
      PORT: "0",
      METRICS_PORT: "0",
      HOST: "127.0.0.1",
      ...(gateway.litellmUrl ? { LITELLM_BASE_URL: gateway.litellmUrl } : {}),
      ...store,
      ...nodeOptions,
    },
    options,
  );
}
