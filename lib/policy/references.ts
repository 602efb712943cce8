/**
 * Terraform references (`${…}`) in the configuration a rule reads. A reference to an attribute
 * that the same stack writes as a literal is read as that literal; any other (var., local.,
 * data., module., remote state, attributes the provider computes) is known only at apply time,
 * and a rule that reads one cannot decide: the framework records the read, and the rule's
 * verdict becomes `unresolved`.
 */

/** The resources a stack declares, by Terraform type and name (the key in the stack's JSON). */
export interface StackIndex {
  resource(type: string, name: string): Record<string, unknown> | undefined;
}

/** No resources: every reference is unresolved. */
export const EMPTY_STACK_INDEX: StackIndex = { resource: () => undefined };

/** The index of a synthesized stack's JSON (`cdk.tf.json`, `stack.toTerraform()`). */
export function stackIndexOfJson(json: { resource?: Record<string, Record<string, Record<string, unknown>>> }): StackIndex {
  return { resource: (type, name) => json.resource?.[type]?.[name] };
}

/** One read of a value known only at apply time: where, and the expression that makes it so. */
export interface UnresolvedRead {
  readonly path: string;
  readonly reference: string;
  /** The check of a bundled rule that was running when the value was read. */
  readonly check?: string;
}

type Resolution = { readonly value: unknown } | { readonly unresolved: string };

// Expressions that never name a resource of this stack.
const NOT_RESOURCES = new Set(["data", "var", "local", "module", "each", "count", "path", "terraform", "self"]);
const RESOURCE_ATTRIBUTE = /^([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_-]+|\[\d+\])+)$/;
// `$${` is Terraform's escape for a literal `${`.
const INTERPOLATION = /(?<!\$)\$\{([^{}]*)\}/g;
const WHOLE_INTERPOLATION = /^\$\{([^{}]*)\}$/;

/**
 * Attributes the provider computes at plan time from literal arguments, so that a reference to
 * them is as good as a literal. google_service_account's email and member:
 * hashicorp/terraform-provider-google@v6.50.0:google/services/resourcemanager/resource_google_service_account.go:356-374
 * (ResourceServiceAccountCustomDiffFunc, only when account_id and project are known).
 */
const PLAN_TIME_ATTRIBUTES: Record<string, Record<string, (config: Record<string, unknown>) => string | undefined>> = {
  google_service_account: {
    email: serviceAccountEmail,
    member: (config) => {
      const email = serviceAccountEmail(config);
      return email && `serviceAccount:${email}`;
    },
  },
};

