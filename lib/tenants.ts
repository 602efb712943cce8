import type { IConstruct } from "constructs";
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

/** A public model name that splits traffic across catalogue models by weight (A/B). */
export interface WeightedModel {
  readonly name: string;
  /** Weights are whole percentages summing to 100. */
  readonly variants: readonly { readonly model: string; readonly weight: number }[];
  /**
   * What keeps a caller on one variant: "tenant" (every request of a tenant), or a request header
   * (e.g. a user or session id). @default - each request drawn at random
   */
  readonly sticky?: "tenant" | { readonly header: string };
}

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
export function validateWeightedModels(scope: IConstruct | string, weighted: readonly WeightedModel[], modelNames: readonly string[]): void {
  const known = new Set(modelNames);
  const names = new Set(weighted.map((w) => w.name));
  weighted.forEach((entry, index) => {
    const at = `weightedModels[${index}]`;
    if (known.has(entry.name))
      throw new InvalidPropsError(scope, `${at}.name`, `"${entry.name}" is already a catalogue model`, "give the weighted model its own public name");
    if (entry.variants.length < 2)
      throw new InvalidPropsError(scope, `${at}.variants`, `has ${entry.variants.length} variant(s)`, "list at least two models to split between");
    let sum = 0;
    entry.variants.forEach((variant, v) => {
      const field = `${at}.variants[${v}]`;
      if (!known.has(variant.model)) {
        const why = names.has(variant.model) ? "is itself a weighted model" : "names an unknown model";
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
    const sticky = entry.sticky;
    if (sticky && sticky !== "tenant" && !HEADER_NAME.test(sticky.header))
      throw new InvalidPropsError(
        scope,
        `${at}.sticky.header`,
        `is not an HTTP header name ${received(sticky.header)}`,
        'use a token such as "x-session-id"',
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
