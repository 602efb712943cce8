import { createHash } from "node:crypto";

/**
 * Weighted routing (A/B): a public model name split across catalogue models by whole-percentage
 * weights summing to 100 (checked at synth time by lib/tenants.ts validateWeightedModels).
 */
export interface Variant {
  readonly model: string;
  readonly weight: number;
}

export interface WeightedRoute {
  readonly name: string;
  readonly variants: readonly Variant[];
  /** @default - each request drawn at random */
  readonly sticky?: "tenant" | { readonly header: string };
}

export interface Assignment {
  readonly model: string;
  /** For the `variant` label and the log line: how the arm was chosen. */
  readonly by: "tenant" | "header" | "random";
}

/**
 * The variant for one request. Sticky assignment hashes the route name with the tenant (or the
 * header's value) onto [0, 100) and walks the cumulative weights, so a caller stays on one arm, and
 * raising one variant's weight from a to b moves only the callers in [a, b) — the others keep
 * their arm. A sticky header that is absent falls back to the tenant, then to a random draw.
 */
export function assignVariant(
  route: WeightedRoute,
  request: { readonly tenant?: string; readonly header: (name: Lowercase<string>) => string | undefined },
  random: () => number = Math.random,
): Assignment {
  const fromHeader = route.sticky && route.sticky !== "tenant" ? request.header(route.sticky.header.toLowerCase() as Lowercase<string>) : undefined;
  const key = fromHeader ? `h:${fromHeader}` : route.sticky && request.tenant ? `t:${request.tenant}` : undefined;
  const point = key === undefined ? random() * 100 : stickyPoint(route.name, key);
  return { model: variantAt(route.variants, point), by: fromHeader ? "header" : key ? "tenant" : "random" };
}

/** A stable point in [0, 100) for a route and a caller. */
export function stickyPoint(routeName: string, key: string): number {
  const digest = createHash("sha256").update(routeName).update("\0").update(key).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

function variantAt(variants: readonly Variant[], point: number): string {
  let upTo = 0;
  for (const variant of variants) {
    upTo += variant.weight;
    if (point < upTo) return variant.model;
  }
  return variants[variants.length - 1].model;
}
