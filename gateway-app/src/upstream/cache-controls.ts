import type { ModelConfig } from "../config.js";
import { invalidField } from "../errors.js";

/**
 * LiteLLM's response cache, per request. Its key hashes the model and the request's parameters
 * and nothing of the caller, so without a namespace two tenants sending the same prompt share
 * one cached answer. The router runs the cache in `default_off` mode: nothing is looked up or
 * stored unless the body's `cache` has `use-cache: true`, so an answer is cached only where
 * gateway-app asks, always under the tenant's namespace. In that object `namespace` prefixes the
 * key, `no-cache` skips the lookup, `no-store` the write, `s-maxage` bounds the age of an entry
 * served. A body `cache_key` would replace the key outright, and `metadata.redis_namespace`
 * pick a namespace when `cache.namespace` is absent.
 * @see LITELLM_FACTS.responseCache (lib/upstream-facts.ts) for the lines of CartoDB/litellm@dd24252a9f (LiteLLM 1.80.12).
 */

/** The controls a client may set; the rest (namespace, ttl, use-cache) are the gateway's or the deployment's. */
export const CLIENT_CACHE_CONTROLS: ReadonlySet<string> = new Set(["no-cache", "no-store", "s-maxage", "s-max-age"]);

/** What a tenant's cache entries are prefixed with (tenant names have no ":", so no tenant's prefix is another's). */
export function tenantCacheNamespace(tenant: string): string {
  return `tenant:${tenant}`;
}

export interface CacheRequest {
  readonly body: Record<string, unknown>;
  /** The client's `Cache-Control` header. */
  readonly cacheControl: string | undefined;
  /** The tenant the request is accounted to, when tenants are configured. */
  readonly tenant: string | undefined;
  readonly model: ModelConfig;
  /**
   * Only chat completions: LiteLLM does not cache the Responses API, and in `default_off` mode
   * it stores embeddings but never reads them back (its embedding lookup drops the request's `cache`).
   */
  readonly cacheable: boolean;
}

/**
 * Opts a chat completion into LiteLLM's cache (`use-cache`, the tenant's namespace) unless the
 * request samples (`temperature` above 0, or unset: the providers' default samples) and the model
 * has not opted in (`cacheSampledAnswers`), or the client opts out: `Cache-Control: no-cache` /
 * `no-store` and LiteLLM's own `cache` fields are passed on, `caching: false` keeps the call out
 * of the cache. Anything else is sent without a `cache`, so LiteLLM neither looks up nor stores.
 * Throws a 400 naming the field on a control only the gateway may set.
 */
export function applyCacheControls(request: CacheRequest, overrides: Record<string, unknown>): void {
  const { body } = request;
  refuseGatewayOwnedFields(body);
  const client = clientControls(body.cache);
  if (body.caching !== undefined && typeof body.caching !== "boolean") throw invalidField("caching", "caching must be true or false");
  if ("caching" in body) overrides.caching = undefined;
  const sampledOff = isSampled(body.temperature) && request.model.cacheSampledAnswers !== true;
  // Only LiteLLM has the cache; a direct upstream would get fields it does not know.
  if (request.model.upstream !== "litellm" || !request.cacheable || sampledOff || body.caching === false) {
    if ("cache" in body) overrides.cache = undefined;
    return;
  }
  const header = headerDirectives(request.cacheControl);
  overrides.cache = {
    ...client,
    "use-cache": true,
    ...(request.tenant !== undefined ? { namespace: tenantCacheNamespace(request.tenant) } : {}),
    ...(header.has("no-cache") ? { "no-cache": true } : {}),
    ...(header.has("no-store") ? { "no-store": true } : {}),
  };
}

function refuseGatewayOwnedFields(body: Record<string, unknown>): void {
  if ("cache_key" in body) throw invalidField("cache_key", "cache_key is set by the gateway; remove it");
  const metadata = body.metadata;
  if (metadata !== null && typeof metadata === "object" && "redis_namespace" in metadata)
    throw invalidField("metadata.redis_namespace", "metadata.redis_namespace is set by the gateway: each tenant has its own cache; remove it");
}

/** The client's `cache` object, checked: only the opt-outs and a maximum age. */
function clientControls(cache: unknown): Record<string, boolean | number> {
  if (cache === undefined) return {};
  if (cache === null || typeof cache !== "object" || Array.isArray(cache))
    throw invalidField("cache", 'cache must be an object such as {"no-cache": true}');
  const controls: Record<string, boolean | number> = {};
  for (const [key, value] of Object.entries(cache)) {
    if (!CLIENT_CACHE_CONTROLS.has(key))
      throw invalidField(
        `cache.${key}`,
        key === "namespace"
          ? "cache.namespace is set by the gateway: each tenant has its own cache; remove it"
          : `cache.${key} is not a control clients may set; use no-cache, no-store or s-maxage`,
      );
    const ok = key.startsWith("no-") ? typeof value === "boolean" : typeof value === "number" && Number.isFinite(value) && value >= 0;
    if (!ok)
      throw invalidField(`cache.${key}`, `cache.${key} must be ${key.startsWith("no-") ? "true or false" : "a number of seconds of at least 0"}`);
    controls[key] = value as boolean | number;
  }
  return controls;
}

/** `no-cache` and `no-store` of a Cache-Control request header (RFC 9111 5.2.1), case-insensitive. */
function headerDirectives(header: string | undefined): ReadonlySet<string> {
  if (!header) return new Set();
  return new Set(header.split(",").map((directive) => directive.trim().split("=")[0].toLowerCase()));
}

/** Unset counts as sampling: Gemini's and OpenAI's default temperature is 1. */
function isSampled(temperature: unknown): boolean {
  return !(typeof temperature === "number" && temperature === 0);
}
