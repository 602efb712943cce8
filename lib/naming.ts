import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "./errors";
import { isUnresolved } from "./tokens";
import { GOOGLE_PROVIDER_FACTS } from "./upstream-facts";

/** A GCP resource type whose name limits are in GOOGLE_PROVIDER_FACTS.names. */
export type NamedResourceType = keyof typeof GOOGLE_PROVIDER_FACTS.names;

/**
 * Every suffix we append to the prefix, by the resource type that carries the name. Names
 * built with {@link physicalName} must use a suffix listed here, so the prefix limit below
 * covers them.
 */
export const NAME_SUFFIXES = {
  google_service_account: ["gke-nodes", "litellm", "gateway-app", "kong", "otel"],
  google_container_cluster: ["gke"],
  google_container_node_pool: ["primary", "spot"],
  google_compute_network: ["vpc"],
  google_compute_subnetwork: ["nodes"],
  google_compute_router: ["router"],
  google_compute_router_nat: ["nat"],
  google_compute_address: ["edge"],
  google_compute_global_address: ["psa"],
  google_redis_instance: ["redis"],
  google_secret_manager_secret: [
    "litellm-master-key",
    "redis-auth",
    "openai-api-key",
    "anthropic-api-key",
    "edge-tls-cert",
    "edge-tls-key",
    "edge-token",
  ],
  google_artifact_registry_repository: ["images"],
  google_kms_key_ring: ["gke"],
  google_kms_crypto_key: ["gke-secrets"],
} as const satisfies Record<NamedResourceType, readonly string[]>;

/**
 * The longest prefix every `<prefix>-<suffix>` still fits: the tightest of (limit - 1 - suffix)
 * over NAME_SUFFIXES. Service account ids (at most 30) with `-gateway-app` decide it: 18.
 */
export const MAX_PREFIX_LENGTH = Math.min(
  ...Object.entries(NAME_SUFFIXES).flatMap(([type, suffixes]) =>
    suffixes.map((suffix) => GOOGLE_PROVIDER_FACTS.names[type as NamedResourceType].maxLength - 1 - suffix.length),
  ),
);

const PREFIX_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Throws unless `prefix` can start every physical name we derive from it. */
export function validatePrefix(scope: IConstruct, prefix: string): void {
  if (isUnresolved(prefix)) {
    throw new InvalidPropsError(scope, "prefix", "is a token", "pass a literal string: physical names are derived from it at synth time");
  }
  if (!PREFIX_PATTERN.test(prefix) || prefix.includes("--")) {
    throw new InvalidPropsError(
      scope,
      "prefix",
      `must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen ${received(prefix)}`,
      'use something like "ai-gw" or "prod-gateway"',
    );
  }
  if (prefix.length > MAX_PREFIX_LENGTH) {
    throw new InvalidPropsError(
      scope,
      "prefix",
      `is ${prefix.length} characters, more than ${MAX_PREFIX_LENGTH} ${received(prefix)}`,
      `shorten it to at most ${MAX_PREFIX_LENGTH} characters, so "<prefix>-gateway-app" fits GCP's 30-character service account ids`,
    );
  }
}

/** Throws unless `projectId` has the shape GCP requires of project ids. */
export function validateProjectId(scope: IConstruct, projectId: string, field = "projectId"): void {
  if (isUnresolved(projectId)) return;
  if (!PROJECT_ID_PATTERN.test(projectId)) {
    throw new InvalidPropsError(
      scope,
      field,
      `is not a valid GCP project id ${received(projectId)}`,
      "use 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
    );
  }
}

/** `<prefix>-<suffix>`: every physical name comes from one prefix, never a random suffix. */
export function physicalName(prefix: string, suffix: string): string {
  return `${prefix}-${suffix}`;
}

/**
 * Throws unless `name` fits the limits the provider (or the API) puts on `type`'s name, so a bad
 * name fails at synth instead of at apply. Names that are tokens are skipped.
 */
export function validatePhysicalName(scope: IConstruct | string, type: NamedResourceType, name: string, field = "name"): string {
  if (isUnresolved(name)) return name;
  const rule = GOOGLE_PROVIDER_FACTS.names[type];
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    throw new InvalidPropsError(
      scope,
      field,
      `"${name}" is ${name.length} characters; ${type}.${rule.field} takes ${rule.minLength} to ${rule.maxLength}`,
      "use a shorter prefix or name",
    );
  }
  if (!new RegExp(rule.pattern).test(name)) {
    throw new InvalidPropsError(
      scope,
      field,
      `"${name}" does not match ${rule.pattern}, the pattern of ${type}.${rule.field}`,
      "use lowercase letters, digits and hyphens, starting with a letter",
    );
  }
  return name;
}

/** `<prefix>-<suffix>` for a resource of `type`, checked against that type's name limits. */
export function checkedName<T extends NamedResourceType>(
  scope: IConstruct,
  type: T,
  prefix: string,
  suffix: (typeof NAME_SUFFIXES)[T][number],
): string {
  return validatePhysicalName(scope, type, physicalName(prefix, suffix));
}
