import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Registry } from "prom-client";

/**
 * /metrics on a listener of its own: the NetworkPolicy lets Prometheus reach this port and only
 * Kong reach the API's, so a scraper can never send a request that speaks for a tenant.
 * Serves nothing else, and its requests are not counted in the API's request metrics.
 */
export function createMetricsApp(registry: Registry): Hono {
  const app = new Hono();
  app.get("/metrics", async (c) => c.body(await registry.metrics(), 200, { "content-type": registry.contentType }));
  app.notFound((c) =>
    c.json({ error: { message: "Only /metrics is served on this port", type: "invalid_request_error", param: null, code: "not_found" } }, 404),
  );
  return app;
}

export async function startMetricsServer(registry: Registry, port: number, host: string): Promise<{ server: Server; port: number }> {
  const app = createMetricsApp(registry);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server;
  });
  return { server, port: (server.address() as AddressInfo).port };
}
