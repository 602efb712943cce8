import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "./errors";
import { isUnresolved } from "./tokens";

/**
 * The longest prefix we accept. Derived from the tightest GCP limit we build names for:
 * service account ids are 6 to 30 characters and the longest suffix we append is
 * `-gke-nodes` (10), which leaves 20.
 */
export const MAX_PREFIX_LENGTH = 20;

const PREFIX_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Throws unless `prefix` can start every physical name we derive from it. */
export function validatePrefix(scope: IConstruct, prefix: string): void {
  if (isUnresolved(prefix)) {
    throw new InvalidPropsError(scope, "prefix", "is a token", "pass a literal string: physical names are derived from it at synth time");
  }
  if (!PREFIX_PATTERN.test(prefix) || prefix.includes("--")) {
    throw new InvalidPropsError(scope, "prefix", `must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen ${received(prefix)}`, 'use something like "ai-gw" or "prod-gateway"');
  }
  if (prefix.length > MAX_PREFIX_LENGTH) {
    throw new InvalidPropsError(scope, "prefix", `is ${prefix.length} characters, more than ${MAX_PREFIX_LENGTH} ${received(prefix)}`, `shorten it to at most ${MAX_PREFIX_LENGTH} characters; GCP service account ids are limited to 30`);
  }
}

/** Throws unless `projectId` has the shape GCP requires of project ids. */
export function validateProjectId(scope: IConstruct, projectId: string, field = "projectId"): void {
  if (isUnresolved(projectId)) return;
  if (!PROJECT_ID_PATTERN.test(projectId)) {
    throw new InvalidPropsError(scope, field, `is not a valid GCP project id ${received(projectId)}`, "use 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen");
  }
}

/** `<prefix>-<suffix>`: every physical name comes from one prefix, never a random suffix. */
export function physicalName(prefix: string, suffix: string): string {
  return `${prefix}-${suffix}`;
}
