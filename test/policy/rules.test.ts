import { describe, expect, it } from "vitest";
import { evaluate as evaluateIn, POLICY_RULES } from "../../lib/policy/pack";
import { stackIndexOfJson } from "../../lib/policy/references";
import type { PolicyRule } from "../../lib/policy/rule";
import { fromYaml, toYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { resourcesOf } from "../support/terraform";

// Compliant inputs are the example app's own resources; each non-compliant input changes one thing.
const example = synthesizeExample();
const infra = example.infrastructure;
const platform = example.platform;
const cluster = resourcesOf(infra, "google_container_cluster")[0];
const pool = resourcesOf(infra, "google_container_node_pool")[0];
const deployment = example.deployment("gateway-app");
const serviceAccount = resourcesOf(platform, "kubernetes_service_account_v1")[0];
const kong = resourcesOf(platform, "helm_release").find((r) => r.chart === "kong")!;
const prometheusStack = resourcesOf(platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
const iamMember = resourcesOf(infra, "google_project_iam_member")[0];
const wiBinding = resourcesOf(infra, "google_service_account_iam_member")[0];
const redis = resourcesOf(infra, "google_redis_instance")[0];
const configMap = example.configMap("litellm-config");

// References resolve against the stack each input comes from: Google resources are the infrastructure stack's, the rest the platform's.
const stacks = { infrastructure: stackIndexOfJson(infra), platform: stackIndexOfJson(platform) };
const evaluate = (rule: PolicyRule, type: string, config: any) =>
  evaluateIn(rule, type, config, type.startsWith("google_") ? stacks.infrastructure : stacks.platform);

/** A deep copy with `path` (dots; numbers index lists) set to `value`, or deleted when undefined. */
function withValue(config: any, path: string, value: unknown): any {
  const copy = structuredClone(config);
  const keys = path.split(".");
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const container = "spec.template.spec.container.0";
const withKongValues = (change: (values: any) => void) => {
  const values = fromYaml(kong.values[0]);
  change(values);
  return { ...kong, values: [toYaml(values)] };
};
const withPrometheusValues = (change: (values: any) => void) => {
  const values = fromYaml(prometheusStack.values[0]);
  change(values);
  return { ...prometheusStack, values: [toYaml(values)] };
};

type Case = { type: string; good: any; bad: any };
const CASES: Record<string, Case> = {
  "AIG-GKE-1": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "private_cluster_config.enable_private_nodes", false) },
  "AIG-GKE-2": {
    type: "google_container_cluster",
    good: cluster,
    bad: withValue(cluster, "master_authorized_networks_config.cidr_blocks", [{ cidr_block: "0.0.0.0/0", display_name: "all" }]),
  },
  "AIG-GKE-3": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "ip_allocation_policy", undefined) },
  "AIG-GKE-4": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "datapath_provider", "LEGACY_DATAPATH") },
  "AIG-GKE-5": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "workload_identity_config", undefined) },
  "AIG-GKE-6": { type: "google_container_node_pool", good: pool, bad: withValue(pool, "node_config.workload_metadata_config.mode", "GCE_METADATA") },
  "AIG-GKE-7": {
    type: "google_container_node_pool",
    good: pool,
    bad: withValue(pool, "node_config.service_account", "123456789-compute@developer.gserviceaccount.com"),
  },
  "AIG-GKE-8": { type: "google_container_node_pool", good: pool, bad: withValue(pool, "management.auto_repair", false) },
  "AIG-GKE-9": { type: "google_container_node_pool", good: pool, bad: withValue(pool, "management.auto_upgrade", false) },
  "AIG-GKE-10": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "release_channel.channel", "UNSPECIFIED") },
  "AIG-GKE-11": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "enable_shielded_nodes", false) },
  "AIG-GKE-12": {
    type: "google_container_node_pool",
    good: pool,
    bad: withValue(pool, "node_config.shielded_instance_config.enable_secure_boot", false),
  },
  "AIG-GKE-13": {
    type: "google_container_node_pool",
    good: pool,
    bad: withValue(pool, "node_config.shielded_instance_config.enable_integrity_monitoring", false),
  },
  "AIG-GKE-14": {
    type: "google_container_cluster",
    good: cluster,
    bad: withValue(cluster, "master_auth.client_certificate_config.issue_client_certificate", true),
  },
  "AIG-GKE-15": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "enable_legacy_abac", true) },
  "AIG-GKE-16": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "enable_kubernetes_alpha", true) },
  "AIG-GKE-17": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "resource_labels", {}) },
  "AIG-GKE-18": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "logging_service", "none") },
  "AIG-GKE-19": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "remove_default_node_pool", false) },
  "AIG-GKE-20": { type: "google_container_cluster", good: cluster, bad: withValue(cluster, "database_encryption", { state: "DECRYPTED" }) },
  "AIG-K8S-1": { type: "kubernetes_deployment_v1", good: deployment, bad: withValue(deployment, `${container}.readiness_probe`, undefined) },
  "AIG-K8S-2": { type: "kubernetes_deployment_v1", good: deployment, bad: withValue(deployment, `${container}.resources.limits`, undefined) },
  "AIG-K8S-3": { type: "kubernetes_deployment_v1", good: deployment, bad: withValue(deployment, `${container}.image`, "gateway-app:latest") },
  "AIG-K8S-4": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(deployment, `${container}.security_context.allow_privilege_escalation`, true),
  },
  "AIG-K8S-5": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(deployment, `${container}.security_context.read_only_root_filesystem`, false),
  },
  "AIG-K8S-6": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(
      withValue(deployment, `${container}.security_context.run_as_user`, "1000"),
      "spec.template.spec.security_context.run_as_user",
      "1000",
    ),
  },
  "AIG-K8S-7": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(deployment, `${container}.security_context.capabilities`, { drop: ["ALL"], add: ["NET_ADMIN"] }),
  },
  "AIG-K8S-8": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(
      withValue(deployment, "spec.template.spec.security_context.seccomp_profile", undefined),
      `${container}.security_context.seccomp_profile`,
      undefined,
    ),
  },
  "AIG-K8S-9": {
    type: "kubernetes_service_v1",
    good: resourcesOf(platform, "kubernetes_service_v1")[0],
    bad: withValue(resourcesOf(platform, "kubernetes_service_v1")[0], "metadata.namespace", "default"),
  },
  "AIG-K8S-10": {
    type: "kubernetes_service_account_v1",
    good: serviceAccount,
    bad: withValue(serviceAccount, "automount_service_account_token", true),
  },
  "AIG-K8S-11": {
    type: "kubernetes_deployment_v1",
    good: deployment,
    bad: withValue(deployment, `${container}.env`, [{ name: "KEY", value_from: { secret_key_ref: { name: "s", key: "k" } } }]),
  },
  "AIG-K8S-12": {
    type: "helm_release",
    good: withKongValues((v) => delete v.customEnv),
    bad: withKongValues((v) => (v.containerSecurityContext.readOnlyRootFilesystem = false)),
  },
  "AIG-K8S-13": { type: "helm_release", good: prometheusStack, bad: withPrometheusValues((v) => (v.grafana.adminPassword = "prom-operator")) },
  "AIG-K8S-14": {
    type: "kubernetes_deployment_v1",
    good: withValue(deployment, `${container}.image`, `gateway-app:0.1.0@sha256:${"0".repeat(64)}`),
    bad: withValue(deployment, `${container}.image`, "gateway-app:0.1.0"),
  },
  "AIG-K8S-15": {
    type: "helm_release",
    good: prometheusStack,
    bad: withPrometheusValues((v) => delete v["kube-state-metrics"].resources.limits),
  },
  "AIG-IAM-1": { type: "google_project_iam_member", good: iamMember, bad: { ...iamMember, role: "roles/editor" } },
  "AIG-IAM-2": { type: "google_service_account_key", good: undefined, bad: { service_account_id: "x" } },
  "AIG-IAM-3": {
    type: "google_service_account_iam_member",
    good: wiBinding,
    bad: { ...wiBinding, member: "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-app/*]" },
  },
  "AIG-DATA-1": { type: "google_redis_instance", good: redis, bad: { ...redis, transit_encryption_mode: "DISABLED" } },
  "AIG-DATA-2": {
    type: "kubernetes_config_map_v1",
    good: configMap,
    bad: { ...configMap, data: { ...configMap.data, "config.yaml": "general_settings:\n  master_key: sk-live-1234567890abcdefghijklmnop\n" } },
  },
};

