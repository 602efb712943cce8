import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { GatewayNamespaces } from "../../constructs/gateway-namespaces";
import { ProjectServices } from "../../constructs/project-services";
import { resourcesOf, synthJson } from "../support/terraform";

const stack = () => new TerraformStack(Testing.app(), "test");

describe("GatewayNamespaces", () => {
  it("can rename a tier's namespace", () => {
    const s = stack();
    const namespaces = new GatewayNamespaces(s, "ns", { names: { app: "gateway" } });
    expect(namespaces.names.app).toBe("gateway");
    expect(resourcesOf(synthJson(s), "kubernetes_namespace_v1").map((n) => n.metadata.name)).toContain("gateway");
  });

  it("throws on an invalid namespace name", () => {
    expect(() => new GatewayNamespaces(stack(), "ns", { names: { edge: "Edge_NS" } })).toThrow(
      /^test\/ns: names\.edge is not a valid Kubernetes namespace name \(received "Edge_NS"\)\. Fix: /,
    );
  });
});

describe("ProjectServices", () => {
  it("can enable a given list, deduplicated, and never disables on destroy", () => {
    const s = stack();
    new ProjectServices(s, "apis", {
      projectId: "acme-ai-prod",
      services: ["container.googleapis.com", "container.googleapis.com", "compute.googleapis.com"],
    });
    const services = resourcesOf(synthJson(s), "google_project_service");
    expect(services.map((x) => x.service)).toEqual(["compute.googleapis.com", "container.googleapis.com"]);
    expect(services.every((x) => x.disable_on_destroy === false && x.project === "acme-ai-prod")).toBe(true);
  });

  it("throws on an invalid project id", () => {
    expect(() => new ProjectServices(stack(), "apis", { projectId: "x" })).toThrow(/test\/apis: projectId is not a valid GCP project id/);
  });
});
