import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { HardenedWorkload } from "../../lib/workload";
import { synthesizeExample } from "../support/example";
import { resourcesOf, synthJson } from "../support/terraform";

// One assertion per documented default, so the JSDoc cannot drift from the code.
describe("HardenedWorkload documented defaults", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  new HardenedWorkload(stack, "w", {
    namespace: "ns",
    name: "app",
    component: "c",
    image: "registry/app:1.0.0",
    port: { name: "http", containerPort: 8080 },
    probes: { liveness: "/l", readiness: "/r" },
  });
  const json = synthJson(stack);
  const deployment = resourcesOf(json, "kubernetes_deployment_v1")[0];
  const pod = deployment.spec.template.spec;
  const container = pod.container[0];

  it("requests 250m CPU and 256Mi, limits 1 CPU and memory at the request", () => {
    expect(container.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "256Mi" } });
  });

  it("scales from 2 to 10 replicas at 70% CPU", () => {
    const hpa = resourcesOf(json, "kubernetes_horizontal_pod_autoscaler_v2")[0];
    expect(hpa.spec).toMatchObject({ min_replicas: 2, max_replicas: 10 });
    expect(hpa.spec.metric[0].resource.target.average_utilization).toBe(70);
  });

  it("writes only to /tmp, sleeps 10 s before stopping, has 30 s to stop, runs as 10001", () => {
    expect(container.volume_mount).toEqual([{ name: "writable-0", mount_path: "/tmp" }]);
    expect(container.lifecycle.pre_stop[0].exec.command).toEqual(["sleep", "10"]);
    expect(pod.termination_grace_period_seconds).toBe(30);
    expect(pod.security_context.run_as_user).toBe("10001");
  });

  it("mounts no service-account token and adds no environment", () => {
    expect(pod.automount_service_account_token).toBe(false);
    expect(container.env).toEqual([]);
  });

  it("allows one pod down at a time", () => {
    expect(resourcesOf(json, "kubernetes_pod_disruption_budget_v1")[0].spec.max_unavailable).toBe("1");
  });
});

describe("LiteLlmRouter and GatewayBackend documented defaults", () => {
  const example = synthesizeExample();
  const config = example.liteLlmConfig();

  it("caches for 600 s and never retries, with a 600 s timeout", () => {
    expect(config.litellm_settings.cache_params.ttl).toBe(600);
    expect(config.router_settings).toMatchObject({ num_retries: 0, timeout: 600, routing_strategy: "simple-shuffle" });
  });

  it("runs LiteLLM on 2 to 6 replicas with 500m/1 CPU and 1Gi", () => {
    const hpa = resourcesOf(example.platform, "kubernetes_horizontal_pod_autoscaler_v2").find((h) => h.metadata.name === "litellm")!;
    expect(hpa.spec).toMatchObject({ min_replicas: 2, max_replicas: 6 });
    expect(example.deployment("litellm").spec.template.spec.container[0].resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "1", memory: "1Gi" },
    });
  });

  it("gives LiteLLM's streams as long to finish as gateway-app waits for them", () => {
    // 10 s pre-stop sleep + 300 s of streams + 5 s margin.
    const pod = example.deployment("litellm").spec.template.spec;
    expect(pod.termination_grace_period_seconds).toBe(315);
    expect(pod.container[0].lifecycle.pre_stop[0].exec.command).toEqual(["sleep", "10"]);
  });

  it("runs gateway-app on 2 to 20 replicas and drains for 300 s", () => {
    const hpa = resourcesOf(example.platform, "kubernetes_horizontal_pod_autoscaler_v2").find((h) => h.metadata.name === "gateway-app")!;
    expect(hpa.spec).toMatchObject({ min_replicas: 2, max_replicas: 20 });
    const env = Object.fromEntries(example.deployment("gateway-app").spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(Number(env.SHUTDOWN_DELAY_MS) + Number(env.SHUTDOWN_GRACE_MS)).toBe(300_000);
    expect(example.deployment("gateway-app").spec.template.spec.termination_grace_period_seconds).toBe(305);
  });
});
