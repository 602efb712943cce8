import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "./errors";
import { validateWeightedModels, type TenantSpec, type WeightedModel } from "./tenants";

/** LiteLLM provider routes we render. */
export type ModelProvider = "vertex_ai" | "openai" | "anthropic";

/** One more deployment behind the same public name; LiteLLM load-balances between them. */
export interface ModelDeployment {
  /** Upstream model id for this deployment. */
  readonly model: string;
  /**
   * Vertex AI region of this deployment.
   * @default - the model's location
   */
  readonly vertexLocation?: string;
  /**
   * Requests per minute of this deployment. Under the router's default `simple-shuffle` this is
   * only the weight of a random pick (a deployment with rpm 600 gets twice the traffic of one with
   * 300) and nothing stops traffic above it; `routingStrategy: "usage-based-routing-v2"` makes it
   * a limit per minute across replicas. Set it on every deployment of a model or on none.
   * @default - no weight, no limit
   */
  readonly rpm?: number;
  /**
   * Tokens per minute of this deployment: the pick's weight under `simple-shuffle` when no
   * deployment sets rpm; under `usage-based-routing-v2` the router prefers the deployment with
   * the fewest tokens this minute and skips those at their tpm. Every deployment or none.
   * @default - no weight, no limit
   */
  readonly tpm?: number;
}

export interface CatalogueModel {
  /** The public name clients send as `model`. */
  readonly name: string;
  /**
   * Who serves it. OpenAI and Anthropic keys live in Secret Manager.
   * @default "vertex_ai"
   */
  readonly provider?: ModelProvider;
  /** The provider's model id, e.g. "gemini-2.5-flash". */
  readonly model: string;
  /**
   * chat or embedding.
   * @default "chat"
   */
  readonly mode?: "chat" | "embedding";
  /**
   * Vertex AI region.
   * @default - the catalogue's `vertexLocation`
   */
  readonly vertexLocation?: string;
  /**
   * More deployments of the same public name (other regions, other quotas).
   * @default []
   */
  readonly additionalDeployments?: ModelDeployment[];
  /**
   * Public names gateway-app tries in order when this model fails or its circuit is open
   * (LiteLLM gets no fallbacks: one tier walks them).
   * @default []
   */
  readonly fallbacks?: string[];
  /**
   * USD per million tokens, for cost metrics and dashboards.
   * @default - 0 (no cost estimate)
   */
  readonly prices?: { readonly inputPerMillionTokens?: number; readonly outputPerMillionTokens?: number };
  /**
   * `maxOutputTokens` and `timeoutSeconds` are enforced by gateway-app (and the timeout by
   * LiteLLM); `rpm`/`tpm` are those of the model's own deployment, see {@link ModelDeployment.rpm}.
   * @default - none
   */
  readonly limits?: { readonly maxOutputTokens?: number; readonly rpm?: number; readonly tpm?: number; readonly timeoutSeconds?: number };
  /**
   * Let gateway-app call Vertex AI directly (OpenAI-compatible endpoint, Workload Identity),
   * skipping LiteLLM. Only for `vertex_ai` models.
   * @default false
   */
  readonly directVertex?: boolean;
  /**
   * Let LiteLLM's response cache serve and store this model's answers to sampled requests
   * (`temperature` above 0, or unset, whose provider default samples), so a repeated prompt gets
   * the same answer back instead of a new sample. Deterministic chat requests (`temperature: 0`)
   * are cached without it, each tenant in its own namespace.
   * @default false
   */
  readonly cacheSampledAnswers?: boolean;
}

export interface CatalogueOptions {
  /** Project that Vertex AI calls are billed to. */
  readonly vertexProject: string;
  /**
   * Default Vertex AI region.
   * @default "us-central1"
   */
  readonly vertexLocation?: string;
  /**
   * Public names that split traffic across these models by weight (A/B), or pick the cheapest
   * that meets a latency objective; gateway-app assigns the variant, LiteLLM never sees the name.
   * @default [] - none: every public name is one model
   */
  readonly weightedModels?: readonly WeightedModel[];
}

/**
 * Example models: Gemini on Vertex AI. Prices are list prices in USD per million tokens at the
 * time of writing; override them with your contract's.
 */
