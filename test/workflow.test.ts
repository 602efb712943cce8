import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const workflow = parse(readFileSync(join(__dirname, "..", ".github", "workflows", "gateway.yml"), "utf8"));
const text = readFileSync(join(__dirname, "..", ".github", "workflows", "gateway.yml"), "utf8");
const steps = (job: string) => workflow.jobs[job].steps as Record<string, any>[];
const runs = (job: string) => steps(job).map((s) => s.run).filter(Boolean) as string[];

describe("GitHub Actions workflow", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
  });

  it("tests, synthesizes, reviews and comments on pull requests", () => {
    expect(runs("test")).toEqual(expect.arrayContaining(["npm ci", "npm test", "npm run synth", "npm run review"]));
    const order = ["npm ci", "npm test", "npm run synth", "npm run review"].map((cmd) => runs("test").indexOf(cmd));
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
      "npx cdktf deploy ai-gateway-platform --auto-approve",
    ]);
    expect(steps("deploy").indexOf(auth)).toBeLessThan(steps("deploy").findIndex((s) => s.run?.includes("cdktf")));
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
