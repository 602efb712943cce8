import { POLICY_RULES } from "./pack";

/** POLICIES.md, generated from the rules (`npm run docs`); a test fails when the file is stale. */
export function policiesMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const rows = POLICY_RULES.map((r) => `| ${r.id} | ${r.level} | ${escape(r.info)} | ${escape(r.explanation)} | ${r.checkov?.join(", ") ?? "—"} | ${r.cis ?? "—"} |`);
  return [
    "# Policy pack",
    "",
    "Generated from `lib/policy/rules/` by `npm run docs`; do not edit by hand.",
    "",
    "Every synthesized resource is checked at `cdktf synth` (and `npm run synth`). An error fails the synth with the rule id, the construct path and the fix; a warning is printed. A rule that cannot decide because a value is only known at apply time reports a finding instead of passing. Suppress a rule for a construct and its children with `suppressPolicy(construct, [{ id, reason }])`; the reason must be a full sentence, and suppressions are listed in the plan review.",
    "",
    "| id | level | rule | why | checkov | CIS GKE |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
