import { inClusterUrls, selects } from "./invariants";
import type { ClusterModel, Workload } from "./types";

/** A connection a pod opens to another pod's container port. */
export interface PodFlow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly why: string;
}

const key = (w: Workload) => `${w.namespace}/${w.name}`;

function servicePods(model: ClusterModel, namespace: string, serviceName: string, servicePort: number): { pod: Workload; port: number }[] {
  const service = model.services.find((s) => s.namespace === namespace && s.name === serviceName);
  const port = service?.ports.find((p) => Number(p.port) === servicePort);
  if (!service || !port) return [];
  return model.workloads
    .filter((w) => w.namespace === namespace && selects(service.selector, w.template.labels))
    .flatMap((pod) => {
      const target = pod.template.containers
        .flatMap((c) => c.ports)
        .find((p) =>
          typeof port.targetPort === "string" && !/^\d+$/.test(port.targetPort)
            ? p.name === port.targetPort
            : Number(p.containerPort) === Number(port.targetPort),
        );
      return target ? [{ pod, port: Number(target.containerPort) }] : [];
    });
}

/** Texts a pod reads: its env and the ConfigMaps it mounts. */
function configOf(model: ClusterModel, w: Workload): string[] {
  const mounted = w.template.volumes.flatMap((v) => ("configMap" in v.source ? [v.source.configMap] : []));
  return [
    ...w.template.containers.flatMap((c) => c.env.map((e) => e.value ?? "")),
    ...model.configMaps.filter((cm) => cm.namespace === w.namespace && mounted.includes(cm.name)).flatMap((cm) => Object.values(cm.data)),
  ];
}

/**
 * The pod-to-pod flows the configuration implies: each in-cluster URL a pod is configured
 * with (Kong's services[].url, gateway-app's LITELLM_BASE_URL, …) through its Service to the
 * target pods, and Prometheus to every port its ServiceMonitors and PodMonitors scrape.
 */
export function configuredFlows(model: ClusterModel): PodFlow[] {
  const flows: PodFlow[] = [];
  for (const w of model.workloads) {
    for (const url of configOf(model, w).flatMap(inClusterUrls)) {
      for (const target of servicePods(model, url.namespace, url.service, url.port))
        flows.push({ from: key(w), to: key(target.pod), port: target.port, why: url.url });
    }
  }
  const scrapers = model.workloads.filter((w) => w.kind === "StatefulSet" && w.template.labels["app.kubernetes.io/name"] === "prometheus");
  for (const monitor of model.customObjects) {
    const names: string[] = monitor.spec?.namespaceSelector?.matchNames ?? [monitor.namespace];
    const matchLabels = monitor.spec?.selector?.matchLabels ?? {};
    if (monitor.kind === "ServiceMonitor") {
      for (const service of model.services.filter((s) => names.includes(s.namespace) && selects(matchLabels, s.labels))) {
        for (const endpoint of monitor.spec.endpoints ?? []) {
          const port = service.ports.find((p) => p.name === endpoint.port);
          if (!port) continue;
          for (const target of servicePods(model, service.namespace, service.name, Number(port.port))) {
            for (const scraper of scrapers)
              flows.push({ from: key(scraper), to: key(target.pod), port: target.port, why: `ServiceMonitor ${monitor.name}` });
          }
        }
      }
    }
    if (monitor.kind === "PodMonitor") {
      for (const pod of model.workloads.filter((w) => names.includes(w.namespace) && selects(matchLabels, w.template.labels))) {
        for (const endpoint of monitor.spec.podMetricsEndpoints ?? []) {
          const port = pod.template.containers.flatMap((c) => c.ports).find((p) => p.name === endpoint.port);
          if (port)
            for (const scraper of scrapers)
              flows.push({ from: key(scraper), to: key(pod), port: Number(port.containerPort), why: `PodMonitor ${monitor.name}` });
        }
      }
    }
  }
  return flows;
}

/** Client traffic: what the LoadBalancer Services forward to, by pod and container port. */
export function loadBalancedPorts(model: ClusterModel): { to: string; port: number }[] {
  return model.services
    .filter((s) => s.type === "LoadBalancer")
    .flatMap((s) =>
      s.ports.flatMap((p) => {
        // By the workload the chart made for it, so a selector defect is reported by its own invariant, not here.
        const pods = model.workloads.filter((w) => w.namespace === s.namespace && w.origin === s.origin);
        return pods.map((pod) => ({ to: key(pod), port: Number(p.targetPort) }));
      }),
    );
}
