import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
// A consumer's stack sees only the package's public entry point.
import * as library from "gke-ai-gateway";
import { AiGatewayCluster, InvalidPropsError, ProjectServices } from "gke-ai-gateway";
import { synthJson, resourcesOf } from "./support/terraform";

class ConsumerStack extends TerraformStack {
  public readonly cluster: AiGatewayCluster;
  constructor(scope: App, id: string) {
    super(scope, id);
    new GoogleProvider(this, "google", { project: "team-b-project" });
    const services = new ProjectServices(this, "apis", { projectId: "team-b-project", services: ["container.googleapis.com"] });
    this.cluster = new AiGatewayCluster(this, "gateway", {
      projectId: "team-b-project",
      region: "us-east1",
      prefix: "teamb",
      dependsOn: services.all,
    });
    this.cluster.addNodePool("batch", { spot: true, maxNodes: 3 });
  }
}

describe("consumer stack using the public entry point", () => {
  it("exports the constructs and the error type", () => {
    expect(Object.keys(library)).toEqual(
      expect.arrayContaining([
        "AiGatewayCluster",
        "ClusterAccess",
        "GatewayNamespaces",
        "InfrastructureStack",
        "PlatformStack",
        "ProjectServices",
        "InvalidPropsError",
      ]),
    );
  });

  it("exports no defaults as constants: the documented @default is the contract, not an implementation object", () => {
    expect(Object.keys(library).filter((name) => /DEFAULTS$/.test(name))).toEqual([]);
  });

  it("synthesizes a cluster in a stack the library does not own", () => {
    const stack = new ConsumerStack(new App({ outdir: "/tmp/unused" }), "team-b");
    const json = synthJson(stack);
    expect(resourcesOf(json, "google_container_cluster")[0].name).toBe("teamb-gke");
    expect(
      resourcesOf(json, "google_container_node_pool")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["teamb-batch", "teamb-primary"]);
  });

  it("throws the library.s own error type on bad props", () => {
    expect(
      () =>
        new AiGatewayCluster(new TerraformStack(new App({ outdir: "/tmp/unused" }), "s"), "c", {
          projectId: "team-b-project",
          region: "mars-1",
          prefix: "b",
        }),
    ).toThrow(InvalidPropsError);
  });
});
