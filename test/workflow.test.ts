import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import { CDKTF_CLI_FACTS } from "../lib/upstream-facts";

const workflow = parse(readFileSync(join(__dirname, "..", ".github", "workflows", "gateway.yml"), "utf8"));
const text = readFileSync(join(__dirname, "..", ".github", "workflows", "gateway.yml"), "utf8");
const steps = (job: string) => workflow.jobs[job].steps as Record<string, any>[];
const runs = (job: string) =>
  steps(job)
    .map((s) => s.run)
    .filter(Boolean) as string[];

describe("GitHub Actions workflow", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
  });

  it("tests, synthesizes, reviews and comments on pull requests", () => {
    expect(runs("test")).toEqual(expect.arrayContaining(["npm ci", "npm test", "npm run test:package", "npm run synth", "npm run review"]));
    const order = ["npm ci", "npm test", "npm run test:package", "npm run synth", "npm run review"].map((cmd) => runs("test").indexOf(cmd));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const comment = steps("test").find((s) => s.uses?.startsWith("actions/github-script"))!;
    expect(comment.if).toBe("github.event_name == 'pull_request'");
  });

  it("deploys only main, after the tests, behind an approval environment", () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.needs).toBe("test");
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.environment).toBe("production");
  });

  it("authenticates with Workload Identity Federation, then diffs and deploys the stacks in order", () => {
    const auth = steps("deploy").find((s) => s.uses?.startsWith("google-github-actions/auth@"))!;
    expect(Object.keys(auth.with).sort()).toEqual(["service_account", "workload_identity_provider"]);
    const commands = runs("deploy").filter((r) => r.includes("cdktf"));
    expect(commands).toEqual([
      "npx cdktf diff ai-gateway-infrastructure",
      "npx cdktf deploy ai-gateway-infrastructure --auto-approve",
      "npx cdktf diff ai-gateway-platform",
      "npx cdktf deploy ai-gateway-platform --auto-approve --ignore-missing-stack-dependencies",
    ]);
    expect(steps("deploy").indexOf(auth)).toBeLessThan(steps("deploy").findIndex((s) => s.run?.includes("cdktf")));
  });

  it("passes the flag cdktf-cli needs to deploy a stack whose dependency ran in an earlier step", () => {
    const flag = CDKTF_CLI_FACTS.deploy.ignoreDependenciesFlag;
    const platformDeploy = runs("deploy").find((r) => r.startsWith("npx cdktf deploy ai-gateway-platform"))!;
    expect(platformDeploy.split(" ")).toContain(flag);
    // The infrastructure stack has no dependency, so it needs no flag.
    expect(runs("deploy").find((r) => r.startsWith("npx cdktf deploy ai-gateway-infrastructure"))).not.toContain(flag);
  });

  it("fails the deploy job first when a required repository variable is empty, and synthesizes strictly", () => {
    const check = steps("deploy")[0];
    expect(check.name).toBe("Check repository variables");
    for (const name of [
      "AI_GATEWAY_PROJECT_ID",
      "AI_GATEWAY_REGION",
      "AI_GATEWAY_PREFIX",
      "AI_GATEWAY_STATE_BUCKET",
      "GCP_WORKLOAD_IDENTITY_PROVIDER",
      "GCP_DEPLOYER_SERVICE_ACCOUNT",
    ])
      expect(check.run).toContain(name);
    expect(workflow.jobs.deploy.env.AI_GATEWAY_STRICT).toBe("1");
    const empty = spawnSync("bash", ["-c", check.run], {
      env: {
        PATH: process.env.PATH,
        AI_GATEWAY_PROJECT_ID: "p",
        AI_GATEWAY_REGION: "",
        AI_GATEWAY_PREFIX: "x",
        AI_GATEWAY_STATE_BUCKET: "b",
        GCP_WORKLOAD_IDENTITY_PROVIDER: "w",
        GCP_DEPLOYER_SERVICE_ACCOUNT: "s",
      },
      encoding: "utf8",
    });
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain("::error::repository variable AI_GATEWAY_REGION is empty");
    const full = spawnSync("bash", ["-c", check.run], {
      env: {
        PATH: process.env.PATH,
        AI_GATEWAY_PROJECT_ID: "p",
        AI_GATEWAY_REGION: "r",
        AI_GATEWAY_PREFIX: "x",
        AI_GATEWAY_STATE_BUCKET: "b",
        GCP_WORKLOAD_IDENTITY_PROVIDER: "w",
        GCP_DEPLOYER_SERVICE_ACCOUNT: "s",
      },
      encoding: "utf8",
    });
    expect(full.status).toBe(0);
  });

  it("grants id-token: write to the deploy job only", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.deploy.permissions["id-token"]).toBe("write");
    for (const [name, job] of Object.entries<any>(workflow.jobs)) {
      if (name !== "deploy") expect(job.permissions?.["id-token"], name).toBeUndefined();
    }
  });

  it("uses no key material", () => {
    expect(text).not.toMatch(/credentials_json|GOOGLE_APPLICATION_CREDENTIALS|private_key|secrets\.[A-Z_]*KEY/);
    expect(text).not.toMatch(/\$\{\{\s*secrets\./);
  });

  it("uses the GCS state bucket from repository variables", () => {
    expect(workflow.env.AI_GATEWAY_STATE_BUCKET).toBe("${{ vars.AI_GATEWAY_STATE_BUCKET }}");
  });
});
