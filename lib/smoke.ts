/** One check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly status: "pass" | "fail" | "n/a";
  readonly detail: string;
}

export interface SmokeOptions {
  /** Base URL of the gateway, e.g. https://api.example.com (Kong) or http://localhost:8080 (gateway-app). */
  readonly url: string;
  /** A valid JWT for a Kong consumer. */
  readonly token?: string;
  /** Also hammer one model until the edge answers 429 (burns quota). @default false */
  readonly rateLimit?: boolean;
  /** Where Prometheus metrics are served, when not under `url`. @default `${url}/metrics` */
  readonly metricsUrl?: string;
  /** Requests to send at most for the rate-limit check. @default 150 */
  readonly rateLimitBudget?: number;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const ENVELOPE_KEYS = ["message", "type", "param", "code"];

/**
 * Checks a deployed gateway the way a client sees it: health, authentication at the edge, a
 * completion for every model, streaming, error handling, rate limiting (opt-in), metrics.
 * Checks that need Kong say why they do not apply when the URL is not behind Kong.
 */
export async function runSmoke(options: SmokeOptions): Promise<CheckResult[]> {
  const base = options.url.replace(/\/+$/, "");
  const http = options.fetch ?? fetch;
  const timeout = options.timeoutMs ?? 60_000;
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const request = (path: string, init: RequestInit = {}) => http(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeout) });
  const post = (body: unknown, headers: Record<string, string> = auth) =>
    request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const results: CheckResult[] = [];
  const check = async (name: string, run: () => Promise<Omit<CheckResult, "name">>) => {
    try {
      results.push({ name, ...(await run()) });
    } catch (error) {
      results.push({ name, status: "fail", detail: (error as Error).message });
    }
  };

  let models: string[] = [];
  await check("health: GET /v1/models answers with the catalogue", async () => {
    const response = await request("/v1/models", { headers: auth });
    if (response.status !== 200) return { status: "fail", detail: `status ${response.status}` };
    const body = (await response.json()) as { data?: { id: string }[] };
    models = (body.data ?? []).map((m) => m.id);
    return models.length > 0
      ? { status: "pass", detail: `${models.length} model(s): ${models.join(", ")}` }
      : { status: "fail", detail: "empty model list" };
  });

  // Without Kong in front, nothing asks for a token; the edge checks then do not apply.
  const anonymous = await request("/v1/models").then(
    (r) => r.status,
    () => 0,
  );
  const behindEdge = anonymous === 401;
  const notBehindEdge = {
    status: "n/a" as const,
    detail: `not applicable here: ${base} answered ${anonymous} without a token, so it is not behind Kong's jwt plugin`,
  };
  await check("edge: a request without a token is rejected", async () => (behindEdge ? { status: "pass", detail: "401" } : notBehindEdge));
  await check("edge: a request with a bad token is rejected", async () => {
    if (!behindEdge) return notBehindEdge;
    const response = await request("/v1/models", { headers: { authorization: "Bearer not.a.valid-token" } });
    return response.status === 401 ? { status: "pass", detail: "401" } : { status: "fail", detail: `status ${response.status}` };
  });

  for (const model of models) {
    await check(`chat completion: ${model}`, async () => {
      const response = await post({ model, messages: [{ role: "user", content: "Reply with one short word." }], max_tokens: 16 });
      const body = (await response.json()) as { choices?: unknown[]; usage?: { total_tokens?: number } };
      if (response.status !== 200) return { status: "fail", detail: `status ${response.status}: ${JSON.stringify(body).slice(0, 200)}` };
      return body.choices?.length
        ? { status: "pass", detail: `${body.usage?.total_tokens ?? "?"} tokens` }
        : { status: "fail", detail: "no choices" };
    });
  }

  await check("streaming: chunks arrive and the stream ends with [DONE]", async () => {
    if (models.length === 0) return { status: "fail", detail: "no model to stream from" };
    const response = await post({ model: models[0], stream: true, messages: [{ role: "user", content: "Count to three." }], max_tokens: 32 });
    if (response.status !== 200) return { status: "fail", detail: `status ${response.status}` };
    if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream"))
      return { status: "fail", detail: `content-type ${response.headers.get("content-type")}` };
    const text = await response.text();
    const chunks = text.split("\n\n").filter((e) => e.startsWith("data: {")).length;
    return text.includes("data: [DONE]") && chunks > 0
      ? { status: "pass", detail: `${chunks} chunks` }
      : { status: "fail", detail: "the stream did not end with [DONE]" };
  });

  await check("errors: an unknown model gets 404 in the OpenAI envelope", async () => {
    const response = await post({ model: "smoke-test-no-such-model", messages: [{ role: "user", content: "x" }] });
    const body = (await response.json()) as { error?: Record<string, unknown> };
    const envelope = body.error && ENVELOPE_KEYS.every((k) => k in body.error!);
    return response.status === 404 && envelope
      ? { status: "pass", detail: String(body.error!.message) }
      : { status: "fail", detail: `status ${response.status}, body ${JSON.stringify(body).slice(0, 200)}` };
  });

  await check("errors: malformed JSON gets 400 in the OpenAI envelope", async () => {
    const response = await request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: "{not json",
    });
    const body = (await response.json().catch(() => ({}))) as { error?: Record<string, unknown> };
    return response.status === 400 && body.error
      ? { status: "pass", detail: String(body.error.message) }
      : { status: "fail", detail: `status ${response.status}` };
  });

  await check("request id: X-Request-ID is echoed", async () => {
    const id = `smoke-${Date.now()}`;
    const response = await request("/v1/models", { headers: { ...auth, "x-request-id": id } });
    await response.arrayBuffer();
    return response.headers.get("x-request-id") === id
      ? { status: "pass", detail: id }
      : { status: "fail", detail: `got ${response.headers.get("x-request-id")}` };
  });

  await check("rate limiting: 429 with rate-limit headers once the limit is passed", async () => {
    if (!options.rateLimit) return { status: "n/a", detail: "not run: pass --rate-limit to spend the quota it needs" };
    if (!behindEdge) return notBehindEdge;
    const budget = options.rateLimitBudget ?? 150;
    for (let i = 1; i <= budget; i++) {
      const response = await request("/v1/models", { headers: auth });
      await response.arrayBuffer();
      if (response.status === 429) {
        const headers = [...response.headers.keys()].filter((h) => /ratelimit|retry-after/i.test(h));
        return headers.length > 0
          ? { status: "pass", detail: `429 after ${i} requests, headers: ${headers.join(", ")}` }
          : { status: "fail", detail: "429 without rate-limit headers" };
      }
    }
    return { status: "fail", detail: `no 429 within ${budget} requests` };
  });

  await check("metrics: Prometheus text with gateway metrics", async () => {
    const url = options.metricsUrl ?? `${base}/metrics`;
    const response = await http(url, { signal: AbortSignal.timeout(timeout) });
    if (response.status === 404 && !options.metricsUrl && behindEdge)
      return { status: "n/a", detail: "not applicable here: Kong does not route /metrics; pass --metrics-url (e.g. through kubectl port-forward)" };
    const text = await response.text();
    return response.status === 200 && /^gateway_http_requests_total\{/m.test(text)
      ? { status: "pass", detail: url }
      : { status: "fail", detail: `status ${response.status} from ${url}` };
  });

  return results;
}

/** One line per check and the closing summary line. */
export function formatResults(results: CheckResult[]): string {
  const label = { pass: "PASS", fail: "FAIL", "n/a": "N/A " } as const;
  const lines = results.map((r) => `${label[r.status]}  ${r.name}  (${r.detail})`);
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  lines.push(`smoke: ${count("pass")} passed, ${count("fail")} failed, ${count("n/a")} skipped`);
  return lines.join("\n");
}
