// gateway-app (createApp, built-in mock upstream) with or without governance in front, for
// bench/governance.bench.ts. BENCH_GOVERNANCE=on wraps each request as the request path will:
// the API key verified (from the replica's cache), budgets and limits admitted in one Redis
// round trip, the app called, the usage settled after the response. Prints {"port":N}.
import { serve } from "@hono/node-server";
import { Registry } from "prom-client";
import { createApp } from "../../gateway-app/src/app.js";
import { parseCatalogue } from "../../gateway-app/src/config.js";
import { Budgets } from "../../gateway-app/src/governance/budgets.js";
import { Governor } from "../../gateway-app/src/governance/governor.js";
import { KeyVerifier } from "../../gateway-app/src/governance/keys.js";
import { RateLimiter } from "../../gateway-app/src/governance/rate-limits.js";
import { createRedis, whenReady } from "../../gateway-app/src/governance/redis.js";
import { createLogger } from "../../gateway-app/src/logger.js";
import { createMetrics } from "../../gateway-app/src/metrics.js";
import { Dispatcher } from "../../gateway-app/src/upstream/dispatcher.js";
import { MockUpstream } from "../../gateway-app/src/upstream/mock.js";

const prices = { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 };

async function main(): Promise<void> {
  const problems: string[] = [];
  const catalogue = parseCatalogue(
    { models: [{ name: "bench", upstream: "mock", prices: { inputPerMillionTokens: 0.3, outputPerMillionTokens: 2.5 } }] },
    problems,
  )!;
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const logger = createLogger((line) => process.stdout.write(line));
  const dispatcher = new Dispatcher({
    upstreams: { litellm: undefined, vertex: undefined, mock: new MockUpstream() },
    models: catalogue.models,
    metrics,
    maxRetries: 0,
    breaker: { failureThreshold: 5, cooldownMs: 30_000 },
  });
  // Production's admission defaults (config.ts), so the governed and ungoverned runs differ only in governance.
  const app = createApp({
    catalogue,
    dispatcher,
    metrics,
    logger,
    admission: { maxRequests: 10_000, maxBodyBytes: 64 * 1024 * 1024 },
    maxUpstreamResponseBytes: 32 * 1024 * 1024,
  });
  let fetch = app.fetch;
  if (process.env.BENCH_GOVERNANCE === "on") {
    const settings = JSON.parse(process.env.BENCH_REDIS!);
    const redis = createRedis(settings);
    await whenReady(redis);
    const huge = 1e12;
    const budgets = new Budgets(redis, () => ({ tenant: { usdPerDay: huge, tokensPerDay: huge }, perKey: { usdPerMonth: huge } }));
    const limiter = new RateLimiter(redis, () => ({ requestsPerMinute: huge, tokensPerMinute: huge }));
    const governor = new Governor({ budgets, limiter });
    const verifier = new KeyVerifier(redis);
    fetch = async (request, ...rest) => {
      const key = await verifier.verify((request.headers.get("authorization") ?? "").slice("Bearer ".length));
      if (!key.ok) return new Response(JSON.stringify(key), { status: 401 });
      const bodyBytes = Number(request.headers.get("content-length") ?? 0);
      const admission = await governor.admit({ tenant: key.tenant, keyId: key.keyId, bodyBytes, maxOutputTokens: 256, prices });
      if (!admission.ok) {
        process.stderr.write(`${JSON.stringify(admission.refusal)}\n`);
        return new Response(JSON.stringify(admission.refusal), { status: admission.refusal.status });
      }
      const response = await app.fetch(request, ...rest);
      void governor.finish(admission.ticket, { inputTokens: 12, outputTokens: 20, prices });
      return response;
    };
  }
  serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`));
}

void main();
