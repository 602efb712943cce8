import type { GatewayConfig, ModelConfig } from "../config.js";
import { GatewayError, MAY_HAVE_RUN } from "../errors.js";
import type { GatewayMetrics } from "../metrics.js";
import type { RequestTrace } from "../tracing/request-trace.js";
import { BREAKER_STATE_VALUE, CircuitBreaker } from "./circuit-breaker.js";
import { declinedUnrun, retryDelayMs, retryLaterDelayMs, sleep, type BackoffOptions } from "./retry.js";
import { bufferedResponse, UpstreamFailure, type Upstream, type UpstreamCall, type UpstreamResponse } from "./types.js";

export interface DispatchRequest {
  readonly path: UpstreamCall["path"];
  readonly stream: boolean;
  readonly requestId: string;
  /** When the request was accepted (the app's clock): every deadline counts from here. @default - now */
  readonly acceptedAt?: number;
  readonly signal: AbortSignal;
  readonly model: ModelConfig;
  /** The client's body as parsed, and as received (sent on untouched when nothing changes). */
  readonly body: Record<string, unknown>;
  readonly rawBody: Uint8Array;
  /** Fields the gateway sets (a max_tokens cap, stream_options); empty when none. */
  readonly overrides: Record<string, unknown>;
  /** The request's span, when tracing is on: each attempt gets a span under it. */
  readonly trace?: RequestTrace;
}

export interface DispatchResult {
  /** The upstream's answer: a success, a client error, or the last error once retries and fallbacks ran out. */
  readonly response: UpstreamResponse;
  /** The model that answered: the requested one, or a fallback. */
  readonly served: ModelConfig;
  /** A failed attempt (of any candidate) may have been run by its model: a retry by the client could bill the call again. */
  readonly mayHaveRun: boolean;
}

export interface DispatcherDeps {
  readonly upstreams: Readonly<Record<ModelConfig["upstream"], Upstream | undefined>>;
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly metrics: GatewayMetrics;
  readonly maxRetries: number;
  readonly breaker: GatewayConfig["breaker"];
  readonly backoff?: BackoffOptions;
  readonly now?: () => number;
}

/**
 * Sends a request to its model's upstream with retries, a circuit breaker per upstream and
 * model, and the model's fallbacks when it fails or its circuit is open. A retry never risks a
 * second billed call: only attempts the upstream provably did not get (nothing written: refused,
 * unreachable, a pooled connection closed before use) or that it declined with 429/503 and a
 * Retry-After are retried, before anything reached the client.
 */
export class Dispatcher {
  /** By upstream, then model: nested maps spare building a key string per attempt. */
  private readonly routes = new Map<string, Map<string, Route>>();
  private readonly now: () => number;

  constructor(private readonly deps: DispatcherDeps) {
    this.now = deps.now ?? Date.now;
  }

  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const acceptedAt = request.acceptedAt ?? performance.timeOrigin + performance.now();
    let lastFailure: UpstreamFailure | undefined;
    let lastError: { status: number; headers: UpstreamResponse["headers"]; body: Buffer } | undefined;
    /** The soonest an open circuit among the candidates lets a probe through. */
    let circuitOpenForMs: number | undefined;
    // Retried attempts are never ones that may have run, so each candidate's last outcome tells.
    let mayHaveRun = false;

    const fallbacks = request.model.fallbacks;
    for (let index = -1; index < fallbacks.length; index++) {
      const candidate = index === -1 ? request.model : this.deps.models.get(fallbacks[index])!;
      const outcome = await this.tryModel(request, candidate, acceptedAt);
      if (outcome.kind === "response") {
        if (candidate !== request.model) this.deps.metrics.fallbacks.inc({ model: request.model.name, fallback: candidate.name });
        return { response: outcome.response, served: candidate, mayHaveRun };
      }
      if (outcome.kind === "failure") {
        lastFailure = outcome.failure;
        mayHaveRun ||= outcome.failure.mayHaveRun;
      }
      if (outcome.kind === "http_error") {
        lastError = outcome.error;
        mayHaveRun ||= !declinedUnrun(outcome.error.status, outcome.error.headers["retry-after"]);
      }
      if (outcome.kind === "circuit_open") circuitOpenForMs = Math.min(circuitOpenForMs ?? Infinity, outcome.retryAfterMs);
      if (request.signal.aborted) break;
      if (index + 1 < fallbacks.length) request.trace?.fallingBack(candidate.name, fallbacks[index + 1], outcome.kind);
    }

