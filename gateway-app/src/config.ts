import { z } from "zod";
import { EDGE_TOKEN_FORMAT } from "./edge-auth.js";
import type { BudgetLimits, BudgetPolicy } from "./governance/budgets.js";
import type { RateLimits } from "./governance/rate-limits.js";
import { parseWeightedModels, WeightedModelSchema, type WeightedRouteConfig } from "./routing/weighted.js";
import { readTracingConfig, type TracingConfig } from "./tracing/config.js";
import { type GovernanceSettings, loadGovernanceSettings, storeRequirement } from "./governance/settings.js";

/**
 * The model catalogue, read from the JSON file named by GATEWAY_CONFIG. Only `models[].name`
 * and `models[].upstream` are required; see README "gateway-app configuration".
 */
const ModelSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/, "must be 1-128 letters, digits or . _ : / @ -"),
    /** litellm: through the router; vertex: direct to Vertex AI's OpenAI-compatible endpoint; mock: built in. */
    upstream: z.enum(["litellm", "vertex", "mock"]),
    /** @default - the public name */
    upstreamModel: z.string().min(1).optional(),
    /** Tried in order when this model fails or its circuit is open. @default [] */
    fallbacks: z.array(z.string()).optional(),
    limits: z
      .object({
        /** Largest `max_tokens` a request may ask for; requests without one get this. */
        maxOutputTokens: z.number().int().positive().optional(),
        /**
         * Time for a whole non-streamed answer, overriding UPSTREAM_TOTAL_TIMEOUT_MS. Streams are not
         * cut by it (a healthy long answer may stream for many minutes): they end on STREAM_IDLE_TIMEOUT_MS
         * between chunks or STREAM_TOTAL_TIMEOUT_MS in all.
         */
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** LiteLLM may cache answers to sampled requests (temperature above 0 or unset) too (upstream/cache-controls.ts). @default false */
    cacheSampledAnswers: z.boolean().optional(),
    /** USD per million tokens, for the cost estimate. @default 0 */
    prices: z
      .object({
        inputPerMillionTokens: z.number().nonnegative().optional(),
        outputPerMillionTokens: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const BudgetAmountsSchema = z
  .object({
    usdPerDay: z.number().nonnegative().optional(),
    usdPerMonth: z.number().nonnegative().optional(),
    tokensPerDay: z.number().int().nonnegative().optional(),
    tokensPerMonth: z.number().int().nonnegative().optional(),
  })
  .strict();

const TenantSchema = z
  .object({
    /** Matched against Kong's X-Consumer-Username, then X-Consumer-Custom-ID. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, "must be 1-128 letters, digits or . _ @ -"),
    /** Model names the tenant may use; ["*"] for all. */
    models: z.array(z.string()).min(1),
    /** Cap on `max_tokens` for this tenant's requests. @default - the model's limit */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Per minute, shared across replicas (governance/rate-limits.ts). @default - no limit */
    limits: z
      .object({ requestsPerMinute: z.number().int().positive().optional(), tokensPerMinute: z.number().int().positive().optional() })
      .strict()
      .optional(),
    /** USD and token budgets per UTC day and month (governance/budgets.ts). @default - none */
    budgets: BudgetAmountsSchema.extend({ perKey: BudgetAmountsSchema.optional() }).strict().optional(),
    /** The tenant's callers may present API keys (governance/keys.ts). @default false */
    apiKeys: z.boolean().optional(),
  })
  .strict();

const CatalogueSchema = z
  .object({
    models: z.array(ModelSchema).min(1),
    /** Public names split across models by weight (routing/weighted.ts). @default [] */
    weightedModels: z.array(WeightedModelSchema).optional(),
    tenants: z.array(TenantSchema).optional(),
    /** @default true when tenants are configured, false otherwise */
    requireConsumer: z.boolean().optional(),
  })
  .strict();

export type ModelEntry = z.infer<typeof ModelSchema>;
export type TenantEntry = z.infer<typeof TenantSchema>;

export interface ModelConfig {
  readonly name: string;
  readonly upstream: "litellm" | "vertex" | "mock";
  readonly upstreamModel: string;
  readonly fallbacks: readonly string[];
  readonly maxOutputTokens?: number;
  readonly timeoutMs?: number;
  readonly inputPricePerMillion: number;
  readonly outputPricePerMillion: number;
  readonly cacheSampledAnswers?: boolean;
}

export interface TenantConfig {
  readonly name: string;
  readonly allModels: boolean;
  readonly models: ReadonlySet<string>;
  readonly maxOutputTokens?: number;
  readonly limits?: RateLimits;
  readonly budgets?: BudgetPolicy;
  readonly apiKeys: boolean;
}

export interface Catalogue {
  readonly models: ReadonlyMap<string, ModelConfig>;
  /** Public names served by one of several models (A/B), by name. */
  readonly weighted: ReadonlyMap<string, WeightedRouteConfig>;
  readonly tenants: ReadonlyMap<string, TenantConfig>;
  readonly requireConsumer: boolean;
}

export interface GatewayConfig {
  readonly port: number;
  /** The /metrics listener's port, apart from the API's (0: any free port). */
  readonly metricsPort: number;
  readonly host: string;
  /** Connections the kernel queues for the API listener before it accepts them (capped by net.core.somaxconn). */
  readonly listenBacklog: number;
  readonly catalogue: Catalogue;
  readonly litellm: { readonly baseUrl: string; readonly apiKey?: string };
  readonly vertex: { readonly baseUrl?: string };
  readonly metadataBaseUrl: string;
  readonly bodyLimitBytes: number;
  readonly timeouts: UpstreamTimeouts;
  readonly upstreamPool: UpstreamPool;
  readonly maxRetries: number;
  readonly breaker: { readonly failureThreshold: number; readonly cooldownMs: number };
  readonly shutdownGraceMs: number;
  /** How long /readyz reports draining while connections are still accepted (0 when a preStop hook waits instead). */
  readonly shutdownDelayMs: number;
  readonly logPrompts: boolean;
  /** Admission control per process: past either budget, model requests get 503 with Retry-After. */
  readonly admission: { readonly maxRequests: number; readonly maxBodyBytes: number };
  /** Largest non-streamed upstream answer relayed; a larger one is a 502 naming the setting. */
  readonly maxUpstreamResponseBytes: number;
  /** The token Kong adds to each request it proxies; API requests without it are refused. Unset: no check. */
  readonly edgeToken?: string;
  /** OpenTelemetry tracing (OTEL_* variables); unset: off. */
  readonly tracing?: TracingConfig;
  /** API keys, budgets and token limits (GOVERNANCE_*); off without GOVERNANCE_REDIS_URL. */
  readonly governance: GovernanceSettings;
}

/**
 * Deadlines of a request's upstream side. First byte and totals count from the moment the
 * request was accepted, so time spent queued for a connection or between retries is included.
 */
export interface UpstreamTimeouts {
  /** Per new connection, from the moment its socket is opened. */
  readonly connectMs: number;
  /** Until the response headers. */
  readonly firstByteMs: number;
  /** A whole non-streamed answer (a model's `limits.timeoutMs` overrides it). */
  readonly totalMs: number;
  /** Between two chunks of an answer. */
  readonly streamIdleMs: number;
  /** A whole stream. */
  readonly streamTotalMs: number;
}

/** The keep-alive connection pool towards each upstream. */
export interface UpstreamPool {
  /** Concurrent connections per upstream host; requests beyond wait for one (their deadlines running). */
  readonly maxSockets: number;
  /** An idle pooled connection is closed after this long: before the upstream server closes it itself. */
  readonly idleSocketTimeoutMs: number;
}

/** The catalogue served when GATEWAY_CONFIG is not set: one built-in mock model. */
export const DEFAULT_CATALOGUE = { models: [{ name: "mock", upstream: "mock" as const }] };

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; problems: string[] };

/** Environment variables, their defaults and bounds. */
const NUMERIC_SETTINGS = {
  PORT: { default: 8080, min: 0, max: 65535 },
  METRICS_PORT: { default: 9090, min: 0, max: 65535 },
  // The kernel's own cap on a listen backlog, net.core.somaxconn, which a pod's network namespace
  // starts at: SOMAXCONN, 4096 since Linux 5.4 (torvalds/linux@v5.4 include/linux/socket.h;
  // net/core/net_namespace.c net_defaults_init_net), as on GKE's node kernels. Node's default, 511,
  // dropped connections during bursts of new ones (10,000 streams opening: SYN retransmits, TTFB p99 112 s).
  LISTEN_BACKLOG: { default: 4096, min: 1, max: 65535 },
  BODY_LIMIT_BYTES: { default: 1024 * 1024, min: 1, max: 64 * 1024 * 1024 },
  UPSTREAM_CONNECT_TIMEOUT_MS: { default: 5_000, min: 1, max: 600_000 },
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: { default: 60_000, min: 1, max: 3_600_000 },
  UPSTREAM_TOTAL_TIMEOUT_MS: { default: 600_000, min: 1, max: 3_600_000 },
  STREAM_IDLE_TIMEOUT_MS: { default: 60_000, min: 1, max: 3_600_000 },
  STREAM_TOTAL_TIMEOUT_MS: { default: 3_600_000, min: 1, max: 86_400_000 },
  // What one pod holds: a relayed stream costs about 46 KB of RSS (25 KB of it heap) over an 82 MiB
  // base (bench/gateway-load.bench.ts), so 6,000 take ~350 MiB of the 512Mi limit and ~160 MiB of
  // the 256 MiB heap, leaving room for request bodies. Node's usual 512 queued streams the pod could serve.
  UPSTREAM_MAX_SOCKETS: { default: 6_000, min: 1, max: 100_000 },
  // Shorter than LiteLLM's 5 s server keep-alive (uvicorn's default; LITELLM_FACTS.serverKeepAlive).
  UPSTREAM_IDLE_SOCKET_TIMEOUT_MS: { default: 4_000, min: 1, max: 600_000 },
  UPSTREAM_MAX_RETRIES: { default: 2, min: 0, max: 10 },
  BREAKER_FAILURE_THRESHOLD: { default: 5, min: 1, max: 1000 },
  BREAKER_COOLDOWN_MS: { default: 30_000, min: 1, max: 3_600_000 },
  SHUTDOWN_GRACE_MS: { default: 25_000, min: 0, max: 3_600_000 },
  SHUTDOWN_DELAY_MS: { default: 0, min: 0, max: 600_000 },
  // Model requests (streams included) one process serves at once. Idle streams cost little
  // memory; 10,000 is what one process was measured to hold within the pod's 512 Mi.
  AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS: { default: 10_000, min: 1, max: 1_000_000 },
  // Request body bytes one process holds at once. A body lives as its bytes, its parsed form and,
  // when the gateway changes a field, its re-encoding: about 4x on top of the ~100 MiB baseline,
  // so 64 MiB of bodies stays inside the 256 MiB heap and the pod's 512 Mi limit.
  AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES: { default: 64 * 1024 * 1024, min: 1024, max: 4 * 1024 * 1024 * 1024 },
  // A non-streamed answer is held whole before it is relayed; large embedding batches stay under this.
  AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: { default: 32 * 1024 * 1024, min: 1024, max: 1024 * 1024 * 1024 },
} as const;

export interface ConfigSources {
  readonly env: Record<string, string | undefined>;
  readonly readFile: (path: string) => string;
}

/** Reads and validates everything; lists every problem rather than stopping at the first. */
export function loadConfig({ env, readFile }: ConfigSources): ConfigResult {
  const problems: string[] = [];
  const number = (name: keyof typeof NUMERIC_SETTINGS): number => {
    const spec = NUMERIC_SETTINGS[name];
    const raw = env[name];
    if (raw === undefined || raw === "") return spec.default;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      problems.push(`${name}: must be a whole number from ${spec.min} to ${spec.max} (received "${raw}")`);
      return spec.default;
    }
    return value;
  };

  const catalogue = readCatalogue(env.GATEWAY_CONFIG, readFile, problems);
  const apiKey = readSecret(env, "LITELLM_API_KEY", readFile, problems);
  const edgeToken = readSecret(env, "EDGE_TOKEN", readFile, problems);
  if (edgeToken !== undefined && !EDGE_TOKEN_FORMAT.test(edgeToken))
    problems.push("EDGE_TOKEN: must be 32 to 512 letters, digits, - or _ (e.g. `openssl rand -hex 32`); it travels in an nginx header value");
  const vertexBaseUrl = url(env, "VERTEX_BASE_URL", undefined, problems) ?? vertexUrlFromProject(env);
  if (catalogue && !vertexBaseUrl && [...catalogue.models.values()].some((m) => m.upstream === "vertex")) {
    problems.push(
      'VERTEX_BASE_URL: models with upstream "vertex" need VERTEX_BASE_URL, or VERTEX_PROJECT (and VERTEX_LOCATION, default us-central1)',
    );
  }
  const logPrompts = env.LOG_PROMPTS ?? "false";
  const port = number("PORT");
  const metricsPort = number("METRICS_PORT");
  if (port !== 0 && port === metricsPort)
    problems.push(`METRICS_PORT: must differ from PORT (${port}): /metrics has its own listener, which only Prometheus may reach`);
  if (!["true", "false"].includes(logPrompts)) problems.push(`LOG_PROMPTS: must be "true" or "false" (received "${logPrompts}")`);

  const governance = loadGovernanceSettings(env, readFile, problems);
  if (catalogue && !env.GOVERNANCE_REDIS_URL) problems.push(...storeRequirement(catalogue.tenants.values()));

  const config = {
    port,
    metricsPort,
    host: env.HOST || "0.0.0.0",
    listenBacklog: number("LISTEN_BACKLOG"),
    catalogue: catalogue!,
    litellm: { baseUrl: url(env, "LITELLM_BASE_URL", "http://127.0.0.1:4000", problems)!, apiKey },
    vertex: { baseUrl: vertexBaseUrl },
    metadataBaseUrl: url(env, "METADATA_BASE_URL", "http://metadata.google.internal", problems)!,
    bodyLimitBytes: number("BODY_LIMIT_BYTES"),
    timeouts: {
      connectMs: number("UPSTREAM_CONNECT_TIMEOUT_MS"),
      firstByteMs: number("UPSTREAM_FIRST_BYTE_TIMEOUT_MS"),
      totalMs: number("UPSTREAM_TOTAL_TIMEOUT_MS"),
      streamIdleMs: number("STREAM_IDLE_TIMEOUT_MS"),
      streamTotalMs: number("STREAM_TOTAL_TIMEOUT_MS"),
    },
    upstreamPool: { maxSockets: number("UPSTREAM_MAX_SOCKETS"), idleSocketTimeoutMs: number("UPSTREAM_IDLE_SOCKET_TIMEOUT_MS") },
    maxRetries: number("UPSTREAM_MAX_RETRIES"),
    breaker: { failureThreshold: number("BREAKER_FAILURE_THRESHOLD"), cooldownMs: number("BREAKER_COOLDOWN_MS") },
    shutdownGraceMs: number("SHUTDOWN_GRACE_MS"),
    shutdownDelayMs: number("SHUTDOWN_DELAY_MS"),
    logPrompts: logPrompts === "true",
    admission: { maxRequests: number("AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS"), maxBodyBytes: number("AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES") },
    maxUpstreamResponseBytes: number("AI_GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES"),
    edgeToken,
    tracing: readTracingConfig(env, problems),
    governance,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** Validates a catalogue object (already parsed JSON); exported for tests and the constructs. */
export function parseCatalogue(input: unknown, problems: string[], source = "GATEWAY_CONFIG"): Catalogue | undefined {
  const parsed = CatalogueSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${source}: ${formatPath(issue.path)}: ${issue.message}`);
    }
    return undefined;
  }
  const before = problems.length;
  const data = parsed.data;
  const models = new Map<string, ModelConfig>();
  data.models.forEach((entry, index) => {
    if (models.has(entry.name)) problems.push(`${source}: models[${index}].name: "${entry.name}" is defined twice; model names must be unique`);
    models.set(entry.name, toModelConfig(entry));
  });
  data.models.forEach((entry, index) => {
    (entry.fallbacks ?? []).forEach((fallback, f) => {
      const at = `${source}: models[${index}].fallbacks[${f}]`;
      if (fallback === entry.name) problems.push(`${at}: "${entry.name}" cannot fall back to itself`);
      else if (!models.has(fallback)) problems.push(`${at}: unknown model "${fallback}"; add it to models or remove the fallback`);
    });
  });
  const weighted = parseWeightedModels(data.weightedModels ?? [], models, source, problems);
  const tenants = new Map<string, TenantConfig>();
  (data.tenants ?? []).forEach((tenant, index) => {
    if (tenants.has(tenant.name)) problems.push(`${source}: tenants[${index}].name: "${tenant.name}" is defined twice`);
    tenant.models.forEach((model, m) => {
      if (model !== "*" && !models.has(model) && !weighted.has(model))
        problems.push(`${source}: tenants[${index}].models[${m}]: unknown model "${model}"`);
    });
    tenants.set(tenant.name, {
      name: tenant.name,
      allModels: tenant.models.includes("*"),
      models: new Set(tenant.models),
      maxOutputTokens: tenant.maxOutputTokens,
      limits: tenant.limits,
      budgets: tenant.budgets && { tenant: withoutPerKey(tenant.budgets), perKey: tenant.budgets.perKey },
      apiKeys: tenant.apiKeys ?? false,
    });
  });
  if (tenants.size > 0 && data.requireConsumer === false) {
    problems.push(`${source}: requireConsumer: cannot be false while tenants are configured; tenants are identified by Kong's X-Consumer-* headers`);
  }
  if (problems.length > before) return undefined;
  return { models, weighted, tenants, requireConsumer: data.requireConsumer ?? tenants.size > 0 };
}

function withoutPerKey({ perKey: _, ...amounts }: NonNullable<TenantEntry["budgets"]>): BudgetLimits {
  return amounts;
}

function toModelConfig(entry: ModelEntry): ModelConfig {
  return {
    name: entry.name,
    upstream: entry.upstream,
    upstreamModel: entry.upstreamModel ?? entry.name,
    fallbacks: entry.fallbacks ?? [],
    maxOutputTokens: entry.limits?.maxOutputTokens,
    timeoutMs: entry.limits?.timeoutMs,
    inputPricePerMillion: entry.prices?.inputPerMillionTokens ?? 0,
    outputPricePerMillion: entry.prices?.outputPerMillionTokens ?? 0,
    ...(entry.cacheSampledAnswers ? { cacheSampledAnswers: true } : {}),
  };
}

function readCatalogue(path: string | undefined, readFile: (path: string) => string, problems: string[]): Catalogue | undefined {
  if (!path) return parseCatalogue(DEFAULT_CATALOGUE, problems);
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push(`GATEWAY_CONFIG: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`GATEWAY_CONFIG: "${path}" is not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  return parseCatalogue(json, problems);
}

/** A secret given directly (NAME) or as a mounted file (NAME_FILE), never both. */
function readSecret(
  env: Record<string, string | undefined>,
  name: string,
  readFile: (path: string) => string,
  problems: string[],
): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  if (!file) return direct || undefined;
  try {
    const value = readFile(file).trim();
    if (!value) problems.push(`${name}_FILE: "${file}" is empty`);
    return value || undefined;
  } catch (error) {
    problems.push(`${name}_FILE: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

function url(env: Record<string, string | undefined>, name: string, fallback: string | undefined, problems: string[]): string | undefined {
  const raw = env[name] || fallback;
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
    return raw.replace(/\/+$/, "");
  } catch {
    problems.push(`${name}: must be an http(s) URL (received "${raw}")`);
    return fallback;
  }
}

/** Vertex AI's OpenAI-compatible endpoint for a project and location. */
function vertexUrlFromProject(env: Record<string, string | undefined>): string | undefined {
  const project = env.VERTEX_PROJECT;
  if (!project) return undefined;
  const location = env.VERTEX_LOCATION || "us-central1";
  const host = location === "global" ? "aiplatform.googleapis.com" : `${location}-aiplatform.googleapis.com`;
  return `https://${host}/v1/projects/${project}/locations/${location}/endpoints/openapi`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`)).join("");
}
