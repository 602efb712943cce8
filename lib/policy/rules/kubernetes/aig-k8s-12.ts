import { NOT_APPLICABLE, helmValues } from "../kubernetes-helpers";
import { defineRule, eachCheck } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-12",
  level: "error",
  appliesTo: ["helm_release"],
  info: "The Kong chart runs hardened: read-only, non-root, no escalation, no capabilities, no token, admin API off.",
  explanation: "checkov's Terraform scan cannot see inside Helm values, so we check the values we pass to Kong's chart ourselves.",
  fix: "Keep KongEdge's containerSecurityContext and deployment.serviceAccount settings; keep the admin API disabled.",
  checks: [
    "read-only-root",
    "no-privilege-escalation",
    "non-root",
    "drop-capabilities",
    "no-service-account-token",
    "admin-api-off",
    "no-secret-env",
  ],
  check: ({ config }) => {
    if (config.chart !== "kong") return NOT_APPLICABLE;
    const values = helmValues(config);
    if (values === undefined) return { kind: "unresolved", field: "values" };
    const sc = values.containerSecurityContext ?? {};
    return eachCheck(config, {
      "read-only-root": () => (sc.readOnlyRootFilesystem === true ? undefined : "containerSecurityContext.readOnlyRootFilesystem is not true"),
      "no-privilege-escalation": () =>
        sc.allowPrivilegeEscalation === false ? undefined : "containerSecurityContext.allowPrivilegeEscalation is not false",
      "non-root": () => (sc.runAsNonRoot === true ? undefined : "containerSecurityContext.runAsNonRoot is not true"),
      "drop-capabilities": () => ((sc.capabilities?.drop ?? []).includes("ALL") ? undefined : "capabilities are not dropped"),
      "no-service-account-token": () =>
        values.deployment?.serviceAccount?.automountServiceAccountToken === false ? undefined : "the service-account token is mounted",
      "admin-api-off": () => (values.admin?.enabled === false ? undefined : "the admin API Service is enabled"),
      "no-secret-env": () =>
        values.customEnv && JSON.stringify(values.customEnv).includes("secretKeyRef")
          ? "a secret reaches Kong as an environment variable (customEnv)"
          : undefined,
    });
  },
});
