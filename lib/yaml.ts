import type { IConstruct } from "constructs";
import { parse, stringify } from "yaml";

/**
 * YAML for Helm values, Kong's declarative config and LiteLLM's config.yaml. Written as YAML
 * 1.1 because their readers (Helm's Go parser, PyYAML) are 1.1: there `off`, `on`, `yes` and `no`
 * are booleans, so strings like Kong's `database: "off"` must come out quoted. Multi-line
 * strings are literal blocks, which every parser reads back byte for byte.
 */
export function toYaml(value: unknown, owner?: IConstruct): string {
  const text = stringify(value, { version: "1.1", blockQuote: "literal", lineWidth: 0 });
  if (owner) rememberDocument(documentsOf(owner), text, value);
  return text;
}

/** Parses YAML the way Helm and PyYAML would (1.1), for tests and reviews. */
export function fromYaml(text: string): any {
  return parse(text, { version: "1.1" });
}

type Documents = Map<string, unknown>;

/**
 * Rendered documents, per construct tree: one synth's documents live and die with its App, so
 * nothing carries over to another app in the same process (tests, watch mode).
 */
const documentsByTree = new WeakMap<IConstruct, Documents>();

function documentsOf(scope: IConstruct): Documents {
  const root = scope.node.root;
  let documents = documentsByTree.get(root);
  if (!documents) {
    documents = new Map();
    documentsByTree.set(root, documents);
  }
  return documents;
}

/**
 * What a rendered document reads back as, so inspecting it needs no parse. The value is
 * copied through JSON, which drops and nulls exactly what YAML does (undefined keys, undefined
 * array items), and the copy is frozen because inspectors share it.
 */
function rememberDocument(documents: Documents, text: string, value: unknown): void {
  if (documents.has(text) || !survivesJson(value)) return;
  documents.set(text, value === undefined ? undefined : deepFreeze(JSON.parse(JSON.stringify(value))));
}

/**
 * Whether the JSON copy reads back as YAML would: NaN and ±Infinity become null in JSON but
 * `.nan`/`.inf` in YAML, and a Date becomes a string in JSON but a timestamp in YAML 1.1.
 * Such documents are parsed instead.
 */
function survivesJson(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) return value.every(survivesJson);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
  return Object.values(value).every(survivesJson);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

let inspected: Documents | undefined;

/**
 * Runs `inspect` with the documents of the construct tree holding `scope`: inside it,
 * inspectYaml reads a document that tree rendered as the value it came from, and parses any
 * other once. Synthesis is synchronous, so one scope is active at a time.
 */
export function inspectingYamlOf<T>(scope: IConstruct, inspect: () => T): T {
  const outer = inspected;
  inspected = documentsOf(scope);
  try {
    return inspect();
  } finally {
    inspected = outer;
  }
}

/**
 * fromYaml for read-only inspection (the policy pack, the review): see inspectingYamlOf.
 * Outside a scope every call parses. The result is shared: callers must not mutate it.
 */
export function inspectYaml(text: string): any {
  if (!inspected) return deepFreeze(fromYaml(text));
  if (!inspected.has(text)) inspected.set(text, deepFreeze(fromYaml(text)));
  return inspected.get(text);
}
