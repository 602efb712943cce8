import { describe, expect, it } from "vitest";
import { runKeysCommand } from "../../src/governance/admin-cli.js";
import { KeyVerifier } from "../../src/governance/keys.js";
import { loadGovernanceSettings } from "../../src/governance/settings.js";
import { useTestRedis } from "../support/redis.js";

const clients = useTestRedis();

async function keys(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const redis = clients.server();
  const env = { GOVERNANCE_REDIS_URL: redis.url, GOVERNANCE_REDIS_AUTH: redis.password, GOVERNANCE_REDIS_CA_FILE: redis.caFile };
  const code = await runKeysCommand(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("npm run keys", () => {
  it("issues a key printed once on stdout, lists it without the key, rotates and revokes it", async () => {
    const issued = await keys("issue", "--tenant", "acme", "--label", "ci");
    expect(issued.code).toBe(0);
    expect(issued.out).toHaveLength(1);
    const key = issued.out[0];
    expect(key).toMatch(/^sk-gw-/);
    expect(issued.err.join("\n")).not.toContain(key);

    const listed = await keys("list", "--tenant", "acme");
    const [id, status] = listed.out[0].split("\t");
    expect(status).toBe("active");
    expect(listed.out.join("\n")).not.toContain("sk-gw-");

    const rotated = await keys("rotate", "--tenant", "acme", "--id", id, "--grace-hours", "2");
    expect(rotated.code).toBe(0);
    const verifier = new KeyVerifier(await clients.connect(), { cacheTtlMs: 0 });
    expect((await verifier.verify(key)).ok).toBe(true);
    expect((await verifier.verify(rotated.out[0])).ok).toBe(true);

    expect((await keys("revoke", "--tenant", "acme", "--id", id)).code).toBe(0);
    expect(await verifier.verify(key)).toMatchObject({ ok: false, reason: "revoked" });
    expect((await verifier.verify(rotated.out[0])).ok).toBe(true);
  });

  it("exits 2 naming the flag when a required one is missing", async () => {
    const result = await keys("revoke", "--tenant", "acme");
    expect(result.code).toBe(2);
    expect(result.err[0]).toContain("--id: required for revoke");
  });

  it("exits 1 with the reason when the key is not the tenant's", async () => {
    const result = await keys("revoke", "--tenant", "acme", "--id", "aaaaaaaaaa");
    expect(result.code).toBe(1);
    expect(result.err[0]).toBe('keys: tenant "acme" has no key aaaaaaaaaa');
  });
});

describe("governance settings", () => {
  const load = (env: Record<string, string>) => {
    const problems: string[] = [];
    const settings = loadGovernanceSettings(env, () => "secret\n", problems);
    return { settings, problems };
  };

  it("defaults: off without a URL, keys and budgets fail closed, limits fail open, 30 s key cache", () => {
    expect(load({})).toEqual({
      settings: {
        redis: undefined,
        keys: { cacheTtlMs: 30000, onStoreError: "closed" },
        budgets: { onStoreError: "closed" },
        limits: { onStoreError: "open" },
      },
      problems: [],
    });
  });

  it("reads the AUTH string from a file and refuses plain redis:// unless allowed", () => {
    expect(load({ GOVERNANCE_REDIS_URL: "rediss://10.0.0.3:6378", GOVERNANCE_REDIS_AUTH_FILE: "/auth" }).settings.redis).toEqual({
      url: "rediss://10.0.0.3:6378",
      password: "secret",
      ca: undefined,
      tlsHost: undefined,
      commandTimeoutMs: 250,
    });
    expect(load({ GOVERNANCE_REDIS_URL: "redis://10.0.0.3:6379" }).problems[0]).toMatch(/^GOVERNANCE_REDIS_URL: redis:\/\/ sends the AUTH string/);
  });

  it("takes the store's command timeout from GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS, 250 ms unless set", () => {
    const url = { GOVERNANCE_REDIS_URL: "rediss://10.0.0.3:6378" };
    expect(load({ ...url, GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: "2000" }).settings.redis?.commandTimeoutMs).toBe(2000);
    expect(load({ ...url, GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: "0" }).problems).toEqual([
      'GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS: must be a whole number from 10 to 10000 (received "0")',
    ]);
  });

  it("names the setting when a value is out of range", () => {
    expect(load({ GOVERNANCE_KEY_CACHE_TTL_MS: "90000", GOVERNANCE_BUDGETS_ON_STORE_ERROR: "maybe" }).problems).toEqual([
      'GOVERNANCE_KEY_CACHE_TTL_MS: must be a whole number from 0 to 60000, the revocation bound (received "90000")',
      'GOVERNANCE_BUDGETS_ON_STORE_ERROR: must be one of "closed", "open" (received "maybe")',
    ]);
  });
});
