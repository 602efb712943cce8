import type { ModelConfig } from "../config.js";
import type { Variant } from "../governance/variants.js";

export interface LatencyObjective {
  /** p95 of non-streamed requests, to the whole answer. */
  readonly p95Ms: number;
  /** p95 of streams, to the first token. */
  readonly firstTokenP95Ms: number;
  readonly windowMs: number;
  /** Fewer samples than this in the window: the arm is not judged (it cannot be picked as cheapest). */
  readonly minSamples: number;
  /** Share of requests drawn by the weights regardless, so every arm keeps fresh samples. */
  readonly explorePercent: number;
}

/**
 * Most recent samples an arm's window keeps: memory stays bounded at any rate, and above
 * SAMPLES_PER_WINDOW requests per window the p95 is that of the most recent ones.
 */
export const SAMPLES_PER_WINDOW = 1024;
/** The p95 is recomputed at most this often (a sort of at most SAMPLES_PER_WINDOW numbers). */
const P95_REFRESH_MS = 1000;

/**
 * The cost-aware strategy: among the arms whose p95 over the window meets the objective (time to
 * first token for streams, to the whole answer otherwise), the one with the lowest blended price
 * (3 input tokens to 1 output token, from the catalogue's prices), ties to the heavier weight.
 * No arm known to meet it (too few samples, or all too slow): undefined, and the caller draws by
 * the weights; `explorePercent` of requests are always drawn by the weights. A failed request
 * (5xx) counts as a sample slower than any objective, so an arm failing more than 5% of its
 * requests never qualifies.
 * The windows are per process: each replica judges from the traffic it served (no shared store
 * on the request path), so with N replicas an arm needs N times the traffic to be judged as soon.
 */
export class CheapestWithinLatency {
  private readonly windows = new Map<string, LatencyWindow>();

  constructor(
    private readonly models: ReadonlyMap<string, ModelConfig>,
    private readonly now: () => number,
  ) {}

  pick(variants: readonly Variant[], objective: LatencyObjective, stream: boolean, random: () => number): string | undefined {
    if (random() * 100 < objective.explorePercent) return undefined;
    const limitSeconds = (stream ? objective.firstTokenP95Ms : objective.p95Ms) / 1000;
    const now = this.now();
    let best: { model: string; price: number; weight: number } | undefined;
    for (const { model, weight } of variants) {
      const window = this.windows.get(windowKey(model, stream));
      const summary = window?.summary(now, objective.windowMs);
      if (!summary || summary.count < objective.minSamples || summary.p95 > limitSeconds) continue;
      const price = blendedPrice(this.models.get(model)!);
      if (!best || price < best.price || (price === best.price && weight > best.weight)) best = { model, price, weight };
    }
    return best?.model;
  }

  /** A finished request of an arm; `seconds` undefined for one that tells nothing (a client error, a client that left). */
  observe(model: string, stream: boolean, status: number, seconds: number | undefined): void {
    const sample = status >= 500 ? Number.POSITIVE_INFINITY : status < 300 ? seconds : undefined;
    if (sample === undefined || status === 499) return;
    const key = windowKey(model, stream);
    const window = this.windows.get(key) ?? new LatencyWindow();
    this.windows.set(key, window);
    window.add(this.now(), sample);
  }
}

/** USD per million tokens of a typical request, 3 input tokens to 1 output token. */
export function blendedPrice(model: ModelConfig): number {
  return (3 * model.inputPricePerMillion + model.outputPricePerMillion) / 4;
}

function windowKey(model: string, stream: boolean): string {
  return stream ? `${model}\0stream` : model;
}

/** The latest samples of one arm in a ring, with their p95 over the window cached for a second. */
export class LatencyWindow {
  private readonly at = new Float64Array(SAMPLES_PER_WINDOW);
  private readonly seconds = new Float64Array(SAMPLES_PER_WINDOW);
  private next = 0;
  private size = 0;
  private cached?: { at: number; count: number; p95: number };

  add(now: number, seconds: number): void {
    this.at[this.next] = now;
    this.seconds[this.next] = seconds;
    this.next = (this.next + 1) % SAMPLES_PER_WINDOW;
    this.size = Math.min(this.size + 1, SAMPLES_PER_WINDOW);
  }

  summary(now: number, windowMs: number): { count: number; p95: number } {
    if (this.cached && now - this.cached.at < P95_REFRESH_MS) return this.cached;
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) if (now - this.at[i] <= windowMs) recent.push(this.seconds[i]);
    recent.sort((a, b) => a - b);
    const p95 = recent.length === 0 ? Number.POSITIVE_INFINITY : recent[Math.ceil(recent.length * 0.95) - 1];
    this.cached = { at: now, count: recent.length, p95 };
    return this.cached;
  }
}
