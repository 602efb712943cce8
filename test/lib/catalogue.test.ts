import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { parseCatalogue } from "../../gateway-app/src/config";
import { DEFAULT_MODELS, ModelCatalogue, type CatalogueModel } from "../../lib/catalogue";

const scope = () => new TerraformStack(Testing.app(), "test");
const build = (models: readonly CatalogueModel[]) =>
  new ModelCatalogue(scope(), models, { vertexProject: "acme-ai", vertexLocation: "europe-west4" });

describe("ModelCatalogue rendering", () => {
  const catalogue = build([
    {
      name: "flash",
      model: "gemini-2.5-flash",
      fallbacks: ["gpt"],
      prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 },
      limits: { rpm: 600, maxOutputTokens: 4096, timeoutSeconds: 60 },
      additionalDeployments: [{ model: "gemini-2.5-flash", vertexLocation: "us-central1", rpm: 300 }],
    },
    { name: "gpt", provider: "openai", model: "gpt-4o" },
    { name: "claude", provider: "anthropic", model: "claude-sonnet-4-5" },
    { name: "embed", model: "text-embedding-005", mode: "embedding", directVertex: true },
  ]);

  it("renders one LiteLLM deployment per region, load-balanced under one name", () => {
    const flash = catalogue.liteLlmModelList().filter((m) => m.model_name === "flash");
    expect(flash).toEqual([
      {
        model_name: "flash",
        litellm_params: { model: "vertex_ai/gemini-2.5-flash", vertex_project: "acme-ai", vertex_location: "europe-west4", rpm: 600, timeout: 60 },
        model_info: { mode: "chat", input_cost_per_token: 0.3e-6, output_cost_per_token: 2.5e-6 },
      },
      {
        model_name: "flash",
        litellm_params: { model: "vertex_ai/gemini-2.5-flash", vertex_project: "acme-ai", vertex_location: "us-central1", rpm: 300, timeout: 60 },
        model_info: { mode: "chat", input_cost_per_token: 0.3e-6, output_cost_per_token: 2.5e-6 },
      },
    ]);
  });

  it("references provider keys through the environment, never as literals", () => {
    const params = Object.fromEntries(catalogue.liteLlmModelList().map((m: any) => [m.model_name, m.litellm_params]));
    expect(params.gpt).toEqual({ model: "openai/gpt-4o", api_key: "os.environ/OPENAI_API_KEY" });
    expect(params.claude).toEqual({ model: "anthropic/claude-sonnet-4-5", api_key: "os.environ/ANTHROPIC_API_KEY" });
    expect(catalogue.keyedProviders).toEqual(["openai", "anthropic"]);
  });

  it("gives the fallbacks to gateway-app only: no LiteLLM entry carries one", () => {
    expect(catalogue.gatewayCatalogue().models.find((m) => m.name === "flash")).toMatchObject({ fallbacks: ["gpt"] });
    expect(JSON.stringify(catalogue.liteLlmModelList())).not.toMatch(/fallback|num_retries|max_retries/);
  });

  it("renders a GATEWAY_CONFIG that gateway-app itself accepts", () => {
    const rendered = catalogue.gatewayCatalogue();
    const problems: string[] = [];
    const parsed = parseCatalogue(JSON.parse(JSON.stringify(rendered)), problems);
    expect(problems).toEqual([]);
    expect(parsed!.models.get("flash")).toMatchObject({
      upstream: "litellm",
      upstreamModel: "flash",
      fallbacks: ["gpt"],
      maxOutputTokens: 4096,
      timeoutMs: 60000,
      inputPricePerMillion: 0.3,
    });
    expect(parsed!.models.get("embed")).toMatchObject({ upstream: "vertex", upstreamModel: "google/text-embedding-005" });
  });

  it("default catalogue is valid for both LiteLLM and gateway-app", () => {
    const defaults = build(DEFAULT_MODELS);
    const problems: string[] = [];
    parseCatalogue(defaults.gatewayCatalogue(), problems);
    expect(problems).toEqual([]);
    expect(defaults.liteLlmModelList().every((m: any) => m.litellm_params.model.startsWith("vertex_ai/"))).toBe(true);
    expect(defaults.keyedProviders).toEqual([]);
  });
});

describe("ModelCatalogue validation", () => {
  const throwsWith = (models: CatalogueModel[], message: RegExp) => expect(() => build(models)).toThrow(message);

  it("throws on duplicate names", () => {
    throwsWith(
      [
        { name: "a", model: "x" },
        { name: "a", model: "y" },
      ],
      /^test: models\[1\] \(a\)\.name "a" is defined twice\. Fix: .*additionalDeployments/,
    );
  });

  it("throws on a fallback to an unknown model or to itself", () => {
    throwsWith([{ name: "a", model: "x", fallbacks: ["ghost"] }], /models\[0\] \(a\)\.fallbacks\[0\] names unknown model "ghost"/);
    throwsWith([{ name: "a", model: "x", fallbacks: ["a"] }], /models\[0\] \(a\)\.fallbacks\[0\] falls back to itself/);
  });

  it("throws on a cycle of fallbacks, naming it", () => {
    throwsWith(
      [
        { name: "a", model: "x", fallbacks: ["b"] },
        { name: "b", model: "y", fallbacks: ["c"] },
        { name: "c", model: "z", fallbacks: ["a"] },
      ],
      /fallbacks form a cycle: a -> b -> c -> a/,
    );
  });

  it("throws on negative prices and limits", () => {
    throwsWith(
      [{ name: "a", model: "x", prices: { inputPerMillionTokens: -1 } }],
      /models\[0\] \(a\)\.prices\.inputPerMillionTokens must be a number of at least 0 \(received -1\)/,
    );
    throwsWith([{ name: "a", model: "x", limits: { rpm: -5 } }], /\(a\)\.limits\.rpm must be a number of at least 0/);
    throwsWith([{ name: "a", model: "x", additionalDeployments: [{ model: "x", tpm: -1 }] }], /\(a\)\.additionalDeployments\[0\]\.tpm/);
  });

  it("throws on rpm/tpm LiteLLM cannot weigh: zero, fractions, or set on only some deployments", () => {
    throwsWith(
      [{ name: "a", model: "x", limits: { rpm: 0 } }],
      /^test: models\[0\] \(a\)\.limits\.rpm must be a whole number above 0 \(received 0\)/,
    );
    throwsWith([{ name: "a", model: "x", limits: { tpm: 1.5 } }], /\(a\)\.limits\.tpm must be a whole number above 0/);
    throwsWith(
      [{ name: "a", model: "x", limits: { rpm: 600 }, additionalDeployments: [{ model: "x", vertexLocation: "us-central1" }] }],
      /\(a\)\.additionalDeployments\[0\]\.rpm is unset while another deployment of a sets it.*Fix: set rpm on every deployment of a, or on none/,
    );
    throwsWith(
      [{ name: "a", model: "x", additionalDeployments: [{ model: "x", tpm: 1000 }] }],
      /\(a\)\.limits\.tpm is unset while another deployment/,
    );
    expect(() =>
      build([{ name: "a", model: "x", limits: { rpm: 600, tpm: 100_000 }, additionalDeployments: [{ model: "x", rpm: 300, tpm: 50_000 }] }]),
    ).not.toThrow();
  });

  it("throws on directVertex for another provider, and on an empty catalogue", () => {
    throwsWith([{ name: "a", provider: "openai", model: "gpt-4o", directVertex: true }], /\(a\)\.directVertex is only possible for vertex_ai models/);
    throwsWith([], /models is empty/);
  });
});
