import { COMPLIANT, IAM_GRANTS, PRIMITIVE_ROLES, isReference, unresolved, violation } from "../iam-data-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-IAM-1",
  level: "error",
  appliesTo: IAM_GRANTS,
  info: "No primitive roles (owner, editor, viewer) are granted.",
  explanation: "Primitive roles grant thousands of permissions across every service of the project.",
  fix: "Grant predefined or custom roles with only the permissions needed.",
  check: ({ config }) => {
    const role = config.role;
    if (isReference(role)) return unresolved("role");
    return PRIMITIVE_ROLES.has(role) ? violation(`grants ${role}`) : COMPLIANT;
  },
});
