import type { Context } from "hono";
import type { Catalogue, ModelConfig, TenantConfig } from "../config.js";
import { GatewayError, invalidField, MAY_HAVE_RUN } from "../errors.js";
import type { GatewayEnv, RequestState } from "../middleware/request-context.js";
import type { DispatchResult } from "../upstream/dispatcher.js";
import type { Prices } from "./budgets.js";
import type { ActualUsage, Refusal, Ticket } from "./governor.js";
import type { RequestGovernance } from "./runtime.js";

/** What a request admitted by governance carries until its completion settles it. */
export interface GovernedCall {
  readonly ticket: Ticket;
}

/** A governance refusal as the one error the app renders (OpenAI's envelope, its headers kept). */
export function refusalError(refusal: Refusal): GatewayError {
  return new GatewayError(refusal.code, refusal.message, { headers: { ...refusal.headers } });
}

/** The largest output the request may produce: what it asked for, or the cap the gateway set. */
export function outputTokenBound(body: Record<string, unknown>, overrides: Record<string, unknown>, fields: readonly string[]): number | undefined {
  let bound: number | undefined;
  for (const field of fields) {
    const value = overrides[field] ?? body[field];
    if (typeof value === "number") bound = Math.max(bound ?? 0, value);
  }
  return bound;
}

function pricesOf(model: ModelConfig): Prices {
  return { inputPerMillionTokens: model.inputPricePerMillion, outputPerMillionTokens: model.outputPricePerMillion };
}

export interface CallToAdmit {
  readonly tenant: TenantConfig | undefined;
  readonly keyId?: string;
  /** The model asked for: admission prices the worst case at its prices. */
  readonly model: ModelConfig;
  readonly bodyBytes: number;
  readonly maxOutputTokens: number | undefined;
  /** The request's output cap field (max_tokens, max_output_tokens); undefined when the endpoint produces no output tokens. */
  readonly tokenField: string | undefined;
}

/**
 * Budgets and limits before the upstream call (after the model and output cap are known): a
 * refusal throws, so no upstream call is made. RateLimit-* headers go on whatever answer follows.
 */
export async function admitCall(c: Context<GatewayEnv>, governance: RequestGovernance | undefined, call: CallToAdmit): Promise<void> {
  const { tenant } = call;
  if (!governance || !tenant || (!tenant.budgets && !tenant.limits)) return;
  const metersTokens = tenant.budgets !== undefined || tenant.limits?.tokensPerMinute !== undefined;
  if (call.maxOutputTokens === undefined && call.tokenField && metersTokens) {
    throw invalidField(
      call.tokenField,
      `${call.tokenField} is required for tenant "${tenant.name}", whose budgets or token limit reserve each call's worst case; ` +
        "set it, or configure maxOutputTokens for the tenant or the model",
    );
  }
  const decided = governance.governor.admit({
    tenant: tenant.name,
    keyId: call.keyId,
    bodyBytes: call.bodyBytes,
    maxOutputTokens: call.maxOutputTokens ?? 0,
    prices: pricesOf(call.model),
  });
  // Admitted from the replica's lease, the decision is already made: no turn of the event loop for it.
  const admission = decided instanceof Promise ? await decided : decided;
  if (!admission.ok) throw refusalError(admission.refusal);
  const state = c.get("state");
  state.governed = { ticket: admission.ticket };
  state.answerHeaders = admission.headers;
}

/**
 * Dispatches, noting whether the model may have run: what settlement charges when the usage is
 * unknown. An upstream 4xx did not run the model; a 5xx or a broken call may have.
 */
export async function dispatchMetered(state: RequestState, dispatched: Promise<DispatchResult>): Promise<DispatchResult> {
  if (!state.governed) return dispatched;
  state.upstreamMayHaveRun = true;
  try {
    const result = await dispatched;
    if (result.response.status >= 400) state.upstreamMayHaveRun = result.response.status >= 500 && result.mayHaveRun;
    return result;
  } catch (error) {
    // A client that left mid-call may have left a model running; the dispatcher marks the other calls that may have run.
    state.upstreamMayHaveRun = !(error instanceof GatewayError) || error.code === "client_closed" || error.headers === MAY_HAVE_RUN;
    throw error;
  }
}

/**
 * At the request's completion (after usage was read): settles the reservation to the actual usage,
 * at the prices of the model that served (a fallback's). When the model may have run but no usage
 * came (a stream cut or abandoned before its usage chunk, an answer without usage), the
 * reservation's worst case stays charged; when no upstream call was made, nothing is.
 */
export function settleCall(governance: RequestGovernance | undefined, state: RequestState, catalogue: Catalogue): void {
  const call = state.governed;
  if (!governance || !call) return;
  state.governed = undefined;
  governance.governor.finish(call.ticket, actualUsage(state, catalogue));
}

function actualUsage(state: RequestState, catalogue: Catalogue): ActualUsage | "reserved" | undefined {
  const usage = state.usage;
  const served = state.servedBy === undefined ? undefined : catalogue.models.get(state.servedBy);
  if (served && usage && (usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined)) {
    return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0, prices: pricesOf(served) };
  }
  return state.upstreamMayHaveRun ? "reserved" : undefined;
}
