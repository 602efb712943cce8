import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { ClusterAccess } from "../../constructs/cluster-access";
import { onlyResource, synthJson } from "../support/terraform";

const LOCATOR = { projectId: "acme-ai-prod", location: "europe-west4", clusterName: "gw-gke" };

function providersOf(endpoint?: "dns" | "ip") {
  const stack = new TerraformStack(Testing.app(), "platform");
  new GoogleProvider(stack, "Google", {});
  new ClusterAccess(stack, "Access", { cluster: LOCATOR, endpoint });
  const json = synthJson(stack);
  const data = Object.keys(json.data!.google_container_cluster)[0];
  return { json, data: `data.google_container_cluster.${data}` };
}

describe("control plane access", () => {
  it("turns on the cluster's IAM-authorized DNS endpoint for callers outside Google Cloud by default", () => {
    const stack = new TerraformStack(Testing.app(), "infra");
    new AiGatewayCluster(stack, "Cluster", { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" });
    const cluster = onlyResource(synthJson(stack), "google_container_cluster");
    expect(cluster.control_plane_endpoints_config).toEqual({ dns_endpoint_config: { allow_external_traffic: true } });
    // The IP endpoints stay closed to the internet: no authorized networks.
    expect(cluster.master_authorized_networks_config.cidr_blocks).toEqual([]);
  });

  it("can keep the DNS endpoint to Google-managed services", () => {
    const stack = new TerraformStack(Testing.app(), "infra");
    new AiGatewayCluster(stack, "Cluster", {
      projectId: "acme-ai-prod",
      region: "europe-west4",
      prefix: "gw",
      allowDnsEndpointExternalTraffic: false,
    });
    expect(onlyResource(synthJson(stack), "google_container_cluster").control_plane_endpoints_config).toEqual({
      dns_endpoint_config: { allow_external_traffic: false },
    });
  });

  it("connects the providers through the DNS endpoint with the caller's Google token by default", () => {
    const { json, data } = providersOf();
    const expected = {
      host: `https://\${${data}.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}`,
      token: expect.stringMatching(/^\$\{data\.google_client_config\.\w+\.access_token\}$/),
    };
    expect(json.provider!.kubernetes).toEqual([expected]);
    expect(json.provider!.helm).toEqual([{ kubernetes: expected }]);
  });

  it("can connect through the IP endpoint, verified with the cluster CA", () => {
    const { json, data } = providersOf("ip");
    expect(json.provider!.kubernetes).toEqual([
      {
        host: `https://\${${data}.endpoint}`,
        token: expect.stringMatching(/access_token/),
        cluster_ca_certificate: `\${base64decode(${data}.master_auth[0].cluster_ca_certificate)}`,
      },
    ]);
  });
});
