import { describe, expect, it } from "vitest";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { FastCounter, FastGauge, FastHistogram } from "../src/fast-metrics.js";

// The fast metrics must expose exactly what prom-client's own classes expose.
describe("fast metrics", () => {
  it("expose the same text as prom-client for counters, gauges and histograms", async () => {
    const fast = new Registry();
    const reference = new Registry();
    const labelNames = ["route", "status"];
    const buckets = [0.1, 1, 10];
    const counters = [
      new FastCounter({ name: "c_total", help: "c", labelNames, registers: [fast] }),
      new Counter({ name: "c_total", help: "c", labelNames, registers: [reference] }),
    ];
    const histograms = [
      new FastHistogram({ name: "h_seconds", help: "h", labelNames, buckets, registers: [fast] }),
      new Histogram({ name: "h_seconds", help: "h", labelNames, buckets, registers: [reference] }),
    ];
    const gauges = [new FastGauge({ name: "g", help: "g", registers: [fast] }), new Gauge({ name: "g", help: "g", registers: [reference] })];
    for (const counter of counters) {
      counter.inc({ route: "/a", status: "200" });
      counter.inc({ route: "/a", status: "200" }, 2.5);
      counter.inc({ route: "/b", status: 500 });
    }
    for (const histogram of histograms)
      for (const [route, value] of [
        ["/a", 0.05],
        ["/a", 0.5],
        ["/a", 50],
        ["/b", 1],
      ] as const)
        histogram.observe({ route, status: "200" }, value);
    for (const gauge of gauges) {
      gauge.inc();
      gauge.inc();
      gauge.dec();
    }
    expect(await fast.metrics()).toBe(await reference.metrics());
  });

  it("count an observation on a bucket bound into that bucket", async () => {
    const registry = new Registry();
    const histogram = new FastHistogram({ name: "h", help: "h", buckets: [1, 2], registers: [registry] });
    histogram.observe({}, 1);
    expect(await registry.metrics()).toMatch(/h_bucket\{le="1"\} 1\nh_bucket\{le="2"\} 1\nh_bucket\{le="\+Inf"\} 1/);
  });
});
