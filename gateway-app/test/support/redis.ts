import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createRedis, type RedisSettings, whenReady } from "../../src/governance/redis.js";
import { startRedis, type TestRedis, type TestRedisOptions } from "./redis-server.js";

export { startRedis, type TestRedis, type TestRedisOptions } from "./redis-server.js";

/** Clients for a test, connected and authenticated, all closed by `closeAll`. */
export function redisClients(settings: () => RedisSettings) {
  const open: Redis[] = [];
  return {
    async connect(overrides: Partial<RedisSettings> = {}): Promise<Redis> {
      const client = createRedis({ ...settings(), ...overrides });
      // ioredis reports every failed reconnect; the tests that kill the server expect them.
      client.on("error", () => {});
      open.push(client);
      await whenReady(client);
      return client;
    },
    closeAll(): void {
      for (const client of open.splice(0)) client.disconnect();
    },
  };
}

/** Polls until `condition` holds, for at most `timeoutMs`; returns how long it took. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000, stepMs = 20): Promise<number> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return Date.now() - start;
}

/** One Redis for a test file: started before its tests, clients closed after each, stopped at the end. */
export function useTestRedis(options: TestRedisOptions = {}) {
  let redis: TestRedis | undefined;
  const clients = redisClients(() => server().settings);
  const server = () => {
    if (!redis) throw new Error("the test Redis is not started yet");
    return redis;
  };
  beforeAll(async () => {
    redis = await startRedis(options);
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    clients.closeAll();
    await redis?.stop();
  });
  return { server, connect: clients.connect };
}
