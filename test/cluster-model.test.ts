import { describe, expect, it } from "vitest";
import { buildClusterModel, chartFacts, type ClusterModel } from "./support/cluster-model";
import { kongChart } from "./support/cluster-model/kong-chart";
import { INVARIANTS, inClusterUrls, MANUAL_OBJECTS, manualObjectsAreNeeded } from "./support/cluster-model/invariants";
import { numbersAreNumbers, numberAttributes } from "./support/cluster-model/provider-schema";
import { VARIANTS, variantModel, variantStacks } from "./support/cluster-model/variants";

type InvariantName = keyof typeof INVARIANTS;

describe.each(Object.keys(VARIANTS))("cluster model of %s", (variant) => {
  it("numbers are numbers where the provider schema or the config says so", () => {
    expect(numbersAreNumbers(variantStacks(variant), variantModel(variant))).toEqual([]);
  });

  for (const [name, invariant] of Object.entries(INVARIANTS) as [InvariantName, (m: ClusterModel) => string[]][]) {
    it(name, () => {
      expect(invariant(variantModel(variant))).toEqual([]);
    });
  }
});

/** The example's model with one object changed, to see each invariant catch what it is for. */
function broken(change: (model: any) => void): ClusterModel {
  const model = structuredClone(variantModel("the example app"));
  change(model);
  return model;
}

const app = (m: any) => m.workloads.find((w: any) => w.name === "gateway-app");

describe("the invariants catch what they are for", () => {
  it.each<[InvariantName, (m: any) => void, RegExp]>([
    [
      "every workload selector matches its pod template",
      (m) => {
        app(m).selector = { "app.kubernetes.io/name": "gateway" };
      },
      /gateway-app.*does not match/,
    ],
    [
      "every Service selects pods and targets an existing container port",
      (m) => {
        m.services.find((s: any) => s.name === "litellm").ports[0].targetPort = "metrics";
      },
      /targets "metrics"/,
    ],
    [
      "every in-cluster URL names an existing Service and port",
      (m) => {
        app(m).template.containers[0].env.find((e: any) => e.name === "LITELLM_BASE_URL").value =
          "http://litellm.ai-gateway-router.svc.cluster.local:4001";
      },
      /has no port 4001/,
    ],
    [
      "every in-cluster URL names an existing Service and port",
      (m) => {
        m.configMaps.find((c: any) => c.name === "kong-kong-custom-dbless-config").data["kong.yml"] =
          "url: http://gateway.ai-gateway-app.svc.cluster.local:8080";
      },
      /names no Service/,
    ],
    [
      "every ServiceMonitor and PodMonitor selects a target with its port name",
      (m) => {
        m.customObjects.find((o: any) => o.kind === "PodMonitor").spec.podMetricsEndpoints[0].port = "metrics";
      },
      /no container port named metrics/,
    ],
    [
      "every Workload Identity binding matches an annotated KSA, and back",
      (m) => {
        m.serviceAccounts.find((a: any) => a.name === "litellm").annotations["iam.gke.io/gcp-service-account"] = "other@x.iam.gserviceaccount.com";
      },
      /annotated "other@/,
    ],
    [
      "every mounted Secret, ConfigMap and SecretProviderClass exists",
      (m) => {
        m.configMaps = m.configMaps.filter((c: any) => c.name !== "litellm-config");
      },
      /mounts ConfigMap litellm-config, which nothing creates/,
    ],
    [
      "every mounted Secret, ConfigMap and SecretProviderClass exists",
      (m) => {
        m.google.secrets.set("ai-gw-redis-auth", []);
      },
      /may not read secret ai-gw-redis-auth/,
    ],
    [
      "every file a container names is mounted",
      (m) => {
        app(m).template.containers[0].env.find((e: any) => e.name === "GATEWAY_CONFIG").value = "/etc/gateway/config.json";
      },
      /holds only catalogue.json/,
    ],
    [
      "every PDB selects pods",
      (m) => {
        m.disruptionBudgets.find((p: any) => p.name === "litellm").selector = { "app.kubernetes.io/name": "lite-llm" };
      },
      /litellm.*selects no pods/,
    ],
    [
      "every HPA scales an existing workload",
      (m) => {
        m.autoscalers.find((h: any) => h.name === "gateway-app").target.name = "gateway";
      },
      /scales Deployment gateway/,
    ],
    [
      "every $(VAR) in an env value is defined before it",
      (m) => {
        const kong = m.workloads.find((w: any) => w.name === "kong-kong").template.containers[0];
        kong.env = [...kong.env.filter((e: any) => e.name !== "GATEWAY_EDGE_TOKEN"), ...kong.env.filter((e: any) => e.name === "GATEWAY_EDGE_TOKEN")];
      },
      /env KONG_NGINX_LOCATION_PROXY_SET_HEADER refers to \$\(GATEWAY_EDGE_TOKEN\), which is not defined before it/,
    ],
  ])("%s", (name, change, problem) => {
    expect(INVARIANTS[name](variantModel("the example app")).some((p) => problem.test(p))).toBe(false);
    expect(INVARIANTS[name](broken(change)).join("\n")).toMatch(problem);
  });
});

