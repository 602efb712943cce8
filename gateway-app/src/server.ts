import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { Registry } from "prom-client";
import { createApp } from "./app.js";
import { answerProtocolErrors } from "./client-error.js";
import { LiveStreams } from "./live-streams.js";
import { loadConfig, type GatewayConfig } from "./config.js";
import { startMetricsServer } from "./metrics-server.js";
import http from "./node-http.js";
import { nodeListener } from "./node-serving.js";
import { bufferedSink, createLogger, type LogSink } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { startGovernance } from "./governance/runtime.js";
import { Dispatcher } from "./upstream/dispatcher.js";
import { HttpClient } from "./upstream/http-client.js";
import { MockUpstream } from "./upstream/mock.js";
import { OpenAiCompatibleUpstream } from "./upstream/openai-compatible.js";
import { MetadataTokenSource } from "./upstream/vertex-token.js";

export interface RunningGateway {
  readonly server: Server;
  readonly port: number;
  /** The /metrics listener's port. */
  readonly metricsPort: number;
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

/** How long shutdown waits for the spans still queued to reach the Collector. */
export const TRACE_FLUSH_TIMEOUT_MS = 2_000;

export interface StartOptions {
  readonly logSink?: LogSink;
}

/** The port is taken: a setup mistake with a one-line fix, not a crash. */
export class PortInUseError extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is already in use: stop what listens there, or start on another port with PORT= (e.g. PORT=8081 npm run gateway)`);
    this.name = "PortInUseError";
  }
}

/** Wires the real dependencies and listens. The only place that opens sockets. */
export async function startGateway(config: GatewayConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const stdout = bufferedSink((chunk) => process.stdout.write(chunk));
  const logger = createLogger(options.logSink ?? stdout.sink);
  // Off (no OTEL_* endpoint): the SDK is not even loaded, and no provider, exporter or span is ever made.
  const tracing = config.tracing && (await import("./tracing/tracing.js")).startTracing(config.tracing, logger);
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
  const governance = await startGovernance(config.governance, config.catalogue, metrics, logger);
  let ready = true;
  const streams = new LiveStreams();
  const app = createApp({
    streams,
    catalogue: config.catalogue,
    dispatcher,
    metrics,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    logPrompts: config.logPrompts,
    admission: config.admission,
    maxUpstreamResponseBytes: config.maxUpstreamResponseBytes,
    edgeToken: config.edgeToken,
    governance,
    isReady: () => ready,
    tracing,
  });

  let active = 0;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = http.createServer(nodeListener(app.fetch));
    s.listen({ port: config.port, host: config.host, backlog: config.listenBacklog }, () => resolve(s));
    s.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(config.port, config.host) : error));
    s.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    s.headersTimeout = HEADERS_TIMEOUT_MS;
  });
  answerProtocolErrors(server);
  server.on("request", (_req, res) => {
    active += 1;
    res.once("close", () => (active -= 1));
  });
  const port = (server.address() as AddressInfo).port;
  const metricsServer = await startMetricsServer(registry, config.metricsPort, config.host);
  logger.info("listening", {
    port,
    metrics_port: metricsServer.port,
    // Off only when no EDGE_TOKEN is set: local use, where no Kong stands in front.
    edge_auth: config.edgeToken ? "on" : "off",
    governance: governance ? "on" : "off",
    models: [...config.catalogue.models.keys()],
  });

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
      if (active > 0) {
        logger.warn("grace period over, closing remaining connections", { in_flight: active, streams: streams.size });
        await endLiveStreams(streams, () => active);
      }
      server.closeAllConnections();
      client.close();
      // The last completions' settlements reach the store before it closes.
      await governance?.close();
      // Scraped until the end, so the last requests' metrics are not lost.
      metricsServer.server.close();
      metricsServer.server.closeAllConnections();
      // The last requests' spans, within the kill margin after the grace period (SHUTDOWN_BUDGET.killMarginSeconds, 5 s).
      await tracing?.shutdown(TRACE_FLUSH_TIMEOUT_MS);
      logger.info("stopped");
      stdout.flush();
    })();
    return shuttingDown;
  };
  return { server, port, metricsPort: metricsServer.port, shutdown, flushLogs: stdout.flush };
}

/**
 * Ends the streams still running with an error event, and gives their last bytes a moment to
 * leave (and their log lines and usage to be accounted) before the connections close.
 */
async function endLiveStreams(streams: LiveStreams, active: () => number): Promise<void> {
  if (streams.interruptAll() === 0) return;
  const deadline = Date.now() + 1000;
  while (active() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  // Accounting runs once per event-loop turn after a response ends.
  await new Promise((r) => setImmediate(r));
}

async function main(): Promise<void> {
  const result = loadConfig({ env: process.env, readFile: (path) => readFileSync(path, "utf8") });
  if (!result.ok) {
    process.stderr.write(
      `gateway-app: invalid configuration (${result.problems.length} problem${result.problems.length > 1 ? "s" : ""}):\n` +
        `${result.problems.map((p) => `  - ${p}`).join("\n")}\n`,
    );
    process.exit(1);
  }
  const gateway = await startGateway(result.config).catch((error: unknown) => {
    if (!(error instanceof PortInUseError)) throw error;
    process.stderr.write(`gateway-app: ${error.message}\n`);
    process.exit(1);
  });
  // Lines still buffered when the process ends some other way (a crash) are written out.
  process.once("exit", gateway.flushLogs);
  const stop = () => void gateway.shutdown().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
