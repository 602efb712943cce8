import type { Redis } from "ioredis";
import type { Catalogue } from "../config.js";
import type { Logger } from "../logger.js";
import type { GatewayMetrics } from "../metrics.js";
import { Budgets } from "./budgets.js";
import { Governor } from "./governor.js";
import { KeyVerifier } from "./keys.js";
import { RateLimiter } from "./rate-limits.js";
import { createRedis, whenReady } from "./redis.js";
import type { GovernanceSettings } from "./settings.js";

/** What the request path uses: the key verifier and the governor. */
export interface RequestGovernance {
  readonly keys: KeyVerifier;
  readonly governor: Governor;
}

export interface GovernanceRuntime extends RequestGovernance {
  /** Writes the usage still in memory and gives back the leases (at most `graceMs`), then closes both connections. */
  close(graceMs?: number): Promise<void>;
}

/** How long start-up waits for the store before serving anyway (each part then applies its own fail-open/closed rule). */
const READY_WAIT_MS = 3_000;
/** Store errors are logged at most this often: a lost store reports on every reconnect attempt. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The governance parts wired to one Redis client (the governor's leases batch its commands per tenant) and a
 * second, subscribed connection for key revocations.
 * Undefined when GOVERNANCE_REDIS_URL is not set: governance is off.
 */
export async function startGovernance(
  settings: GovernanceSettings,
  catalogue: Catalogue,
  metrics: GatewayMetrics,
  logger: Logger,
): Promise<GovernanceRuntime | undefined> {
  if (!settings.redis) return undefined;
  const redis = createRedis(settings.redis);
  const subscriber = createRedis(settings.redis);
  for (const client of [redis, subscriber]) logStoreErrors(client, logger);
  const tenantOf = (name: string) => catalogue.tenants.get(name);
  const budgets = new Budgets(redis, (t) => tenantOf(t)?.budgets, {
    onStoreError: settings.budgets.onStoreError,
    onReadings: (tenant, readings) => metrics.budgetReadings.set(tenant, readings),
  });
  const limiter = new RateLimiter(redis, (t) => tenantOf(t)?.limits, { onStoreError: settings.limits.onStoreError });
  const keys = new KeyVerifier(redis, { cacheTtlMs: settings.keys.cacheTtlMs, onStoreError: settings.keys.onStoreError });
  const governor = new Governor({ budgets, limiter });

  const ready = await Promise.all([whenReady(redis, READY_WAIT_MS), whenReady(subscriber, READY_WAIT_MS)]).then(
    () => true,
    () => false,
  );
  if (!ready) logger.warn("governance store not reachable at start-up; serving, each part failing open or closed as configured");
  // A subscribed connection cannot run other commands; ioredis re-subscribes it after each reconnect.
  const subscribe = () =>
    keys.subscribe(subscriber).catch((error: unknown) => logger.warn("key revocation channel not subscribed", { error: String(error) }));
  if (subscriber.status === "ready") await subscribe();
  else subscriber.once("ready", () => void subscribe());

  return {
    keys,
    governor,
    async close(graceMs = 2_000) {
      const deadline = Date.now() + graceMs;
      // Completions of connections closed just before run a turn or two later, and may settle calls.
      for (let turn = 0; turn < 3; turn++) await new Promise((r) => setImmediate(r));
      const lost = await governor.close(Math.max(0, deadline - Date.now()));
      if (lost > 0) logger.error("budget settlements not written: the store did not come back before shutdown", { lost });
      await Promise.all([redis, subscriber].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}

function logStoreErrors(client: Redis, logger: Logger): void {
  let lastLogged = 0;
  client.on("error", (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn("governance store error", { error: error.message });
  });
}
