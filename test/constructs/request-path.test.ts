import { describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "cdktf";
import { KongEdge, type KongEdgeProps } from "../../constructs/kong-edge";
import { DEFAULT_MODELS } from "../../lib/catalogue";
import { configChecksum } from "../../lib/configured-workload";
import { fromYaml } from "../../lib/yaml";
import { HardenedWorkload } from "../../lib/workload";
import { synthesizeExample } from "../support/example";
import { publicKeyPem } from "../support/kong-chart";
import { resourcesOf, synthJson } from "../support/terraform";

const example = synthesizeExample();

describe("LiteLLM config.yaml", () => {
  const config = example.liteLlmConfig();

  it("lists every catalogue model on Vertex AI with project and location", () => {
    expect(config.model_list.map((m: any) => m.model_name)).toEqual(DEFAULT_MODELS.map((m) => m.name));
    for (const entry of config.model_list) {
      expect(entry.litellm_params.model).toMatch(/^vertex_ai\//);
      expect(entry.litellm_params).toMatchObject({ vertex_project: "ai-gateway-example", vertex_location: "europe-west4" });
      expect(entry.litellm_params.vertex_credentials).toBeUndefined();
    }
  });

  it("routes with timeouts and Redis-shared state, leaving retries and fallbacks to gateway-app", () => {
    expect(config.router_settings).toMatchObject({
      routing_strategy: "simple-shuffle",
      num_retries: 0,
      timeout: 600,
      redis_host: "os.environ/REDIS_HOST",
      redis_password: "os.environ/REDIS_PASSWORD",
    });
    expect(config.router_settings.fallbacks).toBeUndefined();
  });

  it("caches in Redis over TLS, exports Prometheus metrics, and takes its master key from the environment", () => {
    // Tracing is on in the example: LiteLLM's otel callback beside its Prometheus metrics.
    expect(config.litellm_settings.callbacks).toEqual(["prometheus", "otel"]);
    expect(config.litellm_settings.require_auth_for_metrics_endpoint).toBe(false);
    expect(config.litellm_settings.cache).toBe(true);
    expect(config.litellm_settings.cache_params).toMatchObject({ type: "redis", ssl: true, password: "os.environ/REDIS_PASSWORD" });
    expect(config.general_settings.master_key).toBe("os.environ/LITELLM_MASTER_KEY");
  });

  it("rolls the pods when the config changes (checksum of the rendered files)", () => {
    const annotation = (json: typeof example) => json.deployment("litellm").spec.template.metadata.annotations["checksum/config"];
    expect(annotation(example)).toBe(configChecksum(example.configMap("litellm-config").data));
    expect(configChecksum({ "config.yaml": "a" })).not.toBe(configChecksum({ "config.yaml": "b" }));
    expect(example.deployment("gateway-app").spec.template.metadata.annotations["checksum/config"]).toBe(
      configChecksum(example.configMap("gateway-app-config").data),
    );
  });

  it("probes liveliness and readiness, never /health", () => {
    const container = example.deployment("litellm").spec.template.spec.container[0];
    expect(container.liveness_probe.http_get.path).toBe("/health/liveliness");
    expect(container.readiness_probe.http_get.path).toBe("/health/readiness");
    expect(JSON.stringify(container)).not.toMatch(/"path":"\/health"/);
  });

  it("reads secrets from mounted files, exported only inside the process", () => {
    const container = example.deployment("litellm").spec.template.spec.container[0];
    expect(container.command.join(" ")).toMatch(/LITELLM_MASTER_KEY="\$\(cat \/var\/run\/secrets\/ai-gateway\/litellm-master-key\)"/);
    const spc = resourcesOf(example.platform, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "litellm-secrets")!;
    expect(spc.manifest.kind).toBe("SecretProviderClass");
    expect(fromYaml(spc.manifest.spec.parameters.secrets)).toEqual([
      { resourceName: "projects/ai-gateway-example/secrets/ai-gw-litellm-master-key/versions/latest", path: "litellm-master-key" },
      { resourceName: "projects/ai-gateway-example/secrets/ai-gw-redis-auth/versions/latest", path: "redis-auth" },
    ]);
  });
});

describe("Vertex AI through Workload Identity", () => {
  const infra = example.infrastructure;

  it("binds each KSA to its own Google service account, Vertex AI access only for LiteLLM and gateway-app, and no keys", () => {
    const bindings = resourcesOf(infra, "google_service_account_iam_member");
    expect(bindings.map((b) => b.member).sort()).toEqual([
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-app/gateway-app]",
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-edge/kong]",
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-observability/otel-collector]",
      "serviceAccount:ai-gateway-example.svc.id.goog[ai-gateway-router/litellm]",
    ]);
    expect(bindings.every((b) => b.role === "roles/iam.workloadIdentityUser")).toBe(true);
    const vertex = resourcesOf(infra, "google_project_iam_member").filter((m) => m.role === "roles/aiplatform.user");
    expect(vertex.map((m) => m.member).sort()).toEqual([
      expect.stringContaining("Gateway_AppServiceAccount"),
      expect.stringContaining("Gateway_RouterServiceAccount"),
    ]);
    expect(resourcesOf(infra, "google_service_account_key")).toEqual([]);
    const ksa = resourcesOf(example.platform, "kubernetes_service_account_v1").find((s) => s.metadata.name === "litellm")!;
    expect(ksa.metadata.annotations["iam.gke.io/gcp-service-account"]).toBe("ai-gw-litellm@ai-gateway-example.iam.gserviceaccount.com");
    expect(resourcesOf(infra, "google_service_account").map((s) => s.account_id)).toContain("ai-gw-litellm");
  });

  it("creates Memorystore with AUTH and in-transit encryption on private service access", () => {
    const [redis] = resourcesOf(infra, "google_redis_instance");
    expect(redis).toMatchObject({
      name: "ai-gw-redis",
      auth_enabled: true,
      transit_encryption_mode: "SERVER_AUTHENTICATION",
      connect_mode: "PRIVATE_SERVICE_ACCESS",
      tier: "STANDARD_HA",
    });
    expect(resourcesOf(infra, "google_service_networking_connection")).toHaveLength(1);
  });

  it("declares secrets without values, but for Memorystore's AUTH string; only named workloads may read them", () => {
    expect(
      resourcesOf(infra, "google_secret_manager_secret")
        .map((s) => s.secret_id)
        .sort(),
    ).toEqual([
      "ai-gw-alerts-pagerduty-routing-key",
      "ai-gw-alerts-slack-webhook-url",
      "ai-gw-edge-tls-cert",
      "ai-gw-edge-tls-key",
      "ai-gw-edge-token",
      "ai-gw-litellm-master-key",
      "ai-gw-redis-auth",
    ]);
    // Only the AUTH string, which the instance already holds in state, is copied in by Terraform.
    expect(resourcesOf(infra, "google_secret_manager_secret_version").map((v) => v.secret_data)).toEqual([
      expect.stringMatching(/^\$\{google_redis_instance\.\w+\.auth_string\}$/),
    ]);
    const grants = resourcesOf(infra, "google_secret_manager_secret_iam_member");
    expect(grants.every((g) => g.role === "roles/secretmanager.secretAccessor")).toBe(true);
    // Master key: LiteLLM and gateway-app; AUTH string: LiteLLM, and gateway-app for the example's
    // tenants' limits and budgets; certificate and key: Kong; edge token: gateway-app; the
    // example's two alert receiver credentials: Alertmanager.
    expect(grants).toHaveLength(9);
  });
});

