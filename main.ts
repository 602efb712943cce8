import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { InvalidPropsError } from "./lib/errors";
import { buildExampleApp, readExampleConfig } from "./lib/example-app";

function main(): void {
  const app = new App();
  const config = readExampleConfig((key) => app.node.tryGetContext(key));
  buildExampleApp(app, config);
  app.synth();
  printSummary(app.outdir, config.projectId);
}

/** Lists each synthesized stack with its resource count, so a run says what it wrote. */
function printSummary(outdir: string, projectId: string): void {
  const stacksDir = join(outdir, "stacks");
  console.log(`Synthesized for project ${projectId} into ${relative(process.cwd(), outdir) || outdir}/:`);
  for (const stack of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, stack, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, object>; data?: Record<string, object> };
    const count = (blocks?: Record<string, object>) =>
      Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    const kib = (statSync(file).size / 1024).toFixed(1);
    console.log(`  ${relative(process.cwd(), file)}  ${count(json.resource)} resources, ${count(json.data)} data sources, ${kib} KiB`);
  }
}

try {
  main();
} catch (error) {
  if (error instanceof InvalidPropsError) {
    console.error(`Invalid configuration: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
