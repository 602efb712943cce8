import type { IConstruct } from "constructs";
import { PUBLIC_MODEL_NAME } from "./catalogue";
import { InvalidPropsError, received } from "./errors";

/**
 * A tenant of the gateway, as the `tenants` prop of the gateway constructs will take it (issue
 * #14): one Kong consumer, one gateway-app catalogue tenant, one label in metrics, logs and cost.
 * Pure data and its validation; the constructs render it.
 */
export interface TenantSpec {
  /**
   * The Kong consumer username, gateway-app's tenant and the `tenant` label: letters, digits,
   * `.`, `_`, `-` (what Kong and gateway-app both accept), at most 128.
   */
  readonly name: string;
  /** Catalogue model names (public names, weighted ones included) the tenant may call; `["*"]` for all. */
  readonly models: readonly string[];
  /** @default - no per-tenant limits beyond Kong's per-consumer ones */
  readonly limits?: TenantLimits;
  /** @default - no budgets: spend is counted, never refused */
  readonly budgets?: TenantBudgets;
  readonly credentials: TenantCredentials;
}

export interface TenantLimits {
  /** Shared across replicas in Memorystore. @default - no limit */
  readonly requestsPerMinute?: number;
  /** Prompt bound plus max_tokens at admission, corrected to usage after. @default - no limit */
  readonly tokensPerMinute?: number;
  /** Cap on a request's `max_tokens`. @default - the model's cap */
  readonly maxOutputTokens?: number;
}

export interface BudgetAmounts {
  /** @default - no daily USD budget */
  readonly usdPerDay?: number;
  /** @default - no monthly USD budget */
  readonly usdPerMonth?: number;
  /** @default - no daily token budget */
  readonly tokensPerDay?: number;
  /** @default - no monthly token budget */
  readonly tokensPerMonth?: number;
}

export interface TenantBudgets extends BudgetAmounts {
  /** Applied to each of the tenant's API keys on its own. @default - no per-key budget */
  readonly perKey?: BudgetAmounts;
}

export interface JwtCredential {
  /** PEM public key (RSA, at least 2048 bits) verifying the tenant's RS256 tokens. */
  readonly rsaPublicKey: string;
  /** Expected `iss` claim. @default - the tenant name */
  readonly issuer?: string;
}

export interface TenantCredentials {
  /** @default [] */
  readonly jwt?: readonly JwtCredential[];
  /** Callers may use API keys issued with `npm run keys`. @default false */
  readonly apiKeys?: boolean;
}

/**
 * A public model name that splits traffic across catalogue models by weight (A/B). gateway-app
 * assigns each request an arm (a variant), serves it with that model's own fallbacks and retries,
 * and labels the request's metrics and log line with the arm (`variant`).
 */
export interface WeightedModel {
  /** The public name clients send as `model`; not the name of a catalogue model. */
  readonly name: string;
  /** Catalogue models (at least two, each once) and their weights: whole percentages summing to 100. */
  readonly variants: readonly WeightedVariant[];
  /**
   * What keeps a caller on one variant: "tenant" (every request of a tenant), or a request header
   * (e.g. a user or session id; its value is hashed, never logged). A sticky header that is absent
   * falls back to the tenant, then to a random draw.
   * @default - each request drawn at random
   */
  readonly sticky?: "tenant" | { readonly header: string };
  /**
   * "weights": every request drawn by the weights (and `sticky`). "cheapest-within-latency": the
   * cheapest variant whose recent p95 latency meets `latencyObjective`, the weights while no
   * variant is known to meet it (README "Weighted routing" says exactly how it decides).
   * @default "weights"
   */
  readonly strategy?: "weights" | "cheapest-within-latency";
  /** What "fast enough" means for `strategy: "cheapest-within-latency"`; required with it, refused without. @default - none */
  readonly latencyObjective?: LatencyObjective;
}

export interface WeightedVariant {
  /** A catalogue model's public name. */
  readonly model: string;
  /** Share of the traffic in whole percent, 1 to 100. */
  readonly weight: number;
}

/** A latency objective over a window kept in each gateway-app replica's memory. */
export interface LatencyObjective {
  /** p95 a variant must meet for non-streamed requests: milliseconds to the whole answer. */
  readonly p95Ms: number;
  /** p95 a variant must meet for streams: milliseconds to the first token. @default - p95Ms */
  readonly firstTokenP95Ms?: number;
  /** How far back the p95 looks. @default 5 */
  readonly windowMinutes?: number;
  /** Samples a variant needs in the window before it is judged at all. @default 20 */
  readonly minSamples?: number;
  /** Share of requests still drawn by the weights, so that every variant keeps fresh samples. @default 10 */
  readonly explorePercent?: number;
}

