import type { Catalogue, ModelConfig, TenantConfig } from "./config.js";
import { GatewayError } from "./errors.js";

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
