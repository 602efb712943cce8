import { Construct } from "constructs";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { InvalidPropsError, received } from "./errors";
import { isPinnedImage } from "./images";
import { KUBERNETES_COMMON_LABELS } from "./labels";
import { sortedEntries } from "./ordering";
import { guardRenderedValues } from "./synth-guard";

/** A file mounted into the container from a Secret, a ConfigMap or a Secret Manager CSI volume. */
export interface MountedFiles {
  /** Volume name, unique in the pod. */
  readonly name: string;
  readonly mountPath: string;
  readonly source: { readonly configMap: string } | { readonly secret: string } | { readonly secretProviderClass: string };
}

export interface WorkloadResources {
  /** @default "250m" */
  readonly cpuRequest?: string;
  /** @default "1" */
  readonly cpuLimit?: string;
  /** @default "256Mi" */
  readonly memoryRequest?: string;
  /** @default - the memory request (no overcommit: the pod is never OOM-killed for a neighbour) */
  readonly memoryLimit?: string;
}

export interface WorkloadScaling {
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** @default 70 */
  readonly targetCpuUtilization?: number;
}

export interface HardenedWorkloadProps {
  readonly namespace: string;
  /** Name of the Deployment, Service, ServiceAccount, HPA and PDB. */
  readonly name: string;
  /** `app.kubernetes.io/component`, used by NetworkPolicies. */
  readonly component: string;
  /** Image by digest or pinned tag; `latest` and untagged images are refused. */
  readonly image: string;
  readonly port: { readonly name: string; readonly containerPort: number; readonly servicePort?: number };
  /** More named ports, on the container and the Service (e.g. a metrics listener apart from the API). @default [] */
  readonly extraPorts?: readonly { readonly name: string; readonly containerPort: number }[];
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** Plain, non-secret environment variables. Secrets come as files. @default {} */
  readonly env?: Record<string, string>;
  /** @default [] */
  readonly files?: MountedFiles[];
  /** Writable directories (emptyDir), as the root filesystem is read-only. @default ["/tmp"] */
  readonly writablePaths?: string[];
  /** @default - see WorkloadResources */
  readonly resources?: WorkloadResources;
  /** @default - see WorkloadScaling */
  readonly scaling?: WorkloadScaling;
  /** HTTP paths on the named port. */
  readonly probes: { readonly liveness: string; readonly readiness: string; readonly startupFailureThreshold?: number };
  /** Annotations of the service account (e.g. `iam.gke.io/gcp-service-account`). @default {} */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Mount a Kubernetes API token: only for workloads that call the API server. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Pod annotations, e.g. a config checksum that rolls pods on change. @default {} */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Seconds a pod keeps serving after it was told to stop, so endpoints are removed first. Runs
   * the image's `sleep`; use 0 for images without one (distroless) and delay in the app instead.
   * @default 10
   */
  readonly preStopSleepSeconds?: number;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** UID and GID the container runs as (checkov CKV_K8S_40 wants >= 10000). @default 10001 */
  readonly runAsUser?: number;
}

const WORKLOAD_DEFAULTS = {
  resources: { cpuRequest: "250m", cpuLimit: "1", memoryRequest: "256Mi" },
  scaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 },
  writablePaths: ["/tmp"],
  preStopSleepSeconds: 10,
  terminationGracePeriodSeconds: 30,
  runAsUser: 10001,
} as const;

/**
 * The one Kubernetes workload shape every workload we render uses: a Deployment with a
 * hardened pod (non-root high UID, read-only root filesystem with emptyDirs, all capabilities
 * dropped, no privilege escalation, RuntimeDefault seccomp, no API token unless asked),
 * requests and limits, probes, zone and node spread, a preStop delay; plus its Service,
 * ServiceAccount, HPA and PDB.
 */
export class HardenedWorkload extends Construct {
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly serviceAccount: ServiceAccountV1;
  public readonly autoscaler: HorizontalPodAutoscalerV2;
  public readonly disruptionBudget: PodDisruptionBudgetV1;
  /** Labels that select this workload's pods. */
  public readonly selector: Record<string, string>;
  /** `<name>.<namespace>.svc.cluster.local:<port>` */
  public readonly serviceHost: string;
  public readonly servicePort: number;

  constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    guardRenderedValues(this);
    validateImage(this, props.image);
    const scaling = { ...WORKLOAD_DEFAULTS.scaling, ...props.scaling };
    if (scaling.minReplicas < 1 || scaling.minReplicas > scaling.maxReplicas) {
      throw new InvalidPropsError(
        this,
        "scaling.minReplicas",
        `must be at least 1 and at most maxReplicas (${scaling.maxReplicas}) ${received(scaling.minReplicas)}`,
        "adjust minReplicas or maxReplicas",
      );
    }
    const resources = { ...WORKLOAD_DEFAULTS.resources, ...props.resources };
    const runAsUser = props.runAsUser ?? WORKLOAD_DEFAULTS.runAsUser;
    const preStopSleep = props.preStopSleepSeconds ?? WORKLOAD_DEFAULTS.preStopSleepSeconds;
    this.selector = { "app.kubernetes.io/name": props.name, "app.kubernetes.io/component": props.component };
    const labels = { ...KUBERNETES_COMMON_LABELS, ...this.selector };
    const metadata = { name: props.name, namespace: props.namespace, labels };
    this.servicePort = props.port.servicePort ?? props.port.containerPort;
    this.serviceHost = `${props.name}.${props.namespace}.svc.cluster.local`;

    this.serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { ...metadata, annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: props.mountServiceAccountToken ?? false,
    });

    const writable = (props.writablePaths ?? WORKLOAD_DEFAULTS.writablePaths).map((path, index) => ({ name: `writable-${index}`, path }));
    const files = props.files ?? [];
    this.deployment = new DeploymentV1(this, "Deployment", {
      metadata,
      // The HPA owns the replica count; Terraform must not fight it on every apply.
      waitForRollout: true,
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
      spec: {
        replicas: String(scaling.minReplicas),
        selector: { matchLabels: this.selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
        template: {
          metadata: { labels, annotations: props.podAnnotations },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: props.mountServiceAccountToken ?? false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? WORKLOAD_DEFAULTS.terminationGracePeriodSeconds,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(runAsUser),
              runAsGroup: String(runAsUser),
              fsGroup: String(runAsUser),
              seccompProfile: { type: "RuntimeDefault" },
            },
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: [{ matchLabels: this.selector }],
              },
              {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: [{ matchLabels: this.selector }],
              },
            ],
            container: [
              {
                name: props.name,
                image: props.image,
                imagePullPolicy: "IfNotPresent",
                command: props.command,
                args: props.args,
                port: [props.port, ...(props.extraPorts ?? [])].map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: "TCP" })),
                env: sortedEntries(props.env ?? {}).map(([name, value]) => ({ name, value })),
                resources: {
                  requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                  limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit ?? resources.memoryRequest },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: String(runAsUser),
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                startupProbe: {
                  httpGet: { path: props.probes.readiness, port: props.port.name },
                  periodSeconds: 5,
                  failureThreshold: props.probes.startupFailureThreshold ?? 24,
                },
                livenessProbe: {
                  httpGet: { path: props.probes.liveness, port: props.port.name },
                  periodSeconds: 10,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                readinessProbe: {
                  httpGet: { path: props.probes.readiness, port: props.port.name },
                  periodSeconds: 5,
                  timeoutSeconds: 3,
                  failureThreshold: 2,
                },
                lifecycle: preStopSleep > 0 ? { preStop: [{ exec: { command: ["sleep", String(preStopSleep)] } }] } : undefined,
                volumeMount: [
                  ...writable.map((w) => ({ name: w.name, mountPath: w.path })),
                  ...files.map((f) => ({ name: f.name, mountPath: f.mountPath, readOnly: true })),
                ],
              },
            ],
            volume: [...writable.map((w) => ({ name: w.name, emptyDir: { sizeLimit: "256Mi" } })), ...files.map((f) => volumeFor(f))],
          },
        },
      },
    });

    this.service = new ServiceV1(this, "Service", {
      metadata,
      spec: {
        type: "ClusterIP",
        selector: this.selector,
        port: [
          { name: props.port.name, port: this.servicePort, targetPort: props.port.name, protocol: "TCP" },
          ...(props.extraPorts ?? []).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: "TCP" })),
        ],
      },
    });

    this.autoscaler = new HorizontalPodAutoscalerV2(this, "Autoscaler", {
      metadata,
      spec: {
        minReplicas: scaling.minReplicas,
        maxReplicas: scaling.maxReplicas,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.name },
        metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: scaling.targetCpuUtilization } } }],
      },
    });

    this.disruptionBudget = new PodDisruptionBudgetV1(this, "DisruptionBudget", {
      metadata,
      spec: { maxUnavailable: "1", selector: { matchLabels: this.selector } },
    });
  }
}

function volumeFor(files: MountedFiles) {
  const source = files.source;
  if ("configMap" in source) return { name: files.name, configMap: { name: source.configMap } };
  if ("secret" in source) return { name: files.name, secret: { secretName: source.secret } };
  return {
    name: files.name,
    csi: { driver: "secrets-store-gke.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: source.secretProviderClass } },
  };
}

/** Images must be pinned: a digest, or a tag other than `latest`. */
export function validateImage(scope: Construct, image: string): void {
  if (!isPinnedImage(image)) {
    throw new InvalidPropsError(
      scope,
      "image",
      `is not pinned ${received(image)}`,
      "use a digest (image@sha256:…) or a fixed version tag, never latest",
    );
  }
}
