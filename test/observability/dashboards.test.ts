import { describe, expect, it } from "vitest";
import { gatewayDashboards } from "../../lib/observability/dashboards";
import type { GrafanaDashboard } from "../../lib/observability/dashboard-builder";
import { GATEWAY_METRICS, KNOWN_METRICS, metricNamesIn } from "../../lib/observability/metric-names";
import { synthesizeExample } from "../support/example";
import { resourcesOf } from "../support/terraform";
import { DEFAULT_MODELS } from "../../lib/catalogue";
import { Registry } from "prom-client";
import { createMetrics } from "../../gateway-app/src/metrics";

const dashboards = gatewayDashboards({ models: ["gemini-2.5-flash", "gemini-2.5-pro"], namespaces: ["ai-gateway-edge", "ai-gateway-app"] });
const entries = Object.entries(dashboards) as [string, GrafanaDashboard][];
const overlaps = (a: GrafanaDashboard["panels"][number]["gridPos"], b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe("dashboards", () => {
  it("include overview, model usage, Kong edge, LiteLLM, cluster resources and A/B arms", () => {
    expect(entries.map(([, d]) => d.title)).toEqual([
      "AI gateway / overview",
      "AI gateway / model usage",
      "AI gateway / Kong edge",
      "AI gateway / LiteLLM",
      "AI gateway / cluster resources",
      "AI gateway / A/B arms",
    ]);
    expect(new Set(entries.map(([, d]) => d.uid)).size).toBe(entries.length);
  });

  it.each(entries)("%s is valid Grafana JSON: unique ids, datasource on every query, no overlapping panels", (_file, dashboard) => {
    const parsed = JSON.parse(JSON.stringify(dashboard)) as GrafanaDashboard;
    const ids = parsed.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(parsed.templating.list.find((v) => v.name === "datasource")).toMatchObject({ type: "datasource", query: "prometheus" });
    for (const panel of parsed.panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type === "row") continue;
      expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(panel.targets!.length).toBeGreaterThan(0);
      for (const target of panel.targets!) expect(target.datasource.uid).toBe("${datasource}");
    }
    parsed.panels.forEach((a, i) =>
      parsed.panels.slice(i + 1).forEach((b) => expect(overlaps(a.gridPos, b.gridPos), `${a.title} / ${b.title}`).toBe(false)),
    );
  });

  it("reference only metric names that exist", () => {
    for (const [, dashboard] of entries)
      for (const panel of dashboard.panels)
        for (const target of panel.targets ?? []) {
          for (const name of metricNamesIn(target.expr)) expect(KNOWN_METRICS.has(name), `${dashboard.title} / ${panel.title}: ${name}`).toBe(true);
        }
  });

  it("know gateway-app's metrics exactly as gateway-app registers them", async () => {
    const registry = new Registry();
    createMetrics(registry, { defaultMetrics: false });
    const families = (await registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: m.type as unknown as string }));
    const exposed = new Set(
      families.flatMap(({ name, type }) => (type === "histogram" ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name])),
    );
    for (const name of GATEWAY_METRICS) expect(exposed.has(name), name).toBe(true);
  });

  it("give every catalogue model its own panels", () => {
    const models = dashboards["ai-gateway-models.json"].panels.filter((p) => p.type === "stat").map((p) => p.title.split(":")[0]);
    expect([...new Set(models)]).toEqual(["gemini-2.5-flash", "gemini-2.5-pro"]);
  });

  it("draw time to first token for chat models only: embeddings never stream", () => {
    const stats = gatewayDashboards({
      models: [
        { name: "gemini-2.5-flash", mode: "chat" },
        { name: "text-embedding-005", mode: "embedding" },
      ],
      namespaces: [],
    })["ai-gateway-models.json"].panels.filter((p) => p.type === "stat");
    expect(stats.map((p) => p.title)).toEqual([
      "gemini-2.5-flash: tokens/s",
      "gemini-2.5-flash: cost/hour",
      "gemini-2.5-flash: TTFT p95",
      "gemini-2.5-flash: upstream errors/s",
      "text-embedding-005: tokens/s",
      "text-embedding-005: cost/hour",
      "text-embedding-005: upstream errors/s",
    ]);
  });

  it("have no Kong upstream-health panel: Kong proxies to a service URL, without upstream entities", () => {
    const exprs = dashboards["ai-gateway-kong.json"].panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.some((e) => e.includes("kong_upstream_target_health"))).toBe(false);
    expect(exprs).toContain("sum by (service, source) (rate(kong_http_requests_total[5m]))");
  });

  it("ship as ConfigMaps the Grafana sidecar loads", () => {
    const example = synthesizeExample();
    const configMaps = resourcesOf(example.platform, "kubernetes_config_map_v1").filter((c) => c.metadata.labels?.grafana_dashboard === "1");
    expect(configMaps).toHaveLength(6);
    const models = JSON.parse(configMaps.find((c) => c.metadata.name === "dashboard-ai-gateway-models")!.data["ai-gateway-models.json"]);
    // Four per model, but no time to first token for the embedding model.
    const embeddings = DEFAULT_MODELS.filter((m) => m.mode === "embedding").length;
    expect(embeddings).toBe(1);
    expect(models.panels.filter((p: any) => p.type === "stat").length).toBe(DEFAULT_MODELS.length * 4 - embeddings);
  });
});
