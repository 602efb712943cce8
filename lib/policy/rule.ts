/** What a rule concluded about one resource. */
export type Verdict =
  | { readonly kind: "compliant" }
  | { readonly kind: "not-applicable" }
  /** `check` names which of the rule's `checks` failed, for rules that bundle several. */
  | { readonly kind: "non-compliant"; readonly reason: string; readonly check?: string }
  /** The deciding value is only known at apply time: reported, never passed. */
  | { readonly kind: "unresolved"; readonly field: string };

export const COMPLIANT: Verdict = { kind: "compliant" };
export const NOT_APPLICABLE: Verdict = { kind: "not-applicable" };
export const violation = (reason: string, check?: string): Verdict => ({ kind: "non-compliant", reason, ...(check ? { check } : {}) });
export const unresolved = (field: string): Verdict => ({ kind: "unresolved", field });

/** A synthesized resource as Terraform JSON sees it (snake_case attributes, references as `${…}`). */
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
  /** A pure check; a rule with `checks` returns every violation it finds. */
  check(resource: ResourceUnderTest): Verdict | readonly Verdict[];
}

/** True when a value is a Terraform reference that only apply time resolves. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
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
