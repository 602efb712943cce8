import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster } from "../constructs/ai-gateway-cluster";
import { buildExampleApp, readExampleConfig } from "../lib/example-app";
import { readSynthDirectory, reviewStack } from "../lib/review";
import { tempApp } from "./support/terraform";

function synthExample(): string {
  const app = tempApp();
  const { policy } = buildExampleApp(
    app,
    readExampleConfig(() => undefined, {}),
  );
  app.synth();
  writeFileSync(join(app.outdir, "policy-report.json"), JSON.stringify(policy.report));
  return app.outdir;
}

function synthCluster(id: string, maxNodes: number): string {
  const app = tempApp();
  const stack = new TerraformStack(app, "infra");
  new GoogleProvider(stack, "google", { project: "acme-ai-prod" });
  new AiGatewayCluster(stack, id, { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw", nodePool: { maxNodes } });
  app.synth();
  return app.outdir;
}

describe("plan review of the example app", () => {
  const dir = synthExample();
  const synth = readSynthDirectory(dir);
  const platform = reviewStack(synth.stacks.find((s) => s.name === "ai-gateway-platform")!, synth.policy);
  const infra = reviewStack(synth.stacks.find((s) => s.name === "ai-gateway-infrastructure")!, synth.policy);

  it("lists Helm releases with chart versions and images", () => {
    expect(platform).toMatch(/\| kong \| .* \| kong \| 3\.4\.1 \| https:\/\/charts\.konghq\.com \| kong:3\.9\.1 \|/);
    expect(platform).toMatch(/\| kube-prometheus-stack \| .* \| 88\.5\.3 \|/);
    expect(platform).toMatch(/\| litellm \| .* \| ghcr\.io\/berriai\/litellm:main-v1\.80\.12 \|/);
  });

  it("lists public endpoints: the load balancer, the static IP, the control plane", () => {
    expect(platform).toMatch(/load balancer \(kong proxy\).*source ranges: any/);
    expect(infra).toMatch(/\| static IP \| ai-gw-edge \|/);
    expect(infra).toMatch(/\| control plane \| ai-gw-gke \| public endpoint; authorized networks: VPC only \|/);
  });

  it("lists IAM grants and secrets referenced", () => {
    expect(infra).toMatch(/\| roles\/aiplatform\.user \| \$\{google_service_account\.\w+\.member\} \|/);
    expect(infra).toMatch(/\| roles\/iam\.workloadIdentityUser \| serviceAccount:ai-gateway-example\.svc\.id\.goog\[ai-gateway-router\/litellm\] \|/);
    expect(infra).toMatch(/\| Secret Manager secret \| ai-gw-litellm-master-key \|/);
    expect(platform).toMatch(/\| Kubernetes Secret \(env\) \| kong-redis\/password \| kong \|/);
  });

  it("shows policy findings and suppressions with their reasons", () => {
    expect(platform).toMatch(/\| AIG-K8S-12 \| ai-gateway-platform\/Gateway\/Edge\/Release \| Kong's rate-limiting plugin reads the Redis password/);
  });

  it("groups resources by construct and type", () => {
    expect(platform).toMatch(/\| ai-gateway-platform\/Gateway\/NetworkPolicies \| kubernetes_network_policy_v1 \| 9 \|/);
  });

  it("is deterministic across synths", () => {
    const again = readSynthDirectory(synthExample());
    expect(reviewStack(again.stacks.find((s) => s.name === "ai-gateway-platform")!, again.policy)).toBe(platform);
  });
});

describe("plan review against a base synth", () => {
  const base = readSynthDirectory(synthCluster("Cluster", 10)).stacks[0];

  it("lists changed attributes", () => {
    const current = readSynthDirectory(synthCluster("Cluster", 20)).stacks[0];
    const review = reviewStack(current, undefined, base);
    expect(review).toMatch(/0 added, 0 removed, 1 changed\./);
    expect(review).toMatch(/\| google_container_node_pool\.Cluster_PrimaryNodePool_\w+ \| autoscaling\.total_max_node_count \|/);
  });

  it("flags a removal paired with an addition of the same type as a likely renamed construct id", () => {
    const renamed = readSynthDirectory(synthCluster("GatewayCluster", 10)).stacks[0];
    const review = reviewStack(renamed, undefined, base);
    expect(review).toMatch(/\d+ added, \d+ removed, 0 changed\./);
    expect(review).toMatch(
      /\| google_container_cluster \| infra\/Cluster\/Cluster → infra\/GatewayCluster\/Cluster \| likely a renamed construct id/,
    );
  });
});