    if (lastError) {
      const { status, headers, body } = lastError;
      return { response: bufferedResponse(status, headers, body), served: request.model, mayHaveRun };
    }
    if (lastFailure?.kind === "aborted" || request.signal.aborted) throw new GatewayError("client_closed", "the client closed the connection");
    const answer = { headers: mayHaveRun ? MAY_HAVE_RUN : undefined };
    if (lastFailure?.isTimeout)
      throw new GatewayError("upstream_timeout", `the model "${request.model.name}" did not answer in time: ${lastFailure.message}`, answer);
    if (lastFailure) throw new GatewayError("upstream_error", `could not reach the model "${request.model.name}": ${lastFailure.message}`, answer);
    if (circuitOpenForMs !== undefined)
      throw new GatewayError("upstream_unavailable", `the model "${request.model.name}" is failing and temporarily disabled; retry later`, {
        ...answer,
        // The time left until a probe, not the whole cool-down: clients come back when it can succeed.
        retryAfter: String(Math.max(1, Math.ceil(circuitOpenForMs / 1000))),
      });
    throw new GatewayError("upstream_unavailable", `no upstream is configured for "${request.model.name}"`);
  }

  /** Attempts one model, retrying what is worth retrying. */
  private async tryModel(request: DispatchRequest, model: ModelConfig, acceptedAt: number): Promise<ModelOutcome> {
    const upstream = this.deps.upstreams[model.upstream];
    if (!upstream) return { kind: "circuit_open", retryAfterMs: this.deps.breaker.cooldownMs };
    const { breaker, labels } = this.routeFor(upstream.name, model.name);
    const call: UpstreamCall = {
      path: request.path,
      body: encodeBody(request, model),
      model,
      stream: request.stream,
      requestId: request.requestId,
      acceptedAt,
      signal: request.signal,
    };

    for (let attempt = 0; ; attempt++) {
      if (!breaker.tryAcquire()) {
        this.deps.metrics.upstreamErrors.inc(labels("circuit_open"));
        return { kind: "circuit_open", retryAfterMs: breaker.msUntilProbe };
      }
      const started = this.now();
      const observe = (outcome: string) => this.deps.metrics.upstreamDuration.observe(labels(outcome), (this.now() - started) / 1000);
      const span = request.trace?.attempt(upstream.name, model, attempt);
      let response: UpstreamResponse;
      try {
        response = await upstream.send(span ? span.call(call) : call);
      } catch (error) {
        const failure = error instanceof UpstreamFailure ? error : new UpstreamFailure("reset", String(error), { cause: error });
        if (failure.kind === "aborted") {
          breaker.release();
          span?.failed(failure.kind, failure.message);
          return { kind: "failure", failure };
        }
        // A request that never got a connection tells nothing of the upstream: a full pool
        // must not open the circuit for everyone.
        if (failure.countsAgainstUpstream) breaker.recordFailure();
        else breaker.release();
        observe(failure.kind);
        this.deps.metrics.upstreamErrors.inc(labels(failure.kind));
        const delay = failure.retryable && attempt < this.deps.maxRetries ? retryDelayMs(attempt, undefined, this.deps.backoff) : undefined;
        span?.failed(failure.kind, failure.message, delay === undefined ? undefined : failure.kind);
        if (delay === undefined) return { kind: "failure", failure };
        this.deps.metrics.upstreamRetries.inc(labels(failure.kind));
        await sleep(delay, request.signal);
        continue;
      }

      const status = response.status;
      if (status < 500 && status !== 429) {
        // A 2xx is a success only once its body arrived whole (reportAnswered); a half-open
        // circuit closes at the headers, so that a long stream does not hold every other request out.
        if (status >= 400 || breaker.current === "half_open") breaker.recordSuccess();
        observe(status < 400 ? "success" : "client_error");
        span?.answered(status);
        return { kind: "response", response };
      }
      // A 429 says the upstream is alive but busy: it neither opens nor closes the circuit.
      if (status >= 500) breaker.recordFailure();
      else breaker.release();
      const outcome = statusOutcome(status);
      observe(outcome);
      this.deps.metrics.upstreamErrors.inc(labels(outcome));
      const retryAfter = response.headers["retry-after"];
      const delay = attempt < this.deps.maxRetries ? retryLaterDelayMs(status, retryAfter, this.deps.backoff) : undefined;
      span?.answered(status, delay === undefined ? undefined : outcome);
      let body: Buffer;
      try {
        body = await response.readAll();
      } catch {
        body = Buffer.alloc(0);
      }
      if (delay === undefined) return { kind: "http_error", error: { status, headers: response.headers, body } };
      this.deps.metrics.upstreamRetries.inc(labels(outcome));
      await sleep(delay, request.signal);
    }
  }

  /** A 2xx answer arrived whole (its body read, its stream ended): the attempt succeeded. */
  reportAnswered(model: ModelConfig): void {
    const upstream = this.deps.upstreams[model.upstream];
    if (upstream) this.routeFor(upstream.name, model.name).breaker.recordSuccess();
  }

  /**
   * An answer that broke after its headers (reset, hang, a stream cut midway): the attempt was
   * counted a success when the headers came, so the failure is recorded now, as
   * `outcome="body_<kind>"`. A client that left tells nothing about the upstream.
   */
  reportBrokenBody(model: ModelConfig, failure: UpstreamFailure): void {
    const upstream = this.deps.upstreams[model.upstream];
    if (!upstream || failure.kind === "aborted") return;
    const { breaker, labels } = this.routeFor(upstream.name, model.name);
    breaker.recordFailure();
    this.deps.metrics.upstreamErrors.inc(labels(`body_${failure.kind}`));
  }

  /** The breaker of an upstream and model, and their metric labels (built once, not per request). */
  private routeFor(upstream: string, model: string): Route {
    let byModel = this.routes.get(upstream);
    if (!byModel) this.routes.set(upstream, (byModel = new Map()));
    let route = byModel.get(model);
    if (!route) {
      const gauge = this.deps.metrics.breakerState;
      gauge.set({ upstream, model }, 0);
      const breaker = new CircuitBreaker({
        ...this.deps.breaker,
        now: this.now,
        onStateChange: (state) => gauge.set({ upstream, model }, BREAKER_STATE_VALUE[state]),
      });
      const byOutcome = new Map<string, Labels>();
      const labels = (outcome: string) => {
        let found = byOutcome.get(outcome);
        if (!found) byOutcome.set(outcome, (found = Object.freeze({ upstream, model, outcome })));
        return found;
      };
      route = { breaker, labels };
      byModel.set(model, route);
    }
    return route;
  }
}

