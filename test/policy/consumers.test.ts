import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
// What a team imports: the package's entry point, compiled (dist/), and the sources it is built from.
import * as compiledLibrary from "gke-ai-gateway";
import * as sourceLibrary from "../../constructs/index";
import { toYaml } from "../../lib/yaml";
import { tempApp } from "../support/terraform";

type Library = typeof sourceLibrary;

/** A team's own App and stack, holding one of our constructs, and no call to PolicyPack.applyTo. */
function teamStack(library: Library) {
  const app = tempApp();
  const stack = new TerraformStack(app, "team");
  new GoogleProvider(stack, "google", { project: "team-b-project" });
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  const edge = new library.KongEdge(stack, "Edge", {
    namespace: "team-edge",
    tls: { secretName: "kong-proxy-tls" },
    loadBalancerIp: "203.0.113.10",
    replicas: { min: 1, max: 1 },
  });
  return { app, stack, edge };
}

/** The team's own change to the chart values: a writable root filesystem. */
function makeRootWritable(edge: sourceLibrary.KongEdge): void {
  const values = edge.helmValues() as any;
  edge.release.addOverride("values", [
    toYaml({ ...values, containerSecurityContext: { ...values.containerSecurityContext, readOnlyRootFilesystem: false } }),
  ]);
}

describe.each<[string, Library]>([
  ["the compiled package", compiledLibrary as unknown as Library],
  ["the sources", sourceLibrary],
])("a consumer's stack built with %s", (_name, library) => {
  it("fails synth on a violation in our construct, with the finding, without PolicyPack.applyTo", () => {
    const { app, edge } = teamStack(library);
    makeRootWritable(edge);
    expect(() => app.synth()).toThrow(/\[team\/Edge\/Release\] \[AIG-K8S-12 read-only-root\] .*readOnlyRootFilesystem is not true/);
  });

  it("checks the team's own resources in that stack too", () => {
    const { app, stack } = teamStack(library);
    new ProjectIamMember(stack, "Editor", { project: "team-b-project", role: "roles/editor", member: "user:someone@example.com" });
    expect(() => app.synth()).toThrow(/\[team\/Editor\] \[AIG-IAM-1\]/);
  });

  it("synthesizes a compliant stack, with one pack per stack however many constructs it holds", () => {
    const { app, stack } = teamStack(library);
    new library.AiGatewayCluster(stack, "Cluster", { projectId: "team-b-project", region: "us-east1", prefix: "teamb", secretsEncryption: {} });
    new library.GatewayNamespaces(stack, "Namespaces");
    expect(() => app.synth()).not.toThrow();
    // Kong's chart image is pinned by tag (a warning); nothing is reported twice.
    expect(library.PolicyPack.of(stack)!.report.findings.map((f) => `${f.ruleId} ${f.level} ${f.path}`)).toEqual([
      "AIG-K8S-14 warning team/Edge/Release",
    ]);
  });

  it("takes PolicyPack.applyTo's pack instead of its own, so findings are not doubled, and its rules when given", () => {
    const { stack, edge } = teamStack(library);
    makeRootWritable(edge);
    const pack = library.PolicyPack.applyTo(stack);
    Testing.synth(stack);
    expect(pack.report.findings.map((f) => `${f.ruleId} ${f.check ?? ""}`)).toEqual(["AIG-K8S-12 read-only-root", "AIG-K8S-14 "]);
    expect(library.PolicyPack.of(stack)).toBe(pack);

    const relaxed = teamStack(library);
    makeRootWritable(relaxed.edge);
    library.PolicyPack.applyTo(relaxed.stack, { rules: library.POLICY_RULES.filter((r) => r.id !== "AIG-K8S-12") });
    expect(() => relaxed.app.synth()).not.toThrow();
  });
});
