import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster } from "../constructs/ai-gateway-cluster";
import { buildExampleApp, readExampleConfig } from "../lib/example-app";
import { readSynthDirectory, reviewStack, type SynthDirectory } from "../lib/review";
import { PROVIDER_FORCE_NEW_FACTS } from "../lib/upstream-facts";
import { tempApp } from "./support/terraform";

function synthExample(env: NodeJS.ProcessEnv = {}): string {
  const app = tempApp();
  const { policy } = buildExampleApp(
    app,
    readExampleConfig(() => undefined, env),
  );
  app.synth();
  writeFileSync(join(app.outdir, "policy-report.json"), JSON.stringify(policy.report));
  return app.outdir;
}

function synthCluster(id: string, maxNodes: number): string {
  const app = tempApp();
  const stack = new TerraformStack(app, "infra");
  new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
  new AiGatewayCluster(stack, id, { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw", nodePool: { maxNodes } });
  app.synth();
  return app.outdir;
}

const review = (synth: SynthDirectory, name: string, base?: SynthDirectory) =>
  reviewStack(
    synth.stacks.find((s) => s.name === name)!,
    synth.policy,
    base?.stacks.find((s) => s.name === name),
  );
/** The rows of one Markdown table (after the line starting with `heading`), each as its cells. */
function rows(markdown: string, heading: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no "${heading}" in the review`);
  const body = lines.slice(start + 1).filter((_, i, all) => all.slice(0, i + 1).every((l) => l === "" || l.startsWith("|")));
  return body
    .filter((l) => l.startsWith("| ") && !l.startsWith("|---"))
    .slice(1)
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.trim()),
    );
}

describe("synth review of the example app", () => {
  const synth = readSynthDirectory(synthExample());
  const platform = review(synth, "ai-gateway-platform");
  const infra = review(synth, "ai-gateway-infrastructure");

  it("says it is a synth review, not a plan", () => {
    expect(infra.split("\n")[0]).toBe("# Synth review: ai-gateway-infrastructure");
    expect(infra).not.toMatch(/Plan review/);
    expect(infra).toMatch(/not a Terraform plan/);
  });

  it("lists Helm releases with chart versions and the images each chart version deploys", () => {
    expect(platform).toMatch(/\| kong \| ai-gateway-edge \| kong \| 3\.4\.1 \| https:\/\/charts\.konghq\.com \| kong:3\.9\.1 \|/);
    const images = rows(platform, "## Images the charts deploy");
    const prometheus = images.filter((r) => r[0] === "kube-prometheus-stack").map((r) => r[1]);
    expect(prometheus).toContain("quay.io/prometheus/prometheus:v3.14.0-distroless");
    expect(prometheus).toContain("docker.io/grafana/grafana:13.2.0");
    expect(prometheus).toContain("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0");
    expect(images.find((r) => r[1] === "kong:3.9.1")![3]).toBe("our values");
    expect(images.find((r) => r[1] === "ghcr.io/jkroepke/kube-webhook-certgen:1.8.7")![2]).toMatch(/Helm hook/);
    expect(platform).not.toMatch(/chart defaults/);
    expect(platform).toMatch(/\| litellm \| .* \| ghcr\.io\/berriai\/litellm:main-v1\.80\.12 \|/);
  });

  it("lists public endpoints: the load balancer, the static IP, the control plane", () => {
    expect(platform).toMatch(/load balancer \(kong proxy\).*source ranges: any/);
    expect(infra).toMatch(/\| static IP \| ai-gw-edge \|/);
    expect(infra).toMatch(/\| control plane \| ai-gw-gke \| public endpoint; authorized networks: VPC only \|/);
  });

  it("names each IAM grant's real target: a secret, a service account, a KMS key, the project", () => {
    const grants = Object.fromEntries(rows(infra, "## IAM grants").map((r) => [r[0].split("/").pop(), r.slice(1)]));
    expect(grants["Access-RouterRedisAuth"]).toEqual([
      "roles/secretmanager.secretAccessor",
      "serviceAccount:ai-gw-litellm@ai-gateway-example.iam.gserviceaccount.com",
      "secret ai-gw-redis-auth (project ai-gateway-example)",
    ]);
    expect(grants.RouterWorkloadIdentity).toEqual([
      "roles/iam.workloadIdentityUser",
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-router/litellm]",
      "service account ai-gw-litellm@ai-gateway-example.iam.gserviceaccount.com",
    ]);
    expect(grants.SecretsKeyGkeAgent[2]).toBe(
      "KMS key projects/ai-gateway-example/locations/europe-west4/keyRings/ai-gw-gke/cryptoKeys/ai-gw-gke-secrets",
    );
    expect(grants.RouterVertexUser).toEqual([
      "roles/aiplatform.user",
      "serviceAccount:ai-gw-litellm@ai-gateway-example.iam.gserviceaccount.com",
      "project ai-gateway-example",
    ]);
  });

  it("names a repository grant's repository", () => {
    const app = tempApp();
    const stack = new TerraformStack(app, "repo");
    new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
    const repository = new ArtifactRegistryRepository(stack, "Images", { repositoryId: "gw-images", location: "europe-west4", format: "DOCKER" });
    new ArtifactRegistryRepositoryIamMember(stack, "Reader", {
      repository: repository.repositoryId,
      location: repository.location,
      role: "roles/artifactregistry.reader",
      member: "serviceAccount:nodes@acme-ai-prod.iam.gserviceaccount.com",
    });
    app.synth();
    const grant = rows(review(readSynthDirectory(app.outdir), "repo"), "## IAM grants")[0];
    expect(grant[3]).toBe("repository gw-images (europe-west4, project provider default)");
  });

  it("resolves every reference the stacks determine and marks the rest known after apply", () => {
    for (const text of [infra, platform]) {
      expect(text).not.toMatch(/\$\{/);
      const unknown = [...text.matchAll(/\(known after apply: ([^)]+)\)/g)].map((m) => m[1]);
      // Only computed values remain: the project number, the edge address the API allocates.
      expect(unknown.every((u) => /^(…|data\.google_project\.\w+\.number|data\.google_compute_address\.\w+\.address)$/.test(u))).toBe(true);
    }
    expect(platform).toMatch(/\| gateway-app \| ai-gateway-app \| /);
  });

  it("shows policy findings and suppressions with their reasons", () => {
    expect(platform).toMatch(
      new RegExp(
        String.raw`\| AIG-K8S-12 \| ai-gateway-platform\/Gateway\/Edge\/Release \| Kong must get these secrets as environment variables: the ` +
          `rate-limiting plugin reads the Redis password.*; nginx's proxy_set_header can take the edge token`,
      ),
    );
  });

  it("groups resources by construct and type, and names the state backend", () => {
    expect(platform).toMatch(/\| ai-gateway-platform\/Gateway\/NetworkPolicies \| kubernetes_network_policy_v1 \| 10 \|/);
    expect(platform).toMatch(/State: local \(path=\.\.\/\.\.\/\.\.\/terraform\.ai-gateway-platform\.tfstate\)\./);
  });

  it("is deterministic across synths", () => {
    const again = readSynthDirectory(synthExample());
    expect(review(again, "ai-gateway-platform")).toBe(platform);
    expect(review(again, "ai-gateway-infrastructure")).toBe(infra);
  });
});