type Labels = Readonly<{ upstream: string; model: string; outcome: string }>;

interface Route {
  readonly breaker: CircuitBreaker;
  /** The labels of an attempt's outcome; the same object every time. */
  readonly labels: (outcome: string) => Labels;
}

type ModelOutcome =
  | { kind: "response"; response: UpstreamResponse }
  | { kind: "failure"; failure: UpstreamFailure }
  | { kind: "http_error"; error: { status: number; headers: UpstreamResponse["headers"]; body: Buffer } }
  | { kind: "circuit_open"; retryAfterMs: number };

/** Statuses that get their own outcome label; other 5xx share one. */
const NAMED_STATUS_OUTCOMES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

function statusOutcome(status: number): string {
  return NAMED_STATUS_OUTCOMES.has(status) ? `http_${status}` : "http_5xx";
}

/** The body for one model: the client's bytes untouched unless a field must change. */
function encodeBody(request: DispatchRequest, model: ModelConfig): Uint8Array {
  if (request.body.model === model.upstreamModel) {
    if (!hasAny(request.overrides)) return request.rawBody;
    const spliced = withFieldsAdded(request, model);
    if (spliced) return spliced;
  }
  const body: Record<string, unknown> = { ...request.body, ...request.overrides, model: model.upstreamModel };
  // LiteLLM's cache controls (cache-controls.ts) are decided for the model asked for; a direct
  // upstream serving as its fallback does not know them.
  if (model.upstream !== "litellm") for (const field of LITELLM_ONLY_FIELDS) body[field] = undefined;
  return Buffer.from(JSON.stringify(body));
}

const LITELLM_ONLY_FIELDS: readonly string[] = ["cache", "caching"];

/**
 * The client's bytes with the gateway's fields put in front, when each is one the client did not
 * send (a tenant's `user`, a stream's usage request): re-encoding the whole body cost more than
 * anything else the gateway adds for a tenant. Undefined when a field must change or go.
 */
function withFieldsAdded(request: DispatchRequest, model: ModelConfig): Uint8Array | undefined {
  const { body, overrides, rawBody } = request;
  const direct = model.upstream !== "litellm";
  let added = "";
  for (const key in overrides) {
    const value = overrides[key];
    if (value === undefined || Object.hasOwn(body, key) || (direct && LITELLM_ONLY_FIELDS.includes(key))) return undefined;
    added += `${JSON.stringify(key)}:${JSON.stringify(value)},`;
  }
  if (direct && LITELLM_ONLY_FIELDS.some((field) => Object.hasOwn(body, field))) return undefined;
  // The body parsed as an object, so its first byte that is not blank is "{".
  const open = rawBody.indexOf(0x7b);
  let next = open + 1;
  while (next < rawBody.length && (rawBody[next] === 0x20 || rawBody[next] === 0x0a || rawBody[next] === 0x0d || rawBody[next] === 0x09)) next++;
  if (rawBody[next] === 0x7d) added = added.slice(0, -1);
  const out = Buffer.allocUnsafe(rawBody.length + Buffer.byteLength(added));
  out.set(rawBody.subarray(0, open + 1), 0);
  const written = out.write(added, open + 1);
  out.set(rawBody.subarray(open + 1), open + 1 + written);
  return out;
}

function hasAny(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}
