import { Construct } from "constructs";
import { Token } from "cdktf";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { SHUTDOWN_BUDGET } from "../lib/shutdown";
import { toYaml } from "../lib/yaml";
import { ModelCatalogue, PROVIDER_KEY_ENV } from "../lib/catalogue";
import { InvalidPropsError, received } from "../lib/errors";
import { gatewayNames } from "../lib/gateway-names";
import { addConfiguredWorkload, SECRET_FILES_DIR } from "../lib/configured-workload";
import { assertUsableImagePin } from "../lib/images";
import { LITELLM_FACTS } from "../lib/upstream-facts";
import { imageRef, VERSIONS } from "../lib/versions";
import { otelSdkEnv, type TierTracing } from "../lib/observability/tracing";
import type { HardenedWorkload, WorkloadResources, WorkloadScaling } from "../lib/workload";

/** Where LiteLLM finds Memorystore. The password comes from Secret Manager, never from here. */
export interface RouterRedis {
  readonly host: string;
  readonly port: string;
  /**
   * Memorystore's server CAs as a PEM bundle (one or more certificates: during a CA rotation
   * Memorystore serves two), for in-transit encryption with server authentication.
   */
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
   * LiteLLM image: `repository@sha256:…` or `repository:tag@sha256:…` (preferred: a tag can be
   * pushed again, a digest cannot), or a fixed tag.
   * @default - VERSIONS.liteLlmImage, ghcr.io/berriai/litellm:main-v1.80.12
   */
  readonly image?: string;
  /**
   * How the router picks one of a model's deployments. Under `simple-shuffle` the catalogue's
   * rpm/tpm are only weights of a random pick; `usage-based-routing-v2` enforces rpm per
   * deployment per minute across replicas (counted in Redis) and routes by tpm.
   * @default "simple-shuffle"
   * @see https://docs.litellm.ai/docs/routing
   */
  readonly routingStrategy?: "simple-shuffle" | "least-busy" | "usage-based-routing" | "usage-based-routing-v2" | "latency-based-routing";
  /**
   * Retries inside LiteLLM. gateway-app already retries (UPSTREAM_MAX_RETRIES) and walks the
   * catalogue's fallbacks, so anything above 0 multiplies provider calls under failure:
   * (1 + this) calls behind each of gateway-app's attempts.
   * @default 0 - gateway-app owns retries and fallbacks
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
  /**
   * Spans to the trace collector through LiteLLM's `otel` callback, children of gateway-app's
   * through the `traceparent` header; AiGateway passes it when tracing is on.
   * @default - none: no otel callback, no OTEL_* variables
   */
  readonly tracing?: TierTracing;
}

export const ROUTER_PORT = 4000;
const CONFIG_DIR = "/etc/litellm";
const ROUTER_PRE_STOP_SECONDS = 10;
const REDIS_CA_FILE = "redis-ca.pem";

/**
 * LiteLLM hashes only keys that start with `sk-`; any other master key would be exported
 * verbatim as the `hashed_api_key` label on /metrics. gateway-app reads the same secret, so
 * refusing to start here stops both tiers from running with it.
 */
const MASTER_KEY_CHECK =
  `case "$LITELLM_MASTER_KEY" in ${LITELLM_FACTS.hashedKeyPrefix.prefix}?*) ;; *) ` +
  `echo 'litellm: the master key (secret litellm-master-key) must start with ${LITELLM_FACTS.hashedKeyPrefix.prefix}: ` +
  `LiteLLM exports any other key unhashed on /metrics. Add a secret version made by: printf sk-%s "$(openssl rand -hex 32)"' ` +
  `>&2; exit 1;; esac`;

const PEM_BUNDLE = /^(?:\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----)+\s*$/;

/** The CA file is handed to OpenSSL as is: it must be PEM certificates and nothing else. */
function validateCaBundle(scope: Construct, pem: string): void {
  if (Token.isUnresolved(pem) || PEM_BUNDLE.test(pem)) return;
  throw new InvalidPropsError(
    scope,
    "redis.caCertificate",
    "is not a bundle of PEM certificates",
    "pass Memorystore's server_ca_certs[].cert, joined with newlines when there are several",
  );
}

