import { describe, expect, it } from "vitest";
import { KeyStore, KeyVerifier, parseKey } from "../../src/governance/keys.js";
import { eventually, useTestRedis } from "../support/redis.js";

const clients = useTestRedis();

describe("issuing keys", () => {
  it("issues a prefixed key with a short id, and stores only its SHA-256", async () => {
    const client = await clients.connect();
    const issued = await new KeyStore(client).issue("acme", { label: "ci" });
    expect(issued.key).toMatch(/^sk-gw-[a-z2-7]{10}_[A-Za-z0-9_-]{43}$/);
    expect(parseKey(issued.key)?.id).toBe(issued.id);
    const secret = issued.key.split("_").slice(1).join("_");
    const stored: string[] = [];
    for (const name of await client.keys("*")) {
      stored.push(name);
      const type = await client.type(name);
      if (type === "hash") stored.push(...Object.entries(await client.hgetall(name)).flat());
      if (type === "set") stored.push(...(await client.smembers(name)));
    }
    expect(stored.length).toBeGreaterThan(3);
    expect(stored.join("\n")).not.toContain(secret);
    expect(stored.join("\n")).not.toContain(issued.key);
  });

  it("lists a tenant's keys by id and status, never the key itself", async () => {
    const store = new KeyStore(await clients.connect());
    const a = await store.issue("listing");
    const b = await store.issue("listing");
    await store.issue("someone-else");
    const listed = await store.list("listing");
    expect(listed.map((k) => k.id).sort()).toEqual([a.id, b.id].sort());
    expect(listed.every((k) => k.status === "active" && k.tenant === "listing")).toBe(true);
    expect(JSON.stringify(listed)).not.toContain("sk-gw-");
  });

  it("refuses to revoke another tenant's key", async () => {
    const store = new KeyStore(await clients.connect());
    const other = await store.issue("owner");
    await expect(store.revoke("intruder", other.id)).rejects.toThrow(`tenant "intruder" has no key ${other.id}`);
  });
});

describe("verifying keys", () => {
  it("accepts an issued key and names its tenant", async () => {
    const client = await clients.connect();
    const issued = await new KeyStore(client).issue("acme");
    expect(await new KeyVerifier(client).verify(issued.key)).toEqual({ ok: true, tenant: "acme", keyId: issued.id });
  });

  it("refuses a malformed key without asking the store, and a wrong secret for a real id", async () => {
    const client = await clients.connect();
    const issued = await new KeyStore(client).issue("acme");
    const verifier = new KeyVerifier(client);
    expect(await verifier.verify("Bearer nonsense")).toEqual({ ok: false, reason: "malformed" });
    const forged = `${issued.key.slice(0, -4)}AAAA`;
    expect(await verifier.verify(forged)).toEqual({ ok: false, reason: "unknown", keyId: issued.id });
  });

  it("keeps both keys valid during a rotation's grace period, then only the new one", async () => {
    let now = 1_000_000;
    const client = await clients.connect();
    const store = new KeyStore(client, () => now);
    const verifier = new KeyVerifier(client, { cacheTtlMs: 0, now: () => now });
    const old = await store.issue("rotating");
    const fresh = await store.rotate("rotating", old.id, 3_600_000);
    expect((await verifier.verify(old.key)).ok).toBe(true);
    expect((await verifier.verify(fresh.key)).ok).toBe(true);
    expect((await store.list("rotating")).find((k) => k.id === old.id)?.status).toBe("expiring");
    now += 3_600_000;
    expect(await verifier.verify(old.key)).toEqual({ ok: false, reason: "expired", keyId: old.id });
    expect((await verifier.verify(fresh.key)).ok).toBe(true);
  });

  it("throws if the cache would outlive the 60 s revocation bound", () => {
    expect(() => new KeyVerifier({} as never, { cacheTtlMs: 60_001 })).toThrow(/GOVERNANCE_KEY_CACHE_TTL_MS: must be 0 to 60000/);
  });
});

describe("revocation across replicas sharing one Redis", () => {
  it("a key revoked through one replica's store is refused by another at once, by pub/sub", async () => {
    const admin = new KeyStore(await clients.connect());
    const replica = new KeyVerifier(await clients.connect(), { cacheTtlMs: 30_000 });
    await replica.subscribe(await clients.connect());
    const issued = await admin.issue("acme");
    expect((await replica.verify(issued.key)).ok).toBe(true);
    const revokedAt = Date.now();
    await admin.revoke("acme", issued.id);
    const took = await eventually(async () => (await replica.verify(issued.key)).ok === false, 1_000, 5);
    expect(await replica.verify(issued.key)).toEqual({ ok: false, reason: "revoked", keyId: issued.id });
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(took).toBeLessThan(1_000);
  });

  it("without the message, the cache TTL alone bounds the delay", async () => {
    let now = 5_000_000;
    const admin = new KeyStore(await clients.connect());
    const replica = new KeyVerifier(await clients.connect(), { cacheTtlMs: 30_000, now: () => now });
    const issued = await admin.issue("acme");
    expect((await replica.verify(issued.key)).ok).toBe(true);
    await admin.revoke("acme", issued.id);
    now += 29_999;
    expect((await replica.verify(issued.key)).ok).toBe(true);
    now += 1;
    expect(await replica.verify(issued.key)).toEqual({ ok: false, reason: "revoked", keyId: issued.id });
  });
});
