import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "./errors";

/**
 * Labels every resource we create carries, so costs and ownership can be traced. Underscores,
 * not hyphens: cdktf snake-cases the keys of provider-level maps (`default_labels`), and the
 * resource labels must match them.
 */
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  managed_by: "cdktf",
  part_of: "ai-gateway",
};

// GCP label keys and values: lowercase letters, digits, '_' and '-'; keys start with a letter; both at most 63 characters.
const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE_PATTERN = /^[a-z0-9_-]{0,63}$/;

/** Merges user labels over ours after checking they are valid GCP labels. */
export function gcpLabels(scope: IConstruct, userLabels: Record<string, string> = {}, field = "labels"): Record<string, string> {
  for (const [key, value] of Object.entries(userLabels)) {
    if (!LABEL_KEY_PATTERN.test(key)) {
      throw new InvalidPropsError(
        scope,
        `${field}.${key}`,
        `is not a valid GCP label key ${received(key)}`,
        "use lowercase letters, digits, '_' or '-', starting with a letter, at most 63 characters",
      );
    }
    if (!LABEL_VALUE_PATTERN.test(value)) {
      throw new InvalidPropsError(
        scope,
        `${field}.${key}`,
        `has a value GCP rejects ${received(value)}`,
        "use lowercase letters, digits, '_' or '-', at most 63 characters",
      );
    }
  }
  return { ...MANAGED_BY_LABELS, ...userLabels };
}

/** Kubernetes recommended labels every object we render carries. */
export const KUBERNETES_COMMON_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/part-of": "ai-gateway",
  "app.kubernetes.io/managed-by": "cdktf",
};

/**
 * The pod label our NetworkPolicies and Prometheus select Kong by. Kong's chart owns the
 * `app.kubernetes.io/*` pod labels (its Deployment selector, Service and PDB rely on them), so
 * the edge is selected by a key the chart never sets.
 */
export const EDGE_TIER_LABELS: Readonly<Record<string, string>> = { "ai-gateway/tier": "edge" };
