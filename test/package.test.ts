import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/compiled";

// sha256 of https://www.apache.org/licenses/LICENSE-2.0.txt
const APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";
const TOOLING_ONLY = [
  "dist/lib/docs.js",
  "dist/lib/example-app.js",
  "dist/lib/review.js",
  "dist/lib/smoke.js",
  "dist/lib/policy/docs.js",
  "dist/main.js",
];

const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** What `npm pack` would put in the tarball, from the current build (scripts off: dist/ is fresh and other tests read it). */
function packedFiles(): string[] {
  const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  return (JSON.parse(output)[0].files as { path: string }[]).map((f) => f.path).sort();
}

/** The compiled modules Node loads for `require("gke-ai-gateway")`. */
function runtimeModules(): string[] {
  const program = `require("./dist/constructs/index.js"); console.log(JSON.stringify(Object.keys(require.cache)))`;
  const loaded: string[] = JSON.parse(execFileSync(process.execPath, ["-e", program], { cwd: ROOT, encoding: "utf8" }));
  return loaded
    .filter((file) => file.startsWith(`${join(ROOT, "dist")}/`))
    .map((file) => file.slice(ROOT.length + 1))
    .sort();
}

/** Relative imports of a declaration file, as package paths of the declaration files they name. */
function declarationImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => normalize(join(dirname(file), `${m[1]}.d.ts`)));
}

describe("npm pack", () => {
  let files: string[];
  beforeAll(() => {
    files = packedFiles();
  });

  it("ships the compiled entry point, its types, the license and the docs", () => {
    expect(files).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "POLICIES.md", "package.json", "dist/constructs/index.js", "dist/constructs/index.d.ts"]),
    );
    expect(packageJson.main).toBe("dist/constructs/index.js");
    expect(packageJson.types).toBe("dist/constructs/index.d.ts");
  });

  it("ships every module the entry point loads at run time", () => {
    const missing = runtimeModules().filter((module) => !files.includes(module));
    expect(missing).toEqual([]);
  });

  it("ships every declaration file the shipped declarations import", () => {
    const declarations = files.filter((f) => f.endsWith(".d.ts"));
    const missing = declarations.flatMap((file) =>
      declarationImports(file)
        .filter((target) => !files.includes(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(declarations.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it("ships no sources, tests, scripts, benchmarks, gateway-app or tooling-only modules", () => {
    const outside = files.filter(
      (f) => !["LICENSE", "README.md", "POLICIES.md", "package.json"].includes(f) && !/^dist\/(constructs|lib)\/.+\.(js|d\.ts)$/.test(f),
    );
    expect(outside).toEqual([]);
    expect(files.filter((f) => TOOLING_ONLY.includes(f))).toEqual([]);
  });

  it("builds before packing, so a clean clone packs the compiled library", () => {
    expect(packageJson.scripts.prepack).toBe("npm run --silent build");
    expect(packageJson.scripts.build).toBe("tsc -p tsconfig.build.json");
  });

  it("carries the Apache-2.0 text as published by apache.org and a repository", () => {
    expect(packageJson.license).toBe("Apache-2.0");
    expect(
      createHash("sha256")
        .update(readFileSync(join(ROOT, "LICENSE")))
        .digest("hex"),
    ).toBe(APACHE_2_SHA256);
    expect(packageJson.repository).toEqual({ type: "git", url: "git+https://github.com/gke-ai-gateway/gke-ai-gateway.git" });
  });
});
