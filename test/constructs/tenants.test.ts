import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { parseCatalogue } from "../../gateway-app/src/config";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import type { GatewaySpec } from "../../lib/gateway-spec";
import type { TenantSpec } from "../../lib/tenants";
import { publicKeyPem } from "../support/kong-chart";
import { resourcesOf, synthJson } from "../support/terraform";

const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

const TENANTS: TenantSpec[] = [
  {
    name: "acme",
    models: ["gemini-2.5-flash", "gemini-2.5-pro"],
    limits: { requestsPerMinute: 600, tokensPerMinute: 200_000, maxOutputTokens: 4096 },
    budgets: { usdPerDay: 50, usdPerMonth: 1000, perKey: { usdPerDay: 5 } },
    credentials: { jwt: [{ rsaPublicKey: publicKeyPem() }, { issuer: "acme-ci", rsaPublicKey: otherKey }], apiKeys: true },
  },
  { name: "globex", models: ["*"], credentials: { apiKeys: true } },
];
const SPEC: GatewaySpec = { projectId: "acme-ai-prod", region: "us-central1", prefix: "acme", tenants: TENANTS };

function platform(spec: GatewaySpec, gateway?: ConstructorParameters<typeof PlatformStack>[2]["gateway"]) {
  return new PlatformStack(new App({ outdir: "/tmp/unused" }), "platform", { spec, gateway });
}

describe("tenants in the shared spec", () => {
  it("fail at synth with the stack's path and the field, in both stacks", () => {
    const bad: GatewaySpec = { ...SPEC, tenants: [{ ...TENANTS[1], models: ["gpt-5"] }] };
    expect(() => platform(bad)).toThrow(/^platform: tenants\[0\]\.models\[0\] names an unknown model "gpt-5"/);
    expect(() => new InfrastructureStack(new App({ outdir: "/tmp/unused" }), "infra", { spec: bad })).toThrow(/^infra: tenants\[0\]\.models\[0\]/);
  });

  it("become Kong consumers named after the tenant, one jwt secret per key, and none for API-key-only tenants", () => {
    const consumers = (platform(SPEC).gateway.edge.declarativeConfig() as any).consumers;
    expect(consumers).toEqual([
      {
        username: "acme",
        jwt_secrets: [
          { key: "acme", algorithm: "RS256", rsa_public_key: publicKeyPem().trim() },
          { key: "acme-ci", algorithm: "RS256", rsa_public_key: otherKey.trim() },
        ],
      },
      // Every API-key caller is this one consumer to Kong (kong-edge.test.ts "apiKeyCallers").
      { username: "api-key-caller", plugins: [expect.objectContaining({ name: "rate-limiting" })] },
    ]);
  });

  it("give Kong's API-key consumer the edge's limits per client IP, or its own when apiKeyRateLimits is set", () => {
    const limitsOf = (gateway?: Parameters<typeof platform>[1]) => {
      const consumers = (platform(SPEC, gateway).gateway.edge.declarativeConfig() as any).consumers;
      return consumers.find((c: { username: string }) => c.username === "api-key-caller").plugins[0].config;
    };
    expect(limitsOf({ rateLimits: { minute: 50 } })).toMatchObject({ minute: 50, hour: 1000, day: 10000, limit_by: "ip" });
    expect(limitsOf({ rateLimits: { minute: 50 }, apiKeyRateLimits: { minute: 20, hour: 300 } })).toMatchObject({
      minute: 20,
      hour: 300,
      day: 10000,
      limit_by: "ip",
    });
  });

  it("become gateway-app's catalogue tenants with their models, limits and budgets, and requireConsumer, as gateway-app parses them", () => {
    const rendered = platform(SPEC).gateway.backend.gatewayConfig as any;
    expect(rendered.requireConsumer).toBe(true);
    expect(rendered.tenants).toEqual([
      {
        name: "acme",
        models: ["gemini-2.5-flash", "gemini-2.5-pro"],
        maxOutputTokens: 4096,
        limits: { requestsPerMinute: 600, tokensPerMinute: 200_000 },
        budgets: { usdPerDay: 50, usdPerMonth: 1000, perKey: { usdPerDay: 5 } },
        apiKeys: true,
      },
      { name: "globex", models: ["*"], apiKeys: true },
    ]);
    const problems: string[] = [];
    const parsed = parseCatalogue(JSON.parse(JSON.stringify(rendered)), problems);
    expect(problems).toEqual([]);
    expect(parsed!.requireConsumer).toBe(true);
    const acme = parsed!.tenants.get("acme")!;
    expect(acme.limits).toEqual({ requestsPerMinute: 600, tokensPerMinute: 200_000 });
    expect(acme.budgets).toEqual({ tenant: { usdPerDay: 50, usdPerMonth: 1000 }, perKey: { usdPerDay: 5 } });
    expect(acme.maxOutputTokens).toBe(4096);
    expect(parsed!.tenants.get("globex")).toMatchObject({ allModels: true, apiKeys: true, limits: undefined, budgets: undefined });
  });

  it("leave the catalogue without tenants and requireConsumer when there are none", () => {
    const rendered = platform({ ...SPEC, tenants: undefined }).gateway.backend.gatewayConfig;
    expect(Object.keys(rendered)).toEqual(["models"]);
  });

  it("refuses consumers beside tenants, which gateway-app would refuse on every request", () => {
    expect(() => platform(SPEC, { consumers: [{ username: "legacy", rsaPublicKey: publicKeyPem() }] })).toThrow(
      /^platform\/Gateway: consumers are given beside tenants, and gateway-app refuses a consumer that is not a tenant/,
    );
  });

  it("turn governance on (Memorystore env, AUTH file, its grant) only for tenants with limits, budgets or API keys", () => {
    const jwtOnly: GatewaySpec = {
      ...SPEC,
      tenants: [{ name: "acme", models: ["*"], limits: { maxOutputTokens: 1024 }, credentials: { jwt: [{ rsaPublicKey: publicKeyPem() }] } }],
    };
    const governanceEnv = (spec: GatewaySpec) => {
      const deployment = resourcesOf(synthJson(platform(spec)), "kubernetes_deployment_v1").find((d) => d.metadata.name === "gateway-app");
      return deployment!.spec.template.spec.container[0].env.map((e: any) => e.name).filter((n: string) => n.startsWith("GOVERNANCE_"));
    };
    expect(governanceEnv(SPEC).sort()).toEqual(["GOVERNANCE_REDIS_AUTH_FILE", "GOVERNANCE_REDIS_CA_FILE", "GOVERNANCE_REDIS_URL"]);
    expect(governanceEnv(jwtOnly)).toEqual([]);
    const redisAuthReaders = (spec: GatewaySpec) => {
      const json = synthJson(new InfrastructureStack(new App({ outdir: "/tmp/unused" }), "infra", { spec }));
      const secrets = Object.entries<any>(json.resource!.google_secret_manager_secret);
      const redisAuth = secrets.find(([, s]) => s.secret_id === "acme-redis-auth")![0];
      return resourcesOf(json, "google_secret_manager_secret_iam_member")
        .filter((g) => String(g.secret_id).includes(`google_secret_manager_secret.${redisAuth}.`))
        .map((g) => /google_service_account\.(\w+)\./.exec(String(g.member))![1]);
    };
    expect(redisAuthReaders(SPEC)).toHaveLength(2);
    expect(redisAuthReaders(jwtOnly)).toHaveLength(1);
    expect(redisAuthReaders(SPEC)).toEqual(expect.arrayContaining(redisAuthReaders(jwtOnly)));
  });
});
