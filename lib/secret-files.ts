import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { toYaml } from "./yaml";
import { KUBERNETES_COMMON_LABELS } from "./labels";
import { sortedEntries } from "./ordering";

export interface SecretFilesProps {
  readonly namespace: string;
  readonly name: string;
  readonly projectId: string;
  /** File name in the volume → Secret Manager secret id. */
  readonly secrets: Record<string, string>;
  /**
   * The version of every secret to mount.
   * @default "latest"
   */
  readonly version?: string;
}

/**
 * Secret Manager secrets as files in a pod, through the GKE Secret Manager add-on: a
 * SecretProviderClass the pod mounts with the `secrets-store-gke.csi.k8s.io` driver. The
 * values never pass through Terraform; the pod's Workload Identity reads them at mount time.
 * The CRD comes with the add-on (enabled in the infrastructure stack), so it exists when this
 * stack plans.
 * @see https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component
 */
export class SecretFiles extends Construct {
  public readonly manifest: Manifest;
  /** Name of the SecretProviderClass, for a `secretProviderClass` volume. */
  public readonly className: string;

  constructor(scope: Construct, id: string, props: SecretFilesProps) {
    super(scope, id);
    this.className = props.name;
    const secrets = sortedEntries(props.secrets).map(([path, secretId]) => ({
      resourceName: `projects/${props.projectId}/secrets/${secretId}/versions/${props.version ?? "latest"}`,
      path,
    }));
    this.manifest = new Manifest(this, "SecretProviderClass", {
      manifest: {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: props.name, namespace: props.namespace, labels: { ...KUBERNETES_COMMON_LABELS } },
        spec: { provider: "gke", parameters: { secrets: toYaml(secrets, this) } },
      },
    });
  }
}
