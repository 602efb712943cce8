import { createRequire } from "node:module";
import { isIP } from "node:net";
import { checkServerIdentity } from "node:tls";
import type { Redis } from "ioredis";

// Required when a client is made, not imported: with governance off, ioredis and its
// dependencies would cost ~14 MiB of idle RSS (97.6 -> 83.4 MiB measured) for nothing. Synchronous,
// so createRedis stays synchronous for its callers.
const requireAtCall = createRequire(import.meta.url);

/**
 * How gateway-app reaches the governance store: Memorystore for Redis with in-transit encryption
 * (server-authenticated TLS, the instance's CA given to the client) and AUTH (one password).
 */
export interface RedisSettings {
  /** `rediss://host:port` (TLS) or `redis://host:port` (plain, local development only). */
  readonly url: string;
  /** Memorystore's AUTH string. @default - no AUTH */
  readonly password?: string;
  /** PEM of the CA that signs the server certificate (Memorystore's server CA). @default - the system CAs */
  readonly ca?: string;
  /**
   * The name or IP the server certificate must be issued to, when it is not the URL's host: through
   * a port-forward the URL is 127.0.0.1 but the certificate is Memorystore's. @default - the URL's host
   */
  readonly tlsHost?: string;
  /** @default 1000 */
  readonly connectTimeoutMs?: number;
  /**
   * A command without an answer after this long fails, so a hung store is treated like a lost one
   * instead of holding the request. @default 250
   */
  readonly commandTimeoutMs?: number;
}

/**
 * ioredis 6 defines `class VerbatimString extends String` (built/resp/verbatim-string.js). Making
 * String.prototype the prototype of a new class turns it into a dictionary-mode object in V8
 * (Node 24.22), and calls on string primitives never turn it back. Every string method that
 * optimized code then calls (Node's header handling, Hono's router, the usage scan) is looked up in
 * a dictionary: a `charCodeAt` loop ran 3.5x slower, and under callgrind an API-key request spent
 * 40k instructions in V8's load ICs instead of 18k (370k against 345k per request, GC and
 * compiler threads aside). A property stored on an object that inherits from String.prototype
 * makes V8 turn that prototype chain fast again.
 */
function restoreFastStringPrototype(): void {
  const inheritor = Object.create(String.prototype) as { restored?: boolean };
  inheritor.restored = true;
}

/**
 * One client per process. Governance batches its own work (one script call per tenant at a time,
 * leases.ts), so ioredis's auto-pipelining is off: it only added a tick and its bookkeeping to
 * every command. Commands are never queued while disconnected: they fail at once,
 * and each part applies its own fail-open/closed rule.
 */
export function createRedis(settings: RedisSettings): Redis {
  const url = new URL(settings.url);
  if (url.protocol !== "rediss:" && url.protocol !== "redis:")
    throw new Error(`GOVERNANCE_REDIS_URL: must be rediss:// or redis:// (received "${url.protocol}")`);
  const { Redis: Client } = requireAtCall("ioredis") as typeof import("ioredis");
  restoreFastStringPrototype();
  return new Client({
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    password: settings.password,
    // Memorystore is reached by IP; SNI may not carry an IP (RFC 6066), the certificate check still does.
    tls: url.protocol === "rediss:" ? tlsOptions(url.hostname, settings) : undefined,
    connectTimeout: settings.connectTimeoutMs ?? 1000,
    commandTimeout: settings.commandTimeoutMs ?? 250,
    enableAutoPipelining: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnects forever, backing off to 2 s, so the store comes back without a restart.
    retryStrategy: (attempt) => Math.min(50 * attempt, 2000),
    lazyConnect: false,
  });
}

function tlsOptions(urlHost: string, settings: RedisSettings) {
  const host = settings.tlsHost ?? urlHost;
  return {
    ca: settings.ca,
    servername: isIP(host) ? undefined : host,
    checkServerIdentity: (_: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(host, cert),
  };
}

// ioredis' own messages for a closed or offline connection, then Node's socket errors, then Redis' "not ready" replies.
// "Command aborted due to connection close": the connection dropped with the command unanswered (a settlement
// then waits and is replayed; its marker makes a replay of one that did run count once).
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    "Stream isn't writeable",
    "enableOfflineQueue",
    "Connection is closed",
    "Command aborted due to connection close",
    "Command timed out",
    "ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE",
  ].join("|"),
);
const UNAVAILABLE_REPLY = /LOADING|MASTERDOWN|TRYAGAIN/;

/** True for the errors that mean "the store cannot answer now", as opposed to a bug in a script. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const message = error.message;
  return UNAVAILABLE_MESSAGE.test(message) || UNAVAILABLE_REPLY.test(message) || error.name === "MaxRetriesPerRequestError";
}

/** Resolves when the client has connected and authenticated; rejects after `timeoutMs`. */
export function whenReady(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`governance store not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}
