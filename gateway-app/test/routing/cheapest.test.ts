import { describe, expect, it } from "vitest";
import type { ModelConfig } from "../../src/config.js";
import { blendedPrice, CheapestWithinLatency, LatencyWindow, SAMPLES_PER_WINDOW, type LatencyObjective } from "../../src/routing/cheapest.js";

const model = (name: string, input: number, output: number): ModelConfig => ({
  name,
  upstream: "litellm",
  upstreamModel: name,
  fallbacks: [],
  inputPricePerMillion: input,
  outputPricePerMillion: output,
});
const MODELS = new Map([
  ["lite", model("lite", 0.1, 0.4)],
  ["flash", model("flash", 0.3, 2.5)],
  ["pro", model("pro", 1.25, 10)],
]);
const VARIANTS = [
  { model: "pro", weight: 20 },
  { model: "flash", weight: 40 },
  { model: "lite", weight: 40 },
];
const OBJECTIVE: LatencyObjective = { p95Ms: 2000, firstTokenP95Ms: 500, windowMs: 60_000, minSamples: 20, explorePercent: 10 };
const NOT_EXPLORING = () => 0.99;

function picker() {
  let now = 1_000_000;
  const cheapest = new CheapestWithinLatency(MODELS, () => now);
  const feed = (name: string, seconds: number, count = 20, status = 200, stream = false) => {
    for (let i = 0; i < count; i++) cheapest.observe(name, stream, status, seconds);
  };
  const pick = (stream = false, random = NOT_EXPLORING) => cheapest.pick(VARIANTS, OBJECTIVE, stream, random);
  return { feed, pick, advance: (ms: number) => (now += ms) };
}

describe("cheapest-within-latency", () => {
  it("has no pick without data, so the request is drawn by the weights", () => {
    expect(picker().pick()).toBeUndefined();
  });

  it("picks the cheapest arm whose p95 meets the objective", () => {
    const { feed, pick } = picker();
    for (const name of ["pro", "flash", "lite"]) feed(name, 1.5);
    expect(pick()).toBe("lite");
  });

  it("skips a cheaper arm whose p95 misses the objective, for the next cheapest that meets it", () => {
    const { feed, pick } = picker();
    feed("pro", 0.5);
    feed("flash", 1.9);
    feed("lite", 1.0, 18);
    feed("lite", 2.5, 2); // 2 of 20 over: its p95 is 2.5 s
    expect(pick()).toBe("flash");
  });

  it("has no pick when no arm meets the objective", () => {
    const { feed, pick } = picker();
    for (const name of ["pro", "flash", "lite"]) feed(name, 2.1);
    expect(pick()).toBeUndefined();
  });

  it("does not judge an arm with fewer samples than minSamples", () => {
    const { feed, pick } = picker();
    feed("flash", 1);
    feed("lite", 0.1, 19);
    expect(pick()).toBe("flash");
  });

  it("counts a 5xx as slower than any objective, and ignores client errors and clients that left", () => {
    const { feed, pick } = picker();
    feed("flash", 1);
    feed("lite", 0.1, 18);
    feed("lite", 0, 2, 502); // 10% failing: over the 5% the p95 tolerates
    feed("pro", 0.1, 40, 400);
    feed("pro", 0.1, 40, 499);
    expect(pick()).toBe("flash");
  });

  it("judges streams by time to first token, apart from non-streamed requests", () => {
    const { feed, pick } = picker();
    feed("lite", 0.8, 20, 200, true); // over the 500 ms first-token objective
    feed("flash", 0.3, 20, 200, true);
    feed("lite", 0.8, 20, 200, false); // well within 2 s for a whole answer
    expect(pick(true)).toBe("flash");
    expect(pick(false)).toBe("lite");
  });

  it("forgets samples older than the window (the p95 is refreshed at most once a second)", () => {
    const { feed, pick, advance } = picker();
    feed("lite", 3);
    feed("flash", 1);
    expect(pick()).toBe("flash");
    advance(61_000);
    feed("lite", 0.2);
    expect(pick()).toBe("lite");
  });

  it("leaves explorePercent of requests to the weights, so every arm keeps fresh samples", () => {
    const { feed, pick } = picker();
    feed("lite", 0.1);
    expect(pick(false, () => 0.05)).toBeUndefined();
    expect(pick(false, () => 0.1)).toBe("lite");
  });

  it("breaks a price tie by the heavier weight", () => {
    const cheapest = new CheapestWithinLatency(
      new Map([
        ["a", model("a", 1, 1)],
        ["b", model("b", 1, 1)],
      ]),
      () => 0,
    );
    for (const name of ["a", "b"]) for (let i = 0; i < 20; i++) cheapest.observe(name, false, 200, 0.1);
    const variants = [
      { model: "a", weight: 30 },
      { model: "b", weight: 70 },
    ];
    expect(cheapest.pick(variants, OBJECTIVE, false, NOT_EXPLORING)).toBe("b");
  });

  it("ranks by the blended price: 3 input tokens to 1 output token", () => {
    expect(blendedPrice(MODELS.get("flash")!)).toBeCloseTo((3 * 0.3 + 2.5) / 4);
  });

  it("keeps at most SAMPLES_PER_WINDOW samples an arm: the newest", () => {
    const window = new LatencyWindow();
    for (let i = 0; i < SAMPLES_PER_WINDOW; i++) window.add(0, 10);
    for (let i = 0; i < SAMPLES_PER_WINDOW; i++) window.add(0, 1);
    expect(SAMPLES_PER_WINDOW).toBe(1024);
    expect(window.summary(0, 60_000)).toMatchObject({ count: 1024, p95: 1 });
  });
});
