/**
 * Every chart and image version we deploy, pinned in one place. Bumping one is a reviewed
 * change; the README table is generated from this module.
 */
export const VERSIONS = {
  kongChart: { repository: "https://charts.konghq.com", chart: "kong", version: "3.4.1" },
  kongImage: { repository: "kong", tag: "3.9.1" },
  liteLlmImage: { repository: "ghcr.io/berriai/litellm", tag: "main-v1.80.12" },
  kubePrometheusStackChart: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "88.5.3" },
} as const;

/**
 * An image pin. A tag alone can be pushed again; with `digest` the reference names content,
 * `repository:tag@sha256:…` (the tag then only documents which release the digest is).
 */
export interface ImagePin {
  readonly repository: string;
  readonly tag: string;
  /** @default - tag only */
  readonly digest?: string;
}

/** `repository:tag`, or `repository:tag@sha256:…` when the pin has a digest. */
export function imageRef(image: ImagePin): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
}
