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
  if (knownDocuments.has(text)) return;
  knownDocuments.set(text, value === undefined ? undefined : deepFreeze(JSON.parse(JSON.stringify(value))));
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
