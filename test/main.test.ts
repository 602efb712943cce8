import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST, ROOT } from "./support/compiled";

/** Runs the compiled main.js the way `npm run synth` and cdktf.json's `app` do, into a temporary output directory. */
function runSynth(env: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  const result = spawnSync(process.execPath, [join(DIST, "main.js")], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

describe("npm run synth (dist/main.js)", () => {
  it("is the program npm run synth and cdktf.json's app run", () => {
    const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), "utf8"));
    expect(json("package.json").scripts.synth).toBe("npm run --silent build && node dist/main.js");
    expect(json("cdktf.json").app).toBe("npm run --silent build && node dist/main.js");
  });

  it("synthesizes both stacks offline and says what it wrote", () => {
    const { status, stdout, outdir } = runSynth();
    expect(status).toBe(0);
    expect(stdout).toMatch(/Synthesized for project ai-gateway-example/);
    expect(stdout).toMatch(/ai-gateway-infrastructure\/cdk\.tf\.json\s+\d+ resources/);
    expect(stdout).toMatch(/ai-gateway-platform\/cdk\.tf\.json\s+\d+ resources/);
    expect(existsSync(join(outdir, "stacks", "ai-gateway-platform", "cdk.tf.json"))).toBe(true);
  });

  it("reports bad configuration with the construct path and the fix, without a stack trace", () => {
    const { status, stderr } = runSynth({ AI_GATEWAY_PREFIX: "Not_Valid" });
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(
      /^Invalid configuration: ai-gateway-infrastructure: prefix must be lowercase letters.*\(received "Not_Valid"\)\. Fix: /,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
