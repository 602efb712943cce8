import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DataGoogleComputeDefaultServiceAccount } from "@cdktf/provider-google/lib/data-google-compute-default-service-account";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { buildExampleApp, readExampleConfig } from "../../lib/example-app";
import { policiesMarkdown } from "../../lib/policy/docs";
import { evaluate, POLICY_RULES, PolicyPack, suppressPolicy } from "../../lib/policy/pack";
import { stackIndexOfJson } from "../../lib/policy/references";
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

/** The findings of one stack, checked by a pack of its own (Testing.synth runs aspects and never throws). */
function findingsOf(stack: TerraformStack) {
  const pack = PolicyPack.applyTo(stack);
  Testing.synth(stack);
  return pack.report;
}

function clusterStack(encryptSecrets = true) {
  const app = tempApp();
  const stack = new TerraformStack(app, "team");
  new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
  const props = { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" };
  const cluster = new AiGatewayCluster(stack, "Cluster", encryptSecrets ? { ...props, secretsEncryption: {} } : props);
  return { stack, cluster };
}

/** KongEdge with Redis (so with its env-vault suppression), its values' readOnlyRootFilesystem replaced. */
function kongWithReadOnlyRoot(stack: TerraformStack, readOnlyRootFilesystem: unknown): void {
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
  const values = edge.helmValues() as any;
  edge.release.addOverride("values", [
    toYaml({ ...values, containerSecurityContext: { ...values.containerSecurityContext, readOnlyRootFilesystem } }),
  ]);
}

const singleKong = (stack: TerraformStack) =>
  new KongEdge(stack, "Edge", {
    namespace: "edge",
    tls: { secretName: "kong-proxy-tls" },
    loadBalancerIp: "203.0.113.10",
    replicas: { min: 1, max: 1 },
  });

function kubernetesStack() {
  const stack = new TerraformStack(tempApp(), "apps");
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

const configMap = (stack: TerraformStack, id: string, namespace: string) =>
  new ConfigMapV1(stack, id, { metadata: { name: id, namespace }, data: { a: "b" } });

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
    const stack = kubernetesStack();
    new HelmProvider(stack, "helm", {});
    singleKong(stack);
    const pack = PolicyPack.applyTo(stack.node.root);
    (stack.node.root as App).synth();
    expect(pack.report.findings).toEqual([expect.objectContaining({ ruleId: "AIG-K8S-14", level: "warning", path: "apps/Edge/Release" })]);
  });

  it("lets a suppression with a reason cover a construct and its children, and keeps it in the report", () => {
    const stack = kubernetesStack();
    new HelmProvider(stack, "helm", {});
    const edge = singleKong(stack);
    suppressPolicy(edge, [{ id: "AIG-K8S-14", reason: "This development edge follows the chart's moving tag on purpose." }]);
    const pack = PolicyPack.applyTo(stack);
    Testing.synth(stack);
    expect(pack.report.findings).toEqual([]);
    expect(pack.report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: "AIG-K8S-14",
        path: "apps/Edge/Release",
        reason: "This development edge follows the chart's moving tag on purpose.",
      }),
    ]);
  });

  it("leaves AiGatewayCluster's opt-in secrets encryption as a suppressed finding with its reason, and reports nothing once it is on", () => {
    const { stack } = clusterStack(false);
    const pack = PolicyPack.applyTo(stack);
    Testing.synth(stack);
    expect(pack.report.findings).toEqual([]);
    expect(pack.report.suppressed).toEqual([
      expect.objectContaining({ ruleId: "AIG-GKE-20", path: "team/Cluster/Cluster", reason: expect.stringMatching(/key ring can never be deleted/) }),
    ]);
    expect(findingsOf(clusterStack().stack)).toEqual({ findings: [], suppressed: [] });
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

  it("suppresses only the checks a suppression names: KongEdge's env secret, never a writable root filesystem", () => {
    const stack = kubernetesStack();
    const app = stack.node.root as App;
    // KongEdge suppresses the one check its env vault needs, and only that one.
    kongWithReadOnlyRoot(stack, false);
    const pack = PolicyPack.applyTo(app);
    expect(() => app.synth()).toThrow(/\[AIG-K8S-12 read-only-root\].*readOnlyRootFilesystem is not true/);
    expect(pack.report.findings.filter((f) => f.ruleId === "AIG-K8S-12").map((f) => f.check)).toEqual(["read-only-root"]);
    expect(pack.report.suppressed.map((f) => `${f.ruleId} ${f.check}`)).toEqual(["AIG-K8S-12 no-secret-env"]);
  });

  it("refuses a suppression of a bundled rule that does not name its checks, or names one it lacks", () => {
    const { stack } = stackWithEditorGrant();
    const reason = "Kong's env vault is the only way open-source Kong reads the Redis password.";
    expect(() => suppressPolicy(stack, [{ id: "AIG-K8S-12", reason }])).toThrow(
      new RegExp(
        String.raw`^team: suppression AIG-K8S-12\.appliesTo is missing, and AIG-K8S-12 bundles 7 checks\. Fix: name the checks this covers, ` +
          `from read-only-root, `,
      ),
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
    // No published digest of LiteLLM main-v1.80.12, of otelcol-contrib 0.159.0 or of the user-built
    // gateway-app is known to the example, and KongEdge renders the chart's image.tag: these stay
    // warnings, never errors.
    expect(policy.report.findings.map((f) => [f.ruleId, f.level, f.path])).toEqual([
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/TraceCollector/Workload/Deployment"],
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Router/Workload/Deployment"],
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Backend/Workload/Deployment"],
      ["AIG-K8S-14", "warning", "ai-gateway-platform/Gateway/Edge/Release"],
    ]);
    expect(policy.report.suppressed.map((s) => [s.ruleId, s.path])).toEqual([["AIG-K8S-12", "ai-gateway-platform/Gateway/Edge/Release"]]);
  });
});

describe("values known only at apply time", () => {
  it("AIG-K8S-9: a namespace from a variable is an unresolved error naming the attribute; one from a namespace of the stack is read", () => {
    const stack = kubernetesStack();
    const namespace = new TerraformVariable(stack, "namespace", { type: "string" });
    configMap(stack, "FromVariable", namespace.stringValue);
    const tier = new NamespaceV1(stack, "Tier", { metadata: { name: "team-apps" } });
    configMap(stack, "InTier", tier.metadata.name);
    const defaultNamespace = new NamespaceV1(stack, "DefaultNamespace", { metadata: { name: "default" } });
    configMap(stack, "InDefault", defaultNamespace.metadata.name);
    const k8s9 = findingsOf(stack).findings.filter((f) => f.ruleId === "AIG-K8S-9");
    expect(k8s9.map((f) => [f.path, f.level, f.message.replace(/ \(.*$/, "")])).toEqual([
      [
        "apps/FromVariable",
        "error",
        "[AIG-K8S-9] Objects live in a namespace of their own, not default. cannot be checked: " +
          "metadata.namespace is ${var.namespace}, which is known only at apply time",
      ],
      ["apps/InDefault", "error", '[AIG-K8S-9] Objects live in a namespace of their own, not default. namespace is "default"'],
    ]);
  });

  it("AIG-K8S-9: a Helm release's namespace from a data source is unresolved", () => {
    const stack = kubernetesStack();
    new HelmProvider(stack, "helm", {});
    const edge = singleKong(stack);
    edge.release.addOverride("namespace", "${data.kubernetes_namespace_v1.edge.metadata[0].name}");
    expect(
      findingsOf(stack)
        .findings.filter((f) => f.ruleId === "AIG-K8S-9")
        .map((f) => f.message),
    ).toEqual([
      expect.stringContaining(
        "cannot be checked: namespace is ${data.kubernetes_namespace_v1.edge.metadata[0].name}, which is known only at apply time",
      ),
    ]);
  });

  it("AIG-GKE-3: ip_allocation_policy or networking_mode from a variable is unresolved, not VPC-native", () => {
    for (const attribute of ["ip_allocation_policy", "networking_mode"]) {
      const { stack, cluster } = clusterStack();
      cluster.cluster.addOverride(attribute, new TerraformVariable(stack, "fromOutside", {}).stringValue);
      expect(findingsOf(stack).findings.filter((f) => f.ruleId === "AIG-GKE-3")).toEqual([
        expect.objectContaining({
          level: "error",
          path: "team/Cluster/Cluster",
          message: expect.stringContaining(`cannot be checked: ${attribute} is \${var.fromOutside}, which is known only at apply time`),
        }),
      ]);
    }
  });

  it("AIG-GKE-7: the node pool's account from a data source is unresolved; the cluster's own account is read as its email", () => {
    const { stack, cluster } = clusterStack();
    const compute = new DataGoogleComputeDefaultServiceAccount(stack, "Compute", { project: "acme-ai-prod" });
    cluster.addNodePool("Batch", { name: "batch" }).addOverride("node_config.service_account", compute.email);
    expect(findingsOf(stack).findings.map((f) => [f.ruleId, f.path, f.message.replace(/ \(.*$/, "")])).toEqual([
      [
        "AIG-GKE-7",
        "team/Cluster/Batch",
        "[AIG-GKE-7] Nodes use a dedicated least-privilege service account. cannot be checked: " +
          "node_config.service_account is ${data.google_compute_default_service_account.Compute.email}, which " +
          "is known only at apply time",
      ],
    ]);
  });
});

describe("references to the same stack", () => {
  it("read as the literal they point at, so a violation behind a reference is found", () => {
    const stack = kubernetesStack();
    const namespace = new NamespaceV1(stack, "DefaultNamespace", { metadata: { name: "default" } });
    configMap(stack, "Config", namespace.metadata.name);
    expect(findingsOf(stack).findings.map((f) => f.message)).toEqual([expect.stringContaining('namespace is "default"')]);
  });

  it("to a service account's email are read as account_id@project, which GKE-7 tells from the default compute account", () => {
    const { stack, cluster } = clusterStack();
    const rule = POLICY_RULES.find((r) => r.id === "AIG-GKE-7")!;
    const json = JSON.parse(Testing.synth(stack));
    const pool = Object.values<any>(json.resource.google_container_node_pool)[0];
    expect(pool.node_config.service_account).toMatch(/^\$\{google_service_account\.[^.]+\.email\}$/);
    expect(evaluate(rule, "google_container_node_pool", pool, stackIndexOfJson(json))).toEqual({ kind: "compliant" });
    const account = Object.values<any>(json.resource.google_service_account)[0];
    account.project = "${var.project}";
    expect(evaluate(rule, "google_container_node_pool", pool, stackIndexOfJson(json))).toMatchObject({
      kind: "unresolved",
      reference: pool.node_config.service_account,
    });
    expect(cluster.nodeServiceAccount).toBeDefined();
  });
});

describe("a bundled rule's unresolved value", () => {
  it("is a finding of the check that read it: Kong's env-vault suppression never covers a security context known only at apply time", () => {
    const stack = kubernetesStack();
    kongWithReadOnlyRoot(stack, "${var.read_only}");
    const report = findingsOf(stack);
    expect(report.findings.filter((f) => f.ruleId === "AIG-K8S-12").map((f) => [f.check, f.message.replace(/ Fix:.*$/, "")])).toEqual([
      [
        "read-only-root",
        "[AIG-K8S-12 read-only-root] The Kong chart runs hardened: read-only, non-root, no escalation, no " +
          "capabilities, no token, admin API off. cannot be checked: " +
          "values.containerSecurityContext.readOnlyRootFilesystem is ${var.read_only}, which is known only at " +
          "apply time.",
      ],
    ]);
    expect(report.suppressed.map((f) => `${f.ruleId} ${f.check}`)).toEqual(["AIG-K8S-12 no-secret-env"]);
  });
});

describe("POLICIES.md", () => {
  it("is generated from the rules and current (run `npm run docs` when this fails)", () => {
    expect(readFileSync(join(__dirname, "..", "..", "POLICIES.md"), "utf8")).toBe(policiesMarkdown());
  });
});
