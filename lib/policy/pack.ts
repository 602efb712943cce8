import { Annotations, Aspects, TerraformResource, TerraformStack, type IAspect } from "cdktf";
// The resolver cdktf itself synthesizes with: the checked JSON is exactly what is written out.
import { resolve } from "cdktf/lib/_tokens";
import type { IConstruct } from "constructs";
import { InvalidPropsError } from "../errors";
import type { PolicyRule, Verdict } from "./rule";
import { GKE_RULES } from "./rules/gke/index";
import { IAM_DATA_RULES } from "./rules/iam-data/index";
import { KUBERNETES_RULES } from "./rules/kubernetes/index";

/** Every rule of the built-in pack, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [...GKE_RULES, ...KUBERNETES_RULES, ...IAM_DATA_RULES];

export interface Suppression {
  readonly id: string;
  /** Why this is acceptable here: at least one full sentence. */
  readonly reason: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly level: "error" | "warning";
  readonly path: string;
  readonly resourceType: string;
  readonly message: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

export interface PolicyReport {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

const SUPPRESSIONS = Symbol.for("ai-gateway.policy.suppressions");

/**
 * Suppresses rules on a construct and everything below it. The reason is printed in the plan
 * review, so it must explain itself: at least a sentence.
 */
export function suppressPolicy(scope: IConstruct, suppressions: Suppression[]): void {
  for (const s of suppressions) {
    if (!POLICY_RULES.some((r) => r.id === s.id))
      throw new InvalidPropsError(
        scope,
        `suppression ${s.id}`,
        "names no rule of the policy pack",
        `use one of ${POLICY_RULES.map((r) => r.id).join(", ")}`,
      );
    const words = s.reason.trim().split(/\s+/).filter(Boolean);
    if (words.length < 5 || s.reason.trim().length < 30 || !/[.!]$/.test(s.reason.trim())) {
      throw new InvalidPropsError(
        scope,
        `suppression ${s.id}.reason`,
        `is not a sentence ${JSON.stringify(s.reason)}`,
        "explain in at least one full sentence why the rule does not apply here",
      );
    }
  }
  const holder = scope as unknown as Record<symbol, Suppression[]>;
  holder[SUPPRESSIONS] = [...(holder[SUPPRESSIONS] ?? []), ...suppressions];
}

function suppressionFor(node: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of node.node.scopes.slice().reverse()) {
    const found = (scope as unknown as Record<symbol, Suppression[] | undefined>)[SUPPRESSIONS]?.find((s) => s.id === ruleId);
    if (found) return found;
  }
  return undefined;
}

/** Runs a rule over one resource's synthesized configuration. */
export function evaluate(rule: PolicyRule, type: string, config: Record<string, any>): Verdict {
  if (!rule.appliesTo.includes("*") && !rule.appliesTo.includes(type)) return { kind: "not-applicable" };
  return rule.check({ type, config });
}

/** The message a finding carries: rule, what is wrong, how to fix it. */
export function findingMessage(rule: PolicyRule, verdict: Verdict): string {
  const what =
    verdict.kind === "unresolved"
      ? `cannot be checked: ${verdict.field} is only known at apply time`
      : verdict.kind === "non-compliant"
        ? verdict.reason
        : "";
  const mapping = [rule.checkov?.join(", "), rule.cis ? `CIS GKE ${rule.cis}` : undefined].filter(Boolean).join("; ");
  return `[${rule.id}] ${rule.info} ${what}${mapping ? ` (${mapping})` : ""}. Fix: ${rule.fix}`;
}

/**
 * The policy pack as an Aspect: every Terraform resource is checked at synth. Errors become
 * error annotations (cdktf synth fails on them), warnings warning annotations; all findings and
 * suppressions are kept in the report for the plan review.
 */
export class PolicyPack implements IAspect {
  readonly report: PolicyReport = { findings: [], suppressed: [] };

  constructor(private readonly rules: readonly PolicyRule[] = POLICY_RULES) {}

  /** Applies the pack to a stack, or to every stack of an app (cdktf runs aspects per stack). */
  static applyTo(scope: IConstruct): PolicyPack {
    const pack = new PolicyPack();
    const stacks = scope instanceof TerraformStack ? [scope] : scope.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
    for (const stack of stacks) Aspects.of(stack).add(pack);
    return pack;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    const json = resolve(node, node.toTerraform()) as { resource: Record<string, Record<string, Record<string, any>>> };
    const config = Object.values(json.resource[type])[0];
    for (const rule of this.rules) {
      const verdict = evaluate(rule, type, config);
      if (verdict.kind === "compliant" || verdict.kind === "not-applicable") continue;
      const finding: Finding = {
        ruleId: rule.id,
        level: rule.level,
        path: node.node.path,
        resourceType: type,
        message: findingMessage(rule, verdict),
      };
      const suppression = suppressionFor(node, rule.id);
      if (suppression) {
        this.report.suppressed.push({ ...finding, reason: suppression.reason });
        continue;
      }
      this.report.findings.push(finding);
      if (rule.level === "error") Annotations.of(node).addError(finding.message);
      else Annotations.of(node).addWarning(finding.message);
    }
  }
}