/** What validateWeightedModels needs of a catalogue model. */
export interface WeightedCatalogueModel {
  readonly name: string;
  readonly mode?: "chat" | "embedding";
  readonly prices?: { readonly inputPerMillionTokens?: number; readonly outputPerMillionTokens?: number };
}

/**
 * The Kong consumer of requests without a valid JWT when a tenant has API keys: Kong sends its
 * username with `X-Anonymous-Consumer: true`, and gateway-app then requires an API key.
 */
export const API_KEY_CONSUMER = "api-key-caller";

const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/;
const BUDGET_FIELDS = ["usdPerDay", "usdPerMonth", "tokensPerDay", "tokensPerMonth"] as const;

/** Throws an InvalidPropsError naming the first wrong field, e.g. `tenants[1].budgets.usdPerDay`. */
export function validateTenants(scope: IConstruct | string, tenants: readonly TenantSpec[], modelNames: readonly string[]): void {
  const known = new Set(modelNames);
  const issuers = new Map<string, string>();
  tenants.forEach((tenant, index) => {
    const at = `tenants[${index}]`;
    if (!TENANT_NAME.test(tenant.name))
      throw new InvalidPropsError(
        scope,
        `${at}.name`,
        `is not a valid tenant name ${received(tenant.name)}`,
        "use 1-128 letters, digits, . _ -, starting with a letter or digit",
      );
    if (tenant.name === API_KEY_CONSUMER)
      throw new InvalidPropsError(
        scope,
        `${at}.name`,
        `"${API_KEY_CONSUMER}" is the Kong consumer of every API-key caller, so metrics and logs could not tell this tenant from it`,
        "give the tenant another name",
      );
    const first = tenants.findIndex((t) => t.name === tenant.name);
    if (first !== index)
      throw new InvalidPropsError(scope, `${at}.name`, `"${tenant.name}" is already tenants[${first}]`, "give every tenant its own name");
    validateModels(scope, at, tenant.models, known);
    validateLimits(scope, `${at}.limits`, tenant.limits);
    validateBudgets(scope, `${at}.budgets`, tenant.budgets);
    if (tenant.budgets?.perKey) {
      if (!tenant.credentials.apiKeys)
        throw new InvalidPropsError(
          scope,
          `${at}.budgets.perKey`,
          "is set but the tenant has no API keys",
          "set credentials.apiKeys: true, or remove budgets.perKey",
        );
      validateBudgets(scope, `${at}.budgets.perKey`, tenant.budgets.perKey);
    }
    validateCredentials(scope, `${at}.credentials`, tenant, issuers);
  });
}

function validateModels(scope: IConstruct | string, at: string, models: readonly string[], known: ReadonlySet<string>): void {
  if (models.length === 0) throw new InvalidPropsError(scope, `${at}.models`, "is empty", 'list the models the tenant may call, or ["*"] for all');
  if (models.includes("*") && models.length > 1)
    throw new InvalidPropsError(scope, `${at}.models`, `mixes "*" with model names ${received(models)}`, 'use ["*"] alone, or list names only');
  models.forEach((model, m) => {
    if (model !== "*" && !known.has(model))
      throw new InvalidPropsError(
        scope,
        `${at}.models[${m}]`,
        `names an unknown model "${model}"`,
        `use one of ${[...known].map((k) => `"${k}"`).join(", ")}`,
      );
  });
}

function validateLimits(scope: IConstruct | string, at: string, limits: TenantLimits | undefined): void {
  for (const field of ["requestsPerMinute", "tokensPerMinute", "maxOutputTokens"] as const) {
    const value = limits?.[field];
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new InvalidPropsError(scope, `${at}.${field}`, `must be a whole number above 0 ${received(value)}`, `remove ${field} for no limit`);
  }
}

function validateBudgets(scope: IConstruct | string, at: string, budgets: BudgetAmounts | undefined): void {
  for (const field of BUDGET_FIELDS) {
    const value = budgets?.[field];
    if (value === undefined) continue;
    const whole = field.startsWith("tokens");
    if (!Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value)))
      throw new InvalidPropsError(
        scope,
        `${at}.${field}`,
        `must be ${whole ? "a whole number" : "a number"} of 0 or more ${received(value)}`,
        `remove ${field} for no budget; 0 blocks every call`,
      );
  }
  const perDay = budgets?.usdPerDay;
  const perMonth = budgets?.usdPerMonth;
  if (perDay !== undefined && perMonth !== undefined && perDay > perMonth)
    throw new InvalidPropsError(
      scope,
      `${at}.usdPerDay`,
      `(${perDay}) is more than usdPerMonth (${perMonth}), so it never binds`,
      "lower usdPerDay or raise usdPerMonth",
    );
}

