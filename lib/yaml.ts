import { parse, stringify } from "yaml";

/**
 * YAML for Helm values, Kong's declarative config and LiteLLM's config.yaml. Written as YAML
 * 1.1 because their readers (Helm's Go parser, PyYAML) are 1.1: there `off`, `on`, `yes` and `no`
 * are booleans, so strings like Kong's `database: "off"` must come out quoted. Multi-line
 * strings are literal blocks, which every parser reads back byte for byte.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: "1.1", blockQuote: "literal", lineWidth: 0 });
}

/** Parses YAML the way Helm and PyYAML would (1.1), for tests and reviews. */
export function fromYaml(text: string): any {
  return parse(text, { version: "1.1" });
}

const parsedDocuments = new Map<string, unknown>();

/**
 * fromYaml for read-only inspection (the policy pack): each distinct document is parsed once
 * per process, since several rules look into the same Helm values. Callers must not mutate
 * the result.
 */
export function inspectYaml(text: string): any {
  if (!parsedDocuments.has(text)) parsedDocuments.set(text, fromYaml(text));
  return parsedDocuments.get(text);
}
