// npm run token -- --consumer NAME --key key.pem [--ttl SECONDS]
// Prints an RS256 JWT that Kong's jwt plugin accepts for that consumer, for `npm run smoke -- --token`.
import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** KongEdge's jwt plugin: `iss` names the consumer's key, `exp` is verified and at most this far ahead. */
export const KONG_JWT = { keyClaim: "iss", maximumExpirationSeconds: 86400 } as const;

export interface TokenOptions {
  /** The consumer's `issuer`, or its username when it has none (KongEdge's jwt_secrets key). */
  readonly consumer: string;
  /** PEM of the RSA private key whose public half is the consumer's `rsaPublicKey`. */
  readonly privateKeyPem: string;
  /** @default 3600 */
  readonly ttlSeconds?: number;
  /** Seconds since the epoch. @default - now */
  readonly now?: number;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function mintToken(options: TokenOptions): string {
  const ttl = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > KONG_JWT.maximumExpirationSeconds)
    throw new Error(`--ttl must be 1 to ${KONG_JWT.maximumExpirationSeconds} seconds (Kong's maximum_expiration), got ${ttl}`);
  const key = createPrivateKey(options.privateKeyPem);
  if (key.asymmetricKeyType !== "rsa") throw new Error(`--key must be an RSA private key (RS256), got ${key.asymmetricKeyType ?? "a symmetric key"}`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ [KONG_JWT.keyClaim]: options.consumer, sub: options.consumer, iat: now, exp: now + ttl }));
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

function main(): void {
  const { values } = parseArgs({ options: { consumer: { type: "string" }, key: { type: "string" }, ttl: { type: "string" } } });
  if (!values.consumer || !values.key) throw new Error("--consumer and --key are required, e.g. npm run token -- --consumer team-a --key team-a.pem");
  const ttlSeconds = values.ttl === undefined ? undefined : Number(values.ttl);
  process.stdout.write(`${mintToken({ consumer: values.consumer, privateKeyPem: readFileSync(values.key, "utf8"), ttlSeconds })}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`token: ${(error as Error).message}`);
    process.exit(1);
  }
}
