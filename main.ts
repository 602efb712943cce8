import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { InvalidPropsError } from "./lib/errors";
import { buildExampleApp, readExampleConfig } from "./lib/example-app";
import type { PolicyPack } from "./lib/policy/pack";

function main(): void {
  const app = new App();
  const config = readExampleConfig((key) => app.node.tryGetContext(key));
  const { policy } = buildExampleApp(app, config);
  try {
    app.synth();
  } finally {
    writePolicyReport(app.outdir, policy);
  }
  printPolicyWarnings(policy);
  printSummary(app.outdir, config.projectId, app.hclOutput);
  if (app.hclOutput)
    console.warn(
      "cdk.tf is cdktf's HCL rendering: cdktf 0.21 mis-quotes strings that hold JSON (the dashboard ConfigMaps), so Terraform and OpenTofu " +
        'reject the platform stack\'s cdk.tf. Apply cdk.tf.json (npm run synth) instead: README "Leaving cdktf".',
    );
}

/** The findings and suppressions, for `npm run review`. */
function writePolicyReport(outdir: string, policy: PolicyPack): void {
  try {
    writeFileSync(join(outdir, "policy-report.json"), `${JSON.stringify(policy.report, null, 2)}\n`);
  } catch {
    // The output directory does not exist when synthesis failed before writing anything.
  }
}

function printPolicyWarnings(policy: PolicyPack): void {
  for (const finding of policy.report.findings.filter((f) => f.level === "warning"))
    console.warn(`Policy warning at ${finding.path}: ${finding.message}`);
  if (policy.report.suppressed.length > 0)
    console.log(`Policy: ${policy.report.suppressed.length} finding(s) suppressed with a reason (see the plan review).`);
}

/**
 * Lists each synthesized stack with its resource count, so a run says what it wrote. `cdktf synth
 * --hcl` writes cdk.tf instead of cdk.tf.json and leaves the other format from an earlier synth in
 * place, where Terraform would load both and declare every resource twice: the stale one goes.
 */
function printSummary(outdir: string, projectId: string, hcl: boolean): void {
  const stacksDir = join(outdir, "stacks");
  console.log(`Synthesized for project ${projectId} into ${relative(process.cwd(), outdir) || outdir}/:`);
  for (const stack of readdirSync(stacksDir).sort()) {
    const json = join(stacksDir, stack, "cdk.tf.json");
    const hclFile = join(stacksDir, stack, "cdk.tf");
    const [file, stale] = hcl ? [hclFile, json] : [json, hclFile];
    rmSync(stale, { force: true });
    const text = readFileSync(file, "utf8");
    const kib = (statSync(file).size / 1024).toFixed(1);
    const { resources, dataSources } = hcl ? countHclBlocks(text) : countJsonBlocks(text);
    console.log(`  ${relative(process.cwd(), file)}  ${resources} resources, ${dataSources} data sources, ${kib} KiB`);
  }
}

function countJsonBlocks(text: string): { resources: number; dataSources: number } {
  const json = JSON.parse(text) as { resource?: Record<string, object>; data?: Record<string, object> };
  const count = (blocks?: Record<string, object>) => Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  return { resources: count(json.resource), dataSources: count(json.data) };
}

/** Top-level `resource "type" "name" {` and `data "type" "name" {` blocks, as cdktf's HCL writer emits them. */
function countHclBlocks(text: string): { resources: number; dataSources: number } {
  return { resources: text.match(/^resource "/gm)?.length ?? 0, dataSources: text.match(/^data "/gm)?.length ?? 0 };
}

try {
  main();
} catch (error) {
  if (error instanceof InvalidPropsError) {
    console.error(`Invalid configuration: ${error.message}`);
    process.exit(1);
  }
  // cdktf refuses to synthesize when a policy error annotation exists; its message lists them.
  if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
    console.error(`Policy check failed:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
