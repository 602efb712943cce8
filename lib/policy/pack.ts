import { Annotations, Aspects, TerraformResource, TerraformStack, type IAspect } from "cdktf";
// The resolver cdktf itself synthesizes with: the checked JSON is exactly what is written out.
import { resolve } from "cdktf/lib/_tokens";
import type { IConstruct } from "constructs";
import { InvalidPropsError } from "../errors";
import { inspectingYamlOf } from "../yaml";
import { COMPLIANT, type PolicyRule, type Verdict } from "./rule";
import { EMPTY_STACK_INDEX, Reading, type StackIndex, type UnresolvedRead } from "./references";
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

/**
 * Every verdict of a rule over one resource's synthesized configuration: one per failed check.
 * The rule reads the configuration through a view that resolves references to literals of the
 * same stack (`stack`) and records every other reference it reads: each makes the verdict of the
 * check that read it `unresolved`, whatever the rule concluded from the reference's text.
 */
export function evaluateAll(rule: PolicyRule, type: string, config: Record<string, any>, stack: StackIndex = EMPTY_STACK_INDEX): readonly Verdict[] {
  if (!rule.appliesTo.includes("*") && !rule.appliesTo.includes(type)) return [{ kind: "not-applicable" }];
  const reading = new Reading(stack);
  const returned = rule.check({ type, config: rule.decidesReferences ? config : (reading.view(config, "") as Record<string, any>) });
  const verdicts = Array.isArray(returned) ? returned : [returned as Verdict];
  return withUnresolvedReads(verdicts, reading.unresolved);
}

/**
 * The rule's verdicts with the framework's: a check that read a value known only at apply time
 * is unresolved (one verdict per attribute), and a read outside any check makes the whole rule so.
 */
