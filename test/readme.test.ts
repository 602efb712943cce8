// The README's code, kept honest: every ```ts block is a program this test runs (or one another
// test runs), and every ```sh line is either run here or named as needing the cloud.
import { execFileSync, spawnSync } from "node:child_process";
import { generateKeyPairSync, verify } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/compiled";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const blocks = (lang: string) => [...readme.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, "gm"))].map((m) => m[1]);
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const work = () => mkdtempSync(join(tmpdir(), "readme-"));
/** Inside the checkout, so a program resolves cdktf and the providers from its node_modules, as a consumer's would. */
const programDir = () => {
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, "readme-program-"));
};

/** Runs a README program against this checkout's library (the package name mapped to its source), in a fresh folder. */
function runProgram(code: string, preamble = ""): { dir: string; status: number | null; stderr: string } {
  const dir = programDir();
  const source = preamble + code.replaceAll(`from "gke-ai-gateway"`, `from ${JSON.stringify(join(ROOT, "dist", "constructs", "index.js"))}`);
  writeFileSync(join(dir, "program.ts"), source);
  writeFileSync(join(dir, "team-a.pub"), generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }));
  const run = spawnSync(tsx, ["program.ts"], { cwd: dir, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: join(dir, "out") } });
  return { dir, status: run.status, stderr: run.stderr };
}

