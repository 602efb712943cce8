import { parse, stringify } from "yaml";

/**
 * YAML for Helm values, Kong's declarative config and LiteLLM's config.yaml. Written as YAML
 * 1.1 because their readers (Helm's Go parser, PyYAML) are 1.1: there `off`, `on`, `yes` and `no`
 * are booleans, so strings like Kong's `database: "off"` must come out quoted. Multi-line
 * strings are literal blocks, which every parser reads back byte for byte.
 */
export function toYaml(value: unknown): string {
  const text = stringify(value, { version: "1.1", blockQuote: "literal", lineWidth: 0 });
  rememberDocument(text, value);
  return text;
}

/** Parses YAML the way Helm and PyYAML would (1.1), for tests and reviews. */
export function fromYaml(text: string): any {
  return parse(text, { version: "1.1" });
}

const knownDocuments = new Map<string, unknown>();

/**
 * What a rendered document reads back as, so inspecting it needs no parse. The value is
 * copied through JSON, which drops and nulls exactly what YAML does (undefined keys, undefined
 * array items), and the copy is frozen because inspectors share it.
 */
function rememberDocument(text: string, value: unknown): void {
  if (knownDocuments.has(text) || !survivesJson(value)) return;
  // Bounded: one synth renders a few dozen documents; a long-lived process (tests, watch)
  // renders many more, and an old one is only ever parsed again.
  if (knownDocuments.size >= MAX_KNOWN_DOCUMENTS) knownDocuments.clear();
  knownDocuments.set(text, value === undefined ? undefined : deepFreeze(JSON.parse(JSON.stringify(value))));
}

const MAX_KNOWN_DOCUMENTS = 256;

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

/**
 * fromYaml for read-only inspection (the policy pack): a document rendered by toYaml in this
 * process reads back as the value it came from; any other is parsed once, since several
 * rules look into the same Helm values. The result is shared: callers must not mutate it.
 */
export function inspectYaml(text: string): any {
  if (!knownDocuments.has(text)) knownDocuments.set(text, deepFreeze(fromYaml(text)));
  return knownDocuments.get(text);
}
