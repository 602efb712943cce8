import { describe, expect, it } from "vitest";
import { App, Lazy, TerraformStack, Token } from "cdktf";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import type { CatalogueModel } from "../../lib/catalogue";
import { resolveGatewaySpec, type GatewaySpec } from "../../lib/gateway-spec";
import { fromYaml } from "../../lib/yaml";
import { readSynthesized, resourcesOf, tempApp } from "../support/terraform";

const MODELS: CatalogueModel[] = [
  { name: "flash", model: "gemini-2.5-flash", fallbacks: ["gpt"] },
  { name: "gpt", provider: "openai", model: "gpt-4o" },
];

/** Both stacks from one spec, as the README tells users to build them. */
function synthesizeBoth(spec: GatewaySpec) {
  const app = tempApp();
  const infrastructure = new InfrastructureStack(app, "infra", { spec });
  new PlatformStack(app, "platform", { spec, dependsOnStacks: [infrastructure] });
  app.synth();
  return readSynthesized(app.outdir).stacks;
}

/** `serviceAccount:<pool>[<namespace>/<ksa>]` members of the Workload Identity bindings. */
function workloadIdentityMembers(infra: any): { namespace: string; ksa: string; account: string }[] {
  return resourcesOf(infra, "google_service_account_iam_member")
    .filter((b) => b.role === "roles/iam.workloadIdentityUser")
    .map((b) => {
      const [, namespace, ksa] = /\[([^/]+)\/([^\]]+)\]$/.exec(b.member)!;
      return { namespace, ksa, account: b.service_account_id };
    });
}

/** Kong's service account is the chart's, named and annotated through its values. */
function kongServiceAccount(platform: any): { name: string; annotations: Record<string, string> } {
  const release = resourcesOf(platform, "helm_release").find((r) => r.chart === "kong")!;
  return fromYaml(release.values[0]).deployment.serviceAccount;
}

