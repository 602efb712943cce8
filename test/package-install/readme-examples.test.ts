// Slow (a clean clone, npm ci, npm pack, a fresh install): run by `npm run test:package` as its own
// CI step in .ci/run, not by `npm test`.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/compiled";

const work = mkdtempSync(join(tmpdir(), "package-install-"));
const clone = join(work, "clone");
const consumer = join(work, "consumer");
// A real 2048-bit RSA key: KongEdge refuses what node:crypto cannot parse.
const PUBLIC_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

function sh(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

/** The README's ```ts blocks that are whole programs using the library: they import it and synthesize an App. */
function readmePrograms(readme: string): string[] {
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)]
    .map((m) => m[1])
    .filter((code) => code.includes(`from "gke-ai-gateway"`) && /new App\(/.test(code));
}

const OFFLINE_FIRST = ["--prefer-offline", "--no-audit", "--no-fund"];
let tarball: string;
let programs: string[];
const timings: Record<string, number> = {};

function timed<T>(step: string, run: () => T): T {
  const start = performance.now();
  try {
    return run();
  } finally {
    timings[step] = Math.round(performance.now() - start);
  }
}

describe("the npm package, installed from a clean clone's tarball", () => {
  beforeAll(() => {
    timed("clone", () => sh("git", ["clone", "--quiet", ROOT, clone], work));
    timed("npm ci", () => sh("npm", ["ci", ...OFFLINE_FIRST], clone));
    const packed = timed("npm pack", () => JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work], clone)));
    tarball = join(work, packed[0].filename);

    const devDependencies = JSON.parse(readFileSync(join(clone, "package.json"), "utf8")).devDependencies;
    mkdirSync(join(consumer, "src"), { recursive: true });
    writeFileSync(join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true }, null, 2)}\n`);
    // The peer dependencies (cdktf, constructs, the three providers) come with the package, as npm installs peers.
    timed("npm install", () =>
      sh(
        "npm",
        ["install", ...OFFLINE_FIRST, tarball, `typescript@${devDependencies.typescript}`, `@types/node@${devDependencies["@types/node"]}`],
        consumer,
      ),
    );

    programs = readmePrograms(readFileSync(join(clone, "README.md"), "utf8"));
    for (const [index, code] of programs.entries()) writeFileSync(join(consumer, "src", `readme-${index + 1}.ts`), code);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          types: ["node"],
          outDir: "dist",
          rootDir: "src",
        },
        include: ["src"],
      }),
    );
    writeFileSync(join(consumer, "team-a.pub"), PUBLIC_KEY);
  }, 600_000);

  it("packs the compiled library and the license, built by prepack in a clone without dist/", () => {
    const entries = sh("tar", ["-tzf", tarball], work).split("\n");
    expect(entries).toEqual(
      expect.arrayContaining([
        "package/LICENSE",
        "package/dist/constructs/index.js",
        "package/dist/constructs/index.d.ts",
        "package/dist/lib/synth-guard.js",
      ]),
    );
    expect(entries.filter((e) => /\.ts$/.test(e) && !e.endsWith(".d.ts"))).toEqual([]);
  });

  it("installs with its peer dependencies, resolved from the consumer's own node_modules", () => {
    const resolved = sh(process.execPath, ["-p", `require.resolve("gke-ai-gateway")`], consumer).trim();
    expect(resolved).toBe(join(consumer, "node_modules/gke-ai-gateway/dist/constructs/index.js"));
    for (const peer of ["cdktf", "constructs", "@cdktf/provider-google", "@cdktf/provider-helm", "@cdktf/provider-kubernetes"]) {
      expect(existsSync(join(consumer, "node_modules", peer, "package.json")), peer).toBe(true);
    }
  });

  it("finds the README's library programs", () => {
    expect(programs.length).toBe(3);
  });

  it("type-checks the README's programs against the package's declarations", () => {
    timed("tsc", () => sh(process.execPath, [join(consumer, "node_modules/typescript/bin/tsc"), "-p", consumer], consumer));
    expect(readdirSync(join(consumer, "dist")).sort()).toEqual(programs.map((_, i) => `readme-${i + 1}.js`).sort());
  });

  it.each([
    ["readme-1.js", ["cluster"]],
    ["readme-2.js", ["ai-gateway-infrastructure", "ai-gateway-platform"]],
    ["readme-3.js", ["infrastructure", "platform"]],
  ])("synthesizes %s with its stacks", (program, stacks) => {
    const outdir = join(work, `out-${program}`);
    timed(program, () => sh(process.execPath, [join("dist", program)], consumer).toString());
    // App() writes to ./cdktf.out; keep each program's output apart.
    sh("mv", ["cdktf.out", outdir], consumer);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(Object.keys(json.resource ?? {}).length, stack).toBeGreaterThan(0);
    }
    console.log(`package-install timings (ms): ${JSON.stringify(timings)}`);
  });
});
