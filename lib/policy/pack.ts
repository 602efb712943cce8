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
  /**
   * Which of the rule's `checks` this covers (cdk-nag's `appliesTo`). Required for a rule that
   * bundles several checks, so that suppressing one never hides the others.
   * @default - the whole rule, allowed only for a rule with one check
   */
  readonly appliesTo?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  /** Which of the rule's checks failed, for a rule that bundles several. */
  readonly check?: string;
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
    checkAppliesTo(scope, s);
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

/** A suppression of a bundled rule names the checks it covers, each one the rule has. */
function checkAppliesTo(scope: IConstruct, s: Suppression): void {
  const checks = POLICY_RULES.find((r) => r.id === s.id)?.checks;
  if (!checks) {
    if (s.appliesTo)
      throw new InvalidPropsError(scope, `suppression ${s.id}.appliesTo`, "is given, but the rule has a single check", "leave appliesTo out");
    return;
  }
  if (!s.appliesTo || s.appliesTo.length === 0) {
    throw new InvalidPropsError(
      scope,
      `suppression ${s.id}.appliesTo`,
      `is missing, and ${s.id} bundles ${checks.length} checks`,
      `name the checks this covers, from ${checks.join(", ")}`,
    );
  }
  for (const check of s.appliesTo) {
    if (!checks.includes(check))
      throw new InvalidPropsError(
        scope,
        `suppression ${s.id}.appliesTo`,
        `names "${check}", which is not a check of ${s.id}`,
        `use ${checks.join(", ")}`,
      );
  }
}

function suppressionFor(node: IConstruct, ruleId: string, check: string | undefined): Suppression | undefined {
  for (const scope of node.node.scopes.slice().reverse()) {
    const found = (scope as unknown as Record<symbol, Suppression[] | undefined>)[SUPPRESSIONS]?.find(
      (s) => s.id === ruleId && (s.appliesTo === undefined || (check !== undefined && s.appliesTo.includes(check))),
    );
    if (found) return found;
  }
  return undefined;
}

/** Every verdict of a rule over one resource's synthesized configuration: one per failed check. */
export function evaluateAll(rule: PolicyRule, type: string, config: Record<string, any>): readonly Verdict[] {
  if (!rule.appliesTo.includes("*") && !rule.appliesTo.includes(type)) return [{ kind: "not-applicable" }];
  const verdicts = rule.check({ type, config });
  return Array.isArray(verdicts) ? (verdicts.length > 0 ? verdicts : [{ kind: "compliant" }]) : [verdicts as Verdict];
}

/** A rule's verdict over one resource: its first finding, or compliant / not applicable. */
export function evaluate(rule: PolicyRule, type: string, config: Record<string, any>): Verdict {
  const verdicts = evaluateAll(rule, type, config);
  return verdicts.find((v) => v.kind === "non-compliant" || v.kind === "unresolved") ?? verdicts[0];
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
  const check = verdict.kind === "non-compliant" && verdict.check ? ` ${verdict.check}` : "";
  return `[${rule.id}${check}] ${rule.info} ${what}${mapping ? ` (${mapping})` : ""}. Fix: ${rule.fix}`;
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
      for (const verdict of evaluateAll(rule, type, config)) this.record(node, rule, type, verdict);
    }
  }

  private record(node: IConstruct, rule: PolicyRule, type: string, verdict: Verdict): void {
    if (verdict.kind === "compliant" || verdict.kind === "not-applicable") return;
    const check = verdict.kind === "non-compliant" ? verdict.check : undefined;
    const finding: Finding = {
      ruleId: rule.id,
      ...(check ? { check } : {}),
      level: rule.level,
      path: node.node.path,
      resourceType: type,
      message: findingMessage(rule, verdict),
    };
    const suppression = suppressionFor(node, rule.id, check);
    if (suppression) {
      this.report.suppressed.push({ ...finding, reason: suppression.reason });
      return;
    }
    this.report.findings.push(finding);
    if (rule.level === "error") Annotations.of(node).addError(finding.message);
    else Annotations.of(node).addWarning(finding.message);
  }
}