describe("every rule", () => {
  it("has a case here, a one-line info, an explanation and a fix", () => {
    expect(Object.keys(CASES).sort()).toEqual(POLICY_RULES.map((r) => r.id).sort());
    for (const rule of POLICY_RULES) {
      expect(rule.info).toMatch(/\.$/);
      expect(rule.explanation.length).toBeGreaterThan(30);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
  });
});

describe.each(POLICY_RULES.map((rule): [string, PolicyRule] => [rule.id, rule]))("%s", (id, rule) => {
  const { type, good, bad } = CASES[id];

  it("passes the compliant case", () => {
    if (good === undefined) return expect(evaluate(rule, "google_service_account", { account_id: "x" }).kind).toBe("not-applicable");
    expect(evaluate(rule, type, good)).toEqual({ kind: "compliant" });
  });

  it("flags the non-compliant case", () => {
    expect(evaluate(rule, type, bad).kind).toBe("non-compliant");
  });
});

describe("AIG-GKE-2 authorized networks", () => {
  const rule = POLICY_RULES.find((r) => r.id === "AIG-GKE-2")!;
  const authorize = (...cidrs: string[]) =>
    withValue(
      cluster,
      "master_authorized_networks_config.cidr_blocks",
      cidrs.map((cidr_block) => ({ cidr_block, display_name: "x" })),
    );

  it("flags 0.0.0.0/0 split in halves, which checkov CKV_GCP_18 lets through", () => {
    expect(evaluate(rule, "google_container_cluster", authorize("0.0.0.0/1", "128.0.0.0/1")).kind).toBe("non-compliant");
  });

  it("accepts private ranges and a /8 of public ones", () => {
    expect(evaluate(rule, "google_container_cluster", authorize("10.0.0.0/8", "203.0.0.0/8"))).toEqual({ kind: "compliant" });
  });
});

describe("AIG-GKE-4 network policy", () => {
  const rule = POLICY_RULES.find((r) => r.id === "AIG-GKE-4")!;

  it("flags Dataplane V2 without the explicit network_policy block, as checkov CKV_GCP_12 does", () => {
    expect(evaluate(rule, "google_container_cluster", withValue(cluster, "network_policy", undefined))).toEqual({
      kind: "non-compliant",
      reason: "network_policy is not written out (checkov CKV_GCP_12 fails without it)",
    });
  });

  it("accepts Calico without Dataplane V2", () => {
    const calico = withValue(withValue(cluster, "datapath_provider", "LEGACY_DATAPATH"), "network_policy", { enabled: true, provider: "CALICO" });
    expect(evaluate(rule, "google_container_cluster", calico)).toEqual({ kind: "compliant" });
  });
});

describe("undecidable values", () => {
  it("are findings, not passes", () => {
    const gke1 = POLICY_RULES.find((r) => r.id === "AIG-GKE-1")!;
    expect(evaluate(gke1, "google_container_cluster", withValue(cluster, "private_cluster_config.enable_private_nodes", "${var.private}"))).toEqual({
      kind: "unresolved",
      field: "private_cluster_config.enable_private_nodes",
      reference: "${var.private}",
    });
    const iam1 = POLICY_RULES.find((r) => r.id === "AIG-IAM-1")!;
    expect(evaluate(iam1, "google_project_iam_member", { ...iamMember, role: "${var.role}" }).kind).toBe("unresolved");
  });
});

describe("AIG-DATA-2 secret detection", () => {
  const rule = POLICY_RULES.find((r) => r.id === "AIG-DATA-2")!;
  const check = (config: unknown) => evaluate(rule, "anything", config as any);

  it.each([
    ["a private key", { data: { key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----" } }],
    ["a password literal", { config: { password: "hunter2hunter2" } }],
    ["a password inside Helm YAML", { values: ["grafana:\n  adminPassword: admin\n  foo: bar\n"] }],
    ["a Google API key", { env: [{ name: "K", value: "AIzaSyA1234567890abcdefghijklmnopqrstuv" }] }],
  ])("finds %s", (_what, config) => {
    expect(check(config).kind).toBe("non-compliant");
  });

  it.each([
    [
      "references",
      {
        password: "{vault://env/kong-redis-password}",
        master_key: "os.environ/LITELLM_MASTER_KEY",
        token: "${data.google_client_config.x.access_token}",
      },
    ],
    ["key names", { passwordKey: "admin-password", existingSecret: "grafana-admin" }],
  ])("accepts %s", (_what, config) => {
    expect(check(config)).toEqual({ kind: "compliant" });
  });
});

describe("AIG-K8S-14 digest pins", () => {
  const rule = POLICY_RULES.find((r) => r.id === "AIG-K8S-14")!;
  const digest = `sha256:${"a".repeat(64)}`;
  const kongWith = (image: unknown) => withKongValues((v) => (v.image = image));

  it("is a warning, so synth still succeeds", () => {
    expect(rule.level).toBe("warning");
  });

  it.each([
    ["repository@sha256", `ghcr.io/berriai/litellm@${digest}`],
    ["repository:tag@sha256", `ghcr.io/berriai/litellm:main-v1.80.12@${digest}`],
  ])("accepts a container pinned by %s", (_what, image) => {
    expect(evaluate(rule, "kubernetes_deployment_v1", withValue(deployment, `${container}.image`, image))).toEqual({ kind: "compliant" });
  });

  it("names every tag-only container, and leaves an image known only at apply time undecided", () => {
    const verdict = evaluate(rule, "kubernetes_deployment_v1", withValue(deployment, `${container}.image`, "ghcr.io/berriai/litellm:main-v1.80.12"));
    expect(verdict).toEqual({ kind: "non-compliant", reason: "container gateway-app: ghcr.io/berriai/litellm:main-v1.80.12 is pinned by tag only" });
    expect(evaluate(rule, "kubernetes_deployment_v1", withValue(deployment, `${container}.image`, "${var.image}")).kind).toBe("unresolved");
  });

  it("reads Helm values' image settings: repository/tag objects, digest fields and image strings", () => {
    expect(evaluate(rule, "helm_release", kongWith({ repository: "kong", tag: "3.9.1" }))).toEqual({
      kind: "non-compliant",
      reason: "image kong:3.9.1 is pinned by tag only",
    });
    expect(evaluate(rule, "helm_release", kongWith({ repository: "kong", tag: `3.9.1@${digest}` }))).toEqual({ kind: "compliant" });
    expect(evaluate(rule, "helm_release", kongWith({ unifiedRepoTag: `kong:3.9.1@${digest}` }))).toEqual({ kind: "compliant" });
    expect(evaluate(rule, "helm_release", kongWith({ repository: "kong", tag: "3.9.1", digest }))).toEqual({ kind: "compliant" });
    expect(evaluate(rule, "helm_release", kongWith({ unifiedRepoTag: "kong:3.9.1" }))).toEqual({
      kind: "non-compliant",
      reason: "image kong:3.9.1 is pinned by tag only",
    });
    expect(
      evaluate(
        rule,
        "helm_release",
        withPrometheusValues((v) => (v.grafana.sidecarImage = "quay.io/kiwigrid/k8s-sidecar:1.30.0")),
      ).kind,
    ).toBe("non-compliant");
  });
});
