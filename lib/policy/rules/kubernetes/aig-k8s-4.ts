import { WORKLOADS, everyContainer, securityContext } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-4",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_20", "CKV_K8S_16"],
  info: "Containers cannot escalate privileges and are not privileged.",
  explanation: "Privilege escalation turns any foothold in a container into root.",
  fix: "Set security_context.allow_privilege_escalation = false and privileged = false.",
  check: (r) =>
    everyContainer(r, (c) =>
      securityContext(c).allow_privilege_escalation !== false
        ? "allow_privilege_escalation is not false"
        : securityContext(c).privileged === true
          ? "privileged"
          : undefined,
    ),
});