export const DEFAULT_MODELS: readonly CatalogueModel[] = [
  {
    name: "gemini-2.5-flash",
    model: "gemini-2.5-flash",
    fallbacks: ["gemini-2.5-flash-lite"],
    prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 },
    limits: { maxOutputTokens: 8192 },
  },
  {
    name: "gemini-2.5-pro",
    model: "gemini-2.5-pro",
    fallbacks: ["gemini-2.5-flash"],
    prices: { inputPerMillionTokens: 1.25, outputPerMillionTokens: 10 },
    limits: { maxOutputTokens: 8192 },
  },
  {
    name: "gemini-2.5-flash-lite",
    model: "gemini-2.5-flash-lite",
    prices: { inputPerMillionTokens: 0.1, outputPerMillionTokens: 0.4 },
    limits: { maxOutputTokens: 8192 },
  },
  { name: "text-embedding-005", model: "text-embedding-005", mode: "embedding", prices: { inputPerMillionTokens: 0.025 } },
];

/** Environment variable (fed from a mounted secret file) that holds each provider's key. */
export const PROVIDER_KEY_ENV: Readonly<Record<Exclude<ModelProvider, "vertex_ai">, string>> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

/** A public model name, as gateway-app's config.ts accepts it. */
export const PUBLIC_MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

/**
 * The model catalogue, defined once and rendered into LiteLLM's `model_list` and fallbacks,
 * gateway-app's GATEWAY_CONFIG, and the dashboards.
 */
export class ModelCatalogue {
  readonly models: readonly CatalogueModel[];
  readonly vertexProject: string;
  readonly vertexLocation: string;
  readonly weightedModels: readonly WeightedModel[];

  constructor(scope: IConstruct, models: readonly CatalogueModel[], options: CatalogueOptions) {
    validateCatalogue(scope, models);
    this.weightedModels = options.weightedModels ?? [];
    validateWeightedModels(scope, this.weightedModels, models);
    this.models = models;
    this.vertexProject = options.vertexProject;
    this.vertexLocation = options.vertexLocation ?? "us-central1";
  }

  /** Every name a client may send as `model` (and a tenant may list): the models' and the weighted ones'. */
  get publicNames(): string[] {
    return [...this.models.map((m) => m.name), ...this.weightedModels.map((w) => w.name)];
  }

  /** Providers whose keys must exist in Secret Manager. */
  get keyedProviders(): Exclude<ModelProvider, "vertex_ai">[] {
    const providers = new Set(this.models.map((m) => m.provider ?? "vertex_ai"));
    return (Object.keys(PROVIDER_KEY_ENV) as Exclude<ModelProvider, "vertex_ai">[]).filter((p) => providers.has(p));
  }

  /** LiteLLM `model_list`: one entry per deployment, repeated names load-balanced. */
  liteLlmModelList(): Record<string, unknown>[] {
    return this.models.flatMap((model) => {
      const deployments: ModelDeployment[] = [
        { model: model.model, vertexLocation: model.vertexLocation, rpm: model.limits?.rpm, tpm: model.limits?.tpm },
        ...(model.additionalDeployments ?? []),
      ];
      return deployments.map((deployment) => ({
        model_name: model.name,
        litellm_params: compact({
          model: `${model.provider ?? "vertex_ai"}/${deployment.model}`,
          ...this.providerParams(model, deployment),
          rpm: deployment.rpm,
          tpm: deployment.tpm,
          timeout: model.limits?.timeoutSeconds,
        }),
        model_info: compact({
          mode: model.mode ?? "chat",
          input_cost_per_token: perToken(model.prices?.inputPerMillionTokens),
          output_cost_per_token: perToken(model.prices?.outputPerMillionTokens),
        }),
      }));
    });
  }

  /**
   * gateway-app's catalogue: every model through LiteLLM unless marked `directVertex`, with the
   * fallbacks. gateway-app is the one tier that retries and falls back (it has the circuit
   * breakers and knows the client); LiteLLM gets neither, so one failing request costs at most
   * (1 + UPSTREAM_MAX_RETRIES) provider calls per model in its chain. With tenants, every
   * request must carry Kong's consumer (`requireConsumer: true`), which names the tenant.
   */
  gatewayCatalogue(tenants: readonly TenantSpec[] = []): {
    models: Record<string, unknown>[];
    weightedModels?: Record<string, unknown>[];
    tenants?: Record<string, unknown>[];
    requireConsumer?: true;
  } {
    return {
      ...this.gatewayModels(),
      ...(this.weightedModels.length > 0 ? { weightedModels: this.weightedModels.map(gatewayWeightedModel) } : {}),
      ...(tenants.length > 0 ? { tenants: tenants.map(gatewayTenant), requireConsumer: true } : {}),
    };
  }