describe("synth review input", () => {
  it("refuses an HCL synth with the command that writes the JSON it reads", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "review-hcl-")), hclOutput: true });
    new GoogleProvider(new TerraformStack(app, "hcl"), "google", { project: "acme-ai-prod" });
    app.synth();
    expect(() => readSynthDirectory(app.outdir)).toThrow(/holds HCL \(stacks\/hcl\/cdk\.tf\): the review reads the JSON synth, run `npm run synth`/);
  });
});

describe("synth review against a base synth", () => {
  const base = readSynthDirectory(synthExample());
  const renamedPrefix = readSynthDirectory(synthExample({ AI_GATEWAY_PREFIX: "ai-gw2" }));
  const prefixReview = review(renamedPrefix, "ai-gateway-infrastructure", base);

  it("flags every attribute that forces replacement, with old -> new", () => {
    const changed = rows(prefixReview, "Changed:");
    const row = (address: RegExp, attribute: string) => changed.find((r) => address.test(r[0]) && r[1] === attribute);
    expect(row(/^google_container_cluster\./, "name")).toEqual([expect.any(String), "name", "ai-gw-gke → ai-gw2-gke", "yes"]);
    expect(row(/^google_redis_instance\./, "name")?.slice(2)).toEqual(["ai-gw-redis → ai-gw2-redis", "yes"]);
    expect(row(/^google_kms_crypto_key\./, "name")?.[3]).toBe("yes");
    expect(row(/^google_service_account\./, "account_id")?.[3]).toBe("yes");
    expect(row(/^google_secret_manager_secret\./, "secret_id")?.[3]).toBe("yes");
    expect(row(/^google_artifact_registry_repository\./, "repository_id")?.[3]).toBe("yes");
    // Grants follow their service account: the member resolves, changes and forces a new grant.
    expect(row(/^google_project_iam_member\./, "member")?.slice(2)).toEqual([
      "serviceAccount:ai-gw-gke-nodes@ai-gateway-example.iam.gserviceaccount.com → " +
        "serviceAccount:ai-gw2-gke-nodes@ai-gateway-example.iam.gserviceaccount.com",
      "yes",
    ]);
    const replaced = rows(prefixReview, "Replaced or maybe replaced (a changed attribute forces a new resource, always or on a condition):").map(
      (r) => r[0].split(".")[0],
    );
    expect(replaced).toEqual(
      expect.arrayContaining(["google_container_cluster", "google_redis_instance", "google_kms_crypto_key", "google_compute_network"]),
    );
    expect(prefixReview).not.toMatch(/0 replaced/);
  });

  it("flags replacing a prevent_destroy or deletion_protection resource as blocking", () => {
    const blocking = rows(prefixReview, "Blocking: ");
    expect(blocking.map((r) => [r[0].split(".")[0], r[1]])).toEqual([
      ["google_container_cluster", "deletion_protection"],
      ["google_kms_crypto_key", "lifecycle.prevent_destroy"],
    ]);
  });

  it("updates in place what the provider updates in place", () => {
    const current = readSynthDirectory(synthCluster("Cluster", 20)).stacks[0];
    const text = reviewStack(current, undefined, readSynthDirectory(synthCluster("Cluster", 10)).stacks[0]);
    expect(text).toMatch(/0 added, 0 removed, 1 changed, 0 replaced \(destroyed and re-created\), 0 may be replaced, 0 blocking\./);
    expect(rows(text, "Changed:")).toEqual([
      [expect.stringMatching(/^google_container_node_pool\./), "autoscaling.total_max_node_count", "10 → 20", "no"],
    ]);
  });

  it("reports a change of state backend", () => {
    const gcs = readSynthDirectory(synthExample({ AI_GATEWAY_STATE_BUCKET: "acme-ai-gateway-tfstate" }));
    const text = review(gcs, "ai-gateway-platform", base);
    expect(text).toMatch(
      new RegExp(
        String.raw`\*\*State backend changes: local \(path=\.\.\/\.\.\/\.\.\/terraform\.ai-gateway-platform\.tfstate\) → gcs ` +
          String.raw`\(bucket=acme-ai-gateway-tfstate, prefix=ai-gateway\/ai-gateway-platform\)\.\*\*`,
      ),
    );
    expect(review(base, "ai-gateway-platform", base)).toMatch(/State backend: unchanged, local/);
  });

  it("flags a removal paired with an addition of the same type as a likely renamed construct id", () => {
    const clusterBase = readSynthDirectory(synthCluster("Cluster", 10)).stacks[0];
    const renamed = readSynthDirectory(synthCluster("GatewayCluster", 10)).stacks[0];
    const text = reviewStack(renamed, undefined, clusterBase);
    expect(text).toMatch(/\d+ added, \d+ removed, 0 changed/);
    const row = /\| google_container_cluster \| infra\/Cluster\/Cluster → infra\/GatewayCluster\/Cluster \| likely a renamed construct id/;
    expect(text).toMatch(row);
    // Removing a protected cluster is blocking too.
    expect(text).toMatch(/\| google_container_cluster\.Cluster_\w+ \| deletion_protection \| destroyed \(removed\) \|/);
  });

  it("marks a conditional replacement as one that may happen, not as a replacement", () => {
    const platformReview = review(renamedPrefix, "ai-gateway-platform", base);
    // Each SecretProviderClass names its secrets by prefix; the provider replaces a manifest only
    // when the API server publishes no schema for its kind.
    const secretProviderClasses = renamedPrefix.stacks
      .flatMap((stack) => [...stack.resources.values()])
      .filter((r) => r.type === "kubernetes_manifest" && r.config.manifest?.kind === "SecretProviderClass").length;
    expect(secretProviderClasses).toBeGreaterThan(0);
    expect(platformReview).toMatch(
      new RegExp(`, 0 replaced \\(destroyed and re-created\\), ${secretProviderClasses} may be replaced, 0 blocking\\.`),
    );
    expect(platformReview).toMatch(
      /\| kubernetes_manifest\.\w+ \| [^|]+ \| manifest\.spec\.parameters\.secrets \(if the API server publishes no OpenAPI schema/,
    );
  });

  it("has ForceNew facts for every resource type the example synthesizes", () => {
    const types = new Set(base.stacks.flatMap((s) => [...s.resources.values()].map((r) => r.type)));
    expect([...types].filter((t) => !(t in PROVIDER_FORCE_NEW_FACTS.resources))).toEqual([]);
    expect(PROVIDER_FORCE_NEW_FACTS.resources.google_service_account.forceNew).toEqual({
      account_id: "google/services/resourcemanager/resource_google_service_account.go:72",
      project: "google/services/resourcemanager/resource_google_service_account.go:97",
    });
    expect(Object.keys(PROVIDER_FORCE_NEW_FACTS.resources.helm_release.forceNew)).toEqual(["name", "namespace"]);
  });

  it("is deterministic against a base", () => {
    const again = review(readSynthDirectory(synthExample({ AI_GATEWAY_PREFIX: "ai-gw2" })), "ai-gateway-infrastructure", base);
    expect(again).toBe(prefixReview);
  });
});
