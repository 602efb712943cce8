import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { parseCatalogue } from "../../gateway-app/src/config";
import { InfrastructureStack } from "../../constructs/infrastructure-stack";
import { PlatformStack } from "../../constructs/platform-stack";
import { DEFAULT_MODELS } from "../../lib/catalogue";
import type { GatewaySpec } from "../../lib/gateway-spec";
import { validateWeightedModels, type WeightedModel } from "../../lib/tenants";

const AB: WeightedModel = {
  name: "chat",
  variants: [
    { model: "gemini-2.5-flash", weight: 70 },
    { model: "gemini-2.5-pro", weight: 30 },
  ],
  sticky: { header: "X-Session-Id" },
};
const COST_AWARE: WeightedModel = {
  name: "chat-cheap",
  variants: [
    { model: "gemini-2.5-flash-lite", weight: 50 },
    { model: "gemini-2.5-flash", weight: 50 },
  ],
  strategy: "cheapest-within-latency",
  latencyObjective: { p95Ms: 4000, firstTokenP95Ms: 900 },
};
const SPEC: GatewaySpec = {
  projectId: "acme-ai-prod",
  region: "us-central1",
  prefix: "acme",
  weightedModels: [AB, COST_AWARE],
  tenants: [{ name: "globex", models: ["chat", "gemini-2.5-flash"], credentials: { apiKeys: true } }],
};

const platform = (spec: GatewaySpec) => new PlatformStack(new App({ outdir: "/tmp/unused" }), "platform", { spec });
const infra = (spec: GatewaySpec) => new InfrastructureStack(new App({ outdir: "/tmp/unused" }), "infra", { spec });
const gatewayProblems = (catalogue: unknown) => {
  const problems: string[] = [];
  parseCatalogue(catalogue, problems);
  return problems;
};

