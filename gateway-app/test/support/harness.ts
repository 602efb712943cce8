import { Registry } from "prom-client";
import { createApp } from "../../src/app.js";
import { loadConfig, parseCatalogue, type GatewayConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";
import { startGateway, type RunningGateway } from "../../src/server.js";
import { Dispatcher } from "../../src/upstream/dispatcher.js";
import { MockUpstream } from "../../src/upstream/mock.js";
import type { Upstream } from "../../src/upstream/types.js";

/** Loads a config from an environment and a catalogue object, failing the test on problems. */
export function configFrom(env: Record<string, string>, catalogue?: unknown): GatewayConfig {
  const files: Record<string, string> = catalogue ? { "/etc/gateway/catalogue.json": JSON.stringify(catalogue) } : {};
  const result = loadConfig({
    env: { PORT: "0", METRICS_PORT: "0", HOST: "127.0.0.1", ...(catalogue ? { GATEWAY_CONFIG: "/etc/gateway/catalogue.json" } : {}), ...env },
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return files[path];
    },
  });
  if (!result.ok) throw new Error(`test config invalid:\n${result.problems.join("\n")}`);
  return result.config;
}

export interface TestGateway {
  readonly url: string;
  /** Where /metrics is served: its own listener. */
  readonly metricsUrl: string;
  readonly gateway: RunningGateway;
  readonly logs: string[];
}

/** The real server on a loopback port, logging into an array. */
export async function startTestGateway(env: Record<string, string>, catalogue?: unknown): Promise<TestGateway> {
  const logs: string[] = [];
  const gateway = await startGateway(configFrom(env, catalogue), { logSink: (line) => logs.push(line) });
  return { url: `http://127.0.0.1:${gateway.port}`, metricsUrl: `http://127.0.0.1:${gateway.metricsPort}/metrics`, gateway, logs };
}

/** The app in-process (`app.request`), with upstreams the test provides. */
export function inProcessApp(
  catalogue: unknown,
  upstreams: Partial<Record<"litellm" | "vertex" | "mock", Upstream>> = {},
  options: { bodyLimitBytes?: number; isReady?: () => boolean; logPrompts?: boolean; edgeToken?: string } = {},
) {
  const problems: string[] = [];
  const parsed = parseCatalogue(catalogue, problems);
  if (!parsed) throw new Error(problems.join("\n"));
  const registry = new Registry();
  const metrics = createMetrics(registry, { defaultMetrics: false });
  const logs: string[] = [];
  const dispatcher = new Dispatcher({
    upstreams: { mock: new MockUpstream(), litellm: undefined, vertex: undefined, ...upstreams },
    models: parsed.models,
    metrics,
    maxRetries: 2,
    breaker: { failureThreshold: 3, cooldownMs: 60_000 },
    backoff: { baseMs: 1, capMs: 5 },
  });
  const app = createApp({ catalogue: parsed, dispatcher, metrics, logger: createLogger((line) => logs.push(line)), ...options });
  return { app, registry, metrics, logs };
}

/** Lets setImmediate work (metrics, usage, the log line) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

export function chatBody(model: string, extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: "user", content: "Say hello" }], ...extra };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** Parses log lines. */
export function parseLogs(logs: string[]): Record<string, any>[] {
  return logs.map((line) => JSON.parse(line));
}
