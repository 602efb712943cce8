import type { IConstruct } from "constructs";
import { DEFAULT_MODELS, type CatalogueModel } from "./catalogue";
import { InvalidPropsError, received } from "./errors";
import { isUnresolved } from "./tokens";
import { validatePrefix, validateProjectId } from "./naming";
import { validateTenants, validateWeightedModels, type TenantSpec, type WeightedModel } from "./tenants";

/** The tiers of the gateway; each runs in a namespace of its own. */
export type GatewayTier = "edge" | "app" | "router" | "observability";

/**
 * What the infrastructure stack and the platform stack must agree on, as plain data. Build it
 * once and give the same object to both stacks: Workload Identity bindings, secrets and the
 * cluster the platform stack connects to are all derived from it, so the two cannot disagree.
 */
export interface GatewaySpec {
  /** The Google Cloud project of every resource. */
  readonly projectId: string;
  /** The region of the cluster, Memorystore, the edge address and the image repository. */
  readonly region: string;
  /** Start of every physical name (cluster `<prefix>-gke`, service accounts, secrets, …). */
  readonly prefix: string;
  /**
   * Namespace names by tier; Workload Identity binds each tier's Kubernetes service account in
   * its namespace.
   * @default - ai-gateway-edge, ai-gateway-app, ai-gateway-router, ai-gateway-observability
   */
  readonly namespaces?: Partial<Record<GatewayTier, string>>;
  /**
   * The model catalogue: decides which provider keys get a secret and what gateway-app and
   * LiteLLM serve.
   * @default DEFAULT_MODELS
   */
  readonly models?: readonly CatalogueModel[];
  /**
   * Who may call the gateway: each tenant becomes a Kong consumer (its JWT keys), a tenant of
   * gateway-app's catalogue (its models, limits and budgets) and the `tenant` label of metrics,
   * logs and cost. With any tenant, gateway-app refuses requests without Kong's consumer.
   * @default [] - no tenants: every request is accounted to `anonymous`
   */
  readonly tenants?: readonly TenantSpec[];
  /**
   * Public model names that split traffic across `models` by weight (A/B testing, with stickiness
   * per tenant or per a request header), or pick the cheapest model meeting a latency objective.
   * Tenants may list these names in their `models`. See README "Weighted routing".
   * @default [] - none: every public name is one model
   */
  readonly weightedModels?: readonly WeightedModel[];
  /**
   * Traces across Kong, gateway-app and LiteLLM, through an OpenTelemetry Collector to Cloud
   * Trace; `false` deploys none of it (no collector, no service account, no tracing settings).
   * @default - on: { samplingRatio: 0.05 }
   */
  readonly tracing?: TracingSpec | false;
}

/** How many requests are traced. */
export interface TracingSpec {
  /**
   * Fraction of requests Kong starts a sampled trace for, from 0 to 1; gateway-app and LiteLLM
   * follow Kong's decision (parent-based), so a request is traced in every tier or in none.
   * Cloud Trace bills $0.20 per million spans after 2.5 million free a month
   * (https://cloud.google.com/stackdriver/pricing#trace-costs); a request makes about 10 spans,
   * so 5% of a steady 10 requests/s is about 13 million spans, some $2 a month.
   * @default 0.05
   */
  readonly samplingRatio?: number;
}

/** Tracing with its defaults applied. */
export interface ResolvedTracing {
  readonly samplingRatio: number;
}

/** The sampling ratio when the spec names none (see TracingSpec). */
export const DEFAULT_TRACE_SAMPLING_RATIO = 0.05;

/** A spec with its defaults applied. */
export interface ResolvedGatewaySpec {
  readonly projectId: string;
  readonly region: string;
  readonly prefix: string;
  readonly namespaces: Readonly<Record<GatewayTier, string>>;
  readonly models: readonly CatalogueModel[];
  readonly tenants: readonly TenantSpec[];
  readonly weightedModels: readonly WeightedModel[];
  /** Undefined when tracing is off. */
  readonly tracing?: ResolvedTracing;
}

