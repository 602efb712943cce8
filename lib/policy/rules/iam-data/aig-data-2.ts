import { COMPLIANT, findSecretLiteral, violation } from "../iam-data-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-DATA-2",
  level: "error",
  appliesTo: ["*"],
  info: "No literal that looks like a secret appears in the configuration.",
  explanation: "Whatever is in the synthesized JSON ends up in Git, CI logs and the Terraform state.",
  fix: "Keep the value in Secret Manager and reference it (a mounted file, os.environ/…, {vault://…}).",
  // A reference is how a credential should arrive: this rule looks for literals only.
  decidesReferences: true,
  check: ({ config }) => {
    const finding = findSecretLiteral(config, "");
    return finding ? violation(finding) : COMPLIANT;
  },
});
