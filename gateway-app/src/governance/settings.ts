import type { RedisSettings } from "./redis.js";

/**
 * Governance settings from the environment, read by server.ts (through config.ts) and by the admin
 * command. Every failure mode is a named setting; the defaults are the safe ones: keys and
 * budgets fail closed, token limits fail open (Kong's per-request limits still stand in front).
 */
export interface GovernanceSettings {
  /** Absent: governance is off (no keys, budgets or token limits are enforced). */
  readonly redis?: RedisSettings;
  readonly keys: { readonly cacheTtlMs: number; readonly onStoreError: "closed" | "stale" };
  readonly budgets: { readonly onStoreError: "closed" | "open" };
  readonly limits: { readonly onStoreError: "open" | "closed" };
}

type Env = Record<string, string | undefined>;

/** What `storeRequirement` reads of a tenant (config.ts's TenantConfig). */
interface GovernedTenant {
  readonly name: string;
  readonly apiKeys: boolean;
  readonly limits?: object;
  readonly budgets?: object;
}

/**
 * The problems of tenants that need the governance store when none is configured: their keys,
 * limits or budgets would otherwise go unenforced without a word. `maxOutputTokens` needs no store.
 */
export function storeRequirement(tenants: Iterable<GovernedTenant>): string[] {
  const problems: string[] = [];
  for (const tenant of tenants) {
    const needs = [tenant.apiKeys && "apiKeys", tenant.limits && "limits", tenant.budgets && "budgets"].filter(Boolean);
    if (needs.length === 0) continue;
    problems.push(
      `GOVERNANCE_REDIS_URL: required, tenant "${tenant.name}" has ${needs.join(", ")}, which are enforced in the governance store ` +
        "(rediss://HOST:PORT of Memorystore; see README, Multi-tenant governance)",
    );
  }
  return problems;
}

export function loadGovernanceSettings(env: Env, readFile: (path: string) => string, problems: string[]): GovernanceSettings {
  const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name}: must be one of ${allowed.map((a) => `"${a}"`).join(", ")} (received "${raw}")`);
    return fallback;
  };
  const cacheTtlMs = wholeNumber(
    env,
    "GOVERNANCE_KEY_CACHE_TTL_MS",
    { default: 30_000, min: 0, max: 60_000, why: ", the revocation bound" },
    problems,
  );
  // Memorystore answers in about a millisecond; past this a command counts as the store unreachable (fail open or closed).
  const commandTimeoutMs = wholeNumber(env, "GOVERNANCE_REDIS_COMMAND_TIMEOUT_MS", { default: 250, min: 10, max: 10_000, why: "" }, problems);
  const redis = redisSettings(env, readFile, problems);
  return {
    redis: redis && { ...redis, commandTimeoutMs },
    keys: { cacheTtlMs, onStoreError: choice("GOVERNANCE_KEYS_ON_STORE_ERROR", ["closed", "stale"], "closed") },
    budgets: { onStoreError: choice("GOVERNANCE_BUDGETS_ON_STORE_ERROR", ["closed", "open"], "closed") },
    limits: { onStoreError: choice("GOVERNANCE_LIMITS_ON_STORE_ERROR", ["open", "closed"], "open") },
  };
}

function wholeNumber(env: Env, name: string, spec: { default: number; min: number; max: number; why: string }, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return spec.default;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= spec.min && value <= spec.max) return value;
  problems.push(`${name}: must be a whole number from ${spec.min} to ${spec.max}${spec.why} (received "${raw}")`);
  return spec.default;
}

function redisSettings(env: Env, readFile: (path: string) => string, problems: string[]): RedisSettings | undefined {
  const url = env.GOVERNANCE_REDIS_URL;
  if (!url) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  if (!parsed || (parsed.protocol !== "rediss:" && parsed.protocol !== "redis:") || !parsed.hostname) {
    problems.push(`GOVERNANCE_REDIS_URL: must be rediss://HOST:PORT (Memorystore with in-transit encryption) (received "${url}")`);
    return undefined;
  }
  if (parsed.username || parsed.password) {
    problems.push("GOVERNANCE_REDIS_URL: must not carry a password; give Memorystore's AUTH string as GOVERNANCE_REDIS_AUTH_FILE");
  }
  if (parsed.protocol === "redis:" && env.GOVERNANCE_REDIS_ALLOW_PLAINTEXT !== "true") {
    problems.push(
      "GOVERNANCE_REDIS_URL: redis:// sends the AUTH string and usage in clear; use rediss://, or set " +
        "GOVERNANCE_REDIS_ALLOW_PLAINTEXT=true for local development",
    );
  }
  const password = fileOrValue(env, "GOVERNANCE_REDIS_AUTH", readFile, problems);
  const caFile = env.GOVERNANCE_REDIS_CA_FILE;
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = readFile(caFile);
    } catch (error) {
      problems.push(`GOVERNANCE_REDIS_CA_FILE: cannot read "${caFile}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  return { url, password, ca, tlsHost: env.GOVERNANCE_REDIS_TLS_HOST || undefined };
}

function fileOrValue(env: Env, name: string, readFile: (path: string) => string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
  if (!file) return direct || undefined;
  try {
    return readFile(file).trim() || undefined;
  } catch (error) {
    problems.push(`${name}_FILE: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}
