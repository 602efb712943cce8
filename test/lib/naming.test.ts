import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { DEFAULT_MODELS, type CatalogueModel } from "../../lib/catalogue";
import { MAX_PREFIX_LENGTH, NAME_SUFFIXES } from "../../lib/naming";
import { GOOGLE_PROVIDER_FACTS } from "../../lib/upstream-facts";
import { synthJson } from "../support/terraform";

const NAMES = GOOGLE_PROVIDER_FACTS.names;
// Both keyed providers, so every secret suffix is generated.
const MODELS: CatalogueModel[] = [
  { ...DEFAULT_MODELS[2], fallbacks: undefined },
  { ...DEFAULT_MODELS[2], fallbacks: undefined, name: "gpt", provider: "openai", model: "gpt-4o" },
  { ...DEFAULT_MODELS[2], fallbacks: undefined, name: "claude", provider: "anthropic", model: "claude-sonnet-4" },
];

function infrastructure(prefix: string) {
  return new InfrastructureStack(new App(), "infra", {
    spec: { projectId: "acme-ai-prod", region: "europe-west4", prefix, models: MODELS },
    cluster: { secretsEncryption: {}, spotNodePool: {} },
  });
}

/** Every name of a resource type with known limits: [type, value]. */
function generatedNames(prefix: string): [keyof typeof NAMES, string][] {
  const json = synthJson(infrastructure(prefix));
  return Object.entries(NAMES).flatMap(([type, rule]) =>
    Object.values(json.resource?.[type] ?? {}).map((resource): [keyof typeof NAMES, string] => [type as keyof typeof NAMES, resource[rule.field]]),
  );
}

describe("physical names", () => {
  it("allow a prefix of at most 18 characters, what <prefix>-gateway-app leaves of a service account id's 30", () => {
    expect(MAX_PREFIX_LENGTH).toBe(18);
    expect(NAMES.google_service_account.maxLength - "-gateway-app".length).toBe(18);
  });

  it("all fit their resource's limit and pattern with the longest prefix", () => {
    const names = generatedNames("a".repeat(18));
    // Every type with a suffix is created here, so every limit is exercised.
    expect(new Set(names.map(([type]) => type))).toEqual(new Set(Object.keys(NAME_SUFFIXES)));
    for (const [type, name] of names) {
      const rule = NAMES[type];
      expect(name.length, `${type} ${name}`).toBeLessThanOrEqual(rule.maxLength);
      expect(name.length, `${type} ${name}`).toBeGreaterThanOrEqual(rule.minLength);
      expect(name, type).toMatch(new RegExp(rule.pattern));
    }
    expect(names).toContainEqual(["google_service_account", `${"a".repeat(18)}-gateway-app`]);
    expect(`${"a".repeat(18)}-gateway-app`).toHaveLength(30);
  });

  it("come only from the listed suffixes", () => {
    const prefix = "gw";
    for (const [type, name] of generatedNames(prefix)) {
      expect(NAME_SUFFIXES[type] as readonly string[], `${type} ${name}`).toContain(name.slice(prefix.length + 1));
    }
  });

  it("throws one character over the limit", () => {
    expect(() => infrastructure("a".repeat(19))).toThrow(/^infra: prefix is 19 characters, more than 18/);
  });
});