describe("README ts blocks", () => {
  const ts = blocks("ts");
  const programs = ts.filter((code) => code.includes(`from "gke-ai-gateway"`) && /new App\(/.test(code));

  it("are the three library programs, the OpenAI snippet and the suppression fragment, nothing unclassified", () => {
    const openai = ts.filter((code) => code.includes(`from "openai"`));
    const fragments = ts.filter((code) => code.includes("suppressPolicy(myConstruct"));
    expect(programs.length).toBe(3); // test/package-install/readme-examples.test.ts also type-checks and synthesizes them from the packed tarball
    expect(openai.length).toBe(1); // gateway-app/test/readme-openai.test.ts runs it
    expect(fragments.length).toBe(1);
    expect(ts.length).toBe(programs.length + openai.length + fragments.length);
  });

  it.each([0, 1, 2])("program %i synthesizes with this checkout's library", (index) => {
    const { dir, status, stderr } = runProgram(programs[index]);
    expect(stderr).not.toMatch(/Error/);
    expect(status).toBe(0);
    expect(existsSync(join(dir, "out", "manifest.json"))).toBe(true);
  });

  it("the suppression fragment runs on a construct", () => {
    const fragment = blocks("ts").find((code) => code.includes("suppressPolicy(myConstruct"))!;
    const preamble = `import { App, TerraformStack } from "cdktf";\nconst myConstruct = new TerraformStack(new App(), "sandbox");\n`;
    const { status, stderr } = runProgram(fragment, preamble);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });
});

/**
 * Every line of every ```sh block: run by this test, run by .ci/run, or needing a cloud project,
 * a registry or a built image. A new README command fails here until it is classified.
 */
const CLOUD = /(^|\| )(gcloud|docker|crane|kubectl|tofu|terraform) |^(for role|done$|SA=|PROJECT=|PROJECT_NUMBER=|git worktree add .*origin)/;
const CI = new Set(["npm ci && npm run synth", "npm test"]);
const RUN_HERE = new Set([
  "AI_GATEWAY_PROJECT_ID=acme-prod AI_GATEWAY_STATE_BUCKET=acme-tfstate npm run synth",
  "npm run synth && npm run review -- --base /tmp/base/cdktf.out",
  "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out team-a.pem && openssl pkey -in team-a.pem -pubout -out team-a.pub",
  "JWT=$(npm run --silent token -- --consumer team-a --key team-a.pem)",
  "npm run synth",
  "cd cdktf.out/stacks/ai-gateway-infrastructure",
]);
const ONLINE = new Set([
  'npm run smoke -- --url https://api.example.com --token "$JWT" [--rate-limit] [--metrics-url URL]',
  "tofu init && tofu plan",
  // Need a Redis; gateway-app/test/governance/admin-cli.test.ts runs the same commands against one.
  "export GOVERNANCE_REDIS_URL=rediss://127.0.0.1:6378 GOVERNANCE_REDIS_AUTH_FILE=./auth GOVERNANCE_REDIS_CA_FILE=./server-ca.pem",
  "npm run keys -- issue  --tenant acme --label ci",
  "npm run keys -- list   --tenant acme",
  "npm run keys -- rotate --tenant acme --id <id> --grace-hours 24",
  "npm run keys -- revoke --tenant acme --id <id>",
]);

function shLines(): string[] {
  return blocks("sh").flatMap((block) =>
    block
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
}

describe("README sh blocks", () => {
  it("are each run here, run by .ci/run, or named as needing the cloud", () => {
    const unclassified = shLines().filter((line) => !CLOUD.test(line) && !CI.has(line) && !RUN_HERE.has(line) && !ONLINE.has(line));
    expect(unclassified).toEqual([]);
    for (const line of RUN_HERE) expect(shLines(), line).toContain(line);
  });

  const node = process.execPath;
  const synth = (env: Record<string, string>) => {
    const outdir = join(work(), "cdktf.out");
    const run = spawnSync(node, [join(ROOT, "dist", "main.js")], { encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir, ...env } });
    expect(run.status, run.stderr).toBe(0);
    return { outdir, stdout: run.stdout };
  };

  it("AI_GATEWAY_PROJECT_ID=acme-prod AI_GATEWAY_STATE_BUCKET=acme-tfstate npm run synth: the project and a GCS backend", () => {
    const { outdir, stdout } = synth({ AI_GATEWAY_PROJECT_ID: "acme-prod", AI_GATEWAY_STATE_BUCKET: "acme-tfstate" });
    expect(stdout).toMatch(/Synthesized for project acme-prod/);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "ai-gateway-infrastructure", "cdk.tf.json"), "utf8"));
    expect(json.terraform.backend.gcs).toEqual({ bucket: "acme-tfstate", prefix: "ai-gateway/ai-gateway-infrastructure" });
  });

  it("npm run synth && npm run review -- --base DIR: a review against a base synth", () => {
    const base = synth({}).outdir;
    const head = synth({ AI_GATEWAY_PREFIX: "ai-gw2" }).outdir;
    const out = join(work(), "review");
    execFileSync("npm", ["run", "--silent", "review", "--", "--dir", head, "--base", base, "--out", out], { cwd: ROOT, encoding: "utf8" });
    expect(readFileSync(join(out, "ai-gateway-infrastructure.md"), "utf8")).toMatch(/2 blocking\./);
  });

  it("openssl genpkey … && JWT=$(npm run --silent token …): a token the generated key verifies", () => {
    const dir = work();
    execFileSync("sh", ["-c", [...RUN_HERE].find((l) => l.startsWith("openssl"))!], { cwd: dir });
    const jwt = execFileSync("npm", ["run", "--silent", "--prefix", ROOT, "token", "--", "--consumer", "team-a", "--key", join(dir, "team-a.pem")], {
      encoding: "utf8",
    }).trim();
    const [header, payload, signature] = jwt.split(".");
    expect(JSON.parse(Buffer.from(payload, "base64url").toString()).iss).toBe("team-a");
    expect(
      verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), readFileSync(join(dir, "team-a.pub"), "utf8"), Buffer.from(signature, "base64url")),
    ).toBe(true);
  });

  it("npm run synth, cd cdktf.out/stacks/ai-gateway-infrastructure: a self-contained folder of plain Terraform JSON", () => {
    const { outdir } = synth({});
    const folder = join(outdir, "stacks", "ai-gateway-infrastructure");
    const json = JSON.parse(readFileSync(join(folder, "cdk.tf.json"), "utf8"));
    expect(json.terraform.required_providers.google).toEqual({ source: "google", version: "6.50.0" });
    // Nothing in it points at cdktf: no module sources, no local file references outside the state path.
    expect(JSON.stringify(json)).not.toMatch(/cdktf\.out|node_modules|"module"/);
  });
});
