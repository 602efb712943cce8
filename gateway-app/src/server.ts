import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Registry } from "prom-client";
import { createApp } from "./app.js";
import { loadConfig, type GatewayConfig } from "./config.js";
import { bufferedSink, createLogger, type LogSink } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { Dispatcher } from "./upstream/dispatcher.js";
import { HttpClient } from "./upstream/http-client.js";
import { MockUpstream } from "./upstream/mock.js";
import { OpenAiCompatibleUpstream } from "./upstream/openai-compatible.js";
import { MetadataTokenSource } from "./upstream/vertex-token.js";

export interface RunningGateway {
  readonly server: Server;
  readonly port: number;
  /** Stops taking work, lets in-flight requests and streams finish within the grace period, closes. */
  shutdown(): Promise<void>;
  /** Writes log lines still buffered (synchronously: safe in an exit handler). */
  flushLogs(): void;
}

/**
 * Idle keep-alive connections from Kong stay open this long: longer than Kong keeps an idle
 * upstream connection (`upstream_keepalive_idle_timeout`, 60 s; KONG_FACTS.upstreamKeepalive), so
 * Kong, not gateway-app, closes them. With Node's default 5 s Kong reused sockets gateway-app had
 * just closed, and answered 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;
/** Longer than the keep-alive timeout, so that a reused connection's next request is never cut by it. */
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

export interface StartOptions {
  readonly logSink?: LogSink;
}

/** Wires the real dependencies and listens. The only place that opens sockets. */
export async function startGateway(config: GatewayConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const stdout = bufferedSink((chunk) => process.stdout.write(chunk));
  const logger = createLogger(options.logSink ?? stdout.sink);
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const client = new HttpClient(config.upstreamPool);
  const tokenSource = new MetadataTokenSource({ metadataBaseUrl: config.metadataBaseUrl });
  const upstreams = {
    litellm: new OpenAiCompatibleUpstream({
      name: "litellm",
      baseUrl: config.litellm.baseUrl,
      client,
      timeouts: config.timeouts,
      token: () => config.litellm.apiKey,
    }),
    vertex: config.vertex.baseUrl
      ? new OpenAiCompatibleUpstream({
          name: "vertex",
          baseUrl: config.vertex.baseUrl,
          client,
          timeouts: config.timeouts,
          token: () => tokenSource.token(),
        })
      : undefined,
    mock: new MockUpstream(),
  };
  const dispatcher = new Dispatcher({ upstreams, models: config.catalogue.models, metrics, maxRetries: config.maxRetries, breaker: config.breaker });
  let ready = true;
  const app = createApp({
    catalogue: config.catalogue,
    dispatcher,
    metrics,
    registry,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    logPrompts: config.logPrompts,
    isReady: () => ready,
  });

  let active = 0;
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
    s.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    s.headersTimeout = HEADERS_TIMEOUT_MS;
  });
  server.on("request", (_req, res) => {
    active += 1;
    res.once("close", () => (active -= 1));
  });
  const port = (server.address() as AddressInfo).port;
  logger.info("listening", { port, models: [...config.catalogue.models.keys()] });

  let shuttingDown: Promise<void> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      ready = false;
      logger.info("shutting down", { in_flight: active, grace_ms: config.shutdownGraceMs });
      // Load balancers see /readyz fail and stop routing here before the listener closes.
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      // No new connections; idle keep-alive ones close now, busy ones after their response.
      server.close();
      const deadline = Date.now() + config.shutdownGraceMs;
      while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (active > 0) logger.warn("grace period over, closing remaining connections", { in_flight: active });
      server.closeAllConnections();
      client.close();
      logger.info("stopped");
      stdout.flush();
    })();
    return shuttingDown;
  };
  return { server, port, shutdown, flushLogs: stdout.flush };
}

async function main(): Promise<void> {
  const result = loadConfig({ env: process.env, readFile: (path) => readFileSync(path, "utf8") });
  if (!result.ok) {
    process.stderr.write(
      `gateway-app: invalid configuration (${result.problems.length} problem${result.problems.length > 1 ? "s" : ""}):\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n`,
    );
    process.exit(1);
  }
  const gateway = await startGateway(result.config);
  // Lines still buffered when the process ends some other way (a crash) are written out.
  process.once("exit", gateway.flushLogs);
  const stop = () => void gateway.shutdown().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
