import { describe, expect, it } from "vitest";
import { CHART_IMAGE_FACTS } from "../../lib/upstream-facts";
import { synthesizeExample } from "../support/example";
import { resourcesOf } from "../support/terraform";

describe("Kong chart CRDs", () => {
  const example = synthesizeExample();
  const kong = resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kong")!;

  it("skips the chart's CRDs, which DB-less Kong with its controller off never reads", () => {
    expect(CHART_IMAGE_FACTS["kong@3.4.1"].crds.count).toBe(12);
    expect(kong.skip_crds).toBe(true);
  });

  it("needs none of them: no Kong custom resource is synthesized and the ingress controller is off", () => {
    const kinds = resourcesOf(example.platform, "kubernetes_manifest").map((m) => m.manifest.apiVersion as string);
    expect(kinds.filter((apiVersion) => apiVersion.includes("konghq.com"))).toEqual([]);
    expect(example.kongValues().ingressController.enabled).toBe(false);
  });
});
