import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/compiled";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));

describe("npm 11 install scripts", () => {
  const withScripts = Object.entries<any>(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path, entry]) => ({ name: path.replace(/^.*node_modules\//, ""), version: entry.version as string }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

  it("has a recorded decision for every locked package with an install script", () => {
    const decided = (p: { name: string; version: string }) => `${p.name}@${p.version}` in pkg.allowScripts || p.name in pkg.allowScripts;
    expect(withScripts.filter((p) => !decided(p))).toEqual([]);
  });

  it("runs node-pty's (cdktf-cli loads its native module; no prebuild for Node 24) and not esbuild's (tsx finds the binary without it)", () => {
    expect(pkg.allowScripts).toEqual({ "@cdktf/node-pty-prebuilt-multiarch": true, "esbuild@0.28.2": false });
    expect(withScripts.map((p) => p.name)).toEqual(["@cdktf/node-pty-prebuilt-multiarch", "esbuild"]);
  });
});
