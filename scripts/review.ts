// npm run review [-- --dir cdktf.out] [--base DIR] [--out DIR]
// Writes one Markdown synth review per stack, for a pull request (not a Terraform plan: see README "Synth review").
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readSynthDirectory, reviewStack } from "../lib/review";

function main(): void {
  const { values } = parseArgs({ options: { dir: { type: "string", default: "cdktf.out" }, base: { type: "string" }, out: { type: "string" } } });
  const current = readSynthDirectory(values.dir!);
  const base = values.base ? readSynthDirectory(values.base) : undefined;
  const out = values.out ?? join(values.dir!, "review");
  mkdirSync(out, { recursive: true });
  for (const stack of current.stacks) {
    const file = join(out, `${stack.name}.md`);
    writeFileSync(
      file,
      reviewStack(
        stack,
        current.policy,
        base?.stacks.find((s) => s.name === stack.name),
      ),
    );
    console.log(`wrote ${file}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`review: ${(error as Error).message}`);
  process.exit(1);
}
