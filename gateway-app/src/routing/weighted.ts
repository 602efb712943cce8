import { z } from "zod";
import type { Catalogue, ModelConfig, TenantConfig } from "../config.js";
import { invalidField } from "../errors.js";
import { assignVariant, type Assignment, type WeightedRoute } from "../governance/variants.js";
import { authorizeModel, authorizeName } from "../tenancy.js";
import { CheapestWithinLatency, type LatencyObjective } from "./cheapest.js";

/**
 * A public model name split across catalogue models (GATEWAY_CONFIG `weightedModels`, rendered by
 * lib/catalogue.ts from GatewaySpec `weightedModels` and checked there at synth time the same way).
 */
export const WeightedModelSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/, "must be 1-128 letters, digits or . _ : / @ -"),
    /** Whole percentages summing to 100, each model once. */
    variants: z
      .array(z.object({ model: z.string().min(1), weight: z.number().int().min(1).max(100) }).strict())
      .min(2, "list at least two models to split between"),
    /** @default - each request drawn at random */
    sticky: z.union([z.literal("tenant"), z.object({ header: z.string() }).strict()]).optional(),
    /** @default "weights" */
    strategy: z.enum(["weights", "cheapest-within-latency"]).optional(),
    /** Required with cheapest-within-latency, refused without. */
    latencyObjective: z
      .object({
        p95Ms: z.number().int().min(1).max(3_600_000),
        /** @default - p95Ms */
        firstTokenP95Ms: z.number().int().min(1).max(3_600_000).optional(),
        /** @default 5 */
        windowMinutes: z.number().int().min(1).max(60).optional(),
        /** @default 20 */
        minSamples: z.number().int().min(1).max(10_000).optional(),
        /** @default 10 */
        explorePercent: z.number().int().min(0).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

// RFC 9110's token; checked here rather than in the schema, where a union's error loses the field.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export type WeightedModelEntry = z.infer<typeof WeightedModelSchema>;

export interface WeightedRouteConfig extends WeightedRoute {
  readonly strategy: "weights" | "cheapest-within-latency";
  readonly objective?: LatencyObjective;
}

/**
 * The checks zod cannot make, as lib/tenants.ts validateWeightedModels makes them: known and
 * distinct variants, weights summing to 100, no clash with a model, a strategy with its objective.
 */
export function parseWeightedModels(
  entries: readonly WeightedModelEntry[],
  models: ReadonlyMap<string, ModelConfig>,
  source: string,
  problems: string[],
): Map<string, WeightedRouteConfig> {
  const routes = new Map<string, WeightedRouteConfig>();
  const names = new Set(entries.map((e) => e.name));
  entries.forEach((entry, index) => {
    const at = `${source}: weightedModels[${index}]`;
    if (models.has(entry.name)) problems.push(`${at}.name: "${entry.name}" is already a model; give the weighted model its own public name`);
    if (routes.has(entry.name)) problems.push(`${at}.name: "${entry.name}" is defined twice`);
    entry.variants.forEach((variant, v) => {
      const field = `${at}.variants[${v}].model`;
      if (!models.has(variant.model))
        problems.push(
          `${field}: ${names.has(variant.model) ? "is itself a weighted model" : "unknown model"} "${variant.model}"; use a model's name`,
        );
      else if (entry.variants.findIndex((other) => other.model === variant.model) !== v)
        problems.push(`${field}: "${variant.model}" is listed twice`);
    });
    const sum = entry.variants.reduce((total, v) => total + v.weight, 0);
    if (sum !== 100) problems.push(`${at}.variants: weights sum to ${sum}; make them sum to 100`);
    const cheapest = entry.strategy === "cheapest-within-latency";
    if (cheapest && !entry.latencyObjective) problems.push(`${at}.latencyObjective: is required with strategy "cheapest-within-latency"`);
    if (!cheapest && entry.latencyObjective) problems.push(`${at}.latencyObjective: is set but strategy is "weights", which ignores it`);
    if (typeof entry.sticky === "object" && !HEADER_NAME.test(entry.sticky.header))
      problems.push(`${at}.sticky.header: is not an HTTP header name ("${entry.sticky.header}"); use a token such as "x-session-id"`);
    if (cheapest && entry.sticky) problems.push(`${at}.sticky: cannot be combined with strategy "cheapest-within-latency"`);
    routes.set(entry.name, {
      name: entry.name,
      variants: entry.variants,
      sticky: entry.sticky,
      strategy: entry.strategy ?? "weights",
      objective: entry.latencyObjective && {
        p95Ms: entry.latencyObjective.p95Ms,
        firstTokenP95Ms: entry.latencyObjective.firstTokenP95Ms ?? entry.latencyObjective.p95Ms,
        windowMs: (entry.latencyObjective.windowMinutes ?? 5) * 60_000,
        minSamples: entry.latencyObjective.minSamples ?? 20,
        explorePercent: entry.latencyObjective.explorePercent ?? 10,
      },
    });
  });
  return routes;
}

/** The arm a request was given: the `variant` label and log field, and what the cost-aware window learns from. */
export interface VariantChoice {
  /** The public (weighted) name requested. */
  readonly route: string;
  /** The variant's model: the arm, whichever model of its fallback chain served. */
  readonly model: string;
  readonly by: Assignment["by"] | "cheapest";
  readonly stream: boolean;
  /** Set by the stream relay at the first token. */
  firstTokenSeconds?: number;
}

/** A sticky header value is hashed, never stored; longer than this it is refused rather than hashed. */
const MAX_STICKY_VALUE_LENGTH = 256;

/**
 * Resolves a requested name to the model that serves it: a catalogue model as it is, or a
 * weighted name's variant, assigned by weight (sticky when asked) or by the cost-aware rule.
 * One per app: the cost-aware windows live in this process.
 */
export class VariantRouter {
  private readonly cheapest: CheapestWithinLatency;

  constructor(
    private readonly catalogue: Catalogue,
    options: { readonly now: () => number; readonly random?: () => number },
  ) {
    this.random = options.random ?? Math.random;
    this.cheapest = new CheapestWithinLatency(catalogue.models, options.now);
  }

  private readonly random: () => number;

  route(
    tenant: TenantConfig | undefined,
    name: string,
    request: { readonly stream: boolean; readonly header: (name: Lowercase<string>) => string | undefined },
  ): { model: ModelConfig; variant?: VariantChoice } {
    const weighted = this.catalogue.weighted.get(name);
    if (!weighted) return { model: authorizeModel(this.catalogue, tenant, name) };
    authorizeName(tenant, name);
    const header = (key: Lowercase<string>) => {
      const value = request.header(key);
      if (value !== undefined && value.length > MAX_STICKY_VALUE_LENGTH)
        throw invalidField(
          key,
          `The ${key} header (which keeps a caller on one arm of "${name}") may be at most ${MAX_STICKY_VALUE_LENGTH} characters`,
        );
      return value;
    };
    const picked = weighted.objective && this.cheapest.pick(weighted.variants, weighted.objective, request.stream, this.random);
    const assignment = picked ? { model: picked, by: "cheapest" as const } : assignVariant(weighted, { tenant: tenant?.name, header }, this.random);
    return {
      model: this.catalogue.models.get(assignment.model)!,
      variant: { route: name, model: assignment.model, by: assignment.by, stream: request.stream, firstTokenSeconds: undefined },
    };
  }

  /** A finished request of a cost-aware arm: its latency (or its failure) joins the arm's window. */
  observe(variant: VariantChoice | undefined, done: { readonly status: number; readonly seconds: number }): void {
    if (!variant || !this.catalogue.weighted.get(variant.route)?.objective) return;
    this.cheapest.observe(variant.model, variant.stream, done.status, variant.stream ? variant.firstTokenSeconds : done.seconds);
  }
}

/**
 * Adds the `variant` label to a metric's labels for a weighted request. Unweighted requests get
 * none, which Prometheus reads as `variant=""`, so their series look as they always did.
 */
export function withVariant<T extends object>(labels: T, variant: VariantChoice | undefined): T {
  if (variant) (labels as Record<string, string>).variant = variant.model;
  return labels;
}
