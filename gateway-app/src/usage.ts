import type { Catalogue } from "./config.js";
import type { GatewayMetrics } from "./metrics.js";
import type { RequestState } from "./middleware/request-context.js";
import { withVariant } from "./routing/weighted.js";
import type { Usage } from "./sse.js";

/**
 * Token counts from the upstream's usage and cost from the catalogue's prices. Runs after the
 * response has been sent, so parsing a large body never delays a client.
 */
export function recordUsage(state: RequestState, catalogue: Catalogue, metrics: GatewayMetrics): void {
  if (!state.usage && state.usageSource) state.usage = usageFromBody(state.usageSource);
  state.usageSource = undefined;
  if (state.usage) state.usage = inChatTerms(state.usage);
  const model = state.servedBy ? catalogue.models.get(state.servedBy) : undefined;
  if (!state.usage || !model) return;
  const prompt = state.usage.prompt_tokens ?? 0;
  const completion = state.usage.completion_tokens ?? 0;
  const labels = withVariant({ model: model.name, tenant: state.tenant }, state.variant);
  if (prompt > 0) metrics.tokens.inc({ ...labels, kind: "prompt" }, prompt);
  if (completion > 0) metrics.tokens.inc({ ...labels, kind: "completion" }, completion);
  const cost = inWholePicodollars((prompt * model.inputPricePerMillion + completion * model.outputPricePerMillion) / 1_000_000);
  state.costUsd = cost;
  if (cost > 0) metrics.cost.inc(labels, cost);
}

/**
 * Prices are decimals that doubles hold only nearly (13 x 0.3 is 3.9000000000000004), so a cost
 * is rounded to 1e-12 USD, far below any price's precision: the log line and the counter then
 * show 0.0000439, not 0.000043899999999999996.
 */
function inWholePicodollars(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** The Responses API counts input and output tokens; the metrics and the log line count prompt and completion. */
function inChatTerms(usage: Usage): Usage {
  if (usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined) return usage;
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) return usage;
  return { ...usage, prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens };
}

const USAGE_KEY = Buffer.from('"usage"');

/**
 * The `usage` object of an OpenAI answer. It is small and near the end, so only that slice is
 * decoded and parsed; the whole body only when the slice cannot be isolated.
 */
export function usageFromBody(body: Uint8Array): RequestState["usage"] {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const key = bytes.lastIndexOf(USAGE_KEY);
  if (key === -1) return undefined;
  const slice = usageSlice(bytes.toString("utf8", key));
  try {
    if (slice) return JSON.parse(slice) as RequestState["usage"];
    const parsed = JSON.parse(bytes.toString("utf8")) as { usage?: RequestState["usage"] };
    return parsed.usage ?? undefined;
  } catch {
    return undefined;
  }
}

/** The `{…}` after a leading `"usage":`, by brace matching that skips strings. */
function usageSlice(text: string): string | undefined {
  const start = text.indexOf("{");
  if (start === -1 || text.slice(7, start).trim() !== ":") return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (ch === 0x7b) depth++;
    else if (ch === 0x7d && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}
