import { createHash } from "node:crypto";
import type { Construct } from "constructs";
import { dependable, Token } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { KUBERNETES_COMMON_LABELS } from "./labels";
import { SecretFiles } from "./secret-files";
import { HardenedWorkload, type HardenedWorkloadProps } from "./workload";

/** Where the gateway's workloads mount their Secret Manager files. */
export const SECRET_FILES_DIR = "/var/run/secrets/ai-gateway";

export interface ConfiguredWorkloadProps extends Omit<HardenedWorkloadProps, "files" | "podAnnotations"> {
  /** Project of the Secret Manager secrets. */
  readonly projectId: string;
  /** Files of the ConfigMap `<name>-config`; any change rolls the pods. */
  readonly config: { readonly mountPath: string; readonly data: Record<string, string> };
  /**
   * Secret Manager secrets mounted as files through `<name>-secrets`: file name → secret id.
   * @default - none: no SecretProviderClass, no secrets mount
   */
  readonly secrets?: { readonly mountPath: string; readonly files: Record<string, string> };
}

/**
 * SHA-256 over a ConfigMap's data, as the pod annotation that rolls pods on change. Values only
 * known at apply time (Memorystore's CA) count as a fixed placeholder: token placeholders are
 * not stable between synths and would roll pods for nothing.
 */
export function configChecksum(data: Record<string, string>): string {
  const ordered = Object.keys(data)
    .sort()
    .map((key) => [key, Token.isUnresolved(data[key]) || data[key].includes("${") ? "<known at apply time>" : data[key]]);
  return createHash("sha256").update(JSON.stringify(ordered)).digest("hex");
}

/**
 * A hardened workload with its configuration in a ConfigMap (checksummed into the pod
 * template) and its secrets, if any, as files from Secret Manager, both created before the pods.
 * The pieces keep the construct ids `Config`, `Secrets` and `Workload` in `scope`.
 */
export function addConfiguredWorkload(scope: Construct, props: ConfiguredWorkloadProps) {
  const { config: configFiles, secrets: secretFiles, projectId, ...workloadProps } = props;
  const config = new ConfigMapV1(scope, "Config", {
    metadata: {
      name: `${props.name}-config`,
      namespace: props.namespace,
      labels: { ...KUBERNETES_COMMON_LABELS, "app.kubernetes.io/name": props.name },
    },
    data: configFiles.data,
  });
  const secrets =
    secretFiles &&
    new SecretFiles(scope, "Secrets", {
      namespace: props.namespace,
      name: `${props.name}-secrets`,
      projectId,
      secrets: secretFiles.files,
    });
  const workload = new HardenedWorkload(scope, "Workload", {
    ...workloadProps,
    files: [
      { name: "config", mountPath: configFiles.mountPath, source: { configMap: `${props.name}-config` } },
      ...(secrets ? [{ name: "secrets", mountPath: secretFiles!.mountPath, source: { secretProviderClass: secrets.className } }] : []),
    ],
    podAnnotations: { "checksum/config": configChecksum(configFiles.data) },
  });
  // The pods mount both; creating them first avoids a crash-looping first rollout.
  workload.deployment.dependsOn = [...(secrets ? [dependable(secrets.manifest)] : []), dependable(config)];
  return { config, secrets, workload };
}
