import { Construct } from "constructs";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { ModelCatalogue } from "../lib/catalogue";
import type { TenantSpec } from "../lib/tenants";
import { InvalidPropsError, received } from "../lib/errors";
import { gatewayNames } from "../lib/gateway-names";
import { addConfiguredWorkload, SECRET_FILES_DIR } from "../lib/configured-workload";
import type { HardenedWorkload, WorkloadResources, WorkloadScaling } from "../lib/workload";
import { SHUTDOWN_BUDGET } from "../lib/shutdown";
import { guardRenderedValues } from "../lib/synth-guard";
import { otelSdkEnv, type TierTracing } from "../lib/observability/tracing";

export interface GatewayBackendProps {
  readonly catalogue: ModelCatalogue;
  readonly namespace: string;
  readonly projectId: string;
  /** Region of the Artifact Registry repository. */
  readonly region: string;
  /** The prefix the infrastructure stack used. */
  readonly prefix: string;
  /** LiteLLM's in-cluster URL. */
  readonly routerUrl: string;
  /**
   * The gateway-app image in the infrastructure stack's Artifact Registry repository, by
   * digest (`sha256:…`, preferred) or by a pinned tag (the repository's tags are immutable).
   * @default { tag: "0.1.0" }
   */
  readonly image?: { readonly digest: string } | { readonly tag: string };
  /** @default - 250m/1 CPU, 512Mi memory (the image caps the V8 heap at 256 MiB) */
  readonly resources?: WorkloadResources;
  /** @default - 2 to 20 replicas at 70% CPU */
  readonly scaling?: WorkloadScaling;
  /**
   * How long a pod may take to finish in-flight streams after it is told to stop. Kong's drain
   * (KongEdge `drainSeconds`) must stay longer, or Kong cuts the streams this lets finish.
   * @default 300 - the shared shutdown budget (lib/shutdown.ts)
   */
  readonly drainSeconds?: number;
  /** The catalogue's tenants (validated by AiGateway). @default [] */
  readonly tenants?: readonly TenantSpec[];
  /**
   * Memorystore, for governance (keys, budgets, token limits); AiGateway passes it when a tenant
   * has limits, budgets or API keys. Its AUTH string and CA are mounted as files, never env values.
   * @default - none: governance off
   */
  readonly governanceRedis?: { readonly host: string; readonly port: string; readonly caCertificate: string };
  /**
   * Spans to the trace collector (gateway-app/src/tracing reads the OTEL_* variables); AiGateway
   * passes it when tracing is on.
   * @default - none: no OTEL_* variables, gateway-app exports nothing
   */
  readonly tracing?: TierTracing;
}

export const BACKEND_PORT = 8080;
/**
 * gateway-app's /metrics listener, apart from the API so that Prometheus may reach the metrics and
 * nothing but Kong may reach the API (GatewayNetworkPolicies).
 */
export const BACKEND_METRICS_PORT = 9090;
/** The name of that port on the Deployment and Service, which the ServiceMonitor scrapes. */
export const BACKEND_METRICS_PORT_NAME = "metrics";
const CONFIG_DIR = "/etc/gateway";
const REDIS_CA_FILE = "redis-ca.pem";

/**
 * gateway-app on the cluster: the hardened workload shape, its catalogue from the shared one,
 * LiteLLM's key as a mounted file, direct Vertex AI through Workload Identity, and a shutdown
 * long enough to drain streams.
 */
export class GatewayBackend extends Construct {
  public readonly workload: HardenedWorkload;
  public readonly config: ConfigMapV1;
  /** The rendered GATEWAY_CONFIG. */
  public readonly gatewayConfig: Record<string, unknown>;
  public readonly image: string;

