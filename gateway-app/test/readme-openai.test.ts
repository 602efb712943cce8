import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./support/harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = readFileSync(join(root, "gateway-app/examples/openai-client.mts"), "utf8");

describe("the README's OpenAI client snippet", () => {
  let running: TestGateway;
  beforeAll(async () => {
    running = await startTestGateway({});
  });
  afterAll(() => running.gateway.shutdown());

  it("is the example file, verbatim", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    expect(blocks.filter((b) => b.includes('from "openai"'))).toEqual([example]);
  });

  it("runs from the repository root with npm run example:openai and prints the mock's answer", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "example:openai"], {
      cwd: root,
      env: { ...process.env, GATEWAY_URL: `${running.url}/v1` },
    });
    expect(stdout.trim().length).toBeGreaterThan(0);
  });
});
