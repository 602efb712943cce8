import {
  COMPLIANT,
  NOT_APPLICABLE,
  at,
  expectValue,
  isReference,
  unresolved,
  violation,
  type PolicyRule,
  type ResourceUnderTest,
  type Verdict,
} from "../rule";

export const WORKLOADS = ["kubernetes_deployment_v1", "kubernetes_deployment", "kubernetes_pod_v1", "kubernetes_pod"];
export const NAMESPACED = [
  ...WORKLOADS,
  "kubernetes_service_v1",
  "kubernetes_config_map_v1",
  "kubernetes_secret_v1",
  "kubernetes_service_account_v1",
  "kubernetes_network_policy_v1",
  "kubernetes_horizontal_pod_autoscaler_v2",
  "kubernetes_pod_disruption_budget_v1",
  "helm_release",
];

export function podSpec(resource: ResourceUnderTest): Record<string, any> {
  return resource.type.startsWith("kubernetes_pod") ? (at(resource.config, "spec") as any) : (at(resource.config, "spec.template.spec") as any);
}

export function containers(resource: ResourceUnderTest): Record<string, any>[] {
  return [...(podSpec(resource)?.container ?? []), ...(podSpec(resource)?.init_container ?? [])];
}

/** Applies `check` to every container; the first failure decides. */
export function everyContainer(
  resource: ResourceUnderTest,
  check: (container: Record<string, any>, pod: Record<string, any>) => string | undefined,
): Verdict {
  for (const container of containers(resource)) {
    const problem = check(container, podSpec(resource));
    if (problem) return violation(`container ${container.name}: ${problem}`);
  }
  return COMPLIANT;
}

export const securityContext = (container: Record<string, any>) => (at(container, "security_context") ?? {}) as Record<string, any>;
export const podSecurityContext = (pod: Record<string, any>) => (at(pod, "security_context") ?? {}) as Record<string, any>;

export { helmValues } from "../rule";

export { COMPLIANT, NOT_APPLICABLE, at, expectValue, isReference, unresolved, violation };
export type { PolicyRule, ResourceUnderTest, Verdict };
