// The public API of the construct library: re-exports only.
export * from "./ai-gateway";
export * from "./ai-gateway-cluster";
export * from "./cluster-access";
export * from "./gateway-backend";
export * from "./gateway-infrastructure";
export * from "./gateway-namespaces";
export * from "./gateway-network-policies";
export * from "./kong-edge";
export * from "./lite-llm-router";
export * from "./observability-stack";
export * from "./infrastructure-stack";
export * from "./platform-stack";
export * from "./project-services";
export * from "./trace-collector";
export { InvalidPropsError } from "../lib/errors";
export * from "../lib/catalogue";
export { resolveGatewaySpec, type GatewaySpec, type ResolvedGatewaySpec, type TracingSpec } from "../lib/gateway-spec";
export { HardenedWorkload, type HardenedWorkloadProps } from "../lib/workload";
export { VERSIONS } from "../lib/versions";
export type { TierTracing } from "../lib/observability/tracing";
export type { StateBackendOptions } from "../lib/state-backend";
export {
  PolicyPack,
  POLICY_RULES,
  suppressPolicy,
  type Finding,
  type PolicyPackOptions,
  type PolicyReport,
  type Suppression,
} from "../lib/policy/pack";
export type { PolicyRule, Verdict } from "../lib/policy/rule";
