import { helmReleaseValues } from "../helm-values";
import { rawOf, readingOf } from "./references";

/** What a rule concluded about one resource. */
export type Verdict =
  | { readonly kind: "compliant" }
  | { readonly kind: "not-applicable" }
  /** `check` names which of the rule's `checks` failed, for rules that bundle several. */
  | { readonly kind: "non-compliant"; readonly reason: string; readonly check?: string }
  /**
   * The deciding value is only known at apply time: reported, never passed. `reference` is the
   * expression that makes it so, when the framework saw it; `check` the bundled rule's check.
   */
  | { readonly kind: "unresolved"; readonly field: string; readonly reference?: string; readonly check?: string };

export const COMPLIANT: Verdict = { kind: "compliant" };
export const NOT_APPLICABLE: Verdict = { kind: "not-applicable" };
export const violation = (reason: string, check?: string): Verdict => ({ kind: "non-compliant", reason, ...(check ? { check } : {}) });
export const unresolved = (field: string): Verdict => ({ kind: "unresolved", field });

/**
 * A synthesized resource as Terraform JSON sees it (snake_case attributes). Rules see `config`
 * through the framework's view: a reference to a literal of the same stack reads as that literal,
 * and any other `${…}` the rule reads makes its verdict `unresolved` (lib/policy/references.ts).
 */
export interface ResourceUnderTest {
  readonly type: string;
  readonly config: Record<string, any>;
}

export interface PolicyRule {
  /** Stable id, e.g. "AIG-GKE-1". */
  readonly id: string;
  readonly level: "error" | "warning";
  /** One line: what must hold. */
  readonly info: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** checkov ids and CIS GKE benchmark sections it corresponds to. */
  readonly checkov?: readonly string[];
  readonly cis?: string;
  /** Terraform resource types it looks at; `*` for all. */
  readonly appliesTo: readonly string[];
  /**
   * The separate checks of a rule that bundles several. Each violation names one, and a
   * suppression must name the ones it covers (`appliesTo`), so suppressing one never hides
   * another.
   * @default - one check: the rule itself
   */
  readonly checks?: readonly string[];
  /**
   * The rule decides on references itself (a credential held by reference is its compliant
   * case), so the values it reads are not turned into unresolved verdicts. Only for rules that
   * look for literals.
   * @default false
   */
  readonly decidesReferences?: boolean;
  /** A pure check; a rule with `checks` returns every violation it finds (see `eachCheck`). */
  check(resource: ResourceUnderTest): Verdict | readonly Verdict[];
}

/** True when a value is a Terraform reference that only apply time resolves. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A helm_release's merged values, read through the same view as the rest of its configuration. */
export function helmValues(config: Record<string, any>): Record<string, any> | undefined {
  // The documents are parsed from the raw strings: a reference inside one is read, or not, with the key that holds it.
  const merged = helmReleaseValues(rawOf(config));
  const reading = readingOf(config);
  return merged && reading ? (reading.view(merged, "values") as Record<string, any>) : merged;
}

/**
 * A bundled rule's checks, each a function returning its violation or undefined. Each runs on
 * its own, so a value known only at apply time is a finding of the check that read it, and a
 * suppression of another check never hides it.
 */
export function eachCheck(config: unknown, checks: Record<string, () => string | undefined>): Verdict[] {
  const reading = readingOf(config);
  const found: Verdict[] = [];
  for (const [check, run] of Object.entries(checks)) {
    if (reading) reading.check = check;
    try {
      const problem = run();
      if (problem) found.push(violation(problem, check));
    } finally {
      if (reading) reading.check = undefined;
    }
  }
  return found;
}

/** The value at a dotted path; blocks Terraform renders as one-element lists are looked through. */
export function at(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split(".")) {
    if (Array.isArray(current)) current = current[0];
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return Array.isArray(current) && current.length === 1 && typeof current[0] === "object" ? current[0] : current;
}

/**
 * The common shape of a rule over one attribute: not set, a reference, or a value that must
 * satisfy `ok`.
 */
export function expectValue(config: Record<string, any>, path: string, ok: (value: unknown) => boolean, reason: (value: unknown) => string): Verdict {
  const value = at(config, path);
  if (isReference(value)) return unresolved(path);
  return ok(value) ? COMPLIANT : violation(reason(value));
}

export function defineRule(rule: PolicyRule): PolicyRule {
  return rule;
}