describe("numbers are numbers", () => {
  it("reads the number-typed attributes from the provider bindings", () => {
    expect(numberAttributes("kubernetes_deployment_v1")).toEqual(
      expect.arrayContaining(["spec.template.spec.container.port.container_port", "spec.template.spec.termination_grace_period_seconds"]),
    );
    // A string in the schema (to tell 0 from unset), so "2" is right here.
    expect(numberAttributes("kubernetes_deployment_v1")).not.toContain("spec.replicas");
    expect(numberAttributes("kubernetes_service_v1")).toContain("spec.port.port");
    expect(numberAttributes("helm_release")).toContain("timeout");
  });

  it("catches a port given as a string in a resource and in a chart's values", () => {
    const stacks = variantStacks("the example app");
    const deployment = Object.values(stacks.platform.resource!.kubernetes_deployment_v1)[0];
    deployment.spec.template.spec.container[0].port[0].container_port = "8080";
    const model = broken((m) => {
      m.releases.find((r: any) => r.chart === "kong").values.proxy.tls.containerPort = "8443";
    });
    expect(numbersAreNumbers(stacks, model)).toEqual([
      expect.stringMatching(/kubernetes_deployment_v1\..*\.spec\.template\.spec\.container\[0\]\.port\[0\]\.container_port is "8080"/),
      expect.stringMatching(/helm_release\..* values\.proxy\.tls\.containerPort is "8443", not a number/),
    ]);
  });
});

