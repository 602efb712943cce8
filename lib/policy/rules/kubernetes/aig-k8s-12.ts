import { COMPLIANT, NOT_APPLICABLE, helmValues, violation } from "../kubernetes-helpers";
import { defineRule, type Verdict } from "../../rule";

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
    const found: Verdict[] = [];
    const demand = (ok: boolean, check: string, reason: string) => {
      if (!ok) found.push(violation(reason, check));
    };
    demand(sc.readOnlyRootFilesystem === true, "read-only-root", "containerSecurityContext.readOnlyRootFilesystem is not true");
    demand(sc.allowPrivilegeEscalation === false, "no-privilege-escalation", "containerSecurityContext.allowPrivilegeEscalation is not false");
    demand(sc.runAsNonRoot === true, "non-root", "containerSecurityContext.runAsNonRoot is not true");
    demand((sc.capabilities?.drop ?? []).includes("ALL"), "drop-capabilities", "capabilities are not dropped");
    demand(
      values.deployment?.serviceAccount?.automountServiceAccountToken === false,
      "no-service-account-token",
      "the service-account token is mounted",
    );
    demand(values.admin?.enabled === false, "admin-api-off", "the admin API Service is enabled");
    demand(
      !(values.customEnv && JSON.stringify(values.customEnv).includes("secretKeyRef")),
      "no-secret-env",
      "a secret reaches Kong as an environment variable (customEnv)",
    );
    return found.length > 0 ? found : COMPLIANT;
  },
});
