import { describe, expect, it } from "vitest";
import { declaredAddresses, referencedAddresses, type TerraformJson } from "./terraform";

// The reference checker is what stands in for `terraform validate`; it must itself be right.
describe("reference checker", () => {
  const json: TerraformJson = {
    resource: {
      google_compute_network: { net: {} },
      google_container_cluster: { c: { network: "${google_compute_network.net.id}", depends_on: ["google_project_service.missing"] } },
    },
    data: { google_client_config: { cfg: {} } },
    provider: {
      kubernetes: [
        {
          token: "${data.google_client_config.cfg.access_token}",
          host: "https://${google_container_cluster.c.endpoint}",
          ca: "${base64decode(data.google_container_cluster.gone.master_auth[0].cluster_ca_certificate)}",
        },
      ],
    },
  };

  it("finds references in interpolations, inside function calls and in depends_on", () => {
    const addresses = referencedAddresses(json)
      .map((r) => r.address)
      .sort();
    expect(addresses).toEqual([
      "data.google_client_config.cfg",
      "data.google_container_cluster.gone",
      "google_compute_network.net",
      "google_container_cluster.c",
      "google_project_service.missing",
    ]);
  });

  it("declares resources and data sources by address", () => {
    expect([...declaredAddresses(json)].sort()).toEqual([
      "data.google_client_config.cfg",
      "google_compute_network.net",
      "google_container_cluster.c",
    ]);
  });
});
