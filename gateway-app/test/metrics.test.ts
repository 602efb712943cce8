import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/metrics.js";

describe("gateway metrics", () => {
  it("refuse a mistyped label instead of dropping it", () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    expect(() => metrics.requests.inc({ route: "/v1/models", method: "GET", stauts: "200" } as never)).toThrow(/stauts/);
    expect(() => metrics.requestDuration.observe({ route: "/v1/models", method: "GET", code: "200" } as never, 0.1)).toThrow(/code/);
    expect(() => metrics.upstreamErrors.inc({ upstream: "litellm", model: "m", outcom: "reset" } as never)).toThrow(/outcom/);
  });

  it("expose the existing names, labels and histogram buckets", async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { defaultMetrics: false });
    metrics.requests.inc({ route: "/v1/models", method: "GET", status: "200" });
    metrics.requestDuration.observe({ route: "/v1/models", method: "GET", status: "200" }, 0.005);
    metrics.inFlight.inc();
    const text = await registry.metrics();
    expect(text).toContain('gateway_http_requests_total{route="/v1/models",method="GET",status="200"} 1');
    // An observation on a bound is counted in that bucket.
    expect(text).toContain('gateway_http_request_duration_seconds_bucket{le="0.005",route="/v1/models",method="GET",status="200"} 1');
    expect(text).toContain("gateway_http_requests_in_flight 1");
  });

  it("export Node's process metrics, but none whose scrape walks every open socket", async () => {
    const registry = new Registry();
    createMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_heap_size_used_bytes"]));
    expect(names).toEqual(expect.arrayContaining(["nodejs_eventloop_lag_p99_seconds", "nodejs_gc_duration_seconds", "process_max_fds"]));
    const perHandle = ["nodejs_active_handles", "nodejs_active_handles_total", "nodejs_active_requests", "nodejs_active_requests_total"];
    for (const name of [...perHandle, "nodejs_active_resources", "nodejs_active_resources_total", "process_open_fds"])
      expect(names).not.toContain(name);
  });
});