function validateCredentials(scope: IConstruct | string, at: string, tenant: TenantSpec, issuers: Map<string, string>): void {
  const jwt = tenant.credentials.jwt ?? [];
  if (jwt.length === 0 && !tenant.credentials.apiKeys)
    throw new InvalidPropsError(
      scope,
      at,
      "gives the tenant no way to authenticate",
      "add credentials.jwt (RS256 public keys) or set credentials.apiKeys: true",
    );
  jwt.forEach((credential, j) => {
    const field = `${at}.jwt[${j}]`;
    const pem = credential.rsaPublicKey.trim();
    if (pem.includes("PRIVATE KEY"))
      throw new InvalidPropsError(
        scope,
        `${field}.rsaPublicKey`,
        "holds a private key, which would end up in Terraform state",
        "pass only the public half (openssl pkey -pubout)",
      );
    if (!PEM_PUBLIC_KEY.test(pem))
      throw new InvalidPropsError(
        scope,
        `${field}.rsaPublicKey`,
        "is not a PEM public key",
        "pass the RS256 public key (-----BEGIN PUBLIC KEY-----)",
      );
    const issuer = credential.issuer ?? tenant.name;
    const owner = issuers.get(issuer);
    if (owner !== undefined)
      throw new InvalidPropsError(
        scope,
        `${field}.issuer`,
        `"${issuer}" is already an issuer of tenant "${owner}"`,
        "give every JWT credential its own issuer (Kong keys JWT secrets by it)",
      );
    issuers.set(issuer, tenant.name);
  });
}

/** Throws an InvalidPropsError naming the wrong field, e.g. `weightedModels[0].variants[1].weight`. */
export function validateWeightedModels(
  scope: IConstruct | string,
  weighted: readonly WeightedModel[],
  models: readonly WeightedCatalogueModel[],
): void {
  const known = new Map(models.map((m) => [m.name, m]));
  const names = new Set(weighted.map((w) => w.name));
  weighted.forEach((entry, index) => {
    const at = `weightedModels[${index}]`;
    if (!PUBLIC_MODEL_NAME.test(entry.name))
      throw new InvalidPropsError(
        scope,
        `${at}.name`,
        `is not a valid model name ${received(entry.name)}`,
        "use 1-128 letters, digits or . _ : / @ -",
      );
    if (known.has(entry.name))
      throw new InvalidPropsError(scope, `${at}.name`, `"${entry.name}" is already a catalogue model`, "give the weighted model its own public name");
    const first = weighted.findIndex((w) => w.name === entry.name);
    if (first !== index)
      throw new InvalidPropsError(
        scope,
        `${at}.name`,
        `"${entry.name}" is already weightedModels[${first}]`,
        "give every weighted model its own name",
      );
    validateVariants(scope, at, entry, known, names);
    validateSticky(scope, at, entry);
    validateStrategy(scope, at, entry, known);
  });
}

function validateVariants(
  scope: IConstruct | string,
  at: string,
  entry: WeightedModel,
  known: ReadonlyMap<string, WeightedCatalogueModel>,
  weightedNames: ReadonlySet<string>,
): void {
  if (entry.variants.length < 2)
    throw new InvalidPropsError(scope, `${at}.variants`, `has ${entry.variants.length} variant(s)`, "list at least two models to split between");
  let sum = 0;
  entry.variants.forEach((variant, v) => {
    const field = `${at}.variants[${v}]`;
    if (!known.has(variant.model)) {
      const why = weightedNames.has(variant.model) ? "is itself a weighted model" : "names an unknown model";
      throw new InvalidPropsError(scope, `${field}.model`, `${why} "${variant.model}"`, "use a catalogue model name");
    }
    if (entry.variants.findIndex((other) => other.model === variant.model) !== v)
      throw new InvalidPropsError(scope, `${field}.model`, `"${variant.model}" is listed twice`, "list each model once and add up its weight");
    if (!(Number.isInteger(variant.weight) && variant.weight > 0 && variant.weight <= 100))
      throw new InvalidPropsError(
        scope,
        `${field}.weight`,
        `must be a whole percentage from 1 to 100 ${received(variant.weight)}`,
        "remove a variant that should get no traffic",
      );
    sum += variant.weight;
  });
  if (sum !== 100)
    throw new InvalidPropsError(
      scope,
      `${at}.variants`,
      `weights sum to ${sum}`,
      `make them sum to 100 (${entry.variants.map((v) => `${v.model}=${v.weight}`).join(", ")})`,
    );
  const modes = new Set(entry.variants.map((v) => known.get(v.model)?.mode ?? "chat"));
  if (modes.size > 1)
    throw new InvalidPropsError(
      scope,
      `${at}.variants`,
      "mix chat and embedding models",
      "split one kind of model: a client of the public name sends one kind of request",
    );
}

