import { Construct } from "constructs";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { addConfiguredWorkload } from "../lib/configured-workload";
import { InvalidPropsError, received } from "../lib/errors";
import { assertUsableImagePin } from "../lib/images";
import { guardRenderedValues } from "../lib/synth-guard";
import { OTEL_COLLECTOR_FACTS } from "../lib/upstream-facts";
import type { HardenedWorkload, WorkloadResources, WorkloadScaling } from "../lib/workload";
import { toYaml } from "../lib/yaml";

export interface TraceCollectorProps {
  readonly namespace: string;
  /** The project whose Cloud Trace receives the spans. */
  readonly projectId: string;
  /** The Google service account the collector's Kubernetes service account acts as (roles/cloudtrace.agent). */
  readonly serviceAccountEmail: string;
  /**
   * The collector image, by digest (preferred) or fixed tag; it must be a contrib build with the
   * googlecloud exporter, and the config is checked against that distribution's components.
   * @default "otel/opentelemetry-collector-contrib:0.159.0"
   */
  readonly image?: string;
  /** @default - 100m/500m CPU, 256Mi memory */
  readonly resources?: WorkloadResources;
  /** @default - 2 to 4 replicas at 70% CPU */
  readonly scaling?: WorkloadScaling;
}

/** The collector's name: its Deployment, Service and Kubernetes service account (bound by Workload Identity). */
export const TRACE_COLLECTOR_NAME = "otel-collector";
/** `app.kubernetes.io/component` of the collector's pods, which the NetworkPolicies select. */
export const TRACE_COLLECTOR_COMPONENT = "trace-collector";
export const OTLP_HTTP_PORT = OTEL_COLLECTOR_FACTS.image.ports.otlpHttp;
export const OTLP_GRPC_PORT = OTEL_COLLECTOR_FACTS.image.ports.otlpGrpc;
const HEALTH_PORT = 13133;
const CONFIG_DIR = "/etc/otelcol";
const DEFAULT_MEMORY_MIB = 256;

/**
 * An OpenTelemetry Collector that receives OTLP (HTTP on 4318, gRPC on 4317) from the gateway's
 * tiers and exports to Cloud Trace with the googlecloud exporter, as its own Workload Identity
 * account (no keys). memory_limiter then batch, health on the health_check extension, and the
 * hardened workload shape of the other tiers (non-root, read-only root, requests and limits, PDB).
 */
export class TraceCollector extends Construct {
  public readonly workload: HardenedWorkload;
  public readonly config: ConfigMapV1;
  /** The collector's configuration, as an object (tests read it). */
  public readonly collectorConfig: Record<string, unknown>;
  /** Where the tiers send spans: `http://otel-collector.<namespace>.svc.cluster.local:4318/v1/traces`. */
  public readonly tracesEndpoint: string;

  constructor(scope: Construct, id: string, props: TraceCollectorProps) {
    super(scope, id);
    guardRenderedValues(this);
    const image = props.image ?? `${OTEL_COLLECTOR_FACTS.image.repository}:${OTEL_COLLECTOR_FACTS.image.tag}`;
    assertUsableImagePin(this, image);
    const resources: WorkloadResources = { cpuRequest: "100m", cpuLimit: "500m", memoryRequest: `${DEFAULT_MEMORY_MIB}Mi`, ...props.resources };
    this.collectorConfig = collectorConfig(props.projectId);
    const { config, workload } = addConfiguredWorkload(this, {
      projectId: props.projectId,
      namespace: props.namespace,
      name: TRACE_COLLECTOR_NAME,
      component: TRACE_COLLECTOR_COMPONENT,
      image,
      config: { mountPath: CONFIG_DIR, data: { "config.yaml": toYaml(this.collectorConfig, this) } },
      // The probes use the main port, so the health_check extension's listener is it.
      port: { name: "health", containerPort: HEALTH_PORT },
      extraPorts: [
        { name: "otlp-http", containerPort: OTLP_HTTP_PORT },
        { name: "otlp-grpc", containerPort: OTLP_GRPC_PORT },
      ],
      args: ["--config", `${CONFIG_DIR}/config.yaml`],
      env: { GOMEMLIMIT: goMemLimit(this, resources.memoryLimit ?? resources.memoryRequest ?? `${DEFAULT_MEMORY_MIB}Mi`) },
      resources,
      scaling: { minReplicas: 2, maxReplicas: 4, ...props.scaling },
      probes: { liveness: "/", readiness: "/" },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": props.serviceAccountEmail },
      // The image is built FROM scratch: no `sleep` for a preStop hook. On SIGTERM the collector
      // stops its receivers and flushes the batch processor before it exits.
      preStopSleepSeconds: 0,
      runAsUser: OTEL_COLLECTOR_FACTS.image.user,
    });
    this.config = config;
    this.workload = workload;
    this.tracesEndpoint = `http://${this.workload.serviceHost}:${OTLP_HTTP_PORT}/v1/traces`;
  }
}

/**
 * The collector's configuration: OTLP in, memory_limiter then batch, googlecloud out. Listeners
 * bind every address because the receivers' default (localhost) is unreachable from other pods.
 */
export function collectorConfig(projectId: string): Record<string, unknown> {
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}`, path: "/" } },
    receivers: {
      otlp: { protocols: { http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` }, grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` } } },
    },
    processors: {
      // Refuses data (receivers answer 429/RESOURCE_EXHAUSTED, which SDKs retry) before the pod nears its limit.
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 512, send_batch_max_size: 1024, timeout: "5s" },
    },
    exporters: { googlecloud: { project: projectId } },
    service: {
      extensions: ["health_check"],
      pipelines: { traces: { receivers: ["otlp"], processors: [...OTEL_COLLECTOR_FACTS.pipelineOrder.processors], exporters: ["googlecloud"] } },
    },
  };
}

/** GOMEMLIMIT at 80% of the container's memory limit, so the Go runtime collects before the kernel kills. */
function goMemLimit(scope: Construct, memory: string): string {
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (!match)
    throw new InvalidPropsError(scope, "resources.memoryLimit", `must be whole Mi or Gi ${received(memory)}`, 'use a value like "256Mi" or "1Gi"');
  const mib = Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
  return `${Math.floor(mib * OTEL_COLLECTOR_FACTS.pipelineOrder.goMemLimitFraction)}MiB`;
}
