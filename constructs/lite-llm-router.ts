import { Construct } from "constructs";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { toYaml } from "../lib/yaml";
import { ModelCatalogue, PROVIDER_KEY_ENV } from "../lib/catalogue";
import { InvalidPropsError, received } from "../lib/errors";
import { gatewayNames } from "../lib/gateway-names";
import { addConfiguredWorkload, SECRET_FILES_DIR } from "../lib/configured-workload";
import { imageRef, VERSIONS } from "../lib/versions";
import type { HardenedWorkload, WorkloadResources, WorkloadScaling } from "../lib/workload";

/** Where LiteLLM finds Memorystore. The password comes from Secret Manager, never from here. */
export interface RouterRedis {
  readonly host: string;
  readonly port: string;
  /** PEM of Memorystore's server CA, for in-transit encryption. */
  readonly caCertificate: string;
}

export interface LiteLlmRouterProps {
  readonly catalogue: ModelCatalogue;
  readonly namespace: string;
  readonly projectId: string;
  /** The prefix the infrastructure stack used (service account and secret names derive from it). */
  readonly prefix: string;
  readonly redis: RouterRedis;
  /**
   * LiteLLM image, pinned.
   * @default VERSIONS.liteLlmImage
   */
  readonly image?: string;
  /**
   * @default "simple-shuffle"
   * @see https://docs.litellm.ai/docs/routing
   */
  readonly routingStrategy?: "simple-shuffle" | "least-busy" | "usage-based-routing" | "latency-based-routing";
  /**
   * Retries inside the router before falling back.
   * @default 2
   */
  readonly numRetries?: number;
  /**
   * Seconds for one call to a model.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds responses stay in the Redis cache.
   * @default 600
   */
  readonly cacheTtlSeconds?: number;
  /** @default - 500m/1 CPU, 1Gi memory */
  readonly resources?: WorkloadResources;
  /** @default - 2 to 6 replicas at 70% CPU */
  readonly scaling?: WorkloadScaling;
}

export const ROUTER_PORT = 4000;
const CONFIG_DIR = "/etc/litellm";

/**
 * LiteLLM as our own hardened Deployment (the upstream chart ships empty security contexts and a
 * bundled Postgres): config.yaml rendered from the catalogue into a ConfigMap whose hash rolls
 * the pods, Vertex AI through Workload Identity, Redis for shared rate state and the response
 * cache, Prometheus metrics, and secrets read from files at start-up.
 */
export class LiteLlmRouter extends Construct {
  public readonly workload: HardenedWorkload;
  public readonly config: ConfigMapV1;
  /** The rendered config.yaml, as an object (tests and reviews read it). */
  public readonly liteLlmConfig: Record<string, unknown>;
  /** `http://litellm.<namespace>.svc.cluster.local:4000` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LiteLlmRouterProps) {
    super(scope, id);
    const numRetries = props.numRetries ?? 2;
    const timeout = props.timeoutSeconds ?? 600;
    const ttl = props.cacheTtlSeconds ?? 600;
    for (const [field, value] of [["numRetries", numRetries], ["timeoutSeconds", timeout], ["cacheTtlSeconds", ttl]] as const) {
      if (!(Number.isInteger(value) && value >= 0)) throw new InvalidPropsError(this, field, `must be a whole number of at least 0 ${received(value)}`, "use a non-negative whole number");
    }
    const names = gatewayNames(props.prefix, props.projectId);
    const redisEnv = { host: "os.environ/REDIS_HOST", port: "os.environ/REDIS_PORT", password: "os.environ/REDIS_PASSWORD" };

    this.liteLlmConfig = {
      model_list: props.catalogue.liteLlmModelList(),
      router_settings: {
        routing_strategy: props.routingStrategy ?? "simple-shuffle",
        num_retries: numRetries,
        timeout,
        fallbacks: props.catalogue.liteLlmFallbacks(),
        allowed_fails: 3,
        cooldown_time: 30,
        // Shared rpm/tpm state, so limits hold across replicas.
        redis_host: redisEnv.host,
        redis_port: redisEnv.port,
        redis_password: redisEnv.password,
      },
      litellm_settings: {
        drop_params: true,
        request_timeout: timeout,
        callbacks: ["prometheus"],
        // Redis health as litellm_redis_* series (Redis-unreachable alert).
        service_callback: ["prometheus_system"],
        // Prometheus scrapes from inside the cluster; NetworkPolicy limits who reaches the port.
        require_auth_for_metrics_endpoint: false,
        cache: true,
        cache_params: { type: "redis", ...redisEnv, ssl: true, ssl_ca_certs: `${CONFIG_DIR}/redis-ca.pem`, ttl, namespace: "litellm.cache" },
      },
      general_settings: { master_key: "os.environ/LITELLM_MASTER_KEY" },
    };

    const secretFiles: Record<string, string> = { "litellm-master-key": names.secrets.masterKey, "redis-auth": names.secrets.redisAuth };
    const secretEnv = [`LITELLM_MASTER_KEY="$(cat ${SECRET_FILES_DIR}/litellm-master-key)"`, `REDIS_PASSWORD="$(cat ${SECRET_FILES_DIR}/redis-auth)"`];
    for (const provider of props.catalogue.keyedProviders) {
      secretFiles[`${provider}-api-key`] = names.secrets.providerKey(provider);
      secretEnv.push(`${PROVIDER_KEY_ENV[provider]}="$(cat ${SECRET_FILES_DIR}/${provider}-api-key)"`);
    }
    const { config, workload } = addConfiguredWorkload(this, {
      namespace: props.namespace,
      projectId: props.projectId,
      name: "litellm",
      component: "router",
      image: props.image ?? imageRef(VERSIONS.liteLlmImage),
      port: { name: "http", containerPort: ROUTER_PORT },
      config: { mountPath: CONFIG_DIR, data: { "config.yaml": toYaml(this.liteLlmConfig), "redis-ca.pem": props.redis.caCertificate } },
      secrets: { mountPath: SECRET_FILES_DIR, files: secretFiles },
      // Secrets arrive as files (never env valueFrom) and become the environment LiteLLM's
      // `os.environ/` references read, only inside the process.
      command: ["/bin/sh", "-c", `export ${secretEnv.join(" ")}; exec litellm --config ${CONFIG_DIR}/config.yaml --port ${ROUTER_PORT}`],
      env: { REDIS_HOST: props.redis.host, REDIS_PORT: props.redis.port, HOME: "/tmp", LITELLM_LOG: "INFO" },
      writablePaths: ["/tmp", "/.cache", "/.npm"],
      resources: { cpuRequest: "500m", cpuLimit: "1", memoryRequest: "1Gi", ...props.resources },
      scaling: { minReplicas: 2, maxReplicas: 6, ...props.scaling },
      // Never /health: it sends a completion to every model.
      probes: { liveness: "/health/liveliness", readiness: "/health/readiness", startupFailureThreshold: 36 },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": names.routerServiceAccountEmail },
      terminationGracePeriodSeconds: 90,
    });
    this.config = config;
    this.workload = workload;
    this.url = `http://${this.workload.serviceHost}:${ROUTER_PORT}`;
  }
}
