import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
export const DIST = join(ROOT, "dist");
const SOURCES = ["main.ts", "constructs", "lib", "test/support/stack-variants.ts"];

function typeScriptFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(join(path, entry.name)) : entry.name.endsWith(".ts") ? [join(path, entry.name)] : [],
  );
}

/** The TypeScript files the library build compiles into dist/. */
export function compiledSources(): string[] {
  return SOURCES.flatMap((source) => typeScriptFiles(join(ROOT, source)));
}

/** The sources whose compiled file is missing or older than the source. */
export function staleOutputs(): string[] {
  return compiledSources().filter((file) => {
    const output = join(DIST, relative(ROOT, file)).replace(/\.ts$/, ".js");
    return !existsSync(output) || statSync(output).mtimeMs < statSync(file).mtimeMs;
  });
}

/**
 * Compiles the library once when dist/ lags behind the sources, so that tests of the compiled
 * artifact never read a stale build. `npm test` builds first, so there this costs only the stat calls.
 */
export function ensureCompiled(): void {
  if (staleOutputs().length === 0) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

const requireFromRoot = createRequire(join(ROOT, "package.json"));

/** Loads a compiled module with Node's own loader (no test transform), e.g. `compiled("lib/example-app")`. */
export function compiled<T>(modulePath: string): T {
  return requireFromRoot(join(DIST, modulePath)) as T;
}
