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
const SECRET_PATTERNS = [/auth_string/, /secret_data/, /BEGIN (RSA |EC )?PRIVATE KEY/, /\bsk-[A-Za-z0-9]{10,}/, /secret_key_ref/, /google_secret_manager_secret_version/, /google_service_account_key/];

function synthesize() {
  const app = tempApp();
  const infrastructure = new InfrastructureStack(app, "infra", { projectId: "acme-ai-prod", region: "us-central1", prefix: "acme", models: MODELS });
  new PlatformStack(app, "platform", {
    cluster: infrastructure.cluster,
    prefix: "acme",
    models: MODELS,
    dependsOnStacks: [infrastructure],
    gateway: { consumers: [{ username: "team-a", rsaPublicKey: PUBLIC_KEY }], kongRedisPasswordSecret: { name: "kong-redis-auth", key: "auth" } },
  });
  app.synth();
  return readSynthesized(app.outdir).stacks;
}

describe("secrets never pass through Terraform", () => {
  const stacks = synthesize();

  it("creates a Secret Manager secret per provider key, without a value", () => {
    expect(resourcesOf(stacks.infra, "google_secret_manager_secret").map((s) => s.secret_id).sort()).toEqual(["acme-anthropic-api-key", "acme-litellm-master-key", "acme-openai-api-key", "acme-redis-auth"]);
  });

  it("gives LiteLLM the provider keys as mounted files, referenced from config as environment", () => {
    const platform = stacks.platform;
    const config = fromYaml(resourcesOf(platform, "kubernetes_config_map_v1").find((c) => c.metadata.name === "litellm-config")!.data["config.yaml"]);
    expect(config.model_list.find((m: any) => m.model_name === "gpt").litellm_params.api_key).toBe("os.environ/OPENAI_API_KEY");
    const spc = resourcesOf(platform, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "litellm-secrets")!;
    expect(fromYaml(spc.manifest.spec.parameters.secrets).map((s: any) => s.path)).toEqual(["anthropic-api-key", "litellm-master-key", "openai-api-key", "redis-auth"]);
  });

  it("refers to Kong's Redis password by Kubernetes Secret name only", () => {
    const values = fromYaml(resourcesOf(stacks.platform, "helm_release")[0].values[0]);
    expect(values.customEnv.kong_redis_password.valueFrom.secretKeyRef).toEqual({ name: "kong-redis-auth", key: "auth" });
    expect(fromYaml(values.dblessConfig.config).plugins.find((p: any) => p.name === "rate-limiting").config.redis.password).toBe("{vault://env/kong-redis-password}");
  });

  it.each(["infra", "platform"])("finds no secret material in the %s stack", (id) => {
    const text = JSON.stringify(stacks[id]);
    for (const pattern of SECRET_PATTERNS) expect(text, String(pattern)).not.toMatch(pattern);
  });
});
