import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, whenReady } from "../../src/governance/redis.js";
import { startRedis, type TestRedis } from "../support/redis.js";

describe("the test Redis is set up as Memorystore is (TLS with a CA, AUTH)", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("answers a client that trusts the CA and sends the password", async () => {
    const client = createRedis(redis.settings);
    try {
      await whenReady(client);
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });

  it("refuses a client without the password", async () => {
    const client = createRedis({ ...redis.settings, password: undefined });
    client.on("error", () => {});
    const failure = new Promise<Error>((resolve) => client.once("error", resolve));
    try {
      expect((await failure).message).toMatch(/NOAUTH/);
      await expect(whenReady(client, 500)).rejects.toThrow(/not ready/);
    } finally {
      client.disconnect();
    }
  });

  it("refuses a client that does not trust the CA", async () => {
    const client = new Redis({
      host: "127.0.0.1",
      port: redis.port,
      password: redis.password,
      tls: {},
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const failure = new Promise<Error>((resolve) => client.once("error", resolve));
    try {
      expect((await failure).message).toMatch(/self[- ]signed|unable to verify|certificate/i);
    } finally {
      client.disconnect();
    }
  });

  it("checks the certificate against tlsHost when connecting through a tunnel", async () => {
    const tunnelled = createRedis({ ...redis.settings, url: redis.url.replace("127.0.0.1", "localhost"), tlsHost: "127.0.0.1" });
    const wrongName = createRedis({ ...redis.settings, tlsHost: "memorystore.example" });
    const failure = new Promise<Error>((resolve) => wrongName.once("error", resolve));
    wrongName.on("error", () => {});
    try {
      await whenReady(tunnelled);
      expect(await tunnelled.ping()).toBe("PONG");
      expect((await failure).message).toMatch(/Hostname\/IP does not match certificate's altnames/);
    } finally {
      tunnelled.disconnect();
      wrongName.disconnect();
    }
  });

  it("refuses plain text on the TLS port", async () => {
    const client = new Redis({
      host: "127.0.0.1",
      port: redis.port,
      password: redis.password,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    client.on("error", () => {});
    try {
      await expect(client.ping()).rejects.toThrow();
    } finally {
      client.disconnect();
    }
  });
});