describe("the model of the example app", () => {
  const model = variantModel("the example app");

  it("holds the objects both stacks and both charts create", () => {
    expect(model.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).sort()).toEqual([
      "Deployment ai-gateway-app/gateway-app",
      "Deployment ai-gateway-edge/kong-kong",
      "Deployment ai-gateway-observability/otel-collector",
      "Deployment ai-gateway-router/litellm",
      "StatefulSet ai-gateway-observability/prometheus-kube-prometheus-stack-prometheus",
    ]);
    expect(model.services.map((s) => `${s.namespace}/${s.name}:${s.type}`).sort()).toEqual([
      "ai-gateway-app/gateway-app:ClusterIP",
      "ai-gateway-edge/kong-kong-proxy:LoadBalancer",
      "ai-gateway-observability/otel-collector:ClusterIP",
      "ai-gateway-router/litellm:ClusterIP",
    ]);
    expect(model.customObjects.map((o) => `${o.kind} ${o.namespace}/${o.name}`).sort()).toEqual([
      "PodMonitor ai-gateway-observability/kong",
      "SecretProviderClass ai-gateway-app/gateway-app-secrets",
      "SecretProviderClass ai-gateway-edge/kong-proxy-tls",
      "SecretProviderClass ai-gateway-observability/alertmanager-receivers",
      "SecretProviderClass ai-gateway-router/litellm-secrets",
      "ServiceMonitor ai-gateway-observability/gateway-app",
      "ServiceMonitor ai-gateway-observability/litellm",
    ]);
    expect(model.google.workloadIdentity.map((b) => `${b.namespace}/${b.serviceAccount} → ${b.gcpServiceAccount}`).sort()).toEqual([
      "ai-gateway-app/gateway-app → ai-gw-gateway-app@ai-gateway-example.iam.gserviceaccount.com",
      "ai-gateway-edge/kong → ai-gw-kong@ai-gateway-example.iam.gserviceaccount.com",
      "ai-gateway-observability/otel-collector → ai-gw-otel@ai-gateway-example.iam.gserviceaccount.com",
      "ai-gateway-router/litellm → ai-gw-litellm@ai-gateway-example.iam.gserviceaccount.com",
    ]);
  });

  it("gives Kong's pods the chart's labels with podLabels after them, the last of a repeated key winning", () => {
    const example = model.releases.find((r) => r.chart === "kong")!;
    const release = { ...example, values: { ...example.values, podLabels: { "app.kubernetes.io/component": "edge", team: "platform" } } };
    const [kong] = kongChart(release, { apiVersions: new Set() }).objects.workloads;
    expect(kong.selector).toEqual({ "app.kubernetes.io/name": "kong", "app.kubernetes.io/component": "app", "app.kubernetes.io/instance": "kong" });
    expect(kong.template.labels).toEqual({
      "app.kubernetes.io/name": "kong",
      "helm.sh/chart": "kong-3.4.1",
      "app.kubernetes.io/instance": "kong",
      "app.kubernetes.io/managed-by": "Helm",
      "app.kubernetes.io/version": "3.9",
      // The chart writes component: app; podLabels repeat the key, and the last one wins.
      "app.kubernetes.io/component": "edge",
      app: "kong-kong",
      version: "3.9",
      team: "platform",
    });
  });

  it("renders Kong's env as the chart does: KONG_<UPPER> for env, <UPPER> for customEnv", () => {
    const env = model.workloads.find((w) => w.name === "kong-kong")!.template.containers[0].env;
    expect(env.find((e) => e.name === "KONG_SSL_CERT")?.value).toBe("/etc/secrets/kong-proxy-tls/tls.crt");
    expect(env.find((e) => e.name === "KONG_DECLARATIVE_CONFIG")?.value).toBe("/kong_dbless/kong.yml");
    expect(env.find((e) => e.name === "KONG_REDIS_PASSWORD")?.secretKeyRef).toEqual({ name: "kong-redis", key: "password" });
  });

  it("finds in-cluster URLs with and without ports", () => {
    expect(inClusterUrls("a http://litellm.ns.svc.cluster.local:4000/v1 b https://x.y.svc c")).toEqual([
      { url: "http://litellm.ns.svc.cluster.local:4000", service: "litellm", namespace: "ns", port: 4000 },
      { url: "https://x.y.svc", service: "x", namespace: "y", port: 443 },
    ]);
  });

  it("keeps the facts it read from the charts with their sources", () => {
    expect(chartFacts.kong.source).toBe("Kong/charts@kong-3.4.1");
    expect(chartFacts.kubePrometheusStack.source).toBe("prometheus-community/helm-charts@kube-prometheus-stack-88.5.3");
  });

  it("needs no Kubernetes object made by hand: every Secret a pod mounts comes from the stacks or Secret Manager", () => {
    expect(MANUAL_OBJECTS.map((o) => `${o.tier}/${o.name}`)).toEqual([]);
    expect(manualObjectsAreNeeded(model)).toEqual([]);
  });

  it("refuses a chart it has no model for", () => {
    const stacks = variantStacks("the example app");
    const release = Object.values(stacks.platform.resource!.helm_release)[0];
    release.chart = "nginx";
    expect(() => buildClusterModel(stacks)).toThrow(/no chart model for nginx/);
  });
});
