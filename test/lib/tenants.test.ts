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

  it("throws for the name of Kong's API-key consumer, which every API-key caller arrives as", () => {
    expect(withTenant({ name: "api-key-caller", credentials: { apiKeys: true } })).toThrow(
      'tenants[1].name "api-key-caller" is the Kong consumer of every API-key caller',
    );
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
  const catalogue = [
    { name: "flash", prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } },
    { name: "pro", prices: { inputPerMillionTokens: 1.25, outputPerMillionTokens: 10 } },
    { name: "lite" },
    { name: "embed", mode: "embedding" as const },
  ];
  const check = (entry: Partial<WeightedModel>) => () => validateWeightedModels("gateway/AiGateway", [{ ...ab, ...entry }], catalogue);
  const cheapest: Partial<WeightedModel> = { sticky: undefined, strategy: "cheapest-within-latency", latencyObjective: { p95Ms: 3000 } };

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

  it("throws for a second weighted model of the same name, and for a name gateway-app would refuse", () => {
    const twice = () => validateWeightedModels("gateway/AiGateway", [ab, ab], catalogue);
    expect(twice).toThrow('weightedModels[1].name "chat" is already weightedModels[0]');
    expect(check({ name: "chat ab" })).toThrow('weightedModels[0].name is not a valid model name (received "chat ab")');
  });

  it("throws when a split mixes chat and embedding models", () => {
    expect(
      check({
        variants: [
          { model: "flash", weight: 50 },
          { model: "embed", weight: 50 },
        ],
      }),
    ).toThrow("weightedModels[0].variants mix chat and embedding models");
  });

  it("accepts the cost-aware strategy with an objective over priced models", () => {
    expect(check(cheapest)).not.toThrow();
    expect(
      check({ ...cheapest, latencyObjective: { p95Ms: 3000, firstTokenP95Ms: 800, windowMinutes: 10, minSamples: 50, explorePercent: 5 } }),
    ).not.toThrow();
  });

  it("throws for the cost-aware strategy without an objective, with stickiness, or over a model without prices", () => {
    expect(check({ ...cheapest, latencyObjective: undefined })).toThrow("weightedModels[0].latencyObjective is missing");
    expect(check({ ...cheapest, sticky: "tenant" })).toThrow('weightedModels[0].sticky cannot be combined with strategy "cheapest-within-latency"');
    expect(
      check({
        ...cheapest,
        variants: [
          { model: "flash", weight: 50 },
          { model: "lite", weight: 50 },
        ],
      }),
    ).toThrow('weightedModels[0].variants[1].model "lite" has no prices, so "cheapest-within-latency" cannot rank it');
    expect(check({ latencyObjective: { p95Ms: 3000 } })).toThrow(
      'weightedModels[0].latencyObjective is set but strategy is "weights", which ignores it',
    );
    expect(check({ strategy: "fastest" as never })).toThrow('weightedModels[0].strategy is not a strategy (received "fastest")');
  });

  it("throws for an objective out of bounds, naming its field", () => {
    expect(check({ ...cheapest, latencyObjective: { p95Ms: -1 } })).toThrow(
      "weightedModels[0].latencyObjective.p95Ms must be a whole number from 1 to 3600000 (received -1)",
    );
    expect(check({ ...cheapest, latencyObjective: { p95Ms: 3000, explorePercent: 80 } })).toThrow(
      "weightedModels[0].latencyObjective.explorePercent must be a whole number from 0 to 50 (received 80)",
    );
  });

  it("throws for a sticky value that is neither the tenant nor a header", () => {
    expect(check({ sticky: "session" as never })).toThrow('weightedModels[0].sticky must be "tenant" or { header } (received "session")');
  });
});
