import { describe, expect, it } from "vitest";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import type { CatalogueModel } from "../../lib/catalogue";
import { fromYaml } from "../../lib/yaml";
import { publicKeyPem } from "../support/kong-chart";
import { readSynthesized, resourcesOf, tempApp } from "../support/terraform";

const MODELS: CatalogueModel[] = [
  { name: "flash", model: "gemini-2.5-flash", fallbacks: ["gpt"] },
  { name: "gpt", provider: "openai", model: "gpt-4o" },
  { name: "claude", provider: "anthropic", model: "claude-sonnet-4-5" },
];
const PUBLIC_KEY = publicKeyPem();
// What a careless setup might leak: none of these may appear anywhere in what we synthesize.
const SECRET_PATTERNS = [
  /secret_data/,
  /BEGIN (RSA |EC )?PRIVATE KEY/,
  /\bsk-[A-Za-z0-9]{10,}/,
  /secret_key_ref/,
  /google_secret_manager_secret_version/,
  /google_service_account_key/,
  /auth_string/,
];
// Memorystore's AUTH string is a computed attribute: the instance (infrastructure) and its data
// source (platform) put it in state whatever we do. Copying it where it is needed adds no
// exposure. The edge token is the other value Terraform handles, by default: the platform stack
// reads its Secret Manager version to give Kong a Kubernetes Secret (kongEdgeTokenSecret opts out).
// Nothing else, and only in these places.
const SECRET_COPIES = {
  infra: [{ block: "resource", type: "google_secret_manager_secret_version" }],
  platform: [
    { block: "resource", type: "kubernetes_secret_v1" },
    { block: "data", type: "google_secret_manager_secret_version" },
  ],
} as const;

/** The stack's JSON without the blocks allowed to carry the AUTH string and the edge token. */
function withoutSecretCopies(stack: any, id: keyof typeof SECRET_COPIES): unknown {
  const copy = structuredClone(stack);
  for (const { block, type } of SECRET_COPIES[id]) delete copy[block]?.[type];
  return copy;
}

function synthesize(kongRedisPasswordSecret?: { name: string; key: string }, kongEdgeTokenSecret?: { name: string; key: string }) {
  const app = tempApp();
  const spec = { projectId: "acme-ai-prod", region: "us-central1", prefix: "acme", models: MODELS };
  const infrastructure = new InfrastructureStack(app, "infra", { spec });
  new PlatformStack(app, "platform", {
    spec,
    dependsOnStacks: [infrastructure],
    gateway: { consumers: [{ username: "team-a", rsaPublicKey: PUBLIC_KEY }], kongRedisPasswordSecret, kongEdgeTokenSecret },
  });
  app.synth();
  return readSynthesized(app.outdir).stacks;
}

const withOwnKongSecret = () => synthesize({ name: "kong-redis-auth", key: "auth" }, { name: "edge-token-eso", key: "value" });