function serviceAccountEmail(config: Record<string, unknown>): string | undefined {
  const { account_id: accountId, project } = config;
  if (typeof accountId !== "string" || typeof project !== "string" || hasInterpolation(accountId) || hasInterpolation(project)) return undefined;
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/** True when a string holds a Terraform interpolation. */
export function hasInterpolation(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** The value at a resource attribute path; one-element block lists and `[0]` on a block written as an object are looked through. */
function attributeAt(config: unknown, segments: string[]): unknown {
  let current = config;
  for (const segment of segments) {
    const index = /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (index !== undefined && !Array.isArray(current)) {
      if (index === 0) continue;
      return undefined;
    }
    if (index === undefined && Array.isArray(current) && current.length === 1) current = current[0];
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[index ?? segment];
  }
  return current;
}

function resolveExpression(expression: string, index: StackIndex): Resolution {
  const match = RESOURCE_ATTRIBUTE.exec(expression.trim());
  if (!match || NOT_RESOURCES.has(match[1])) return { unresolved: expression };
  const [, type, name, path] = match;
  const config = index.resource(type, name);
  if (!config) return { unresolved: expression };
  const segments = path.split(/[.[\]]/).filter(Boolean);
  const literal = attributeAt(config, segments) ?? (segments.length === 1 ? PLAN_TIME_ATTRIBUTES[type]?.[segments[0]]?.(config) : undefined);
  return literal === undefined ? { unresolved: expression } : { value: literal };
}

/** A string with interpolations, read as the literal it will be, or the first expression known only at apply time. */
export function resolveString(value: string, index: StackIndex): Resolution {
  const whole = WHOLE_INTERPOLATION.exec(value);
  if (whole) {
    const resolution = resolveExpression(whole[1], index);
    return "value" in resolution ? resolution : { unresolved: value };
  }
  let unresolved: string | undefined;
  const replaced = value.replace(INTERPOLATION, (text, expression: string) => {
    const resolution = resolveExpression(expression, index);
    const literal = "value" in resolution ? resolution.value : undefined;
    if (typeof literal === "string" || typeof literal === "number" || typeof literal === "boolean") return String(literal);
    unresolved ??= `\${${expression}}`;
    return text;
  });
  if (unresolved) return { unresolved };
  // A nested or function expression the pattern above could not take apart.
  if (/(?<!\$)\$\{/.test(replaced)) return { unresolved: value };
  return { value: replaced.replaceAll("$${", "${") };
}

const RAW = Symbol("policy.raw");
const READING = Symbol("policy.reading");
/** References that resolve to further references stop here: a cycle is unresolved. */
const MAX_RESOLUTION_DEPTH = 8;

/**
 * What one rule reads of one resource. Rules read the configuration through `view()`: a
 * read-only view in which every reference is resolved, or recorded in `unresolved` when only
 * apply time knows it.
 */
export class Reading {
  readonly unresolved: UnresolvedRead[] = [];
  /** The bundled rule's check that is running (see `eachCheck`). */
  check: string | undefined;
  private readonly views = new WeakMap<object, unknown>();

  constructor(private readonly index: StackIndex) {}

  view(value: unknown, path: string, depth = 0): unknown {
    if (hasInterpolation(value)) return this.viewString(value, path, depth);
    if (value === null || typeof value !== "object") return value;
    let view = this.views.get(value);
    if (!view) {
      view = this.proxy(value, path);
      this.views.set(value, view);
    }
    return view;
  }

  private viewString(value: string, path: string, depth: number): unknown {
    const resolution = depth < MAX_RESOLUTION_DEPTH ? resolveString(value, this.index) : { unresolved: value };
    if ("value" in resolution) return this.view(resolution.value, path, depth + 1);
    this.unresolved.push({ path, reference: resolution.unresolved, ...(this.check ? { check: this.check } : {}) });
    return value;
  }

  private proxy(source: object, path: string): unknown {
    const isList = Array.isArray(source);
    const child = (key: string) => (isList ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    // The target is a fresh, extensible stand-in, so frozen (shared, parsed) documents can be viewed too.
    return new Proxy(isList ? [] : {}, {
      get: (_target, key) => {
        if (key === RAW) return source;
        if (key === READING) return this;
        const value = Reflect.get(source, key);
        if (typeof key === "symbol" || !Object.hasOwn(source, key)) return value;
        return this.view(value, child(key));
      },
      has: (_target, key) => Reflect.has(source, key),
      ownKeys: () => Reflect.ownKeys(source),
      getOwnPropertyDescriptor: (target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(source, key);
        if (!descriptor) return undefined;
        if (!descriptor.configurable && Reflect.getOwnPropertyDescriptor(target, key)) return Reflect.getOwnPropertyDescriptor(target, key);
        return { ...descriptor, configurable: true, ...("value" in descriptor ? { value: this.view(descriptor.value, child(String(key))) } : {}) };
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    });
  }
}

/** The plain value behind a view: for walking a structure to find what to read, without reading it. */
export function rawOf<T>(value: T): T {
  return ((value as Record<symbol, unknown> | null)?.[RAW] as T | undefined) ?? value;
}

/** The reading a view belongs to, if it is one. */
export function readingOf(value: unknown): Reading | undefined {
  return value !== null && typeof value === "object" ? ((value as Record<symbol, unknown>)[READING] as Reading | undefined) : undefined;
}
