import { POLICY_RULES } from "./pack";
import type { PolicyRule } from "./rule";
import { CHECKOV_FACTS } from "../upstream-facts";

/** A checkov id a rule cites, with the rule's resource types that check also evaluates. */
export interface CheckovMapping {
  readonly id: string;
  /** Undefined when the id is not a checkov Terraform check at the pinned version. */
  readonly covers?: readonly string[];
}

/** The rule's checkov citations, each with the resource types where the correspondence holds. */
export function checkovMappings(rule: PolicyRule): CheckovMapping[] {
  const checks: Record<string, { resourceTypes: readonly string[] }> = CHECKOV_FACTS.checks;
  return (rule.checkov ?? []).map((id) => {
    const check = checks[id];
    return { id, covers: check && rule.appliesTo.filter((type) => check.resourceTypes.includes(type)) };
  });
}

/** "CKV_X", or "CKV_X (on a, b)" when the check evaluates only some of the rule's resource types. */
function checkovCell(rule: PolicyRule): string {
  const cells = checkovMappings(rule).map(({ id, covers }) =>
    covers && covers.length < rule.appliesTo.length ? `${id} (on ${covers.join(", ")})` : id,
  );
  return cells.length > 0 ? cells.join(", ") : "—";
}

/** POLICIES.md, generated from the rules (`npm run docs`); a test fails when the file is stale. */
export function policiesMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const rows = POLICY_RULES.map(
    (r) =>
      `| ${r.id} | ${r.level} | ${escape(r.info)}${r.checks ? ` Checks: ${r.checks.map((c) => `\`${c}\``).join(", ")}.` : ""} | ` +
      `${escape(r.explanation)} | ${checkovCell(r)} | ${r.cis ?? "—"} |`,
  );
  return [
    "# Policy pack",
    "",
    "Generated from `lib/policy/rules/` by `npm run docs`; do not edit by hand.",
    "",
    "Every synthesized resource is checked at `cdktf synth` (and `npm run synth`). An error fails the synth with the rule id, the construct " +
      "path and the fix; a warning is printed. Library constructs install the pack on the stack that holds them, so stacks a team builds " +
      "itself are checked without `PolicyPack.applyTo`. A reference to an attribute the same stack writes as a literal is read as that " +
      "literal; any other value known only at apply time (var., data., remote state, computed attributes) makes the rule that reads it report " +
      "an unresolved finding instead of passing. Suppress a rule for a construct and its children with `suppressPolicy(construct, [{ id, " +
      "reason }])`; the reason must be a full sentence, and suppressions are listed in the plan review. A rule that bundles several checks " +
      "(its checks are listed in the table) reports each failed check as its own finding, and a suppression of it must name the checks it " +
      'covers (`appliesTo: ["no-secret-env"]`), so suppressing one never hides another.',
    "",
    `The checkov column names checkov ${CHECKOV_FACTS.version} Terraform checks that test the same thing; where a check evaluates only some ` +
      `of the rule's resource types, they are listed.`,
    "",
    "| id | level | rule | why | checkov | CIS GKE |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
