import type { Context } from "hono";
import type { Catalogue } from "../config.js";
import { GatewayError } from "../errors.js";
import { requestHeader, type GatewayEnv } from "../middleware/request-context.js";
import { sendJson } from "../respond.js";
import type { KeyVerifier } from "../governance/keys.js";
import { isModelVisible, resolveCaller } from "../tenancy.js";

/** OpenAI's model object; `created` is fixed because the catalogue has no dates. */
function modelObject(id: string) {
  return { id, object: "model", created: 0, owned_by: "ai-gateway" };
}

/** The caller's tenant as the model endpoints resolve it, API-key callers included (their key decides it). */
async function callerTenant(c: Context<GatewayEnv>, catalogue: Catalogue, keys: KeyVerifier | undefined) {
  const { tenant, keyId } = await resolveCaller(catalogue, (name) => requestHeader(c, name), keys);
  const state = c.get("state");
  if (tenant) state.tenant = tenant.name;
  state.keyId = keyId;
  return tenant;
}

/** `GET /v1/models`: the catalogue, as much of it as the caller's tenant may use. */
export function listModels(catalogue: Catalogue, keys?: KeyVerifier) {
  return async (c: Context<GatewayEnv>) => {
    const tenant = await callerTenant(c, catalogue, keys);
    const data = [...catalogue.models.keys(), ...catalogue.weighted.keys()].filter((name) => isModelVisible(tenant, name)).map(modelObject);
    return sendJson(c, 200, { object: "list", data });
  };
}

/**
 * `GET /v1/models/{id}`: one model, or OpenAI's 404 envelope. A model the tenant may not use is
 * answered like an unknown one, so the endpoint does not tell a tenant what others have.
 */
export function retrieveModel(catalogue: Catalogue, keys?: KeyVerifier) {
  return async (c: Context<GatewayEnv>) => {
    const tenant = await callerTenant(c, catalogue, keys);
    const id = c.req.param("id") ?? "";
    if (!(catalogue.models.has(id) || catalogue.weighted.has(id)) || !isModelVisible(tenant, id))
      throw new GatewayError("model_not_found", `The model "${id}" does not exist`, { param: "model" });
    return sendJson(c, 200, modelObject(id));
  };
}