function validateSticky(scope: IConstruct | string, at: string, entry: WeightedModel): void {
  const sticky: unknown = entry.sticky;
  if (sticky === undefined || sticky === "tenant") return;
  const header = (sticky as { header?: unknown }).header;
  if (typeof sticky !== "object" || typeof header !== "string")
    throw new InvalidPropsError(
      scope,
      `${at}.sticky`,
      `must be "tenant" or { header } ${received(sticky)}`,
      'use "tenant" or { header: "x-session-id" }',
    );
  if (!HEADER_NAME.test(header))
    throw new InvalidPropsError(scope, `${at}.sticky.header`, `is not an HTTP header name ${received(header)}`, 'use a token such as "x-session-id"');
}

function validateStrategy(scope: IConstruct | string, at: string, entry: WeightedModel, known: ReadonlyMap<string, WeightedCatalogueModel>): void {
  const strategy = entry.strategy ?? "weights";
  if (strategy !== "weights" && strategy !== "cheapest-within-latency")
    throw new InvalidPropsError(scope, `${at}.strategy`, `is not a strategy ${received(strategy)}`, 'use "weights" or "cheapest-within-latency"');
  const objective = entry.latencyObjective;
  if (strategy === "weights") {
    if (objective)
      throw new InvalidPropsError(
        scope,
        `${at}.latencyObjective`,
        'is set but strategy is "weights", which ignores it',
        'set strategy: "cheapest-within-latency", or remove latencyObjective',
      );
    return;
  }
  if (!objective)
    throw new InvalidPropsError(scope, `${at}.latencyObjective`, "is missing", "say what p95 a variant must meet, e.g. { p95Ms: 3000 }");
  if (entry.sticky !== undefined)
    throw new InvalidPropsError(
      scope,
      `${at}.sticky`,
      'cannot be combined with strategy "cheapest-within-latency", which moves callers to whichever arm is cheapest and fast enough',
      'remove sticky, or use strategy "weights"',
    );
  const bounds = {
    p95Ms: [1, 3_600_000],
    firstTokenP95Ms: [1, 3_600_000],
    windowMinutes: [1, 60],
    minSamples: [1, 10_000],
    explorePercent: [0, 50],
  } as const;
  for (const [field, [min, max]] of Object.entries(bounds) as [keyof LatencyObjective, readonly [number, number]][]) {
    const value = objective[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max))
      throw new InvalidPropsError(
        scope,
        `${at}.latencyObjective.${field}`,
        `must be a whole number from ${min} to ${max} ${received(value)}`,
        field === "p95Ms" ? "give the objective in milliseconds" : `remove ${field} for its default`,
      );
  }
  entry.variants.forEach((variant, v) => {
    const prices = known.get(variant.model)?.prices;
    if (prices?.inputPerMillionTokens === undefined && prices?.outputPerMillionTokens === undefined)
      throw new InvalidPropsError(
        scope,
        `${at}.variants[${v}].model`,
        `"${variant.model}" has no prices, so "cheapest-within-latency" cannot rank it`,
        `set prices on the catalogue model "${variant.model}"`,
      );
  });
}

/**
 * The Kong consumer of each tenant that signs JWTs: username = tenant name (what Kong sends as
 * X-Consumer-Username and gateway-app takes as the tenant), one jwt_secrets entry per key.
 * Tenants with API keys only have no consumer: Kong never sees their keys.
 */
export function tenantConsumers(tenants: readonly TenantSpec[]): {
  username: string;
  issuer: string;
  rsaPublicKey: string;
  additionalKeys: { issuer: string; rsaPublicKey: string }[];
}[] {
  return tenants.flatMap((tenant) => {
    const [first, ...more] = (tenant.credentials.jwt ?? []).map((jwt) => ({ issuer: jwt.issuer ?? tenant.name, rsaPublicKey: jwt.rsaPublicKey }));
    return first ? [{ username: tenant.name, ...first, additionalKeys: more }] : [];
  });
}

/**
 * Whether gateway-app needs Memorystore for governance: some tenant has a per-minute limit, a
 * budget or API keys (maxOutputTokens alone is enforced without a store).
 */
export function tenantsNeedGovernanceStore(tenants: readonly TenantSpec[]): boolean {
  return tenants.some(
    (t) =>
      t.limits?.requestsPerMinute !== undefined ||
      t.limits?.tokensPerMinute !== undefined ||
      t.budgets !== undefined ||
      t.credentials.apiKeys === true,
  );
}
