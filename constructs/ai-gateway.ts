import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { DataGoogleComputeAddress } from "@cdktf/provider-google/lib/data-google-compute-address";
import { DataGoogleRedisInstance } from "@cdktf/provider-google/lib/data-google-redis-instance";
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { GatewayBackend, BACKEND_METRICS_PORT, BACKEND_PORT, type GatewayBackendProps } from "./gateway-backend";
import type { GatewayNamespaces } from "./gateway-namespaces";
import { GatewayNetworkPolicies } from "./gateway-network-policies";
import { KongEdge, type KongConsumer, type KongTls, type RateLimits } from "./kong-edge";
import { LiteLlmRouter, ROUTER_PORT } from "./lite-llm-router";
import { ObservabilityStack, type ObservabilityStackProps } from "./observability-stack";
import { DEFAULT_MODELS, ModelCatalogue, type CatalogueModel } from "../lib/catalogue";
import { InvalidPropsError } from "../lib/errors";
import { gatewayNames } from "../lib/gateway-names";
import { KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { tenantConsumers, tenantsNeedGovernanceStore, validateTenants, type TenantSpec, type WeightedModel } from "../lib/tenants";
import { guardRenderedValues } from "../lib/synth-guard";
import { resolveTracing, type TracingSpec } from "../lib/gateway-spec";
import type { TierTracing } from "../lib/observability/tracing";
import { OTLP_HTTP_PORT, TraceCollector } from "./trace-collector";

export interface AiGatewayProps {
  readonly projectId: string;
  readonly region: string;
  /** The prefix the infrastructure stack used. */
  readonly prefix: string;
  readonly namespaces: GatewayNamespaces;
  /**
   * The models. Build it with {@link gatewayCatalogue} to share it with the infrastructure stack.
   * @default - DEFAULT_MODELS on Vertex AI in `region`
   */
  readonly catalogue?: ModelCatalogue;
  /**
   * The edge's certificate.
   * @default - from Secret Manager: `<prefix>-edge-tls-cert` and `<prefix>-edge-tls-key` (latest
   *   versions), which the infrastructure stack creates and you fill before the platform deploy,
   *   read by Kong's own Workload Identity account `<prefix>-kong`
   */
  readonly tls?: KongTls;
  /** Kong consumers of a gateway without tenants (accounted to no tenant); with tenants, use their credentials. @default [] */
  readonly consumers?: KongConsumer[];
  /**
   * The tenants: Kong consumers from their JWT keys (username = tenant name), and gateway-app's
   * catalogue tenants with `requireConsumer: true`. See GatewaySpec `tenants`.
   * @default []
   */
  readonly tenants?: readonly TenantSpec[];
  /** @default [] */
  readonly corsOrigins?: string[];
  /** @default [] - the internet */
  readonly sourceRanges?: string[];
  /** @default - 100/minute, 1000/hour, 10000/day */
  readonly rateLimits?: RateLimits;
  /**
   * Kong's first-line limits for API-key callers, when a tenant has API keys: Kong counts them per
   * client IP, since all of them are one consumer to it (KongEdge `apiKeyCallers`).
   * @default - `rateLimits`
   */
  readonly apiKeyRateLimits?: RateLimits;
  /**
   * A Kubernetes Secret (in the edge namespace) with Memorystore's AUTH string for Kong, when
   * you manage it yourself.
   * @default - the gateway creates Secret `kong-redis` (key `password`) from the Memorystore
   *   instance's AUTH string. Reading the instance already puts that string in this stack's
   *   state, so the Secret adds no exposure and removes a manual step that had to come after
   *   the namespace and before Kong.
   */
  readonly kongRedisPasswordSecret?: { readonly name: string; readonly key: string };
  /**
   * A Kubernetes Secret (in the edge namespace) with the edge token Kong adds to every request
   * (the value of Secret Manager secret `<prefix>-edge-token`, which gateway-app mounts), when you
   * manage it yourself, e.g. with External Secrets, to keep the token out of Terraform state.
   * @default - the gateway creates Secret `kong-edge-token` (key `token`) from the secret's latest
   *   version, read by this stack: the token is then in this stack's state and plan (sensitive),
   *   like the Redis AUTH string, and a new version reaches Kong at the next apply.
   */
  readonly kongEdgeTokenSecret?: { readonly name: string; readonly key: string };
  /** @default { tag: "0.1.0" } */
  readonly backendImage?: GatewayBackendProps["image"];
  /**
   * The control plane's CIDR, for the NetworkPolicy that lets it call the Prometheus operator's webhook.
   * @default - none (PlatformStack passes the cluster's): the webhook is unreachable
   */
  readonly controlPlaneCidr?: string;
  /**
   * The nodes' primary range, where Prometheus scrapes kubelets and node-exporter (see GatewayNetworkPolicies `nodeCidr`).
   * @default - none (PlatformStack passes the cluster subnet's): 0.0.0.0/0, which Dataplane V2 does not match to node IPs
   */
  readonly nodeCidr?: string;
  /**
   * Prometheus, Grafana, dashboards and alerts; `false` when you bring your own.
   * @default - an ObservabilityStack with its defaults
   */
  readonly observability?:
    | false
    | Pick<ObservabilityStackProps, "retention" | "storageGi" | "storageClassName" | "grafanaAdminSecret" | "alerts" | "alerting">;
  /**
   * Traces across Kong, gateway-app and LiteLLM through a TraceCollector in the observability
   * namespace to Cloud Trace, as the infrastructure stack's `<prefix>-otel` account (which exists
   * only when its GatewayInfrastructure has `traceCollector`). PlatformStack passes `spec.tracing`,
   * which is on by default.
   * @default false - no collector, no tracing settings in any tier
   */
  readonly tracing?: TracingSpec | false;
}

const KONG_REDIS_SECRET = { name: "kong-redis", key: "password" } as const;
const KONG_EDGE_TOKEN_SECRET = { name: "kong-edge-token", key: "token" } as const;

/** The shared catalogue both stacks render from. */
export function gatewayCatalogue(
  scope: Construct,
  options: { projectId: string; region: string; models?: readonly CatalogueModel[]; weightedModels?: readonly WeightedModel[] },
): ModelCatalogue {
  return new ModelCatalogue(scope, options.models ?? DEFAULT_MODELS, {
    vertexProject: options.projectId,
    vertexLocation: options.region,
    weightedModels: options.weightedModels,
  });
}

/**
 * The whole request path on the cluster from one small set of props: Kong at the edge,
 * gateway-app, LiteLLM, and the NetworkPolicies between them. Memorystore and the edge's
 * address are found by name, as the infrastructure stack created them.
 */
export class AiGateway extends Construct {
  public readonly catalogue: ModelCatalogue;
  public readonly router: LiteLlmRouter;
  public readonly backend: GatewayBackend;
  public readonly edge: KongEdge;
  public readonly networkPolicies: GatewayNetworkPolicies;
  /** The OpenTelemetry Collector, when tracing is on. */
  public readonly traceCollector?: TraceCollector;
  public readonly observability?: ObservabilityStack;
  /** The Secret holding Kong's Redis password, unless `kongRedisPasswordSecret` names your own. */
  public readonly kongRedisSecret?: SecretV1;

  constructor(scope: Construct, id: string, props: AiGatewayProps) {
    super(scope, id);
    guardRenderedValues(this);
    const names = gatewayNames(props.prefix, props.projectId);
    const ns = props.namespaces.refs;
    this.catalogue = props.catalogue ?? gatewayCatalogue(this, props);
    const tenants = props.tenants ?? [];
    validateTenants(this, tenants, this.catalogue.publicNames);
    if (tenants.length > 0 && (props.consumers ?? []).length > 0)
      throw new InvalidPropsError(
        this,
        "consumers",
        "are given beside tenants, and gateway-app refuses a consumer that is not a tenant",
        "make each consumer a tenant (credentials.jwt) and remove consumers",
      );
    const governance = tenantsNeedGovernanceStore(tenants);
    const redis = new DataGoogleRedisInstance(this, "Redis", { project: props.projectId, region: props.region, name: names.redisInstance });
    // Every server CA: during a CA rotation Memorystore lists the new one beside the old.
    const caBundle = Fn.join("\n", Token.asList(Fn.lookupNested(redis.serverCaCerts, ["*", "cert"])));
    const redisEndpoint = { host: redis.host, port: String(redis.port), caCertificate: caBundle };
    const tracingSpec = resolveTracing(this, props.tracing ?? false, "tracing");
    if (tracingSpec)
      this.traceCollector = new TraceCollector(this, "TraceCollector", {
        namespace: ns.observability,
        projectId: props.projectId,
        serviceAccountEmail: names.traceServiceAccountEmail,
      });
    const tracing: TierTracing | undefined =
      this.traceCollector && tracingSpec
        ? { tracesEndpoint: this.traceCollector.tracesEndpoint, samplingRatio: tracingSpec.samplingRatio }
        : undefined;
    const address = new DataGoogleComputeAddress(this, "EdgeAddress", { project: props.projectId, region: props.region, name: names.edgeAddress });

    this.router = new LiteLlmRouter(this, "Router", {
      catalogue: this.catalogue,
      namespace: ns.router,
      projectId: props.projectId,
      prefix: props.prefix,
      redis: redisEndpoint,
      tracing,
    });
    this.backend = new GatewayBackend(this, "Backend", {
      catalogue: this.catalogue,
      namespace: ns.app,
      projectId: props.projectId,
      region: props.region,
      prefix: props.prefix,
      routerUrl: this.router.url,
      image: props.backendImage,
      tenants,
      governanceRedis: governance ? redisEndpoint : undefined,
      tracing,
    });
    if (!props.kongRedisPasswordSecret) this.kongRedisSecret = this.createKongRedisSecret(ns.edge, redis.authString);
    const kongRedisSecret = props.kongRedisPasswordSecret ?? KONG_REDIS_SECRET;
    this.edge = new KongEdge(this, "Edge", {
      namespace: ns.edge,
      tls: props.tls ?? {
        secretManager: {
          projectId: props.projectId,
          certificateSecret: names.secrets.edgeTlsCertificate,
          keySecret: names.secrets.edgeTlsKey,
        },
      },
      workloadIdentityServiceAccount: names.edgeServiceAccountEmail,
      loadBalancerIp: address.address,
      sourceRanges: props.sourceRanges,
      corsOrigins: props.corsOrigins,
      rateLimits: props.rateLimits,
      apiKeyCallers: tenants.some((t) => t.credentials.apiKeys) ? { rateLimits: props.apiKeyRateLimits } : undefined,
      rateLimitRedis: { ...redisEndpoint, passwordSecret: kongRedisSecret, passwordSecretResource: this.kongRedisSecret },
      edgeToken: props.kongEdgeTokenSecret
        ? { secret: props.kongEdgeTokenSecret }
        : { secret: KONG_EDGE_TOKEN_SECRET, resource: this.createKongEdgeTokenSecret(ns.edge, props.projectId, names.secrets.edgeToken) },
      routes: [{ name: "openai-api", url: `http://${this.backend.workload.serviceHost}:${BACKEND_PORT}`, paths: ["/v1"] }],
      consumers: [...tenantConsumers(tenants), ...(props.consumers ?? [])],
      tracing,
    });
    if (props.observability !== false) {
      const names = props.namespaces.names;
      this.observability = new ObservabilityStack(this, "Observability", {
        ...props.observability,
        namespace: ns.observability,
        projectId: props.projectId,
        targets: { edge: { namespace: names.edge }, backend: { namespace: names.app }, router: { namespace: names.router } },
        models: this.catalogue.models.map((m) => ({ name: m.name, mode: m.mode })),
      });
    }
    this.networkPolicies = new GatewayNetworkPolicies(this, "NetworkPolicies", {
      namespaces: ns,
      ports: { edgeProxy: [8000, 8443], edgeStatus: 8100, backend: BACKEND_PORT, backendMetrics: BACKEND_METRICS_PORT, router: ROUTER_PORT },
      controlPlaneCidr: props.controlPlaneCidr,
      nodeCidr: props.nodeCidr,
      backendRedis: governance,
      traceCollector: this.traceCollector ? { port: OTLP_HTTP_PORT } : undefined,
    });
  }

  /**
   * Kong's copy of the edge token, read from the Secret Manager secret gateway-app mounts: it is
   * in this stack's state and plan (as sensitive values), like the Redis AUTH string.
   */
  private createKongEdgeTokenSecret(namespace: string, projectId: string, secretId: string): SecretV1 {
    const version = new DataGoogleSecretManagerSecretVersion(this, "EdgeToken", { project: projectId, secret: secretId });
    return new SecretV1(this, "KongEdgeToken", {
      metadata: { name: KONG_EDGE_TOKEN_SECRET.name, namespace, labels: { ...KUBERNETES_COMMON_LABELS, "app.kubernetes.io/name": "kong" } },
      data: { [KONG_EDGE_TOKEN_SECRET.key]: version.secretData },
      type: "Opaque",
    });
  }

  private createKongRedisSecret(namespace: string, authString: string): SecretV1 {
    return new SecretV1(this, "KongRedisPassword", {
      metadata: { name: KONG_REDIS_SECRET.name, namespace, labels: { ...KUBERNETES_COMMON_LABELS, "app.kubernetes.io/name": "kong" } },
      data: { [KONG_REDIS_SECRET.key]: authString },
      type: "Opaque",
    });
  }
}
