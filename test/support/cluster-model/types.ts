/**
 * The Kubernetes objects a deploy would create, as the API server would hold them: our
 * stand-in for the cluster. Only the fields the invariants read; names in the API's own
 * (camelCase) vocabulary, whatever Terraform or Helm spelled them as.
 */
export type Labels = Record<string, string>;

export interface ObjectMeta {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** What creates it: a Terraform address, or `helm_release <name>` for chart objects. */
  readonly origin: string;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: unknown;
  readonly protocol: string;
}
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly secretKeyRef?: { readonly name: string; readonly key: string };
}
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
}
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly env: readonly EnvVar[];
  readonly volumeMounts: readonly VolumeMount[];
}

export type VolumeSource =
  | { readonly configMap: string }
  | { readonly secret: string }
  | { readonly secretProviderClass: string }
  | { readonly emptyDir: true }
  | { readonly projected: true };
export interface Volume {
  readonly name: string;
  readonly source: VolumeSource;
}

export interface PodTemplate {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly serviceAccountName?: string;
  readonly containers: readonly Container[];
  readonly volumes: readonly Volume[];
}

export interface Workload extends ObjectMeta {
  readonly kind: "Deployment" | "StatefulSet";
  readonly selector: Labels;
  /** As written; the invariants check its type. */
  readonly replicas?: unknown;
  readonly template: PodTemplate;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: unknown;
  readonly targetPort: unknown;
  readonly protocol: string;
}
export interface Service extends ObjectMeta {
  readonly type: string;
  readonly selector: Labels;
  readonly ports: readonly ServicePort[];
}
export type ServiceAccount = ObjectMeta;
export interface ConfigMap extends ObjectMeta {
  readonly data: Readonly<Record<string, string>>;
}
export interface Secret extends ObjectMeta {
  readonly keys: readonly string[];
}
/** A custom resource (SecretProviderClass, ServiceMonitor, PodMonitor, Certificate, …). */
export interface CustomObject extends ObjectMeta {
  readonly apiVersion: string;
  readonly kind: string;
  readonly spec: any;
}
export interface DisruptionBudget extends ObjectMeta {
  readonly selector: Labels;
}
export interface Autoscaler extends ObjectMeta {
  readonly target: { readonly kind: string; readonly name: string };
  readonly minReplicas: unknown;
  readonly maxReplicas: unknown;
}

export interface PolicyPeer {
  readonly ipBlock?: { readonly cidr: string; readonly except: readonly string[] };
  readonly namespaceSelector?: Labels;
  readonly podSelector?: Labels;
}
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[];
  readonly ports: readonly { readonly port: unknown; readonly protocol: string }[];
}
export interface NetworkPolicy extends ObjectMeta {
  readonly podSelector: Labels;
  /** The podSelector's `NotIn` expressions: label key → values that exclude a pod. */
  readonly podSelectorNotIn: Readonly<Record<string, readonly string[]>>;
  readonly types: readonly string[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** A helm_release: what we asked of the chart. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly values: any;
  readonly origin: string;
}

/** A `roles/iam.workloadIdentityUser` grant: this Kubernetes service account may act as that Google one. */
export interface WorkloadIdentityBinding {
  readonly gcpServiceAccount: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly origin: string;
}

/** The Google side the pods depend on, from the infrastructure stack. */
export interface GoogleSide {
  readonly workloadIdentity: readonly WorkloadIdentityBinding[];
  /** Secret Manager secret ids, with the Google service accounts granted access. */
  readonly secrets: ReadonlyMap<string, readonly string[]>;
}

/** The objects, by kind, as the API server would list them. */
export interface ClusterObjects {
  namespaces: Namespace[];
  workloads: Workload[];
  services: Service[];
  serviceAccounts: ServiceAccount[];
  configMaps: ConfigMap[];
  secrets: Secret[];
  /** SecretProviderClasses, ServiceMonitors, PodMonitors, Certificates. */
  customObjects: CustomObject[];
  disruptionBudgets: DisruptionBudget[];
  autoscalers: Autoscaler[];
  networkPolicies: NetworkPolicy[];
}

export interface ClusterModel extends Readonly<ClusterObjects> {
  readonly releases: readonly HelmRelease[];
  /** What a chart would refuse to render (`fail` in its templates), by release. */
  readonly chartFailures: readonly string[];
  readonly google: GoogleSide;
}

/** The objects one source (the Terraform resources, a chart) adds; merged into the model. */
export type ObjectSet = ClusterObjects;

export function emptyObjectSet(): ObjectSet {
  return {
    namespaces: [],
    workloads: [],
    services: [],
    serviceAccounts: [],
    configMaps: [],
    secrets: [],
    customObjects: [],
    disruptionBudgets: [],
    autoscalers: [],
    networkPolicies: [],
  };
}
