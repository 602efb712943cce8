import { spawnSync } from "node:child_process";
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

  it("leaves node-pty built for the Node that runs it, so `cdktf synth|diff|deploy` can start", () => {
    // npm compiles it against npm's `nodedir` headers; .ci/run points them at the Node it installs.
    const load = spawnSync(process.execPath, ["-e", "require('@cdktf/node-pty-prebuilt-multiarch')"], { cwd: ROOT, encoding: "utf8" });
    expect(load.stderr).not.toMatch(/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED/);
    expect(load.status).toBe(0);
  });
});
