import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DIST, ROOT, compiledSources } from "./support/compiled";
import { STACK_VARIANTS } from "./support/stack-variants";

/** Runs a node program to completion; rejects with its stderr when it fails. */
function run(args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`node ${args.join(" ")} exited ${code}:\n${stderr}`))));
  });
}

/** Each variant's stacks as `variant/stack` → the bytes of cdk.tf.json, with the output root made relative. */
function stackFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const variant of readdirSync(root).sort()) {
    for (const stack of readdirSync(join(root, variant, "stacks")).sort()) {
      files[`${variant}/${stack}`] = readFileSync(join(root, variant, "stacks", stack, "cdk.tf.json"), "utf8").replaceAll(root, "<outdir>");
    }
  }
  return files;
}

describe("the compiled library synthesizes what the sources do", () => {
  const fromDist = mkdtempSync(join(tmpdir(), "variants-dist-"));
  const fromSource = mkdtempSync(join(tmpdir(), "variants-source-"));

  beforeAll(async () => {
    // One process per side, both at once: the compiled app the way `npm run synth` runs it, and the sources through tsx.
    await Promise.all([
      run([join(DIST, "test/support/stack-variants.js"), fromDist]),
      run(["--import", "tsx", join(ROOT, "test/support/stack-variants.ts"), fromSource]),
    ]);
  }, 60_000);

  it("covers every variant, each with its stacks", () => {
    const stacks = Object.keys(stackFiles(fromDist));
    expect(Object.keys(STACK_VARIANTS).length).toBe(9);
    expect(stacks).toContain("example/ai-gateway-platform");
    expect(stacks).toContain("single-replica-edge/edge");
    expect(stacks.length).toBe(17);
  });

  it.each(Object.keys(STACK_VARIANTS))("%s: byte-identical cdk.tf.json from dist/ and from the sources", (variant) => {
    const pick = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([key]) => key.startsWith(`${variant}/`)));
    const compiled = pick(stackFiles(fromDist));
    expect(Object.keys(compiled).length).toBeGreaterThan(0);
    expect(compiled).toEqual(pick(stackFiles(fromSource)));
  });
});

// TypeScript's CommonJS output reads imports and exports through these names; a local binding with
// one of them makes the compiled code read the wrong object (TypeScript#33043: `const exports` in
// LiteLlmRouter rendered `--port undefined`) while the sources run fine.
const COMMONJS_WRAPPER_BINDING = /\b(?:const|let|var|function|class)\s+(exports|require|module)\b|[(,]\s*(exports|require|module)\s*[:,)=]/;

describe("sources compiled to CommonJS", () => {
  it("declare no binding named exports, require or module", () => {
    const offending = compiledSources().flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, index) => (COMMONJS_WRAPPER_BINDING.test(line) ? [`${file.slice(ROOT.length + 1)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});
