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

export function imageRef(image: { readonly repository: string; readonly tag: string }): string {
  return `${image.repository}:${image.tag}`;
}
