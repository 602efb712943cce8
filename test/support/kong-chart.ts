import { generateKeyPairSync } from "node:crypto";
import { KONG_CHART_FACTS } from "../../lib/upstream-facts";

/**
 * What the Kong chart renders from our values, modelled from KONG_CHART_FACTS (its templates at
 * the pinned version), because CI cannot run `helm template` on the real chart.
 */

/**
 * The pod template's labels as the API server stores them: the chart's labels, then `podLabels`
 * appended to the same map; of a repeated key the last one stays.
 */
export function kongPodTemplateLabels(values: { podLabels?: Record<string, string> }): Record<string, string> {
  const lines: [string, string][] = [
    ...KONG_CHART_FACTS.podLabels.chartRendered.map(([k, v]) => [k, v] as [string, string]),
    ...Object.entries(values.podLabels ?? {}),
  ];
  return Object.fromEntries(lines);
}

/** True when every label of the selector is on the pod. */
export function selects(selector: Readonly<Record<string, string>>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Why the chart's pdb.yaml refuses to render these values, or undefined when it renders. */
export function pdbRenderFailure(values: any): string | undefined {
  if (!values.podDisruptionBudget?.enabled) return undefined;
  const facts = KONG_CHART_FACTS.podDisruptionBudget;
  if (!values.autoscaling?.enabled && values.replicaCount < facts.smallestReplicaCount) return "PDB with replicaCount 1 and no autoscaling";
  if (values.autoscaling?.enabled && values.autoscaling.minReplicas < facts.smallestAutoscalingMinReplicas)
    return "PDB with autoscaling.minReplicas 1";
  return undefined;
}

/** Dotted paths of the values, stopping at arrays and at maps the chart renders whole. */
export function valuesKeyPaths(values: Record<string, unknown>, prefix = ""): string[] {
  const passThrough: readonly string[] = KONG_CHART_FACTS.valuesKeys.passThrough;
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const isMap = value !== null && typeof value === "object" && !Array.isArray(value);
    return isMap && !passThrough.includes(path) ? valuesKeyPaths(value as Record<string, unknown>, path) : [path];
  });
}

/** Keys the chart at the pinned version reads. */
export function chartReadsKey(path: string): boolean {
  const keys = KONG_CHART_FACTS.valuesKeys;
  return path in keys.declared || path in keys.templateOnly;
}

const keys = new Map<string, string>();
/** A PEM public key of the given type, generated once per process. */
export function publicKeyPem(type: "rsa-2048" | "rsa-1024" | "ec" = "rsa-2048"): string {
  if (!keys.has(type)) {
    const pair =
      type === "ec"
        ? generateKeyPairSync("ec", { namedCurve: "P-256" })
        : generateKeyPairSync("rsa", { modulusLength: type === "rsa-1024" ? 1024 : 2048 });
    keys.set(type, pair.publicKey.export({ type: "spki", format: "pem" }).toString());
  }
  return keys.get(type)!;
}
