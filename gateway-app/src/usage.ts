import type { Catalogue } from "./config.js";
import type { GatewayMetrics } from "./metrics.js";
import type { RequestState } from "./middleware/request-context.js";

/**
 * Token counts from the upstream's usage and cost from the catalogue's prices. Runs after the
 * response has been sent, so parsing a large body never delays a client.
 */
export function recordUsage(state: RequestState, catalogue: Catalogue, metrics: GatewayMetrics): void {
  if (!state.usage && state.usageSource) state.usage = usageFromBody(state.usageSource);
  state.usageSource = undefined;
  const model = state.servedBy ? catalogue.models.get(state.servedBy) : undefined;
  if (!state.usage || !model) return;
  const prompt = state.usage.prompt_tokens ?? 0;
  const completion = state.usage.completion_tokens ?? 0;
  const labels = { model: model.name, tenant: state.tenant };
  if (prompt > 0) metrics.tokens.inc({ ...labels, kind: "prompt" }, prompt);
  if (completion > 0) metrics.tokens.inc({ ...labels, kind: "completion" }, completion);
  const cost = (prompt * model.inputPricePerMillion + completion * model.outputPricePerMillion) / 1_000_000;
  state.costUsd = cost;
  if (cost > 0) metrics.cost.inc(labels, cost);
}

function usageFromBody(body: Uint8Array): RequestState["usage"] {
  try {
    const parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as { usage?: RequestState["usage"] };
    return parsed.usage ?? undefined;
  } catch {
    return undefined;
  }
}
