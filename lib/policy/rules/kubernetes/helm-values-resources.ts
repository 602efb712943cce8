import { COMPLIANT, NOT_APPLICABLE, helmValues, unresolved, violation, type Verdict } from "../kubernetes-helpers";
import { defineRule } from "../../rule";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../../../upstream-facts";

/** Charts whose components' resource settings we know, read from the charts at their pins. */
const RESOURCE_PATHS: Record<string, readonly { path: string; enabledBy?: string; enabledDefault?: boolean }[]> = {
  "kube-prometheus-stack": KUBE_PROMETHEUS_STACK_FACTS.resourcePaths,
};

const valueAt = (values: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), values);

function missingResources(resources: unknown): string[] {
  const r = (resources ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return ["requests", "limits"].flatMap((kind) => ["cpu", "memory"].filter((what) => !r[kind]?.[what]).map((what) => `${kind}.${what}`));
}

function checkRelease(config: Record<string, any>): Verdict {
  const paths = RESOURCE_PATHS[String(config.chart)];
  if (!paths) return NOT_APPLICABLE;
  const values = helmValues(config);
  if (values === undefined) return unresolved("values");
  const problems = paths
    .filter((p) => !p.enabledBy || (valueAt(values, p.enabledBy) ?? p.enabledDefault ?? true) !== false)
    .flatMap((p) => {
      const missing = missingResources(valueAt(values, p.path));
      return missing.length > 0 ? [`${p.path} lacks ${missing.join(", ")}`] : [];
    });
  return problems.length === 0 ? COMPLIANT : violation(problems.join("; "));
}

export const rule = defineRule({
  id: "AIG-K8S-15",
  level: "error",
  appliesTo: ["helm_release"],
  info: "Every component a chart deploys requests and limits CPU and memory.",
  explanation:
    "AIG-K8S-2 for what Helm renders: a chart's operator, sidecars and exporters default to no " +
    "resources, so the scheduler cannot place them and one of them can starve the node.",
  fix:
    "Set requests and limits for cpu and memory at each component's resources key in the chart's values " +
    "(ObservabilityStack does for kube-prometheus-stack).",
  check: ({ config }) => checkRelease(config),
});