describe("secrets never pass through Terraform", () => {
  const stacks = synthesize();

  it("creates a Secret Manager secret per provider key, without a value", () => {
    expect(
      resourcesOf(stacks.infra, "google_secret_manager_secret")
        .map((s) => s.secret_id)
        .sort(),
    ).toEqual([
      "acme-anthropic-api-key",
      "acme-edge-tls-cert",
      "acme-edge-tls-key",
      "acme-edge-token",
      "acme-litellm-master-key",
      "acme-openai-api-key",
      "acme-redis-auth",
    ]);
  });

  it("gives LiteLLM the provider keys as mounted files, referenced from config as environment", () => {
    const platform = stacks.platform;
    const config = fromYaml(resourcesOf(platform, "kubernetes_config_map_v1").find((c) => c.metadata.name === "litellm-config")!.data["config.yaml"]);
    expect(config.model_list.find((m: any) => m.model_name === "gpt").litellm_params.api_key).toBe("os.environ/OPENAI_API_KEY");
    const spc = resourcesOf(platform, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "litellm-secrets")!;
    expect(fromYaml(spc.manifest.spec.parameters.secrets).map((s: any) => s.path)).toEqual([
      "anthropic-api-key",
      "litellm-master-key",
      "openai-api-key",
      "redis-auth",
    ]);
  });

  it("refers to Kong's Redis password and edge token by Kubernetes Secret name only, and creates none when given them", () => {
    const own = withOwnKongSecret();
    const values = fromYaml(resourcesOf(own.platform, "helm_release").find((r) => r.chart === "kong")!.values[0]);
    expect(values.customEnv.kong_redis_password.valueFrom.secretKeyRef).toEqual({ name: "kong-redis-auth", key: "auth" });
    expect(values.customEnv.gateway_edge_token.valueFrom.secretKeyRef).toEqual({ name: "edge-token-eso", key: "value" });
    expect(own.platform.resource!.kubernetes_secret_v1).toBeUndefined();
    expect(own.platform.data?.google_secret_manager_secret_version).toBeUndefined();
    expect(fromYaml(values.dblessConfig.config).plugins.find((p: any) => p.name === "rate-limiting").config.redis.password).toBe(
      "{vault://env/kong-redis-password}",
    );
  });

  it.each(["infra", "platform"] as const)("finds no secret material in the %s stack beyond Memorystore's AUTH string and the edge token", (id) => {
    const text = JSON.stringify(withoutSecretCopies(stacks[id], id));
    for (const pattern of SECRET_PATTERNS) expect(text, String(pattern)).not.toMatch(pattern);
  });

  it("copies Memorystore's AUTH string into its Secret Manager secret and nowhere else in the infrastructure stack", () => {
    const versions = Object.values(stacks.infra.resource!.google_secret_manager_secret_version) as any[];
    expect(versions).toHaveLength(1);
    expect(versions[0].secret_data).toMatch(/^\$\{google_redis_instance\.[\w-]+\.auth_string\}$/);
    const secret = resourcesOf(stacks.infra, "google_secret_manager_secret").find((s) => s.secret_id === "acme-redis-auth")!;
    expect(versions[0].secret).toMatch(/google_secret_manager_secret\./);
    expect(secret).toBeDefined();
  });

  it("gives Kong the AUTH string in a Secret the platform stack creates before the release", () => {
    const platform = stacks.platform;
    const secrets = Object.entries(platform.resource!.kubernetes_secret_v1 ?? {}) as [string, any][];
    expect(secrets.map(([, s]) => s.metadata.name).sort()).toEqual(["kong-edge-token", "kong-redis"]);
    const [redisId, redis] = secrets.find(([, s]) => s.metadata.name === "kong-redis")!;
    expect(redis.data.password).toMatch(/^\$\{data\.google_redis_instance\.[\w-]+\.auth_string\}$/);
    const kong = Object.values(platform.resource!.helm_release as Record<string, any>).find((r) => r.chart === "kong");
    expect(kong.depends_on).toContain(`kubernetes_secret_v1.${redisId}`);
  });

  it("gives Kong the edge token gateway-app mounts, from the same Secret Manager secret, before the release", () => {
    const platform = stacks.platform;
    const [tokenId, token] = (Object.entries(platform.resource!.kubernetes_secret_v1) as [string, any][]).find(
      ([, s]) => s.metadata.name === "kong-edge-token",
    )!;
    const versions = Object.entries(platform.data!.google_secret_manager_secret_version) as [string, any][];
    expect(versions).toHaveLength(1);
    expect(versions[0][1].secret).toBe("acme-edge-token");
    expect(token.data.token).toBe(`\${data.google_secret_manager_secret_version.${versions[0][0]}.secret_data}`);
    const spc = resourcesOf(platform, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "gateway-app-secrets")!;
    expect(fromYaml(spc.manifest.spec.parameters.secrets)).toContainEqual(expect.objectContaining({ path: "edge-token" }));
    expect(JSON.stringify(fromYaml(spc.manifest.spec.parameters.secrets))).toContain("acme-edge-token");
    const kong = Object.values(platform.resource!.helm_release as Record<string, any>).find((r) => r.chart === "kong");
    expect(kong.depends_on).toContain(`kubernetes_secret_v1.${tokenId}`);
  });
});
