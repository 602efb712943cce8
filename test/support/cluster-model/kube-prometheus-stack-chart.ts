import { chartFacts } from "./chart-facts";
import type { ChartContext, ChartRender } from "./kong-chart";
import { emptyObjectSet, type HelmRelease } from "./types";

const FACTS = chartFacts.kubePrometheusStack;

/**
 * The part of kube-prometheus-stack the invariants read: our ServiceMonitors and PodMonitors
 * (copied from the values into the release namespace) and the Prometheus pods that scrape.
 * Grafana, the operator and the exporters are not modelled.
 */
export function kubePrometheusStackChart(release: HelmRelease, _context: ChartContext): ChartRender {
  const set = emptyObjectSet();
  const prometheus = release.values.prometheus ?? {};
  const meta = (name: string) => ({ namespace: release.namespace, name, labels: {}, annotations: {}, origin: `helm_release ${release.name}` });
  for (const monitor of prometheus.additionalServiceMonitors ?? []) {
    set.customObjects.push({
      ...meta(monitor.name),
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      spec: { selector: monitor.selector, namespaceSelector: monitor.namespaceSelector, endpoints: monitor.endpoints },
    });
  }
  for (const monitor of prometheus.additionalPodMonitors ?? []) {
    set.customObjects.push({
      ...meta(monitor.name),
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      spec: { selector: monitor.selector, namespaceSelector: monitor.namespaceSelector, podMetricsEndpoints: monitor.podMetricsEndpoints },
    });
  }
  if (prometheus.prometheusSpec?.additionalScrapeConfigs)
    throw new Error("kube-prometheus-stack model: additionalScrapeConfigs not modelled; extend it so their targets are checked");
  if (release.values.cleanPrometheusOperatorObjectNames || release.values.fullnameOverride || release.values.nameOverride)
    throw new Error("kube-prometheus-stack model: name overrides not modelled");
  if (prometheus.enabled !== false) {
    const name = FACTS.prometheusName(FACTS.fullname(release.name));
    const labels = FACTS.prometheusPodLabels(name);
    set.workloads.push({
      ...meta(FACTS.statefulSetName(name)),
      kind: "StatefulSet",
      selector: labels,
      template: { labels, annotations: {}, containers: [], volumes: [] },
    });
  }
  return { objects: set, failures: [] };
}
