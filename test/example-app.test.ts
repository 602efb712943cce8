import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACES, POD_SECURITY_LEVELS } from "../constructs/gateway-namespaces";
import { GATEWAY_SERVICES } from "../constructs/project-services";
import { CLOUD_TRACE_SERVICE } from "../constructs/infrastructure-stack";
import { buildExampleApp, INFRASTRUCTURE_STACK_ID, PLATFORM_STACK_ID, readExampleConfig, type ExampleConfig } from "../lib/example-app";
import { fromYaml } from "../lib/yaml";
import { declaredAddresses, readSynthesized, referencedAddresses, resourcesOf, tempApp, type TerraformJson } from "./support/terraform";

const noContext = () => undefined;

function synthExample(config: Partial<ExampleConfig> = {}) {
  const app = tempApp();
  buildExampleApp(app, { ...readExampleConfig(noContext, {}), ...config });
  app.synth();
  return readSynthesized(app.outdir);
}

describe("example app configuration", () => {
  it("defaults to values that synthesize offline", () => {
    expect(readExampleConfig(noContext, {})).toEqual({
      projectId: "ai-gateway-example",
      region: "europe-west4",
      prefix: "ai-gw",
      stateBucket: undefined,
      authorizedNetworks: [],
    });
  });

  it("reads the environment", () => {
    const config = readExampleConfig(noContext, {
      AI_GATEWAY_PROJECT_ID: "acme-prod",
      AI_GATEWAY_REGION: "us-central1",
      AI_GATEWAY_PREFIX: "acme",
      AI_GATEWAY_STATE_BUCKET: "acme-tfstate",
      AI_GATEWAY_AUTHORIZED_NETWORKS: "203.0.113.0/24, 198.51.100.7/32",
    });
    expect(config).toEqual({
      projectId: "acme-prod",
      region: "us-central1",
      prefix: "acme",
      stateBucket: "acme-tfstate",
      authorizedNetworks: [
        { cidrBlock: "203.0.113.0/24", displayName: "authorized-1" },
        { cidrBlock: "198.51.100.7/32", displayName: "authorized-2" },
      ],
    });
  });

  it("throws if a setting comes as cdktf context, naming the variable to set instead", () => {
    const context: Record<string, string> = { stateBucket: "ctx-bucket" };
    expect(() => readExampleConfig((key) => context[key], {})).toThrow(
      /^cdktf context: stateBucket is not read: .*Fix: remove it from cdktf.json \(or --context\) and set AI_GATEWAY_STATE_BUCKET instead$/,
    );
  });

  it("throws in strict mode when a required variable is empty, naming every one", () => {
    const env = { AI_GATEWAY_STRICT: "1", AI_GATEWAY_PROJECT_ID: "acme-prod", AI_GATEWAY_REGION: "", AI_GATEWAY_PREFIX: "acme" };
    expect(() => readExampleConfig(noContext, env)).toThrow(
      /^environment: AI_GATEWAY_REGION, AI_GATEWAY_STATE_BUCKET are empty while AI_GATEWAY_STRICT=1\. Fix: set the repository variables/,
    );
    expect(readExampleConfig(noContext, { ...env, AI_GATEWAY_REGION: "us-central1", AI_GATEWAY_STATE_BUCKET: "acme-tfstate" }).stateBucket).toBe(
      "acme-tfstate",
    );
  });

  it("treats an empty variable as unset outside strict mode, as GitHub passes unset repository variables", () => {
    expect(readExampleConfig(noContext, { AI_GATEWAY_PROJECT_ID: "", AI_GATEWAY_PREFIX: "" })).toMatchObject({
      projectId: "ai-gateway-example",
      prefix: "ai-gw",
    });
  });
});

