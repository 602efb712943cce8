import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { InvalidPropsError } from "./errors";
import { installPolicyPack } from "./policy/pack";

/** A value that JavaScript produced by accident and Terraform would apply as if it were meant. */
export interface BrokenValue {
  /** Terraform address of the block: `type.name`, `data.type.name`, `output.name`, `provider.google[0]`… */
  readonly address: string;
  /** Path of the attribute inside the block, e.g. `spec[0].container[0].command[2]`. */
  readonly attribute: string;
  /** What it rendered as: `undefined`, `NaN`, `Infinity` or `[object Object]`. */
  readonly rendered: string;
  /** The construct that declared the block, when cdktf recorded it. */
  readonly constructPath?: string;
}

// A template literal over a missing field gives "undefined"; over an object, "[object Object]";
// arithmetic on a missing number, NaN. None of them is ever a value we mean to deploy.
const BROKEN_IN_STRING = /\bundefined\b|\bNaN\b|\[object Object\]/;

/** Every broken value in a stack's resolved Terraform JSON (what `stack.toTerraform()` returns). */
export function findBrokenValues(terraform: Record<string, unknown>): BrokenValue[] {
  const found: BrokenValue[] = [];
  for (const [blockType, blocks] of Object.entries(terraform)) {
    if (blockType === "//") continue;
    for (const [address, body] of blockAddresses(blockType, blocks)) {
      const constructPath = (body as { "//"?: { metadata?: { path?: string } } } | undefined)?.["//"]?.metadata?.path;
      visit(body, "", (attribute, rendered) => found.push({ address, attribute, rendered, ...(constructPath ? { constructPath } : {}) }));
    }
  }
  return found;
}

/** The addressable blocks of one top-level key, e.g. `resource` → `[["google_x.y", body], …]`. */
function blockAddresses(blockType: string, blocks: unknown): [string, unknown][] {
  if (!isObject(blocks)) return [[blockType, blocks]];
  if (blockType === "resource" || blockType === "data") {
    const prefix = blockType === "data" ? "data." : "";
    return Object.entries(blocks).flatMap(([type, byName]) =>
      isObject(byName) ? Object.entries(byName).map(([name, body]): [string, unknown] => [`${prefix}${type}.${name}`, body]) : [],
    );
  }
  if (blockType === "terraform" || blockType === "locals") return [[blockType, blocks]];
  return Object.entries(blocks).map(([name, body]): [string, unknown] => [`${blockType}.${name}`, body]);
}

function visit(value: unknown, at: string, report: (attribute: string, rendered: string) => void): void {
  if (typeof value === "string") {
    const match = BROKEN_IN_STRING.exec(value);
    if (match) report(at, match[0]);
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) report(at, String(value));
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) visit(item, `${at}[${index}]`, report);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key !== "//") visit(child, at ? `${at}.${key}` : key, report);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Throws, naming the stack, the address and the attribute, when a stack's JSON holds broken values. */
export function assertNoBrokenValues(stackPath: string, terraform: Record<string, unknown>): void {
  const [first, ...more] = findBrokenValues(terraform);
  if (!first) return;
  const describe = (v: BrokenValue) => `${location(v)} renders "${v.rendered}"${v.constructPath ? ` (construct ${v.constructPath})` : ""}`;
  const others = more.length > 0 ? `; also ${more.map(describe).join("; ")}` : "";
  throw new InvalidPropsError(
    stackPath,
    location(first),
    `renders "${first.rendered}"${first.constructPath ? ` (construct ${first.constructPath})` : ""}${others}`,
    "a value given to the construct, or computed by it, was missing or not a string; pass the field the " +
      "construct reads (a string, not an object) or report the construct",
  );
}

/** `address.attribute`, e.g. `google_x.y.labels.team` or `provider.google[0].project`. */
export function location(value: BrokenValue): string {
  return value.attribute.startsWith("[") || value.attribute === "" ? `${value.address}${value.attribute}` : `${value.address}.${value.attribute}`;
}

const guarded = new WeakSet<TerraformStack>();

/**
 * Makes the stack that holds `scope` refuse to synthesize broken values, and installs the policy
 * pack on it. Every library construct calls it, so stacks that consumers build themselves are
 * checked too. It runs with cdktf's validations (`app.synth()`, `cdktf synth`); an App created
 * with `skipValidation: true` skips the value check (not the policy pack's error annotations).
 */
export function guardRenderedValues(scope: IConstruct): void {
  installPolicyPack(scope);
  const stack = TerraformStack.of(scope);
  if (guarded.has(stack)) return;
  guarded.add(stack);
  // cdktf's synthesizer validates a stack and then renders it, and rendering resolves every
  // token again: hand it the JSON the check just rendered, once, instead (synth is ~10% faster).
  const render = stack.toTerraform.bind(stack);
  let checked: Record<string, unknown> | undefined;
  stack.toTerraform = () => {
    const json = checked ?? render();
    checked = undefined;
    return json;
  };
  stack.node.addValidation({
    validate: () => {
      const json = render();
      // Thrown rather than returned, so main.ts prints it as a configuration error with its fix.
      assertNoBrokenValues(stack.node.path, json);
      checked = json;
      return [];
    },
  });
}
