import { COMPLIANT, NOT_APPLICABLE, helmValues, violation } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-12",
  level: "error",
  appliesTo: ["helm_release"],
  info: "The Kong chart runs hardened: read-only, non-root, no escalation, no capabilities, no token, admin API off.",
  explanation: "checkov's Terraform scan cannot see inside Helm values, so we check the values we pass to Kong's chart ourselves.",
  fix: "Keep KongEdge's containerSecurityContext and deployment.serviceAccount settings; keep the admin API disabled.",
  check: ({ config }) => {
    if (config.chart !== "kong") return NOT_APPLICABLE;
    const values = helmValues(config);
    if (values === undefined) return { kind: "unresolved", field: "values" };
    const sc = values.containerSecurityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) return violation("containerSecurityContext.readOnlyRootFilesystem is not true");
    if (sc.allowPrivilegeEscalation !== false) return violation("containerSecurityContext.allowPrivilegeEscalation is not false");
    if (sc.runAsNonRoot !== true) return violation("containerSecurityContext.runAsNonRoot is not true");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) return violation("capabilities are not dropped");
    if (values.deployment?.serviceAccount?.automountServiceAccountToken !== false) return violation("the service-account token is mounted");
    if (values.admin?.enabled !== false) return violation("the admin API Service is enabled");
    if (values.customEnv && JSON.stringify(values.customEnv).includes("secretKeyRef"))
      return violation("a secret reaches Kong as an environment variable (customEnv)");
    return COMPLIANT;
  },
});
