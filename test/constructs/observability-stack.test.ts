import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { ObservabilityStack, type ObservabilityStackProps } from "../../constructs/observability-stack";
import { fromYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { resourcesOf } from "../support/terraform";

const example = synthesizeExample();
const release = resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
const values = fromYaml(release.values[0]);

describe("ObservabilityStack values", () => {
  it("pins the chart and installs its CRDs with the release", () => {
    expect(release).toMatchObject({ repository: "https://prometheus-community.github.io/helm-charts", version: "88.5.3", atomic: true });
    expect(values.crds.enabled).toBe(true);
  });

  it("does not scrape what GKE hides", () => {
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) expect(values[component].enabled).toBe(false);
  });

  it("picks up every ServiceMonitor, PodMonitor and rule whatever their labels", () => {
    const spec = values.prometheus.prometheusSpec;
    for (const key of ["serviceMonitorSelectorNilUsesHelmValues", "podMonitorSelectorNilUsesHelmValues", "ruleSelectorNilUsesHelmValues"])
      expect(spec[key]).toBe(false);
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(spec.ruleNamespaceSelector).toEqual({});
  });

  it("keeps data on a persistent volume for the documented retention", () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.retention).toBe("15d");
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: "standard-rwo",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
    });
  });

  it("scrapes gateway-app, LiteLLM and Kong's status port from inside the release", () => {
    expect(values.prometheus.additionalServiceMonitors.map((m: any) => [m.name, m.namespaceSelector.matchNames, m.endpoints[0].path])).toEqual([
      ["gateway-app", ["ai-gateway-app"], "/metrics"],
      ["litellm", ["ai-gateway-router"], "/metrics/"],
    ]);
    expect(values.prometheus.additionalPodMonitors[0]).toMatchObject({
      name: "kong",
      namespaceSelector: { matchNames: ["ai-gateway-edge"] },
      podMetricsEndpoints: [{ port: "status", path: "/metrics" }],
    });
    expect(
      resourcesOf(example.platform, "kubernetes_manifest").filter((m) => /ServiceMonitor|PodMonitor|PrometheusRule/.test(m.manifest.kind)),
    ).toEqual([]);
  });

  it("ships the alert rules in the release", () => {
    const groups = values.additionalPrometheusRulesMap["ai-gateway"].groups;
    expect(groups.flatMap((g: any) => g.rules.map((r: any) => r.alert))).toContain("GatewayHighErrorRatio");
  });

  it("lets the Grafana chart generate its admin password by default, keeps Grafana inside the cluster, loads labelled dashboards", () => {
    // No existingSecret and no adminPassword: the chart's own random, looked-up password.
    expect(values.grafana.admin).toBeUndefined();
    expect(values.grafana.adminPassword).toBeUndefined();
    expect(values.grafana.service.type).toBe("ClusterIP");
    expect(values.grafana.ingress.enabled).toBe(false);
    expect(values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
  });

  it("throws on bad retention and storage", () => {
    const props: ObservabilityStackProps = {
      namespace: "obs",
      targets: { edge: { namespace: "e" }, backend: { namespace: "a" }, router: { namespace: "r" } },
      models: [],
    };
    expect(() => new ObservabilityStack(new TerraformStack(Testing.app(), "test"), "o", { ...props, retention: "two weeks" })).toThrow(
      /^test\/o: retention is not a Prometheus duration/,
    );
    expect(() => new ObservabilityStack(new TerraformStack(Testing.app(), "test"), "o", { ...props, storageGi: 0 })).toThrow(
      /storageGi must be a whole number of at least 1/,
    );
  });
});

describe("runbook", () => {
  it("has a section for every alert, where its runbook_url points", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    const headings = new Set([...readme.matchAll(/^#### (\w+)$/gm)].map((m) => m[1].toLowerCase()));
    for (const group of values.additionalPrometheusRulesMap["ai-gateway"].groups) {
      for (const rule of group.rules) expect(headings.has(rule.annotations.runbook_url.split("#")[1]), rule.alert).toBe(true);
    }
  });
});