  private gatewayModels(): { models: Record<string, unknown>[] } {
    return {
      models: this.models.map((m) =>
        compact({
          name: m.name,
          upstream: m.directVertex ? "vertex" : "litellm",
          upstreamModel: m.directVertex ? `google/${m.model}` : undefined,
          fallbacks: m.fallbacks?.length ? [...m.fallbacks] : undefined,
          limits:
            m.limits?.maxOutputTokens || m.limits?.timeoutSeconds
              ? compact({
                  maxOutputTokens: m.limits?.maxOutputTokens,
                  timeoutMs: m.limits?.timeoutSeconds ? m.limits.timeoutSeconds * 1000 : undefined,
                })
              : undefined,
          prices: m.prices ? compact({ ...m.prices }) : undefined,
          cacheSampledAnswers: m.cacheSampledAnswers ? true : undefined,
        }),
      ),
    };
  }

  private providerParams(model: CatalogueModel, deployment: ModelDeployment): Record<string, unknown> {
    const provider = model.provider ?? "vertex_ai";
    if (provider === "vertex_ai") {
      // No vertex_credentials: LiteLLM falls back to Application Default Credentials, which on
      // GKE are the Workload Identity of the pod's service account.
      return { vertex_project: this.vertexProject, vertex_location: deployment.vertexLocation ?? model.vertexLocation ?? this.vertexLocation };
    }
    return { api_key: `os.environ/${PROVIDER_KEY_ENV[provider]}` };
  }
}

/** A weighted model as gateway-app's catalogue reads it (gateway-app/src/routing/weighted.ts WeightedModelSchema). */
function gatewayWeightedModel(entry: WeightedModel): Record<string, unknown> {
  return compact({
    name: entry.name,
    variants: entry.variants.map((v) => ({ model: v.model, weight: v.weight })),
    sticky: entry.sticky,
    strategy: entry.strategy,
    latencyObjective: entry.latencyObjective ? compact({ ...entry.latencyObjective }) : undefined,
  });
}

/** A tenant as gateway-app's catalogue reads it (gateway-app/src/config.ts TenantSchema). */
function gatewayTenant(tenant: TenantSpec): Record<string, unknown> {
  const { maxOutputTokens, ...limits } = tenant.limits ?? {};
  return compact({
    name: tenant.name,
    models: [...tenant.models],
    maxOutputTokens,
    limits: Object.keys(limits).length > 0 ? compact(limits) : undefined,
    budgets: tenant.budgets
      ? compact({ ...tenant.budgets, perKey: tenant.budgets.perKey ? compact({ ...tenant.budgets.perKey }) : undefined })
      : undefined,
    apiKeys: tenant.credentials.apiKeys ? true : undefined,
  });
}

