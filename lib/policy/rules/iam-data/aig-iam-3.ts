import { COMPLIANT, NOT_APPLICABLE, isReference, unresolved, violation } from "../iam-data-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-IAM-3",
  level: "error",
  appliesTo: ["google_service_account_iam_member", "google_service_account_iam_binding"],
  info: "Workload Identity bindings name exactly one Kubernetes service account.",
  explanation: "A binding for a whole namespace or pool lets any workload there act as the Google account.",
  fix: "Bind serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>] with no wildcards.",
  check: ({ config }) => {
    if (config.role !== "roles/iam.workloadIdentityUser") return NOT_APPLICABLE;
    const members: string[] = config.member ? [config.member] : (config.members ?? []);
    if (members.some(isReference)) return unresolved("member");
    const bad = members.find((m) => !/^serviceAccount:[a-z0-9-]+\.svc\.id\.goog\[[a-z0-9-]+\/[a-z0-9-]+\]$/.test(m));
    return bad ? violation(`member ${bad} is not one Kubernetes service account`) : COMPLIANT;
  },
});
