import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type TenantSpec, validateTenants, validateWeightedModels, type WeightedModel } from "../../lib/tenants";

const MODELS = ["flash", "pro", "embed"];
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: "spki", format: "pem" }).toString();
const PRIVATE_PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const acme: TenantSpec = {
  name: "acme",
  models: ["flash", "pro"],
  limits: { requestsPerMinute: 600, tokensPerMinute: 200_000, maxOutputTokens: 4096 },
  budgets: { usdPerDay: 50, usdPerMonth: 1000, tokensPerMonth: 50_000_000, perKey: { usdPerDay: 5 } },
  credentials: { jwt: [{ rsaPublicKey: PUBLIC_PEM }], apiKeys: true },
};
const globex: TenantSpec = { name: "globex", models: ["*"], credentials: { apiKeys: true } };

const check = (tenants: TenantSpec[]) => () => validateTenants("gateway/AiGateway", tenants, MODELS);
const withTenant = (patch: Partial<TenantSpec>) => check([acme, { ...globex, ...patch }]);

describe("validateTenants", () => {
  it("accepts two tenants with JWT and API-key credentials, limits and budgets", () => {
    expect(check([acme, globex])).not.toThrow();
  });

  it("throws naming the construct path and the field for a negative budget", () => {
    expect(withTenant({ budgets: { usdPerDay: -1 } })).toThrow(
      "gateway/AiGateway: tenants[1].budgets.usdPerDay must be a number of 0 or more (received -1). Fix: " +
        "remove usdPerDay for no budget; 0 blocks every call",
    );
    expect(withTenant({ budgets: { tokensPerDay: 1.5 } })).toThrow("tenants[1].budgets.tokensPerDay must be a whole number of 0 or more");
    expect(withTenant({ budgets: { perKey: { usdPerMonth: Number.NaN } } })).toThrow(
      "tenants[1].budgets.perKey.usdPerMonth must be a number of 0 or more",
    );
  });

  it("throws for a daily USD budget above the monthly one", () => {
    expect(withTenant({ budgets: { usdPerDay: 20, usdPerMonth: 10 } })).toThrow("tenants[1].budgets.usdPerDay (20) is more than usdPerMonth (10)");
  });

  it("throws for an unknown model, naming it and listing the known ones", () => {
    expect(withTenant({ models: ["flash", "gpt-9"] })).toThrow(
      'tenants[1].models[1] names an unknown model "gpt-9". Fix: use one of "flash", "pro", "embed"',
    );
    expect(withTenant({ models: [] })).toThrow("tenants[1].models is empty");
    expect(withTenant({ models: ["*", "flash"] })).toThrow('tenants[1].models mixes "*" with model names');
  });

  it("throws for a name Kong or gateway-app would refuse, and for a repeated one", () => {
    expect(withTenant({ name: "ac me" })).toThrow('tenants[1].name is not a valid tenant name (received "ac me")');
    expect(withTenant({ name: "a{b}" })).toThrow("tenants[1].name is not a valid tenant name");
    expect(withTenant({ name: "acme" })).toThrow('tenants[1].name "acme" is already tenants[0]');
  });

  it("throws for limits that are not positive whole numbers", () => {
    expect(withTenant({ limits: { tokensPerMinute: 0 } })).toThrow("tenants[1].limits.tokensPerMinute must be a whole number above 0 (received 0)");
  });

  it("throws for a tenant without credentials, a private key, or a per-key budget without keys", () => {
    expect(withTenant({ credentials: {} })).toThrow("tenants[1].credentials gives the tenant no way to authenticate");
    expect(withTenant({ credentials: { jwt: [{ rsaPublicKey: PRIVATE_PEM }] } })).toThrow(
      "tenants[1].credentials.jwt[0].rsaPublicKey holds a private key, which would end up in Terraform state",
    );
    expect(withTenant({ credentials: { jwt: [{ rsaPublicKey: "ssh-rsa AAAA" }] } })).toThrow(
      "tenants[1].credentials.jwt[0].rsaPublicKey is not a PEM public key",
    );
    expect(withTenant({ budgets: { perKey: { usdPerDay: 1 } }, credentials: { jwt: [{ rsaPublicKey: PUBLIC_PEM, issuer: "g" }] } })).toThrow(
      "tenants[1].budgets.perKey is set but the tenant has no API keys",
    );
  });

  it("throws when two tenants' JWT credentials share an issuer", () => {
    expect(withTenant({ credentials: { jwt: [{ rsaPublicKey: PUBLIC_PEM, issuer: "acme" }] } })).toThrow(
      'tenants[1].credentials.jwt[0].issuer "acme" is already an issuer of tenant "acme"',
    );
  });
});

describe("validateWeightedModels", () => {
  const ab: WeightedModel = {
    name: "chat",
    variants: [
      { model: "flash", weight: 90 },
      { model: "pro", weight: 10 },
    ],
    sticky: { header: "x-session-id" },
  };
  const check = (entry: Partial<WeightedModel>) => () => validateWeightedModels("gateway/AiGateway", [{ ...ab, ...entry }], MODELS);

  it("accepts weights summing to 100 over known models", () => {
    expect(check({})).not.toThrow();
  });

  it("throws when weights do not sum to 100, naming each", () => {
    expect(
      check({
        variants: [
          { model: "flash", weight: 60 },
          { model: "pro", weight: 30 },
        ],
      }),
    ).toThrow("weightedModels[0].variants weights sum to 90. Fix: make them sum to 100 (flash=60, pro=30)");
  });

  it("throws for a negative or fractional weight, an unknown or repeated model, one variant, a name clash", () => {
    expect(
      check({
        variants: [
          { model: "flash", weight: 110 },
          { model: "pro", weight: -10 },
        ],
      }),
    ).toThrow("weightedModels[0].variants[0].weight must be a whole percentage");
    expect(
      check({
        variants: [
          { model: "flash", weight: 50 },
          { model: "pro", weight: -50 },
        ],
      }),
    ).toThrow("weightedModels[0].variants[1].weight must be a whole percentage from 1 to 100 (received -50)");
    expect(
      check({
        variants: [
          { model: "flash", weight: 50 },
          { model: "gpt-9", weight: 50 },
        ],
      }),
    ).toThrow('weightedModels[0].variants[1].model names an unknown model "gpt-9"');
    expect(
      check({
        variants: [
          { model: "flash", weight: 50 },
          { model: "flash", weight: 50 },
        ],
      }),
    ).toThrow('weightedModels[0].variants[1].model "flash" is listed twice');
    expect(check({ variants: [{ model: "flash", weight: 100 }] })).toThrow("weightedModels[0].variants has 1 variant(s)");
    expect(check({ name: "flash" })).toThrow('weightedModels[0].name "flash" is already a catalogue model');
    expect(check({ sticky: { header: "x session" } })).toThrow("weightedModels[0].sticky.header is not an HTTP header name");
  });
});