function withUnresolvedReads(verdicts: readonly Verdict[], reads: readonly UnresolvedRead[]): readonly Verdict[] {
  const undecided = new Set(reads.map((r) => r.check));
  const unresolvedByRead = uniqueBy(reads, (r) => `${r.check ?? ""} ${r.path}`).map(
    (r): Verdict => ({ kind: "unresolved", field: r.path, reference: r.reference, ...(r.check ? { check: r.check } : {}) }),
  );
  // A read outside any check leaves the whole rule undecided; one inside a check, that check.
  const decided = undecided.has(undefined) ? [] : verdicts.filter((v) => isFinding(v) && !undecided.has(checkOf(v) ?? ""));
  const findings = [...decided, ...unresolvedByRead];
  if (findings.length > 0) return findings;
  return [verdicts.find((v) => v.kind === "not-applicable") ?? COMPLIANT];
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/** A rule's verdict over one resource: its first finding, or compliant / not applicable. */
export function evaluate(rule: PolicyRule, type: string, config: Record<string, any>, stack?: StackIndex): Verdict {
  const verdicts = evaluateAll(rule, type, config, stack);
  return verdicts.find(isFinding) ?? verdicts[0];
}

/** The message a finding carries: rule, what is wrong, how to fix it. */
export function findingMessage(rule: PolicyRule, verdict: Verdict): string {
  const what =
    verdict.kind === "unresolved"
      ? `cannot be checked: ${verdict.field}${verdict.reference ? ` is ${verdict.reference}, which` : ""} is known only at apply time`
      : verdict.kind === "non-compliant"
        ? verdict.reason
        : "";
  const mapping = [rule.checkov?.join(", "), rule.cis ? `CIS GKE ${rule.cis}` : undefined].filter(Boolean).join("; ");
  const check = checkOf(verdict);
  return `[${rule.id}${check ? ` ${check}` : ""}] ${rule.info} ${what}${mapping ? ` (${mapping})` : ""}. Fix: ${rule.fix}`;
}

function isFinding(verdict: Verdict): boolean {
  return verdict.kind === "non-compliant" || verdict.kind === "unresolved";
}

function checkOf(verdict: Verdict): string | undefined {
  return verdict.kind === "non-compliant" || verdict.kind === "unresolved" ? verdict.check : undefined;
}

/** Options of `PolicyPack.applyTo`. */
export interface PolicyPackOptions {
  /**
   * The rules to run instead of the built-in pack. Prefer `suppressPolicy`, which keeps each
   * finding and its reason in the report; a rule left out here leaves no trace.
   * @default POLICY_RULES
   */
  readonly rules?: readonly PolicyRule[];
}

// Symbol.for: a stack built with both the compiled and the source library still gets one pack.
const STACK_POLICY = Symbol.for("gke-ai-gateway.policy.stack");

/** The Aspect installed on a stack; it runs whichever pack currently checks that stack. */
interface StackPolicy extends IAspect {
  pack: PolicyPack;
}

function stackPolicy(stack: TerraformStack): StackPolicy | undefined {
  return (stack as unknown as Record<symbol, StackPolicy | undefined>)[STACK_POLICY];
}

/**
 * Makes the built-in pack check the stack that holds `scope`, once per stack. Every library
 * construct calls it (through `guardRenderedValues`), so a stack a team builds itself is checked
 * without calling `PolicyPack.applyTo`; `PolicyPack.applyTo` replaces the pack, and
 * `PolicyPack.of` reads its report.
 */
export function installPolicyPack(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (stackPolicy(stack)) return;
  const installed: StackPolicy = { pack: new PolicyPack(), visit: (node) => installed.pack.visit(node) };
  (stack as unknown as Record<symbol, StackPolicy>)[STACK_POLICY] = installed;
  Aspects.of(stack).add(installed);
}

/**
 * The policy pack as an Aspect: every Terraform resource is checked at synth. Errors become
 * error annotations (cdktf synth fails on them), warnings warning annotations; all findings and
 * suppressions are kept in the report for the plan review.
 */
export class PolicyPack implements IAspect {
  readonly report: PolicyReport = { findings: [], suppressed: [] };
  private readonly indexes = new WeakMap<TerraformStack, StackIndex>();
  private readonly configs = new WeakMap<TerraformResource, Record<string, any>>();

  constructor(private readonly rules: readonly PolicyRule[] = POLICY_RULES) {}

  /**
   * Checks a stack, or every stack of an app, with one pack whose report covers them all. It
   * takes the place of the pack library constructs install on their stack, so nothing is
   * checked twice.
   */
  static applyTo(scope: IConstruct, options: PolicyPackOptions = {}): PolicyPack {
    const pack = new PolicyPack(options.rules);
    const stacks = scope instanceof TerraformStack ? [scope] : scope.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
    for (const stack of stacks) {
      installPolicyPack(stack);
      stackPolicy(stack)!.pack = pack;
    }
    return pack;
  }

  /** The pack that checks the stack holding `scope`, if any: its report fills at synth. */
  static of(scope: IConstruct): PolicyPack | undefined {
    return stackPolicy(TerraformStack.of(scope))?.pack;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    const config = this.configOf(node);
    const stack = this.stackIndex(TerraformStack.of(node));
    inspectingYamlOf(node, () => {
      for (const rule of this.rules) {
        for (const verdict of evaluateAll(rule, type, config, stack)) this.record(node, rule, type, verdict);
      }
    });
  }

  /** A resource's configuration as it is written out, resolved once per synth. */
  private configOf(resource: TerraformResource): Record<string, any> {
    let config = this.configs.get(resource);
    if (!config) {
      const type = resource.terraformResourceType;
      const json = resolve(resource, resource.toTerraform()) as { resource: Record<string, Record<string, Record<string, any>>> };
      config = Object.values(json.resource[type])[0];
      this.configs.set(resource, config);
    }
    return config;
  }

  /** The stack's resources by Terraform address, for the references a rule reads. */
  private stackIndex(stack: TerraformStack): StackIndex {
    let index = this.indexes.get(stack);
    if (!index) {
      let byAddress: Map<string, TerraformResource> | undefined;
      index = {
        resource: (type, name) => {
          byAddress ??= new Map(
            stack.node
              .findAll()
              .filter((c): c is TerraformResource => c instanceof TerraformResource)
              .map((r) => [`${r.terraformResourceType}.${r.friendlyUniqueId}`, r]),
          );
          const resource = byAddress.get(`${type}.${name}`);
          return resource && this.configOf(resource);
        },
      };
      this.indexes.set(stack, index);
    }
    return index;
  }

  private record(node: IConstruct, rule: PolicyRule, type: string, verdict: Verdict): void {
    if (!isFinding(verdict)) return;
    const check = checkOf(verdict);
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