describe("weightedModels in the shared spec", () => {
  it("default: none, and GATEWAY_CONFIG has no weightedModels", () => {
    const stack = platform({ ...SPEC, weightedModels: undefined, tenants: undefined });
    expect(stack.spec.weightedModels).toEqual([]);
    expect(Object.keys(stack.gateway.backend.gatewayConfig)).toEqual(["models"]);
  });

  it("render into gateway-app's catalogue, which parses them as rendered, and never into LiteLLM's model_list", () => {
    const stack = platform(SPEC);
    const rendered = JSON.parse(JSON.stringify(stack.gateway.backend.gatewayConfig));
    // As given: gateway-app reads the same field names, so nothing is renamed on the way.
    expect(rendered.weightedModels).toEqual([AB, COST_AWARE]);
    const problems: string[] = [];
    const parsed = parseCatalogue(rendered, problems);
    expect(problems).toEqual([]);
    expect(parsed!.weighted.get("chat")).toMatchObject({ strategy: "weights", sticky: { header: "X-Session-Id" } });
    // The documented defaults of latencyObjective, as gateway-app applies them.
    expect(parsed!.weighted.get("chat-cheap")!.objective).toEqual({
      p95Ms: 4000,
      firstTokenP95Ms: 900,
      windowMs: 300_000,
      minSamples: 20,
      explorePercent: 10,
    });
    expect(parsed!.tenants.get("globex")!.models).toEqual(new Set(["chat", "gemini-2.5-flash"]));
    expect(stack.gateway.catalogue.liteLlmModelList().map((m) => m.model_name)).not.toContain("chat");
  });

  it("let tenants name the public weighted name, in both stacks", () => {
    expect(() => platform(SPEC)).not.toThrow();
    expect(() => infra(SPEC)).not.toThrow();
    const unknown: GatewaySpec = { ...SPEC, weightedModels: [AB], tenants: [{ ...SPEC.tenants![0], models: ["chat-cheap"] }] };
    expect(() => platform(unknown)).toThrow(/^platform: tenants\[0\]\.models\[0\] names an unknown model "chat-cheap"/);
  });

  it("throws at synth with the stack's path, in both stacks, for each kind of bad input", () => {
    const bad = (patch: Partial<WeightedModel>): GatewaySpec => ({ ...SPEC, weightedModels: [{ ...AB, ...patch }] });
    const cases: [GatewaySpec, RegExp][] = [
      [
        bad({
          variants: [
            { model: "gemini-2.5-flash", weight: 70 },
            { model: "gpt-9", weight: 30 },
          ],
        }),
        /weightedModels\[0\]\.variants\[1\]\.model names an unknown model "gpt-9"/,
      ],
      [
        bad({
          variants: [
            { model: "gemini-2.5-flash", weight: 130 },
            { model: "gemini-2.5-pro", weight: -30 },
          ],
        }),
        /weightedModels\[0\]\.variants\[0\]\.weight must be a whole percentage/,
      ],
      [
        bad({
          variants: [
            { model: "gemini-2.5-flash", weight: 60 },
            { model: "gemini-2.5-pro", weight: 30 },
          ],
        }),
        /weightedModels\[0\]\.variants weights sum to 90/,
      ],
      [bad({ name: "gemini-2.5-pro" }), /weightedModels\[0\]\.name "gemini-2\.5-pro" is already a catalogue model/],
      [bad({ sticky: { header: "x session" } }), /weightedModels\[0\]\.sticky\.header is not an HTTP header name/],
    ];
    for (const [spec, message] of cases) {
      expect(() => platform(spec)).toThrow(new RegExp(`^platform: ${message.source}`));
      expect(() => infra(spec)).toThrow(new RegExp(`^infra: ${message.source}`));
    }
  });

  // gateway-app checks a GATEWAY_CONFIG written by hand the same way synth checks the spec.
  it("are refused by gateway-app at start-up for the same bad inputs, naming the same field", () => {
    const catalogue = (patch: Record<string, unknown>) => ({
      models: DEFAULT_MODELS.map((m) => ({ name: m.name, upstream: "litellm", ...(m.prices ? { prices: m.prices } : {}) })),
      weightedModels: [{ ...AB, ...patch }],
    });
    const cases: [Record<string, unknown>, RegExp, RegExp][] = [
      [
        {
          variants: [
            { model: "gemini-2.5-flash", weight: 70 },
            { model: "gpt-9", weight: 30 },
          ],
        },
        /weightedModels\[0\]\.variants\[1\]\.model/,
        /unknown model "gpt-9"/,
      ],
      [
        {
          variants: [
            { model: "gemini-2.5-flash", weight: 130 },
            { model: "gemini-2.5-pro", weight: -30 },
          ],
        },
        /weightedModels\[0\]\.variants\[0\]\.weight/,
        /100/,
      ],
      [
        {
          variants: [
            { model: "gemini-2.5-flash", weight: 60 },
            { model: "gemini-2.5-pro", weight: 30 },
          ],
        },
        /weightedModels\[0\]\.variants/,
        /sum to 90/,
      ],
      [{ name: "gemini-2.5-pro" }, /weightedModels\[0\]\.name/, /already a model/],
      [{ sticky: { header: "x session" } }, /weightedModels\[0\]\.sticky\.header/, /HTTP header name/],
      [{ strategy: "cheapest-within-latency" }, /weightedModels\[0\]\.latencyObjective/, /required/],
    ];
    expect(gatewayProblems(catalogue({}))).toEqual([]);
    for (const [patch, field, why] of cases) {
      const problems = gatewayProblems(catalogue(patch));
      expect(problems.length, JSON.stringify(patch)).toBeGreaterThan(0);
      expect(problems[0]).toMatch(field);
      expect(problems.join("\n")).toMatch(why);
      // And synth refuses it too, naming the same field.
      expect(() => validateWeightedModels("spec", [{ ...AB, ...patch } as WeightedModel], DEFAULT_MODELS)).toThrow(field);
    }
    const tenantOfUnknown = { ...catalogue({}), tenants: [{ name: "globex", models: ["chat", "chat-2"] }] };
    expect(gatewayProblems(tenantOfUnknown)).toEqual(['GATEWAY_CONFIG: tenants[0].models[1]: unknown model "chat-2"']);
  });

  it("the README's GATEWAY_CONFIG example, weighted model included, is one gateway-app accepts", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    const example = JSON.parse(/^```json\n([\s\S]*?)^```/m.exec(readme)![1]);
    expect(example.weightedModels).toHaveLength(1);
    const problems: string[] = [];
    expect(parseCatalogue(example, problems)?.weighted.get("chat")?.sticky).toEqual({ header: "x-session-id" });
    expect(problems).toEqual([]);
  });
});