/**
 * LiteLLM as our own hardened Deployment (the upstream chart ships empty security contexts and a
 * bundled Postgres): config.yaml rendered from the catalogue into a ConfigMap whose hash rolls
 * the pods, Vertex AI through Workload Identity, Memorystore over TLS for the router's shared
 * state and the response cache, Prometheus metrics, and secrets read from files at start-up.
 * It neither retries nor falls back: gateway-app, in front of it, does both.
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
    const numRetries = props.numRetries ?? 0;
    const timeout = props.timeoutSeconds ?? 600;
    const ttl = props.cacheTtlSeconds ?? 600;
    for (const [field, value] of [
      ["numRetries", numRetries],
      ["timeoutSeconds", timeout],
      ["cacheTtlSeconds", ttl],
    ] as const) {
      if (!(Number.isInteger(value) && value >= 0))
        throw new InvalidPropsError(this, field, `must be a whole number of at least 0 ${received(value)}`, "use a non-negative whole number");
    }
    const image = props.image ?? imageRef(VERSIONS.liteLlmImage);
    assertUsableImagePin(this, image);
    validateCaBundle(this, props.redis.caCertificate);
    const names = gatewayNames(props.prefix, props.projectId);
    const redisEnv = { host: "os.environ/REDIS_HOST", port: "os.environ/REDIS_PORT", password: "os.environ/REDIS_PASSWORD" };
    // Memorystore accepts TLS only. Server authentication against its CA; redis-py 5.2.1 does not
    // check the hostname (we connect by IP).
    const redisTls = { ssl: true, ssl_ca_certs: `${CONFIG_DIR}/${REDIS_CA_FILE}` };

    this.liteLlmConfig = {
      model_list: props.catalogue.liteLlmModelList(),
      router_settings: {
        routing_strategy: props.routingStrategy ?? "simple-shuffle",
        // Written out: unset, the Router retries openai.DEFAULT_MAX_RETRIES (2) times. No fallbacks
        // either; gateway-app walks the catalogue's.
        num_retries: numRetries,
        timeout,
        allowed_fails: 3,
        cooldown_time: 30,
        // The Router's own client for cool-downs and usage counters shared across replicas; it is
        // built from these and cache_kwargs only, so TLS has to be repeated here.
        redis_host: redisEnv.host,
        redis_port: redisEnv.port,
        redis_password: redisEnv.password,
        cache_kwargs: redisTls,
      },
      litellm_settings: {
        drop_params: true,
        request_timeout: timeout,
        callbacks: props.tracing ? ["prometheus", LITELLM_FACTS.otel.callback] : ["prometheus"],
        // Prompts and completions stay out of spans (and so out of Cloud Trace).
        ...(props.tracing ? { turn_off_message_logging: true } : {}),
        // Redis health as litellm_redis_* series (Redis-unreachable alert).
        service_callback: ["prometheus_system"],
        // Prometheus scrapes from inside the cluster; NetworkPolicy limits who reaches the port.
        require_auth_for_metrics_endpoint: false,
        cache: true,
        // Opt-in per request (`cache: { "use-cache": true }`): gateway-app asks only for answers a
        // tenant may get again, under its own namespace (gateway-app/src/upstream/cache-controls.ts).
        cache_params: { type: "redis", ...redisEnv, ...redisTls, ttl, namespace: "litellm.cache", mode: LITELLM_FACTS.responseCache.optInMode },
      },
      general_settings: { master_key: "os.environ/LITELLM_MASTER_KEY" },
    };

    const secretFiles: Record<string, string> = { "litellm-master-key": names.secrets.masterKey, "redis-auth": names.secrets.redisAuth };
    const secretEnv = [
      `LITELLM_MASTER_KEY="$(cat ${SECRET_FILES_DIR}/litellm-master-key)"`,
      `REDIS_PASSWORD="$(cat ${SECRET_FILES_DIR}/redis-auth)"`,
    ];
    for (const provider of props.catalogue.keyedProviders) {
      secretFiles[`${provider}-api-key`] = names.secrets.providerKey(provider);
      secretEnv.push(`${PROVIDER_KEY_ENV[provider]}="$(cat ${SECRET_FILES_DIR}/${provider}-api-key)"`);
    }
    const { config, workload } = addConfiguredWorkload(this, {
      namespace: props.namespace,
      projectId: props.projectId,
      name: "litellm",
      component: "router",
      image,
      port: { name: "http", containerPort: ROUTER_PORT },
      config: { mountPath: CONFIG_DIR, data: { "config.yaml": toYaml(this.liteLlmConfig, this), [REDIS_CA_FILE]: props.redis.caCertificate } },
      secrets: { mountPath: SECRET_FILES_DIR, files: secretFiles },
      // Secrets arrive as files (never env valueFrom) and become the environment LiteLLM's
      // `os.environ/` references read, only inside the process.
      command: [
        "/bin/sh",
        "-c",
        `export ${secretEnv.join(" ")}; ${MASTER_KEY_CHECK}; exec litellm --config ${CONFIG_DIR}/config.yaml --port ${ROUTER_PORT}`,
      ],
      env: {
        REDIS_HOST: props.redis.host,
        REDIS_PORT: props.redis.port,
        HOME: "/tmp",
        LITELLM_LOG: "INFO",
        // Otherwise every start fetches the cost map from GitHub; egress is HTTPS-wide, but start-up
        // should not depend on github.com, and our prices come from the catalogue.
        [LITELLM_FACTS.localCostMap.env]: LITELLM_FACTS.localCostMap.value,
        ...(props.tracing
          ? { ...otelSdkEnv("litellm", props.tracing, "http/protobuf"), [LITELLM_FACTS.otel.env.endpoint]: props.tracing.tracesEndpoint }
          : {}),
      },
      writablePaths: ["/tmp", "/.cache", "/.npm"],
      resources: { cpuRequest: "500m", cpuLimit: "1", memoryRequest: "1Gi", ...props.resources },
      scaling: { minReplicas: 2, maxReplicas: 6, ...props.scaling },
      // Never /health: it sends a completion to every model.
      probes: { liveness: "/health/liveliness", readiness: "/health/readiness", startupFailureThreshold: 36 },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": names.routerServiceAccountEmail },
      // uvicorn finishes in-flight responses after SIGTERM without a deadline of its own, so the
      // grace period decides: long enough for the streams gateway-app waits for, after the
      // pre-stop sleep that lets endpoints drop the pod.
      terminationGracePeriodSeconds: ROUTER_PRE_STOP_SECONDS + SHUTDOWN_BUDGET.streamSeconds + SHUTDOWN_BUDGET.killMarginSeconds,
      preStopSleepSeconds: ROUTER_PRE_STOP_SECONDS,
    });
    this.config = config;
    this.workload = workload;
    this.url = `http://${this.workload.serviceHost}:${ROUTER_PORT}`;
  }
}
