import { describe, expect, it } from "vitest";
import { fromYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { resourcesOf } from "../support/terraform";

// The documented defaults as literals, read from what the example app synthesizes: changing a
// default in the code must fail here, not only in a snapshot. Never compare with the
// implementation's own constants.
describe("documented defaults, as synthesized", () => {
  const example = synthesizeExample();
  const infra = example.infrastructure;
  const platform = example.platform;

  it("gives pods 10.20.0.0/14, services 10.24.0.0/20 and nodes 10.10.0.0/20", () => {
    const subnet = resourcesOf(infra, "google_compute_subnetwork")[0];
    expect(subnet.ip_cidr_range).toBe("10.10.0.0/20");
    expect(Object.fromEntries(subnet.secondary_ip_range.map((r: any) => [r.range_name, r.ip_cidr_range]))).toEqual({
      pods: "10.20.0.0/14",
      services: "10.24.0.0/20",
    });
  });

  it("runs the primary pool on e2-standard-4", () => {
    const pools = resourcesOf(infra, "google_container_node_pool");
    expect(pools.map((p) => [p.name, p.node_config.machine_type])).toEqual([["ai-gw-primary", "e2-standard-4"]]);
  });

  it("grants the node service account exactly its two roles", () => {
    const accounts = Object.entries(infra.resource!.google_service_account as Record<string, any>);
    const [nodeAccountKey] = accounts.find(([, a]) => a.account_id === "ai-gw-gke-nodes")!;
    const roles = resourcesOf(infra, "google_project_iam_member")
      .filter((m) => m.member === `\${google_service_account.${nodeAccountKey}.member}`)
      .map((m) => m.role)
      .sort();
    expect(roles).toEqual(["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"]);
  });

  it("enforces restricted Pod Security everywhere but the observability tier", () => {
    const levels = Object.fromEntries(
      resourcesOf(platform, "kubernetes_namespace_v1").map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]),
    );
    expect(levels).toEqual({
      "ai-gateway-edge": "restricted",
      "ai-gateway-app": "restricted",
      "ai-gateway-router": "restricted",
      "ai-gateway-observability": "privileged",
    });
  });

  it("keeps Prometheus data 15 days on a 50 Gi standard-rwo volume", () => {
    const release = resourcesOf(platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
    const spec = fromYaml(release.values[0]).prometheus.prometheusSpec;
    expect(spec.retention).toBe("15d");
    expect(spec.storageSpec.volumeClaimTemplate.spec).toMatchObject({
      storageClassName: "standard-rwo",
      resources: { requests: { storage: "50Gi" } },
    });
  });

  it("enables exactly the fourteen project APIs the gateway uses, Cloud Trace's with tracing on by default", () => {
    expect(
      resourcesOf(infra, "google_project_service")
        .map((s) => s.service)
        .sort(),
    ).toEqual([
      "aiplatform.googleapis.com",
      "artifactregistry.googleapis.com",
      "cloudkms.googleapis.com",
      "cloudresourcemanager.googleapis.com",
      "cloudtrace.googleapis.com",
      "compute.googleapis.com",
      "container.googleapis.com",
      "iam.googleapis.com",
      "iamcredentials.googleapis.com",
      "logging.googleapis.com",
      "monitoring.googleapis.com",
      "redis.googleapis.com",
      "secretmanager.googleapis.com",
      "servicenetworking.googleapis.com",
    ]);
  });
});
