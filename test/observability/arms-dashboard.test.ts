import { describe, expect, it } from "vitest";
import { weightedArmsDashboard } from "../../lib/observability/dashboards";

const panels = weightedArmsDashboard().panels.filter((p) => p.type !== "row");
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

describe("A/B arms dashboard", () => {
  it("compares the arms on traffic, errors, latency, time to first token, tokens and cost", () => {
    expect(panels.map((p) => p.title)).toEqual([
      "Requests per second by arm",
      "Share of weighted traffic by arm",
      "5xx error ratio by arm",
      "Latency by arm",
      "Time to first token by arm",
      "Tokens per second by arm",
      "Estimated cost per hour by arm",
      "Estimated cost per 1,000 requests by arm",
    ]);
  });

  it.each(exprs)("$panel: only weighted requests, split by variant: $expr", ({ expr }) => {
    // Every selector of a gateway metric leaves unweighted requests out, and every aggregation keeps the arm.
    for (const selector of expr.match(/gateway_[a-z_]+(\{[^}]*\})?/g) ?? []) expect(selector, expr).toContain('variant!=""');
    for (const grouping of expr.match(/by \(([^)]*)\)/g) ?? []) expect(grouping, expr).toMatch(/variant/);
  });

  it("shows an arm without errors as 0, not as a gap", () => {
    const ratio = exprs.find((e) => e.panel === "5xx error ratio by arm")!.expr;
    expect(ratio).toBe(
      '(sum by (variant) (rate(gateway_http_requests_total{variant!="",status=~"5.."}[5m])) or ' +
        'sum by (variant) (rate(gateway_http_requests_total{variant!=""}[5m])) * 0) / ' +
        'sum by (variant) (rate(gateway_http_requests_total{variant!=""}[5m]))',
    );
  });
});