describe("example app synthesis", () => {
  const { manifest, stacks } = synthExample();
  const infra = stacks[INFRASTRUCTURE_STACK_ID];
  const platform = stacks[PLATFORM_STACK_ID];

  it("writes exactly the two stacks, the platform depending on the infrastructure", () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual([INFRASTRUCTURE_STACK_ID, PLATFORM_STACK_ID]);
    expect(manifest.stacks[PLATFORM_STACK_ID].dependencies).toEqual([INFRASTRUCTURE_STACK_ID]);
    expect(manifest.stacks[INFRASTRUCTURE_STACK_ID].dependencies).toEqual([]);
  });

  it("puts project services, network, cluster, pools and IAM in the infrastructure stack only", () => {
    expect(resourcesOf(infra, "google_container_cluster")).toHaveLength(1);
    expect(
      resourcesOf(infra, "google_project_service")
        .map((s) => s.service)
        .sort(),
    ).toEqual([...GATEWAY_SERVICES, CLOUD_TRACE_SERVICE].sort());
    for (const service of resourcesOf(infra, "google_project_service")) expect(service.disable_on_destroy).toBe(false);
    expect(Object.keys(platform.resource ?? {}).filter((type) => type.startsWith("google_"))).toEqual([]);
    expect(Object.keys(infra.resource ?? {}).filter((type) => !type.startsWith("google_"))).toEqual([]);
  });

  it("makes the cluster and network wait for the project services", () => {
    const [cluster] = resourcesOf(infra, "google_container_cluster");
    const [network] = resourcesOf(infra, "google_compute_network");
    for (const resource of [cluster, network]) {
      expect(resource.depends_on.filter((d: string) => d.startsWith("google_project_service."))).toHaveLength(GATEWAY_SERVICES.length + 1);
    }
    // Besides the services, the cluster waits only for the GKE agent's grant on the secrets key.
    expect(cluster.depends_on.filter((d: string) => !d.startsWith("google_project_service."))).toEqual([
      expect.stringMatching(/^google_kms_crypto_key_iam_member\./),
    ]);
  });

  it("wires the platform stack's providers to the cluster through data sources, not cross-stack state", () => {
    const [clusterData] = Object.entries(platform.data!.google_container_cluster);
    expect(clusterData[1]).toMatchObject({ name: "ai-gw-gke", location: "europe-west4", project: "ai-gateway-example" });
    const clientConfig = Object.keys(platform.data!.google_client_config)[0];
    // The DNS endpoint: reachable from a GitHub-hosted runner, authorized by IAM, publicly trusted certificate.
    const expected = {
      host: `https://\${data.google_container_cluster.${clusterData[0]}.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}`,
      token: `\${data.google_client_config.${clientConfig}.access_token}`,
    };
    expect(platform.provider!.kubernetes).toEqual([expected]);
    expect(platform.provider!.helm).toEqual([{ kubernetes: expected }]);
    expect(platform.data!.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(platform)).not.toContain("terraform_remote_state");
  });

  it("creates a namespace per tier with Pod Security admission labels", () => {
    const namespaces = resourcesOf(platform, "kubernetes_namespace_v1").map((n) => n.metadata);
    expect(namespaces.map((m) => m.name).sort()).toEqual(Object.values(DEFAULT_NAMESPACES).sort());
    for (const [tier, name] of Object.entries(DEFAULT_NAMESPACES)) {
      const labels = namespaces.find((m) => m.name === name)!.labels;
      expect(labels["pod-security.kubernetes.io/enforce"]).toBe(POD_SECURITY_LEVELS[tier as keyof typeof POD_SECURITY_LEVELS]);
      expect(labels["ai-gateway/tier"]).toBe(tier);
    }
    expect(POD_SECURITY_LEVELS.app).toBe("restricted");
  });

  it("keeps local state outside the generated folder when no bucket is configured", () => {
    expect(infra.terraform!.backend).toEqual({ local: { path: `../../../terraform.${INFRASTRUCTURE_STACK_ID}.tfstate` } });
    expect(platform.terraform!.backend).toEqual({ local: { path: `../../../terraform.${PLATFORM_STACK_ID}.tfstate` } });
  });

  it("uses a GCS backend per stack when a bucket is configured", () => {
    const { stacks: withBucket } = synthExample({ stateBucket: "acme-tfstate" });
    expect(withBucket[INFRASTRUCTURE_STACK_ID].terraform!.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: `ai-gateway/${INFRASTRUCTURE_STACK_ID}` },
    });
    expect(withBucket[PLATFORM_STACK_ID].terraform!.backend).toEqual({ gcs: { bucket: "acme-tfstate", prefix: `ai-gateway/${PLATFORM_STACK_ID}` } });
  });

  it("passes authorized networks through to the cluster", () => {
    const { stacks: withNetworks } = synthExample({ authorizedNetworks: [{ cidrBlock: "203.0.113.0/24", displayName: "ci" }] });
    const [cluster] = resourcesOf(withNetworks[INFRASTRUCTURE_STACK_ID], "google_container_cluster");
    expect(cluster.master_authorized_networks_config.cidr_blocks).toEqual([{ cidr_block: "203.0.113.0/24", display_name: "ci" }]);
  });

  it("outputs the names the platform side needs", () => {
    const outputs = infra.output!;
    expect(outputs.cluster_name.value).toBe("ai-gw-gke");
    expect(outputs.cluster_location.value).toBe("europe-west4");
    expect(outputs.workload_pool.value).toBe("ai-gateway-example.svc.id.goog");
  });

  it("lists in secrets_to_fill every secret Terraform creates without a value, alert receivers' included", () => {
    const secrets: Record<string, any> = infra.resource!.google_secret_manager_secret;
    const filledByTerraform = new Set(
      Object.values(infra.resource!.google_secret_manager_secret_version ?? {}).map(
        (v: any) => /google_secret_manager_secret\.([\w-]+)\./.exec(v.secret)![1],
      ),
    );
    const toFill = (infra.output!.secrets_to_fill.value as string[]).map(
      (ref) => secrets[/google_secret_manager_secret\.([\w-]+)\./.exec(ref)![1]].secret_id,
    );
    const empty = Object.entries(secrets)
      .filter(([name]) => !filledByTerraform.has(name))
      .map(([, s]) => s.secret_id);
    expect(toFill.sort()).toEqual(empty.sort());
    expect(toFill).toEqual(expect.arrayContaining(["ai-gw-alerts-pagerduty-routing-key", "ai-gw-alerts-slack-webhook-url", "ai-gw-edge-token"]));
  });

  it("has two tenants, each a Kong consumer and a gateway-app tenant, with different models and limits", () => {
    const configMaps = resourcesOf(platform, "kubernetes_config_map_v1");
    const catalogue = JSON.parse(configMaps.find((c) => c.data?.["catalogue.json"])!.data["catalogue.json"]);
    const kongRelease = resourcesOf(platform, "helm_release").find((r) => r.chart === "kong")!;
    const kong = fromYaml(fromYaml(kongRelease.values[0]).dblessConfig.config);
    // team-b also takes API keys, which reach gateway-app as Kong's keyless api-key-caller.
    expect(kong.consumers.map((c: any) => [c.username, (c.jwt_secrets ?? []).map((j: any) => j.key)])).toEqual([
      ["team-a", ["team-a"]],
      ["team-b", ["team-b"]],
      ["api-key-caller", []],
    ]);
    expect(catalogue.requireConsumer).toBe(true);
    const [a, b] = catalogue.tenants;
    expect([a.name, b.name]).toEqual(["team-a", "team-b"]);
    expect(a.models).not.toEqual(b.models);
    expect(a.limits).not.toEqual(b.limits);
    expect(a.budgets).not.toEqual(b.budgets);
  });

  it.each([INFRASTRUCTURE_STACK_ID, PLATFORM_STACK_ID])("resolves every reference in %s to a block declared in that stack", (id) => {
    const json: TerraformJson = stacks[id];
    const declared = declaredAddresses(json);
    const references = referencedAddresses(json);
    expect(references.length).toBeGreaterThan(0);
    const dangling = references.filter((r) => !declared.has(r.address));
    expect(dangling).toEqual([]);
  });

  it.each([INFRASTRUCTURE_STACK_ID, PLATFORM_STACK_ID])("matches the snapshot of %s", (id) => {
    expect(stacks[id]).toMatchSnapshot();
  });
});