  constructor(scope: Construct, id: string, props: GatewayBackendProps) {
    super(scope, id);
    guardRenderedValues(this);
    const names = gatewayNames(props.prefix, props.projectId);
    const drainSeconds = props.drainSeconds ?? SHUTDOWN_BUDGET.streamSeconds;
    if (!(Number.isInteger(drainSeconds) && drainSeconds >= 10)) {
      throw new InvalidPropsError(
        this,
        "drainSeconds",
        `must be a whole number of at least 10 ${received(drainSeconds)}`,
        "allow streams time to finish",
      );
    }
    this.image = backendImage(this, props, names.repository);
    this.gatewayConfig = props.catalogue.gatewayCatalogue(props.tenants);
    // Endpoint removal needs a few seconds; the image has no shell, so the app delays itself.
    const delaySeconds = 10;
    const redis = props.governanceRedis;
    const { config, workload } = addConfiguredWorkload(this, {
      namespace: props.namespace,
      projectId: props.projectId,
      name: "gateway-app",
      component: "backend",
      image: this.image,
      port: { name: "http", containerPort: BACKEND_PORT },
      extraPorts: [{ name: BACKEND_METRICS_PORT_NAME, containerPort: BACKEND_METRICS_PORT }],
      config: {
        mountPath: CONFIG_DIR,
        data: {
          "catalogue.json": JSON.stringify(this.gatewayConfig, null, 2),
          ...(redis ? { [REDIS_CA_FILE]: redis.caCertificate } : {}),
        },
      },
      secrets: {
        mountPath: SECRET_FILES_DIR,
        files: {
          "litellm-api-key": names.secrets.masterKey,
          "edge-token": names.secrets.edgeToken,
          ...(redis ? { "redis-auth": names.secrets.redisAuth } : {}),
        },
      },
      env: {
        GATEWAY_CONFIG: `${CONFIG_DIR}/catalogue.json`,
        PORT: String(BACKEND_PORT),
        METRICS_PORT: String(BACKEND_METRICS_PORT),
        LITELLM_BASE_URL: props.routerUrl,
        LITELLM_API_KEY_FILE: `${SECRET_FILES_DIR}/litellm-api-key`,
        // Kong adds it to every request (KongEdge edgeToken); API requests without it get 401.
        EDGE_TOKEN_FILE: `${SECRET_FILES_DIR}/edge-token`,
        VERTEX_PROJECT: props.catalogue.vertexProject,
        VERTEX_LOCATION: props.catalogue.vertexLocation,
        SHUTDOWN_DELAY_MS: String(delaySeconds * 1000),
        SHUTDOWN_GRACE_MS: String((drainSeconds - delaySeconds) * 1000),
        ...(redis ? governanceEnv(redis) : {}),
        ...(props.tracing ? { ...otelSdkEnv("gateway-app", props.tracing, "http/json"), GOOGLE_CLOUD_PROJECT: props.projectId } : {}),
      },
      resources: { memoryRequest: "512Mi", ...props.resources },
      scaling: { minReplicas: 2, maxReplicas: 20, ...props.scaling },
      probes: { liveness: "/healthz", readiness: "/readyz" },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": names.appServiceAccountEmail },
      preStopSleepSeconds: 0,
      terminationGracePeriodSeconds: drainSeconds + SHUTDOWN_BUDGET.killMarginSeconds,
    });
    this.config = config;
    this.workload = workload;
  }
}

/** gateway-app/src/governance/settings.ts: Memorystore over TLS (port 6378), AUTH and CA from files. */
function governanceEnv(redis: NonNullable<GatewayBackendProps["governanceRedis"]>): Record<string, string> {
  return {
    GOVERNANCE_REDIS_URL: `rediss://${redis.host}:${redis.port}`,
    GOVERNANCE_REDIS_AUTH_FILE: `${SECRET_FILES_DIR}/redis-auth`,
    GOVERNANCE_REDIS_CA_FILE: `${CONFIG_DIR}/${REDIS_CA_FILE}`,
  };
}

function backendImage(scope: Construct, props: GatewayBackendProps, repository: string): string {
  const base = `${props.region}-docker.pkg.dev/${props.projectId}/${repository}/gateway-app`;
  const image = props.image ?? { tag: "0.1.0" };
  if ("digest" in image) {
    if (!/^sha256:[0-9a-f]{64}$/.test(image.digest))
      throw new InvalidPropsError(
        scope,
        "image.digest",
        `is not a sha256 digest ${received(image.digest)}`,
        "pass the digest Artifact Registry printed, sha256:<64 hex digits>",
      );
    return `${base}@${image.digest}`;
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(image.tag) || image.tag === "latest") {
    throw new InvalidPropsError(scope, "image.tag", `is not a pinned tag ${received(image.tag)}`, "use a version tag such as 1.4.2, never latest");
  }
  return `${base}:${image.tag}`;
}
