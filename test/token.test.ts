import { execFileSync } from "node:child_process";
import { generateKeyPairSync, verify } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mintToken } from "../scripts/token";
import { ROOT } from "./support/compiled";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

describe("npm run token", () => {
  it("mints an RS256 JWT that the consumer's public key verifies, with iss = the consumer and exp within Kong's maximum", () => {
    const token = mintToken({ consumer: "team-a", privateKeyPem: privatePem, now: 1_700_000_000 });
    const [header, payload, signature] = token.split(".");
    expect(decode(header)).toEqual({ alg: "RS256", typ: "JWT" });
    expect(decode(payload)).toEqual({ iss: "team-a", sub: "team-a", iat: 1_700_000_000, exp: 1_700_003_600 });
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))).toBe(true);
  });

  it("refuses a lifetime Kong's maximum_expiration (86400 s) would reject, and a non-RSA key", () => {
    expect(() => mintToken({ consumer: "team-a", privateKeyPem: privatePem, ttlSeconds: 86_401 })).toThrow(/--ttl must be 1 to 86400 seconds/);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => mintToken({ consumer: "team-a", privateKeyPem: ec, ttlSeconds: 60 })).toThrow(/RSA private key/);
  });

  it("runs as the README shows it: npm run token -- --consumer X --key key.pem", () => {
    const dir = mkdtempSync(join(tmpdir(), "token-"));
    writeFileSync(join(dir, "key.pem"), privatePem);
    const out = execFileSync("npm", ["run", "--silent", "token", "--", "--consumer", "team-a", "--key", join(dir, "key.pem")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const [header, payload, signature] = out.trim().split(".");
    expect(decode(payload).iss).toBe("team-a");
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))).toBe(true);
  });
});
