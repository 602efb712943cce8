// The public API of the construct library: re-exports only.
export * from "./ai-gateway-cluster";
export * from "./cluster-access";
export * from "./gateway-namespaces";
export * from "./infrastructure-stack";
export * from "./platform-stack";
export * from "./project-services";
export { InvalidPropsError } from "../lib/errors";
export type { StateBackendOptions } from "../lib/state-backend";
