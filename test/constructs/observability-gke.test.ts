import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACES } from "../../constructs/gateway-namespaces";
import { retentionSize } from "../../constructs/observability-stack";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../../lib/upstream-facts";
import { fromYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { buildClusterModel } from "../support/cluster-model";
import { PolicyEvaluator, type Endpoint } from "../support/network-policy";
import { resourcesOf } from "../support/terraform";

const example = synthesizeExample();
const release = resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
const values = fromYaml(release.values[0]);
const OBS = DEFAULT_NAMESPACES.observability;

// The example's control plane range is a data-source token; the model needs an address, so the
// cluster's default master CIDR stands in for it.
const CONTROL_PLANE_CIDR = "172.16.0.0/28";
const platform = JSON.parse(
  JSON.stringify(example.platform).replace(
    /\$\{data\.google_container_cluster\.[\w]+\.private_cluster_config\[0\]\.master_ipv4_cidr_block\}/g,
    CONTROL_PLANE_CIDR,
  ),
);
const model = buildClusterModel({ platform });
const policies = PolicyEvaluator.fromModel(model);
const workload = (name: string): Endpoint => {
  const w = model.workloads.find((x) => x.namespace === OBS && x.name === name)!;
  return { namespace: OBS, labels: w.template.labels };
};
const prometheus = workload("prometheus-kube-prometheus-stack-prometheus");
const operator: Endpoint = { namespace: OBS, labels: { ...KUBE_PROMETHEUS_STACK_FACTS.operator.podLabels, release: "kube-prometheus-stack" } };
const kubeDns: Endpoint = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };

describe("ObservabilityStack on GKE Standard", () => {
  it("scrapes kube-dns (10054, 10055) instead of the CoreDNS that GKE does not run, and may reach it", () => {
    expect(values.kubeDns).toEqual({ enabled: true });
    expect(values.coreDns).toEqual({ enabled: false });
    expect(KUBE_PROMETHEUS_STACK_FACTS.kubeDns.metricsPorts).toEqual([10054, 10055]);
    for (const port of [10054, 10055]) expect(policies.allowed(prometheus, kubeDns, port), `${port}`).toBe(true);
    expect(policies.allowed(prometheus, kubeDns, 9153)).toBe(false);
  });

  it("lets the control plane, and only it, call the operator's admission webhook on 10250", () => {
    expect(values.prometheusOperator.tls.internalPort).toBe(10250);
    expect(policies.allowed({ ip: "172.16.0.2" }, operator, 10250)).toBe(true);
    expect(policies.allowed({ ip: "172.16.0.2" }, operator, 8080)).toBe(false);
    expect(policies.allowed({ ip: "172.16.0.2" }, prometheus, 9090)).toBe(false);
    expect(policies.allowed({ ip: "203.0.113.9" }, operator, 10250)).toBe(false);
    expect(policies.allowed({ namespace: "default", labels: { app: "curious" } }, operator, 10250)).toBe(false);
    // In the example the range comes from the cluster the platform stack looks up.
    const webhook = resourcesOf(example.platform, "kubernetes_network_policy_v1").find(
      (p) => p.metadata.name === "ai-gateway-observability-operator-webhook",
    )!;
    expect(webhook.spec.ingress[0].from[0].ip_block.cidr).toMatch(
      /^\$\{data\.google_container_cluster\.\w+\.private_cluster_config\[0\]\.master_ipv4_cidr_block\}$/,
    );
  });

  it("gives every component requests and limits", () => {
    const paths = [
      "prometheus.prometheusSpec",
      "alertmanager.alertmanagerSpec",
      "prometheusOperator",
      "prometheusOperator.prometheusConfigReloader",
      "prometheusOperator.admissionWebhooks.patch",
      "grafana",
      "grafana.sidecar",
      "kube-state-metrics",
      "prometheus-node-exporter",
      "crds.upgradeJob",
    ];
    for (const path of paths) {
      const r = path.split(".").reduce((v: any, k) => v?.[k], values).resources;
      for (const kind of ["requests", "limits"])
        for (const what of ["cpu", "memory"]) expect(r?.[kind]?.[what], `${path}.resources.${kind}.${what}`).toBeTruthy();
    }
    expect(values.grafana.testFramework).toEqual({ enabled: false });
  });

  it("keeps a size limit on small volumes: 90% of the volume in MiB", () => {
    expect(retentionSize(1)).toBe("921MB");
    expect(retentionSize(50)).toBe("46080MB");
    expect(values.prometheus.prometheusSpec.retentionSize).toBe("46080MB");
    // The operator's CRD pattern for retentionSize (it refuses "0.9GB"-style decimals only by schema, and "0GB" means no limit).
    expect(retentionSize(1)).toMatch(/^[1-9][0-9]*(K|M|G|T|E|P)B$/);
  });

  it("upgrades the CRDs with the chart: its server-side apply Job on every install, upgrade and rollback", () => {
    expect(values.crds).toMatchObject({ enabled: true, upgradeJob: { enabled: true, forceConflicts: true, image: { busybox: { tag: "1.37.0" } } } });
  });
});

describe("node targets on Dataplane V2", () => {
  // The example's node range is a data-source token; the cluster's default subnet stands in for it.
  const NODE_CIDR = "10.10.0.0/20";
  const withNodes = JSON.parse(JSON.stringify(platform).replace(/\$\{data\.google_compute_subnetwork\.\w+\.ip_cidr_range\}/g, NODE_CIDR));
  const nodePolicies = PolicyEvaluator.fromModel(buildClusterModel({ platform: withNodes }));
  const node: Endpoint = { ip: "10.10.0.7" };

  it("lets Prometheus reach kubelets (10250) and node-exporter (9100) in the node range, and nowhere else on those ports", () => {
    expect(nodePolicies.allowed(prometheus, node, 10250)).toBe(true);
    expect(nodePolicies.allowed(prometheus, node, 9100)).toBe(true);
    expect(nodePolicies.allowed(prometheus, { ip: "203.0.113.9" }, 10250)).toBe(false);
    expect(nodePolicies.allowed(prometheus, { ip: "10.20.0.9" }, 9100)).toBe(false);
    // The API server stays reachable for service discovery.
    expect(nodePolicies.allowed(prometheus, { ip: "172.16.0.2" }, 443)).toBe(true);
  });

  it("names the node range, never 0.0.0.0/0, which Cilium does not match to node identities", () => {
    const observability = resourcesOf(example.platform, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "ai-gateway-observability")!;
    const nodeRules = observability.spec.egress.filter((r: any) => r.ports.some((p: any) => ["10250", "9100"].includes(p.port)));
    expect(nodeRules.map((r: any) => r.to.map((t: any) => t.ip_block?.cidr))).toEqual([
      [expect.stringMatching(/^\$\{data\.google_compute_subnetwork\.\w+\.ip_cidr_range\}$/)],
    ]);
    // The range is the cluster's own subnet, read from the cluster (a created, existing or Shared VPC subnet alike).
    const [subnetwork] = Object.values(example.platform.data!.google_compute_subnetwork);
    expect(subnetwork.self_link).toMatch(/^https:\/\/www\.googleapis\.com\/compute\/v1\/\$\{data\.google_container_cluster\.\w+\.subnetwork\}$/);
  });
});
