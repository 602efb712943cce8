import { describe, expect, it } from "vitest";
import { resolveString, stackIndexOfJson } from "../../lib/policy/references";

const stack = stackIndexOfJson({
  resource: {
    kubernetes_namespace_v1: { edge: { metadata: { name: "team-edge" } } },
    google_service_account: {
      nodes: { account_id: "gw-gke-nodes", project: "acme-ai-prod" },
      elsewhere: { account_id: "gw-other" },
    },
    google_container_cluster: { cluster: { name: "gw-gke", node_pool: [{ name: "a" }, { name: "b" }] } },
  },
});

describe("a reference in a value a rule reads", () => {
  it.each([
    ["a block attribute of a resource of the stack", "${kubernetes_namespace_v1.edge.metadata[0].name}", "team-edge"],
    ["the same in Terraform's legacy index form", "${kubernetes_namespace_v1.edge.metadata.0.name}", "team-edge"],
    ["a list element", "${google_container_cluster.cluster.node_pool[1].name}", "b"],
    [
      "a service account's email, which the provider derives from account_id and project",
      "${google_service_account.nodes.email}",
      "gw-gke-nodes@acme-ai-prod.iam.gserviceaccount.com",
    ],
    ["its member", "${google_service_account.nodes.member}", "serviceAccount:gw-gke-nodes@acme-ai-prod.iam.gserviceaccount.com"],
    ["interpolations inside a longer string", "ns/${kubernetes_namespace_v1.edge.metadata[0].name}/x", "ns/team-edge/x"],
    ["Terraform's escaped literal", "$${literal}", "${literal}"],
  ])("resolves %s", (_what, value, literal) => {
    expect(resolveString(value, stack)).toEqual({ value: literal });
  });

  it.each([
    ["a variable", "${var.namespace}"],
    ["a local", "${local.namespace}"],
    ["a module output", "${module.network.name}"],
    ["a data source", "${data.google_compute_default_service_account.default.email}"],
    ["remote state (cdktf's cross-stack references)", "${data.terraform_remote_state.cross-stack-reference-input-infra.outputs.x}"],
    ["an attribute the provider computes", "${google_container_cluster.cluster.endpoint}"],
    ["an email whose project only the provider knows", "${google_service_account.elsewhere.email}"],
    ["a resource the stack does not declare", "${kubernetes_namespace_v1.other.metadata[0].name}"],
    ["a function call", '${join(",", var.ranges)}'],
  ])("leaves %s unresolved", (_what, value) => {
    expect(resolveString(value, stack)).toEqual({ unresolved: value });
  });

  it("names the first expression known only at apply time inside a longer string", () => {
    expect(resolveString("${kubernetes_namespace_v1.edge.metadata[0].name}-${var.suffix}", stack)).toEqual({ unresolved: "${var.suffix}" });
  });
});