describe("gateway-app deployment", () => {
  const deployment = example.deployment("gateway-app");
  const container = deployment.spec.template.spec.container[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));

  it("runs the pinned image from the Artifact Registry repository", () => {
    expect(container.image).toBe("europe-west4-docker.pkg.dev/ai-gateway-example/ai-gw-images/gateway-app:0.1.0");
  });

  it("points at LiteLLM in-cluster and reads its key from a file", () => {
    expect(env.LITELLM_BASE_URL).toMatch(/^http:\/\/litellm\.\$\{kubernetes_namespace_v1\.\w+\.metadata\[0\]\.name\}\.svc\.cluster\.local:4000$/);
    expect(env.LITELLM_API_KEY_FILE).toBe("/var/run/secrets/ai-gateway/litellm-api-key");
    expect(env.LITELLM_API_KEY).toBeUndefined();
  });

  it("drains streams: app-side delay, grace period longer than delay plus drain", () => {
    expect(Number(env.SHUTDOWN_DELAY_MS)).toBe(10_000);
    expect(deployment.spec.template.spec.termination_grace_period_seconds * 1000).toBeGreaterThan(
      Number(env.SHUTDOWN_DELAY_MS) + Number(env.SHUTDOWN_GRACE_MS),
    );
    expect(container.readiness_probe.http_get.path).toBe("/readyz");
    expect(container.liveness_probe.http_get.path).toBe("/healthz");
  });

  it("has memory for the image's 256 MiB heap limit, requested and limited alike", () => {
    expect(container.resources.requests.memory).toBe("512Mi");
    expect(container.resources.limits.memory).toBe("512Mi");
  });

  it("gets its catalogue from the shared one", () => {
    expect(example.gatewayConfig().models.map((m: any) => m.name)).toEqual(DEFAULT_MODELS.map((m) => m.name));
  });
});

