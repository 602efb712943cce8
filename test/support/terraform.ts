import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing, type TerraformStack } from "cdktf";
import { assertNoBrokenValues } from "../../lib/synth-guard";

/** A synthesized stack as Terraform JSON. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, Record<string, any>[]>;
  output?: Record<string, { value: unknown }>;
  terraform?: Record<string, any>;
  variable?: Record<string, unknown>;
  locals?: Record<string, unknown>;
  module?: Record<string, unknown>;
}

/**
 * Synthesizes one stack (aspects included) and parses it. Testing.synth skips validations, so the
 * broken-value guard that app.synth() runs is applied here too.
 */
export function synthJson(stack: TerraformStack): TerraformJson {
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  assertNoBrokenValues(stack.node.path, json as Record<string, unknown>);
  return json;
}

/** All resources of a type, as a list of their bodies. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): Record<string, any> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** A fresh app writing into a temporary directory, for tests that need the manifest. */
export function tempApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: mkdtempSync(join(tmpdir(), "cdktf-test-")), context, skipValidation: false });
}

/** Reads what `app.synth()` wrote: the manifest and every stack's JSON. */
export function readSynthesized(outdir: string): { manifest: any; stacks: Record<string, TerraformJson> } {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const stacks: Record<string, TerraformJson> = {};
  for (const [name, stack] of Object.entries<any>(manifest.stacks)) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8"));
  }
  return { manifest, stacks };
}

const REFERENCE = /(?<![\w.])(data\.[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+|(?:var|local|module)\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;
const INTERPOLATION = /\$\{([^}]*)\}/g;

/** Every block address a stack declares: `type.name`, `data.type.name`, `var.x`, `local.x`, `module.x`. */
export function declaredAddresses(json: TerraformJson): Set<string> {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const name of Object.keys(byName)) declared.add(`data.${type}.${name}`);
  }
  for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
  for (const name of Object.keys(json.locals ?? {})) declared.add(`local.${name}`);
  for (const name of Object.keys(json.module ?? {})) declared.add(`module.${name}`);
  return declared;
}

/**
 * Every address referenced from an interpolation `${…}` or a `depends_on` entry, with the
 * JSON path where it was found.
 */
export function referencedAddresses(json: TerraformJson): { address: string; at: string }[] {
  const found: { address: string; at: string }[] = [];
  const visit = (value: unknown, at: string, inDependsOn: boolean): void => {
    if (typeof value === "string") {
      const expressions = inDependsOn ? [value] : [...value.matchAll(INTERPOLATION)].map((m) => m[1]);
      for (const expression of expressions) {
        for (const match of expression.matchAll(REFERENCE)) found.push({ address: match[1], at });
      }
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, `${at}[${index}]`, inDependsOn);
    } else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "//") continue;
        visit(child, `${at}.${key}`, key === "depends_on");
      }
    }
  };
  visit(json, "$", false);
  return found;
}
