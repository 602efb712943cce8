import { WORKLOADS, COMPLIANT, at, violation } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-10",
  level: "error",
  appliesTo: [...WORKLOADS, "kubernetes_service_account_v1"],
  cis: "4.1.5",
  info: "Service-account tokens are mounted only where needed.",
  explanation: "A mounted token lets any code in the pod call the Kubernetes API as the pod.",
  fix: "Set automount_service_account_token = false unless the workload calls the API server.",
  check: ({ type, config }) => {
    const value =
      type === "kubernetes_service_account_v1"
        ? config.automount_service_account_token
        : at(
            config,
            type.startsWith("kubernetes_pod") ? "spec.automount_service_account_token" : "spec.template.spec.automount_service_account_token",
          );
    return value === false ? COMPLIANT : violation("automount_service_account_token is not false");
  },
});
