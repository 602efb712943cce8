import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { GatewayInfrastructure } from "../../constructs/gateway-infrastructure";
import { synthesizeExample } from "../support/example";
import { onlyResource, resourcesOf, synthJson, type TerraformJson } from "../support/terraform";

// What a first `cdktf deploy` on an empty project needs: every resource waits, in the JSON's
// depends_on, for what the Google APIs create behind its back.
const { infrastructure: infra } = synthesizeExample();

/** The `type.name` addresses a resource of `type` depends on. */
function dependsOnOf(json: TerraformJson, type: string, match: (r: Record<string, any>) => boolean = () => true): string[] {
  const found = resourcesOf(json, type).filter(match);
  expect(found.length).toBeGreaterThan(0);
  return found.flatMap((r) => r.depends_on ?? []);
}

const addressOf = (json: TerraformJson, type: string) => `${type}.${Object.keys(json.resource![type])[0]}`;

describe("on a fresh project", () => {
  it("binds Workload Identity only after the cluster has created the pool", () => {
    const bindings = resourcesOf(infra, "google_service_account_iam_member").filter((b) => b.role === "roles/iam.workloadIdentityUser");
    // Kong, gateway-app, LiteLLM and the trace collector.
    expect(bindings).toHaveLength(4);
    for (const binding of bindings) expect(binding.depends_on).toContain(addressOf(infra, "google_container_cluster"));
  });

  it("creates the cluster only after the GKE agent may use the secrets key", () => {
    const grant = onlyResource(infra, "google_kms_crypto_key_iam_member");
    expect(grant.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    expect(dependsOnOf(infra, "google_container_cluster")).toContain(addressOf(infra, "google_kms_crypto_key_iam_member"));
  });

  it("grants the GKE agent only after container.googleapis.com, which creates the agent, is enabled", () => {
    const services = infra.resource!.google_project_service;
    const container = Object.entries(services).find(([, s]) => s.service === "container.googleapis.com")![0];
    expect(dependsOnOf(infra, "google_kms_crypto_key_iam_member")).toContain(`google_project_service.${container}`);
  });

  it("reserves the private service range only after the VPC exists", () => {
    expect(dependsOnOf(infra, "google_compute_global_address")).toContain(addressOf(infra, "google_compute_network"));
  });

  it("abandons the service networking connection on destroy", () => {
    expect(onlyResource(infra, "google_service_networking_connection").deletion_policy).toBe("ABANDON");
  });
});

describe("IAiGatewayCluster", () => {
  it("promises plain strings, the network id included", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const cluster = new AiGatewayCluster(stack, "Cluster", { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" });
    expect(cluster.networkId).toBe("projects/acme-ai-prod/global/networks/gw-vpc");
    for (const value of [cluster.projectId, cluster.location, cluster.clusterName, cluster.networkId, cluster.workloadPool]) {
      expect(value).not.toMatch(/\$\{|TOKEN/);
    }
    // The plain id names the network the construct creates.
    expect(onlyResource(synthJson(stack), "google_compute_network").name).toBe("gw-vpc");
  });

  it("passes an existing network's id through", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const network = {
      network: "projects/host/global/networks/shared",
      subnetwork: "projects/host/regions/europe-west4/subnetworks/gke",
      podsRangeName: "pods",
      servicesRangeName: "svc",
    };
    const cluster = new AiGatewayCluster(stack, "Cluster", {
      projectId: "acme-ai-prod",
      region: "europe-west4",
      prefix: "gw",
      existingNetwork: network,
    });
    expect(cluster.networkId).toBe("projects/host/global/networks/shared");
    expect(cluster.dependables.network).toBeUndefined();
  });

  it("lets a cluster located by name (no dependables) be used without depends_on", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new GatewayInfrastructure(stack, "Gateway", {
      prefix: "gw",
      namespaces: { edge: "ai-gateway-edge", app: "ai-gateway-app", router: "ai-gateway-router" },
      cluster: {
        projectId: "acme-ai-prod",
        location: "europe-west4",
        clusterName: "gw-gke",
        networkId: "projects/acme-ai-prod/global/networks/gw-vpc",
        workloadPool: "acme-ai-prod.svc.id.goog",
      },
    });
    const json = synthJson(stack);
    expect(onlyResource(json, "google_compute_global_address").network).toBe("projects/acme-ai-prod/global/networks/gw-vpc");
    for (const binding of resourcesOf(json, "google_service_account_iam_member")) expect(binding.depends_on).toBeUndefined();
  });
});
