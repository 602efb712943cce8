import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformStack } from "cdktf";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { buildExampleApp, readExampleConfig } from "../../lib/example-app";
import { policiesMarkdown } from "../../lib/policy/docs";
import { PolicyPack, suppressPolicy } from "../../lib/policy/pack";
import { KongEdge } from "../../constructs/kong-edge";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { toYaml } from "../../lib/yaml";
import { tempApp } from "../support/terraform";

function stackWithEditorGrant() {
  const app = tempApp();
  const stack = new TerraformStack(app, "team");
  new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
  new ProjectIamMember(stack, "Editor", { project: "acme-ai-prod", role: "roles/editor", member: "user:someone@example.com" });
  return { app, stack };
}

describe("the policy pack as an Aspect", () => {
  it("fails synth on an error, naming the rule, the construct path and the fix", () => {
    const { app } = stackWithEditorGrant();
    const pack = PolicyPack.applyTo(app);
    expect(() => app.synth()).toThrow(
      /\[team\/Editor\] \[AIG-IAM-1\] No primitive roles .* grants roles\/editor.*Fix: Grant predefined or custom roles/,
    );
    expect(pack.report.findings).toEqual([
      expect.objectContaining({ ruleId: "AIG-IAM-1", level: "error", path: "team/Editor", resourceType: "google_project_iam_member" }),
    ]);
  });

  it("reports warnings without failing", () => {
    const app = tempApp();
    const stack = new TerraformStack(app, "team");
    new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
    new AiGatewayCluster(stack, "Cluster", { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" });
    const pack = PolicyPack.applyTo(app);
    app.synth();
    expect(pack.report.findings).toEqual([expect.objectContaining({ ruleId: "AIG-GKE-20", level: "warning", path: "team/Cluster/Cluster" })]);
  });

  it("lets a suppression with a reason cover a construct and its children, and keeps it in the report", () => {
    const app = tempApp();
    const stack = new TerraformStack(app, "team");
    new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
    const cluster = new AiGatewayCluster(stack, "Cluster", { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" });
    suppressPolicy(cluster, [{ id: "AIG-GKE-20", reason: "This development cluster holds no secrets worth a KMS key." }]);
    const pack = PolicyPack.applyTo(app);
    app.synth();
    expect(pack.report.findings).toEqual([]);
    expect(pack.report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: "AIG-GKE-20",
        path: "team/Cluster/Cluster",
        reason: "This development cluster holds no secrets worth a KMS key.",
      }),
    ]);
  });

  it("refuses a suppression without a real reason, or for an unknown rule", () => {
    const { stack } = stackWithEditorGrant();
    expect(() => suppressPolicy(stack, [{ id: "AIG-IAM-1", reason: "legacy" }])).toThrow(
      /^team: suppression AIG-IAM-1\.reason is not a sentence "legacy"\. Fix: explain in at least one full sentence/,
    );
    expect(() => suppressPolicy(stack, [{ id: "AIG-NOPE", reason: "This rule does not exist in the pack at all." }])).toThrow(
      /suppression AIG-NOPE names no rule of the policy pack/,
    );
  });

  it("suppresses only the checks a suppression names: Kong's env secret, never a writable root filesystem", () => {
    const app = tempApp();
    const stack = new TerraformStack(app, "edge");
    new KubernetesProvider(stack, "kubernetes", {});
    new HelmProvider(stack, "helm", {});
    const edge = new KongEdge(stack, "Edge", {
      namespace: "edge",
      tls: { secretName: "kong-proxy-tls" },
      loadBalancerIp: "203.0.113.10",
      rateLimitRedis: {
        host: "10.0.0.3",
        port: "6378",
        caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        passwordSecret: { name: "kong-redis", key: "password" },
      },
    });
    suppressPolicy(edge, [
      { id: "AIG-K8S-12", appliesTo: ["no-secret-env"], reason: "Kong's env vault is the only way open-source Kong reads the Redis password." },
    ]);
    const values = edge.helmValues() as any;
    edge.release.addOverride("values", [
      toYaml({ ...values, containerSecurityContext: { ...values.containerSecurityContext, readOnlyRootFilesystem: false } }),
    ]);
    const pack = PolicyPack.applyTo(app);
    expect(() => app.synth()).toThrow(/\[AIG-K8S-12 read-only-root\].*readOnlyRootFilesystem is not true/);
    expect(pack.report.findings.filter((f) => f.ruleId === "AIG-K8S-12").map((f) => f.check)).toEqual(["read-only-root"]);
    expect(pack.report.suppressed.map((f) => `${f.ruleId} ${f.check}`)).toEqual(["AIG-K8S-12 no-secret-env"]);
  });

  it("refuses a suppression of a bundled rule that does not name its checks, or names one it lacks", () => {
    const { stack } = stackWithEditorGrant();
    const reason = "Kong's env vault is the only way open-source Kong reads the Redis password.";
    expect(() => suppressPolicy(stack, [{ id: "AIG-K8S-12", reason }])).toThrow(
      /^team: suppression AIG-K8S-12\.appliesTo is missing, and AIG-K8S-12 bundles 7 checks\. Fix: name the checks this covers, from read-only-root, /,
    );
    expect(() => suppressPolicy(stack, [{ id: "AIG-K8S-12", appliesTo: ["secret-env"], reason }])).toThrow(
      /names "secret-env", which is not a check of AIG-K8S-12/,
    );
    expect(() => suppressPolicy(stack, [{ id: "AIG-IAM-1", appliesTo: ["x"], reason }])).toThrow(
      /suppression AIG-IAM-1\.appliesTo is given, but the rule has a single check/,
    );
  });

  it("finds nothing in the example app but the one suppression it explains, and its tag-only image pins", () => {
    const app = tempApp();
    const { policy } = buildExampleApp(
      app,
      readExampleConfig(() => undefined, {}),
    );
    app.synth();
    // No published digest of LiteLLM main-v1.80.12 or of the user-built gateway-app is known to the
    // example, and KongEdge renders the chart's image.tag: these stay warnings, never errors.
    expect(policy.report.findings.map((f) => [f.ruleId, f.level, f.path])).toEqual([
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Router/Workload/Deployment"],
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Backend/Workload/Deployment"],
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Edge/Release"],
    ]);
    expect(policy.report.suppressed.map((s) => [s.ruleId, s.path])).toEqual([["AIG-K8S-12", "ai-gateway-platform/Gateway/Edge/Release"]]);
  });
});

describe("POLICIES.md", () => {
  it("is generated from the rules and current (run `npm run docs` when this fails)", () => {
    expect(readFileSync(join(__dirname, "..", "..", "POLICIES.md"), "utf8")).toBe(policiesMarkdown());
  });
});
