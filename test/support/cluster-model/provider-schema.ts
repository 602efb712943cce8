import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fromYaml } from "../../../lib/yaml";
import type { TerraformJson } from "../terraform";
import type { ClusterModel } from "./types";

/**
 * Attribute types of a resource, as the provider schema declares them. Read from the cdktf
 * provider bindings, which are generated from the schema: each block's `…ToTerraform` maps
 * every attribute through `numberToTerraform`, `stringToTerraform`, … or a nested block's own.
 */
type AttributeType = "number" | "string" | "boolean" | "other" | { readonly block: string };
type Block = ReadonlyMap<string, AttributeType>;

const NODE_MODULES = resolve(__dirname, "../../../node_modules/@cdktf");
const PROVIDER_PACKAGES: Record<string, string> = { kubernetes: "provider-kubernetes", helm: "provider-helm", google: "provider-google" };

function classify(expression: string): AttributeType {
  const nested = /(?<!cdktf\.)\b([a-z]\w*ToTerraform)\b/.exec(expression);
  if (/cdktf\.(?:listMapper\(|hashMapper\()?cdktf\.numberToTerraform|^cdktf\.numberToTerraform/.test(expression)) return "number";
  if (/cdktf\.(?:listMapper\(|hashMapper\()?cdktf\.stringToTerraform|^cdktf\.stringToTerraform/.test(expression)) return "string";
  if (/cdktf\.(?:listMapper\(|hashMapper\()?cdktf\.booleanToTerraform|^cdktf\.booleanToTerraform/.test(expression)) return "boolean";
  if (nested && !nested[1].startsWith("cdktf")) return { block: nested[1] };
  return "other";
}

function entries(body: string): [string, AttributeType][] {
  return [...body.matchAll(/^\s+(\w+): (.+?),?$/gm)].map((m) => [m[1], classify(m[2])]);
}

/** The blocks of one resource type's bindings, and its root attributes. */
function resourceSchema(resourceType: string): { root: Block; blocks: ReadonlyMap<string, Block> } | undefined {
  const [provider, ...rest] = resourceType.split("_");
  const pkg = PROVIDER_PACKAGES[provider];
  const dir = pkg && join(NODE_MODULES, pkg, "lib", rest.join("-"));
  if (!dir || !existsSync(join(dir, "index.js"))) return undefined;
  const structsDir = join(dir, "index-structs");
  const files = [join(dir, "index.js"), ...(existsSync(structsDir) ? readdirSync(structsDir).map((f) => join(structsDir, f)) : [])];
  const source = files.map((f) => readFileSync(f, "utf8")).join("\n");
  const blocks = new Map<string, Block>();
  for (const m of source.matchAll(/function (\w+ToTerraform)\(struct\) \{[\s\S]*?return \{\n([\s\S]*?)\n\s+\};\n\}/g))
    blocks.set(m[1], new Map(entries(m[2])));
  const root = /synthesizeAttributes\(\) \{\n\s+return \{\n([\s\S]*?)\n\s+\};/.exec(source);
  return root ? { root: new Map(entries(root[1])), blocks } : undefined;
}

const cache = new Map<string, ReturnType<typeof resourceSchema>>();

/**
 * Every attribute the schema types as a number that the JSON gives as something else (a
 * Terraform reference is fine: it has the referenced attribute's type).
 */
export function numbersThatAreNotNumbers(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    if (!cache.has(type)) cache.set(type, resourceSchema(type));
    const schema = cache.get(type);
    if (!schema) continue;
    for (const [name, body] of Object.entries(byName)) walk(body, schema.root, schema.blocks, `${type}.${name}`, problems);
  }
  return problems;
}

function walk(value: any, block: Block, blocks: ReadonlyMap<string, Block>, at: string, problems: string[]): void {
  for (const [key, child] of Object.entries(value ?? {})) {
    const type = block.get(key);
    if (type === undefined || child === undefined || child === null) continue;
    if (typeof type === "object") {
      const nested = blocks.get(type.block);
      if (!nested) continue;
      if (Array.isArray(child))
        child.forEach((item, index) => {
          walk(item, nested, blocks, `${at}.${key}[${index}]`, problems);
        });
      else walk(child, nested, blocks, `${at}.${key}`, problems);
      continue;
    }
    if (type !== "number") continue;
    for (const item of Array.isArray(child) ? child : [child]) {
      if (typeof item === "number" || (typeof item === "string" && /^\$\{[^}]+\}$/.test(item))) continue;
      problems.push(`${at}.${key} is ${JSON.stringify(item)}; the provider schema types it as a number`);
    }
  }
}

/** The number-typed attributes the bindings declare for a resource type, for tests of this reader. */
export function numberAttributes(resourceType: string): string[] {
  const schema = resourceSchema(resourceType);
  if (!schema) return [];
  const found: string[] = [];
  const visit = (block: Block, path: string, depth: number) => {
    for (const [key, type] of block) {
      if (type === "number") found.push(`${path}${key}`);
      else if (typeof type === "object" && depth < 12) {
        const nested = schema.blocks.get(type.block);
        if (nested) visit(nested, `${path}${key}.`, depth + 1);
      }
    }
  };
  visit(schema.root, "", 0);
  return found;
}

const NUMERIC_KEY = /(?:^|_)(?:port|timeout)$|(?:Port|Replicas|Seconds|Ms)$|^replicaCount$|^(?:min|max)Replicas$/;
/**
 * The OpenTelemetry Collector decodes durations (`timeout`, `check_interval`) as Go time.Duration
 * strings such as "5s" (mapstructure's string-to-duration hook), so in its config those are right.
 */
const COLLECTOR_CONFIG = "otel-collector-config";
const GO_DURATION = /^\d+(?:ns|us|ms|s|m|h)$/;
const REFERENCE = /^(?:\$\{[^}]+\}|os\.environ\/\w+)$/;

/**
 * In configuration without a schema here (Helm values, Kong's declarative config, LiteLLM's
 * config.yaml, gateway-app's catalogue): ports, replica counts, timeouts and durations in
 * seconds or milliseconds are numbers, or a reference that resolves to one.
 */
export function numericKeysThatAreNotNumbers(document: unknown, at: string, durations?: RegExp): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value))
      value.forEach((item, index) => {
        visit(item, `${path}[${index}]`);
      });
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        // Environment variables are strings whatever they hold (Kong's `env`, `customEnv`).
        if (key === "env" || key === "customEnv") continue;
        // A monitor endpoint's `port` names a port (prometheus-operator's ServiceMonitor/PodMonitor API).
        const portName = key === "port" && /(?:endpoints|podMetricsEndpoints)\[\d+\]$/.test(path);
        const duration = durations !== undefined && typeof child === "string" && durations.test(child);
        if (
          NUMERIC_KEY.test(key) &&
          !portName &&
          !duration &&
          (typeof child === "string" || typeof child === "boolean") &&
          !REFERENCE.test(String(child))
        )
          problems.push(`${path}.${key} is ${JSON.stringify(child)}, not a number`);
        visit(child, `${path}.${key}`);
      }
    }
  };
  visit(document, at);
  return problems;
}

/** Both checks over a deployment: the Terraform JSON against the schema, and every config document we render. */
export function numbersAreNumbers(
  stacks: { readonly platform: TerraformJson; readonly infrastructure?: TerraformJson },
  model: ClusterModel,
): string[] {
  return [
    ...[stacks.platform, stacks.infrastructure ?? {}].flatMap(numbersThatAreNotNumbers),
    ...model.releases.flatMap((r) => numericKeysThatAreNotNumbers(r.values, `${r.origin} values`)),
    ...model.configMaps.flatMap((c) =>
      Object.entries(c.data)
        .filter(([file]) => /\.(ya?ml|json)$/.test(file))
        .flatMap(([file, text]) =>
          numericKeysThatAreNotNumbers(
            fromYaml(text),
            `ConfigMap ${c.namespace}/${c.name} ${file}`,
            c.name === COLLECTOR_CONFIG ? GO_DURATION : undefined,
          ),
        ),
    ),
  ];
}
