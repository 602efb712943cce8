import type { Catalogue, ModelConfig, TenantConfig } from "./config.js";
import { GatewayError } from "./errors.js";
import { keyRefusal } from "./governance/governor.js";
import type { KeyVerifier } from "./governance/keys.js";
import { refusalError } from "./governance/request-path.js";

/** The tenant a request is accounted to, and the API key it presented (its id: never the key). */
export interface Caller {
  readonly tenant: TenantConfig | undefined;
  readonly keyId?: string;
}

type HeaderOf = (name: Lowercase<string>) => string | undefined;

/**
 * A caller authenticated by Kong's jwt plugin carries its tenant in X-Consumer-Username. One
 * without a JWT passes as the plugin's anonymous consumer, which Kong marks with
 * `X-Anonymous-Consumer: true` and clears when a JWT was verified (Kong/kong@3.9.1
 * kong/plugins/jwt/handler.lua:139-143, set_consumer; the header name from kong/constants.lua:127):
 * its tenant comes from the API key it presents, never from the anonymous consumer's name.
 */
export async function resolveCaller(catalogue: Catalogue, header: HeaderOf, keys: KeyVerifier | undefined): Promise<Caller> {
  if (header("x-anonymous-consumer") !== "true") return { tenant: resolveTenant(catalogue, header) };
  if (catalogue.tenants.size === 0 && !catalogue.requireConsumer) return { tenant: undefined };
  const presented = bearerToken(header("authorization"));
  if (presented === undefined) {
    throw new GatewayError(
      "consumer_required",
      "No credentials: send a JWT, or an API key, as the Authorization header (Authorization: Bearer sk-gw-<id>_<secret>)",
    );
  }
  if (!keys) throw new GatewayError("invalid_api_key", "This gateway does not accept API keys in the Authorization header; authenticate with a JWT");
  const checked = keys.verify(presented);
  const verified = checked instanceof Promise ? await checked : checked;
  if (!verified.ok) throw refusalError(keyRefusal(verified));
  const tenant = catalogue.tenants.get(verified.tenant);
  if (!tenant?.apiKeys) {
    throw new GatewayError("invalid_api_key", `API key ${verified.keyId} is not accepted here: its tenant does not authenticate with API keys`);
  }
  return { tenant, keyId: verified.keyId };
}

/** The credential of `Authorization: Bearer <credential>`; a header in any other form counts as the credential itself. */
function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match ? match[1] : authorization;
}

/**
 * Who is calling, from the headers Kong sets after authenticating the caller. Kong strips
 * client-supplied X-Consumer-* headers, and only Kong can reach gateway-app in the cluster.
 */
export function resolveTenant(catalogue: Catalogue, header: (name: Lowercase<string>) => string | undefined): TenantConfig | undefined {
  const username = header("x-consumer-username");
  const customId = header("x-consumer-custom-id");
  if (!username && !customId) {
    if (catalogue.requireConsumer)
      throw new GatewayError("consumer_required", "No consumer identity: requests must come through the gateway's edge with a valid token");
    return undefined;
  }
  if (catalogue.tenants.size === 0) return undefined;
  const tenant = (username && catalogue.tenants.get(username)) || (customId && catalogue.tenants.get(customId)) || undefined;
  if (!tenant) throw new GatewayError("model_not_allowed", `Consumer "${username ?? customId}" is not a configured tenant`);
  return tenant;
}

/** The catalogue entry for a requested model, if this tenant may use it. */
export function authorizeModel(catalogue: Catalogue, tenant: TenantConfig | undefined, name: string): ModelConfig {
  const model = catalogue.models.get(name);
  if (!model) throw new GatewayError("model_not_found", `The model "${name}" does not exist`, { param: "model" });
  authorizeName(tenant, name);
  return model;
}

/** Throws unless this tenant may use the public name (a model's or a weighted one's). */
export function authorizeName(tenant: TenantConfig | undefined, name: string): void {
  if (tenant && !tenant.allModels && !tenant.models.has(name)) {
    throw new GatewayError("model_not_allowed", `Tenant "${tenant.name}" may not use the model "${name}"`, { param: "model" });
  }
}

export function isModelVisible(tenant: TenantConfig | undefined, name: string): boolean {
  return !tenant || tenant.allModels || tenant.models.has(name);
}

/** The tightest of the model's and the tenant's max_tokens caps. */
export function outputTokenCap(model: ModelConfig, tenant: TenantConfig | undefined): number | undefined {
  const fromModel = model.maxOutputTokens;
  const fromTenant = tenant?.maxOutputTokens;
  if (fromModel === undefined) return fromTenant;
  return fromTenant === undefined ? fromModel : Math.min(fromModel, fromTenant);
}