export const GATEWAY_TIERS: readonly GatewayTier[] = ["edge", "app", "router", "observability"];

/** The namespace of each tier unless the spec names another. */
export const DEFAULT_NAMESPACES: Readonly<Record<GatewayTier, string>> = {
  edge: "ai-gateway-edge",
  app: "ai-gateway-app",
  router: "ai-gateway-router",
  observability: "ai-gateway-observability",
};

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Applies the defaults and checks the spec; `scope` is the stack it is given to, so an error
 * names it. Every field must be a literal: both stacks derive names from them at synth time.
 */
export function resolveGatewaySpec(scope: IConstruct, spec: GatewaySpec): ResolvedGatewaySpec {
  for (const field of ["projectId", "region", "prefix"] as const) {
    const value: unknown = spec[field];
    if (typeof value !== "string" || value.length === 0 || isUnresolved(value)) {
      throw new InvalidPropsError(
        scope,
        `spec.${field}`,
        `must be a non-empty literal string ${received(isUnresolved(value) ? "<token>" : value)}`,
        "pass plain data: the other stack derives names from the same value, so it cannot be a reference",
      );
    }
  }
  validateProjectId(scope, spec.projectId, "spec.projectId");
  validatePrefix(scope, spec.prefix);
  const namespaces = { ...DEFAULT_NAMESPACES, ...spec.namespaces };
  for (const tier of Object.keys(namespaces)) {
    if (!GATEWAY_TIERS.includes(tier as GatewayTier)) {
      throw new InvalidPropsError(scope, `spec.namespaces.${tier}`, "is not a tier", `name namespaces for ${GATEWAY_TIERS.join(", ")} only`);
    }
  }
  for (const tier of GATEWAY_TIERS) validateNamespaceName(scope, `spec.namespaces.${tier}`, namespaces[tier]);
  const taken = new Map<string, GatewayTier>();
  for (const tier of GATEWAY_TIERS) {
    const other = taken.get(namespaces[tier]);
    if (other)
      throw new InvalidPropsError(
        scope,
        `spec.namespaces.${tier}`,
        `is "${namespaces[tier]}", the same as ${other}'s`,
        "give every tier its own namespace: NetworkPolicies and Pod Security levels are per namespace",
      );
    taken.set(namespaces[tier], tier);
  }
  const models = spec.models ?? DEFAULT_MODELS;
  const tenants = spec.tenants ?? [];
  const weightedModels = spec.weightedModels ?? [];
  validateWeightedModels(scope, weightedModels, models);
  validateTenants(scope, tenants, [...models.map((m) => m.name), ...weightedModels.map((w) => w.name)]);
  return Object.freeze({
    projectId: spec.projectId,
    region: spec.region,
    prefix: spec.prefix,
    namespaces: Object.freeze(namespaces),
    models,
    tenants,
    weightedModels,
    tracing: resolveTracing(scope, spec.tracing),
  });
}

/** Tracing's defaults, or undefined when it is off. */
export function resolveTracing(scope: IConstruct, tracing: TracingSpec | false | undefined, field = "spec.tracing"): ResolvedTracing | undefined {
  if (tracing === false) return undefined;
  const samplingRatio = tracing?.samplingRatio ?? DEFAULT_TRACE_SAMPLING_RATIO;
  if (!(typeof samplingRatio === "number" && samplingRatio >= 0 && samplingRatio <= 1)) {
    throw new InvalidPropsError(
      scope,
      `${field}.samplingRatio`,
      `must be a number from 0 to 1 ${received(samplingRatio)}`,
      "give the fraction of requests to trace, e.g. 0.05; set tracing: false to deploy no tracing at all",
    );
  }
  return Object.freeze({ samplingRatio });
}

/** Throws unless `name` is a literal, valid Kubernetes namespace name. */
export function validateNamespaceName(scope: IConstruct, field: string, name: unknown): void {
  if (typeof name === "string" && !isUnresolved(name) && KUBERNETES_NAME.test(name)) return;
  throw new InvalidPropsError(
    scope,
    field,
    `is not a valid Kubernetes namespace name ${received(name)}`,
    "use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
  );
}