/** Rejects catalogues the router and the gateway would choke on, naming the model. */
export function validateCatalogue(scope: IConstruct, models: readonly CatalogueModel[]): void {
  if (models.length === 0) throw new InvalidPropsError(scope, "models", "is empty", "give at least one model");
  const names = new Set<string>();
  models.forEach((model, index) => {
    const at = `models[${index}] (${model.name})`;
    if (!PUBLIC_MODEL_NAME.test(model.name))
      throw new InvalidPropsError(
        scope,
        `models[${index}].name`,
        `is not a valid model name ${received(model.name)}`,
        "use 1-128 letters, digits or . _ : / @ -",
      );
    if (names.has(model.name))
      throw new InvalidPropsError(
        scope,
        `${at}.name`,
        `"${model.name}" is defined twice`,
        "give every model a unique public name; use additionalDeployments to load-balance one name",
      );
    names.add(model.name);
    if (model.directVertex && (model.provider ?? "vertex_ai") !== "vertex_ai")
      throw new InvalidPropsError(
        scope,
        `${at}.directVertex`,
        `is only possible for vertex_ai models (provider is ${model.provider})`,
        "remove directVertex",
      );
    if (model.cacheSampledAnswers && model.directVertex)
      throw new InvalidPropsError(
        scope,
        `${at}.cacheSampledAnswers`,
        "is set on a directVertex model, which skips LiteLLM and its cache",
        "remove cacheSampledAnswers, or directVertex",
      );
    const numbers: [string, number | undefined][] = [
      ["prices.inputPerMillionTokens", model.prices?.inputPerMillionTokens],
      ["prices.outputPerMillionTokens", model.prices?.outputPerMillionTokens],
      ["limits.maxOutputTokens", model.limits?.maxOutputTokens],
      ["limits.rpm", model.limits?.rpm],
      ["limits.tpm", model.limits?.tpm],
      ["limits.timeoutSeconds", model.limits?.timeoutSeconds],
      ...(model.additionalDeployments ?? []).flatMap((d, i): [string, number | undefined][] => [
        [`additionalDeployments[${i}].rpm`, d.rpm],
        [`additionalDeployments[${i}].tpm`, d.tpm],
      ]),
    ];
    for (const [field, value] of numbers) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0))
        throw new InvalidPropsError(scope, `${at}.${field}`, `must be a number of at least 0 ${received(value)}`, "use a non-negative number");
    }
    validateDeploymentWeights(scope, at, model);
  });
  models.forEach((model, index) => {
    (model.fallbacks ?? []).forEach((fallback, f) => {
      const field = `models[${index}] (${model.name}).fallbacks[${f}]`;
      if (fallback === model.name) throw new InvalidPropsError(scope, field, `falls back to itself`, "remove it");
      if (!names.has(fallback))
        throw new InvalidPropsError(scope, field, `names unknown model "${fallback}"`, "add that model to the catalogue or remove the fallback");
    });
  });
  const cycle = findFallbackCycle(models);
  if (cycle)
    throw new InvalidPropsError(
      scope,
      `models (${cycle[0]}).fallbacks`,
      `form a cycle: ${cycle.join(" -> ")}`,
      "break the cycle so every chain of fallbacks ends",
    );
}

/**
 * rpm/tpm as LiteLLM reads them: whole numbers above 0 (simple-shuffle divides by their sum, and
 * usage-based-routing-v2 would refuse every call at 0), set on every deployment of a model or on
 * none, because simple-shuffle weighs by the first deployment's field and counts a missing one as 0.
 */
function validateDeploymentWeights(scope: IConstruct, at: string, model: CatalogueModel): void {
  const deployments = [
    { field: "limits", rpm: model.limits?.rpm, tpm: model.limits?.tpm },
    ...(model.additionalDeployments ?? []).map((d, i) => ({ field: `additionalDeployments[${i}]`, rpm: d.rpm, tpm: d.tpm })),
  ];
  for (const key of ["rpm", "tpm"] as const) {
    for (const d of deployments) {
      const value = d[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0))
        throw new InvalidPropsError(
          scope,
          `${at}.${d.field}.${key}`,
          `must be a whole number above 0 ${received(value)}`,
          `use a positive whole number, or leave ${key} unset`,
        );
    }
    const missing = deployments.filter((d) => d[key] === undefined);
    if (missing.length > 0 && missing.length < deployments.length) {
      throw new InvalidPropsError(
        scope,
        `${at}.${missing[0].field}.${key}`,
        `is unset while another deployment of ${model.name} sets it, so LiteLLM would weigh this one 0 or ignore every ${key}`,
        `set ${key} on every deployment of ${model.name}, or on none`,
      );
    }
  }
}

/** A cycle of fallbacks as the names along it, first name repeated at the end. */
function findFallbackCycle(models: readonly CatalogueModel[]): string[] | undefined {
  const edges = new Map(models.map((m) => [m.name, m.fallbacks ?? []]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "visiting");
    path.push(name);
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const model of models) {
    const cycle = visit(model.name);
    if (cycle) return cycle;
  }
  return undefined;
}

function perToken(perMillion: number | undefined): number | undefined {
  return perMillion === undefined ? undefined : perMillion / 1_000_000;
}

/** Drops undefined fields so rendered configs hold only what was set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
