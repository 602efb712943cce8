import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST } from "./support/compiled";

const outdir = mkdtempSync(join(tmpdir(), "synth-hcl-"));
/** What `cdktf synth [--hcl]` runs: the app, with the CLI's environment for the output format. */
function synth(hcl: boolean, into = outdir) {
  return spawnSync(process.execPath, [join(DIST, "main.js")], {
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: into, SYNTH_HCL_OUTPUT: String(hcl) },
  });
}

/** Resources and data sources in a stack's JSON synth: what the HCL summary must count too. */
function jsonCounts(stack: string): { resources: number; data: number } {
  const into = mkdtempSync(join(tmpdir(), "synth-json-"));
  expect(synth(false, into).status).toBe(0);
  const json = JSON.parse(readFileSync(join(into, "stacks", stack, "cdk.tf.json"), "utf8"));
  const count = (blocks: Record<string, object> = {}) => Object.values(blocks).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  return { resources: count(json.resource), data: count(json.data) };
}
const files = (stack: string) =>
  readdirSync(join(outdir, "stacks", stack))
    .filter((f) => f.startsWith("cdk.tf"))
    .sort();
const terraform = spawnSync("terraform", ["version"]).status === 0;

describe("cdktf synth --hcl", () => {
  it("works in a clean output folder and counts the HCL it wrote", () => {
    const run = synth(true);
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(run.status).toBe(0);
    const { resources, data } = jsonCounts("ai-gateway-infrastructure");
    expect(run.stdout).toMatch(new RegExp(`stacks/ai-gateway-infrastructure/cdk\\.tf {2}${resources} resources, ${data} data sources`));
    expect(files("ai-gateway-infrastructure")).toEqual(["cdk.tf"]);
    expect(run.stderr).toMatch(/Apply cdk\.tf\.json \(npm run synth\) instead/);
  });

  it("leaves one format per stack folder, so Terraform never loads a stale copy next to the current one", () => {
    expect(synth(false).status).toBe(0);
    expect(files("ai-gateway-platform")).toEqual(["cdk.tf.json"]);
    expect(synth(true).status).toBe(0);
    expect(files("ai-gateway-platform")).toEqual(["cdk.tf"]);
  });

  it.skipIf(!terraform)("writes HCL Terraform parses for the infrastructure stack, not for the platform stack's JSON strings (README)", () => {
    const parse = (stack: string) =>
      spawnSync("terraform", ["fmt", "-no-color", "-"], {
        input: readFileSync(join(outdir, "stacks", stack, "cdk.tf"), "utf8"),
        env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
      }).status;
    expect(existsSync(join(outdir, "stacks", "ai-gateway-platform", "cdk.tf"))).toBe(true);
    expect(parse("ai-gateway-infrastructure")).toBe(0);
    expect(parse("ai-gateway-platform")).not.toBe(0);
  });
});