describe("every workload we render", () => {
  const deployments = resourcesOf(example.platform, "kubernetes_deployment_v1");

  it.each(deployments.map((d) => [d.metadata.name, d]))("%s is hardened", (_name, deployment: any) => {
    const pod = deployment.spec.template.spec;
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(Number(pod.security_context.run_as_user)).toBeGreaterThanOrEqual(10000);
    expect(pod.topology_spread_constraint.map((t: any) => t.topology_key)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    for (const container of pod.container) {
      expect(container.security_context).toMatchObject({
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.liveness_probe).toBeDefined();
      expect(container.readiness_probe).toBeDefined();
      expect(container.image).toMatch(/(@sha256:[0-9a-f]{64}|:[\w.-]+)$/);
      expect(container.image).not.toMatch(/:latest$/);
      expect(JSON.stringify(container.env ?? [])).not.toMatch(/secret_key_ref|value_from/);
    }
    expect(deployment.metadata.namespace).not.toBe("default");
  });

  it("each has an HPA and a PDB", () => {
    const names = deployments.map((d) => d.metadata.name).sort();
    expect(
      resourcesOf(example.platform, "kubernetes_horizontal_pod_autoscaler_v2")
        .map((h) => h.spec.scale_target_ref.name)
        .sort(),
    ).toEqual(names);
    expect(
      resourcesOf(example.platform, "kubernetes_pod_disruption_budget_v1")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(names);
  });

  it("refuses an unpinned image", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(
      () =>
        new HardenedWorkload(stack, "w", {
          namespace: "n",
          name: "w",
          component: "c",
          image: "nginx:latest",
          port: { name: "http", containerPort: 80 },
          probes: { liveness: "/", readiness: "/" },
        }),
    ).toThrow(/^test\/w: image is not pinned \(received "nginx:latest"\)\. Fix: use a digest/);
    expect(
      () =>
        new HardenedWorkload(stack, "w2", {
          namespace: "n",
          name: "w",
          component: "c",
          image: "registry.local:5000/nginx",
          port: { name: "http", containerPort: 80 },
          probes: { liveness: "/", readiness: "/" },
        }),
    ).toThrow(/image is not pinned/);
  });
});

describe("Kong declarative configuration", () => {
  const values = example.kongValues();
  const config = example.kongConfig();
  const plugin = (name: string) => config.plugins.find((p: any) => p.name === name);

  it("is DB-less, format 3.0, with the ingress controller off and the admin API closed", () => {
    expect(config._format_version).toBe("3.0");
    expect(values.env.database).toBe("off");
    expect(values.ingressController.enabled).toBe(false);
    expect(values.admin.enabled).toBe(false);
    expect(values.env.admin_listen).toBe("off");
  });

  it("routes /v1 to gateway-app over HTTPS only, redirecting HTTP", () => {
    expect(config.services[0].url).toMatch(
      /^http:\/\/gateway-app\.\$\{kubernetes_namespace_v1\.\w+\.metadata\[0\]\.name\}\.svc\.cluster\.local:8080$/,
    );
    expect(config.services[0].routes[0]).toMatchObject({ paths: ["/v1"], protocols: ["https"], https_redirect_status_code: 308 });
  });

  it("rate-limits by consumer at 100/minute, 1000/hour, 10000/day in Redis over verified TLS", () => {
    expect(plugin("rate-limiting").config).toMatchObject({ minute: 100, hour: 1000, day: 10000, limit_by: "consumer", policy: "redis" });
    expect(plugin("rate-limiting").config.redis).toMatchObject({ ssl: true, ssl_verify: true, password: "{vault://env/kong-redis-password}" });
    expect(values.customEnv.kong_redis_password.valueFrom.secretKeyRef).toEqual({ name: "kong-redis", key: "password" });
  });

  it("verifies JWT expiry, on OPTIONS requests too, and lets only API-key callers (team-b has keys) on as the anonymous consumer", () => {
    expect(plugin("jwt").config).toMatchObject({ claims_to_verify: ["exp"], key_claim_name: "iss", run_on_preflight: true });
    expect(plugin("jwt").config.anonymous).toBe("api-key-caller");
  });

  it("turns on every Prometheus metric family, echoes X-Request-ID, limits body size, adds security headers", () => {
    expect(plugin("prometheus").config).toMatchObject({
      status_code_metrics: true,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
    });
    expect(plugin("correlation-id").config).toMatchObject({ header_name: "X-Request-ID", echo_downstream: true });
    expect(plugin("request-size-limiting").config).toMatchObject({ allowed_payload_size: 1, size_unit: "megabytes" });
    expect(plugin("response-transformer").config.add.headers).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Strict-Transport-Security:/), "X-Content-Type-Options:nosniff"]),
    );
  });

  it("sends no CORS headers unless origins are listed", () => {
    expect(plugin("cors")).toBeUndefined();
  });

  it("runs hardened, autoscaled, spread, with a PDB and a graceful kong quit (drain: kong-edge.test.ts)", () => {
    expect(values.containerSecurityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(values.deployment.serviceAccount.automountServiceAccountToken).toBe(false);
    expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 10 });
    expect(values.podDisruptionBudget.enabled).toBe(true);
    expect(values.lifecycle.preStop.exec.command).toEqual(["kong", "quit", "--wait=30", "--timeout=315"]);
    expect(values.proxy.loadBalancerIP).toMatch(/^\$\{data\.google_compute_address\.\w+\.address\}$/);
  });

  it("pins the chart version", () => {
    const release = resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kong")!;
    expect(release).toMatchObject({ repository: "https://charts.konghq.com", version: "3.4.1" });
  });
});

