import { describe, expect, it } from "vitest";
import { parseCatalogue } from "../../src/config.js";
import { VariantRouter } from "../../src/routing/weighted.js";

const catalogue = (() => {
  const problems: string[] = [];
  const parsed = parseCatalogue(
    {
      models: [
        { name: "lite", upstream: "mock", prices: { inputPerMillionTokens: 0.1, outputPerMillionTokens: 0.4 } },
        { name: "flash", upstream: "mock", prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } },
      ],
      weightedModels: [
        {
          name: "chat",
          variants: [
            { model: "lite", weight: 50 },
            { model: "flash", weight: 50 },
          ],
          strategy: "cheapest-within-latency",
          latencyObjective: { p95Ms: 10_000, firstTokenP95Ms: 500, minSamples: 3, explorePercent: 0 },
        },
      ],
    },
    problems,
  );
  if (!parsed) throw new Error(problems.join("\n"));
  return parsed;
})();
const noHeaders = () => undefined;

function router() {
  let now = 0;
  // random() = 0 draws the first arm (lite) by the weights.
  const variants = new VariantRouter(catalogue, { now: () => now, random: () => 0 });
  const stream = (firstTokenSeconds: number | undefined, status = 200, seconds = 30) => {
    const { variant } = variants.route(undefined, "chat", { stream: true, header: noHeaders });
    variant!.firstTokenSeconds = firstTokenSeconds;
    variants.observe(variant, { status, seconds });
  };
  return { variants, stream, advance: (ms: number) => (now += ms) };
}

describe("VariantRouter and the cost-aware window", () => {
  it("judges a stream by its time to first token, not by how long it streamed", () => {
    const { variants, stream, advance } = router();
    for (let i = 0; i < 3; i++) stream(0.1); // 30 s streams, first token at 100 ms
    advance(1000);
    expect(variants.route(undefined, "chat", { stream: true, header: noHeaders }).variant).toMatchObject({ model: "lite", by: "cheapest" });
  });

  it("counts a stream that ended in a 5xx as a miss, and learns nothing from one that answered without a token", () => {
    const { variants, stream, advance } = router();
    for (let i = 0; i < 3; i++) stream(undefined);
    advance(1000);
    expect(variants.route(undefined, "chat", { stream: true, header: noHeaders }).variant!.by).toBe("random");
    for (let i = 0; i < 3; i++) stream(0.1);
    stream(0.1, 502);
    advance(1000);
    // 1 of 4 failed: p95 is the failure, so lite does not qualify and the weights decide.
    expect(variants.route(undefined, "chat", { stream: true, header: noHeaders }).variant!.by).toBe("random");
  });

  it("leaves unweighted names to the catalogue, without a variant", () => {
    expect(router().variants.route(undefined, "flash", { stream: false, header: noHeaders })).toEqual({ model: catalogue.models.get("flash") });
  });
});