describe("one spec for both stacks", () => {
  const custom = synthesizeBoth({
    projectId: "acme-ai-prod",
    region: "us-central1",
    prefix: "acme",
    namespaces: { app: "team-llm-app", router: "team-llm-router" },
    models: MODELS,
  });

  it("binds Workload Identity in the namespaces the platform stack creates, for the service accounts it runs", () => {
    const namespaces = resourcesOf(custom.platform, "kubernetes_namespace_v1").map((n) => n.metadata.name);
    const namespaceByReference = Object.fromEntries(
      Object.entries(custom.platform.resource!.kubernetes_namespace_v1 as Record<string, any>).map(([key, n]) => [
        `\${kubernetes_namespace_v1.${key}.metadata[0].name}`,
        n.metadata.name,
      ]),
    );
    const serviceAccounts = resourcesOf(custom.platform, "kubernetes_service_account_v1")
      .filter((sa) => sa.metadata.annotations?.["iam.gke.io/gcp-service-account"])
      .map((sa) => `${namespaceByReference[sa.metadata.namespace] ?? sa.metadata.namespace}/${sa.metadata.name}`);
    const kong = kongServiceAccount(custom.platform);
    const bindings = workloadIdentityMembers(custom.infra);
    expect(bindings.map((b) => `${b.namespace}/${b.ksa}`).sort()).toEqual([
      "ai-gateway-edge/kong",
      "ai-gateway-observability/otel-collector",
      "team-llm-app/gateway-app",
      "team-llm-router/litellm",
    ]);
    for (const binding of bindings) expect(namespaces).toContain(binding.namespace);
    expect([...serviceAccounts, `ai-gateway-edge/${kong.name}`].sort()).toEqual(bindings.map((b) => `${b.namespace}/${b.ksa}`).sort());
  });

  it("annotates each bound service account with the Google account the infrastructure stack created", () => {
    const emails = [
      ...resourcesOf(custom.platform, "kubernetes_service_account_v1")
        .map((sa) => sa.metadata.annotations?.["iam.gke.io/gcp-service-account"])
        .filter(Boolean),
      kongServiceAccount(custom.platform).annotations["iam.gke.io/gcp-service-account"],
    ].sort();
    const accounts = resourcesOf(custom.infra, "google_service_account").map((a) => `${a.account_id}@acme-ai-prod.iam.gserviceaccount.com`);
    expect(emails).toEqual([
      "acme-gateway-app@acme-ai-prod.iam.gserviceaccount.com",
      "acme-kong@acme-ai-prod.iam.gserviceaccount.com",
      "acme-litellm@acme-ai-prod.iam.gserviceaccount.com",
      "acme-otel@acme-ai-prod.iam.gserviceaccount.com",
    ]);
    for (const email of emails) expect(accounts).toContain(email);
  });

  it("mounts exactly the provider-key secrets the infrastructure stack creates", () => {
    const created = resourcesOf(custom.infra, "google_secret_manager_secret").map((s) => s.secret_id);
    const spc = resourcesOf(custom.platform, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "litellm-secrets")!;
    const mounted = fromYaml(spc.manifest.spec.parameters.secrets).map((s: any) => /secrets\/([^/]+)\/versions/.exec(s.resourceName)![1]);
    expect(mounted.sort()).toEqual(["acme-litellm-master-key", "acme-openai-api-key", "acme-redis-auth"]);
    for (const secret of mounted) expect(created).toContain(secret);
  });

  it("connects the platform stack to the cluster the infrastructure stack creates", () => {
    const cluster = resourcesOf(custom.infra, "google_container_cluster")[0];
    const lookedUp = Object.values(custom.platform.data!.google_container_cluster as Record<string, any>)[0];
    expect(lookedUp).toMatchObject({ name: "acme-gke", location: "us-central1", project: "acme-ai-prod" });
    expect(cluster.name).toBe(lookedUp.name);
    expect(cluster.location).toBe(lookedUp.location);
  });

  it("renders every depends_on as a bare reference, which is all Terraform accepts there", () => {
    for (const stack of [custom.infra, custom.platform]) {
      for (const [type, byName] of Object.entries(stack.resource as Record<string, Record<string, any>>)) {
        for (const [name, resource] of Object.entries(byName)) {
          for (const reference of resource.depends_on ?? []) expect(reference, `${type}.${name}`).toMatch(/^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$/);
        }
      }
    }
  });
});

describe("resolveGatewaySpec", () => {
  const stack = () => new TerraformStack(new App({ outdir: "/tmp/unused" }), "stack");
  const base: GatewaySpec = { projectId: "acme-ai-prod", region: "us-central1", prefix: "acme" };

  it("defaults the namespaces and the models", () => {
    const spec = resolveGatewaySpec(stack(), base);
    expect(spec.namespaces).toEqual({
      edge: "ai-gateway-edge",
      app: "ai-gateway-app",
      router: "ai-gateway-router",
      observability: "ai-gateway-observability",
    });
    expect(spec.models.map((m) => m.name)).toEqual(["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "text-embedding-005"]);
  });

  it("throws if a field is a token, naming the field and the stack", () => {
    const token = Token.asString(Lazy.stringValue({ produce: () => "acme-ai-prod" }));
    expect(() => resolveGatewaySpec(stack(), { ...base, projectId: token })).toThrow(
      /^stack: spec\.projectId must be a non-empty literal string \(received "<token>"\)/,
    );
  });

  it("throws if two tiers share a namespace", () => {
    expect(() => resolveGatewaySpec(stack(), { ...base, namespaces: { app: "shared", router: "shared" } })).toThrow(
      /spec\.namespaces\.router is "shared", the same as app's/,
    );
  });

  it("throws on a namespace for a tier that does not exist", () => {
    expect(() => resolveGatewaySpec(stack(), { ...base, namespaces: { backend: "x" } as never })).toThrow(/spec\.namespaces\.backend is not a tier/);
  });

  it("throws on an invalid namespace name", () => {
    expect(() => resolveGatewaySpec(stack(), { ...base, namespaces: { edge: "Edge_NS" } })).toThrow(
      /spec\.namespaces\.edge is not a valid Kubernetes namespace name \(received "Edge_NS"\)/,
    );
  });
});
