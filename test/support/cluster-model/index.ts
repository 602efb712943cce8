import { fromYaml } from "../../../lib/yaml";
import type { TerraformJson } from "../terraform";
import { kongChart, type ChartContext, type ChartRender } from "./kong-chart";
import { kubePrometheusStackChart } from "./kube-prometheus-stack-chart";
import { googleSide, helmReleases, objectsFromTerraform } from "./terraform-objects";
import type { ClusterModel, HelmRelease, ObjectSet } from "./types";

export * from "./types";
export { chartFacts } from "./chart-facts";

/** A chart's model: what it renders from a release's values. One per chart we install. */
export type ChartModel = (release: HelmRelease, context: ChartContext) => ChartRender;

export const CHART_MODELS: Readonly<Record<string, ChartModel>> = {
  kong: kongChart,
  "kube-prometheus-stack": kubePrometheusStackChart,
};

export interface ClusterModelOptions {
  /**
   * API groups the cluster serves besides the built-in ones (charts switch on them).
   * @default - none: cert-manager is not installed
   */
  readonly apiVersions?: readonly string[];
}

/** The objects the two stacks create once applied: the platform stack's directly and through its charts. */
export function buildClusterModel(
  stacks: { platform: TerraformJson; infrastructure?: TerraformJson },
  options: ClusterModelOptions = {},
): ClusterModel {
  const objects = objectsFromTerraform(stacks.platform);
  const releases = helmReleases(stacks.platform, fromYaml);
  const context: ChartContext = { apiVersions: new Set(options.apiVersions ?? []) };
  const chartFailures: string[] = [];
  for (const release of releases) {
    const model = CHART_MODELS[release.chart];
    if (!model) throw new Error(`cluster model: no chart model for ${release.chart}; add one to CHART_MODELS`);
    const rendered = model(release, context);
    merge(objects, rendered.objects);
    chartFailures.push(...rendered.failures);
  }
  const google = stacks.infrastructure ? googleSide(stacks.infrastructure) : { workloadIdentity: [], secrets: new Map() };
  return { ...objects, releases, chartFailures, google };
}

function merge(into: ObjectSet, from: ObjectSet): void {
  for (const key of Object.keys(into) as (keyof ObjectSet)[]) (into[key] as unknown[]).push(...from[key]);
}
