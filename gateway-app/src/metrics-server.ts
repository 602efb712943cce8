import type { RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { GatewayError } from "./errors.js";
import http from "./node-http.js";
import { answerOutsideApp } from "./node-serving.js";

/**
 * /metrics on a listener of its own: the NetworkPolicy lets Prometheus reach this port and only
 * Kong reach the API's, so a scraper can never send a request that speaks for a tenant.
 * Serves nothing else, and its requests are not counted in the API's request metrics. Plain
 * node:http: one route needs no router, and no web Response (see RESPONSE_SENT).
 */
export function metricsListener(registry: Registry): RequestListener {
  return (incoming, outgoing) => {
    const path = (incoming.url ?? "").split("?")[0];
    if (path !== "/metrics" || (incoming.method !== "GET" && incoming.method !== "HEAD")) {
      answerOutsideApp(outgoing, new GatewayError("not_found", "Only GET /metrics is served on this port"));
      return;
    }
    registry.metrics().then(
      (text) => {
        outgoing.writeHead(200, { "content-type": registry.contentType, "content-length": String(Buffer.byteLength(text)) });
        outgoing.end(text);
      },
      () => {
        outgoing.writeHead(500, { "content-type": "text/plain" });
        outgoing.end("collecting the metrics failed\n");
      },
    );
  };
}

export async function startMetricsServer(registry: Registry, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = http.createServer(metricsListener(registry));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