describe("KongEdge props", () => {
  const base: KongEdgeProps = { namespace: "edge", tls: { secretName: "tls" }, loadBalancerIp: "203.0.113.10", replicas: { max: 1, min: 1 } };
  const edge = (props: Partial<KongEdgeProps> = {}) =>
    new KongEdge(new TerraformStack(new App({ outdir: "/tmp/unused" }), "test"), "edge", { ...base, ...props });
  /** The values as synthesized: consumers and routes added after construction must be there. */
  const synthesizedValues = (kong: KongEdge) => fromYaml(resourcesOf(synthJson(kong.node.scope as TerraformStack), "helm_release")[0].values[0]);
  const PUBLIC_KEY = publicKeyPem();

  it("adds consumers with RS256 keys and routes through addConsumer/addRoute", () => {
    const kong = edge();
    kong.addConsumer({ username: "team-a", customId: "tenant-a", rsaPublicKey: PUBLIC_KEY });
    kong.addRoute({ name: "extra", url: "http://x.y.svc.cluster.local:80", paths: ["/extra"] });
    const config: any = kong.declarativeConfig();
    expect(config.consumers).toEqual([
      { username: "team-a", custom_id: "tenant-a", jwt_secrets: [{ key: "team-a", algorithm: "RS256", rsa_public_key: PUBLIC_KEY.trim() }] },
    ]);
    expect(config.services.map((s: any) => s.name)).toEqual(["extra"]);
    expect(fromYaml(synthesizedValues(kong).dblessConfig.config).consumers[0].username).toBe("team-a");
  });

  it("renders its values again when a route or consumer is added after a synth", () => {
    const kong = edge();
    kong.addRoute({ name: "first", url: "http://x.y.svc.cluster.local:80", paths: ["/first"] });
    const routesIn = (values: any) => fromYaml(values.dblessConfig.config).services.map((s: any) => s.name);
    expect(routesIn(synthesizedValues(kong))).toEqual(["first"]);
    kong.addRoute({ name: "second", url: "http://x.y.svc.cluster.local:80", paths: ["/second"] });
    kong.addConsumer({ username: "late", rsaPublicKey: PUBLIC_KEY });
    const values = synthesizedValues(kong);
    expect(routesIn(values)).toEqual(["first", "second"]);
    expect(fromYaml(values.dblessConfig.config).consumers.map((c: any) => c.username)).toEqual(["late"]);
  });

  it("uses local counting for a single replica", () => {
    expect((edge().declarativeConfig() as any).plugins.find((p: any) => p.name === "rate-limiting").config.policy).toBe("local");
  });

  it("configures CORS for explicit origins only", () => {
    const cors = (edge({ corsOrigins: ["https://app.example.com"] }).declarativeConfig() as any).plugins.find((p: any) => p.name === "cors");
    expect(cors.config.origins).toEqual(["https://app.example.com"]);
    expect(() => edge({ corsOrigins: ["*"] })).toThrow(/corsOrigins holds "\*", which is not an explicit origin/);
  });

  it("throws when several replicas would count rate limits per pod", () => {
    expect(() => edge({ replicas: { min: 2, max: 4 } })).toThrow(
      /^test\/edge: rateLimitRedis is required when more than one replica can run \(replicas\.max is 4\)/,
    );
  });

  it("throws on a private key or HMAC secret given as a consumer key", () => {
    expect(() => edge().addConsumer({ username: "x", rsaPublicKey: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----" })).toThrow(
      /rsaPublicKey is not a PEM public key/,
    );
    expect(() => edge().addConsumer({ username: "x", rsaPublicKey: "hmac-shared-secret" })).toThrow(/never a private key or an HMAC secret/);
  });

  it("throws on rate limits that shrink with the period and on bad source ranges", () => {
    expect(() => edge({ rateLimits: { minute: 500, hour: 100 } })).toThrow(/rateLimits must not shrink with a longer period/);
    expect(() => edge({ sourceRanges: ["10.0.0.1/8"] })).toThrow(/sourceRanges\[0\] has host bits set/);
  });

  it("can take its certificate from cert-manager", () => {
    const values = synthesizedValues(edge({ tls: { certManager: { clusterIssuer: "letsencrypt", dnsNames: ["api.example.com"] } } }));
    expect(values.certificates).toMatchObject({
      enabled: true,
      clusterIssuer: "letsencrypt",
      proxy: { enabled: true, commonName: "api.example.com", dnsNames: [] },
    });
  });
});
