import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { API_KEY_CONSUMER, KongEdge, type KongEdgeProps } from "../../constructs/kong-edge";
import { KONG_CHART_FACTS, KONG_FACTS } from "../../lib/upstream-facts";
import { fromYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { chartReadsKey, kongPodTemplateLabels, pdbRenderFailure, publicKeyPem, selects, valuesKeyPaths } from "../support/kong-chart";
import { resourcesOf, synthJson } from "../support/terraform";

const example = synthesizeExample();
const REDIS = {
  host: "10.0.0.3",
  port: "6378",
  caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
  passwordSecret: { name: "kong-redis", key: "password" },
};
const base: KongEdgeProps = { namespace: "edge", tls: { secretName: "kong-proxy-tls" }, loadBalancerIp: "203.0.113.10", rateLimitRedis: REDIS };
const edge = (props: Partial<KongEdgeProps> = {}) =>
  new KongEdge(new TerraformStack(new App({ outdir: "/tmp/unused" }), "test"), "edge", { ...base, ...props });
const values = (props: Partial<KongEdgeProps> = {}) => edge(props).helmValues() as any;
const single: Partial<KongEdgeProps> = { replicas: { min: 1, max: 1 }, rateLimitRedis: undefined };

describe("Kong pod labels on the real chart", () => {
  const kongValues = example.kongValues();
  const pod = kongPodTemplateLabels(kongValues);

  it("sets no label the chart owns, so its selectors still match the pod template", () => {
    const chartOwned: string[] = KONG_CHART_FACTS.podLabels.chartRendered.map(([key]) => key);
    expect(Object.keys(kongValues.podLabels).filter((key) => chartOwned.includes(key))).toEqual([]);
    expect(selects(KONG_CHART_FACTS.selectors.deployment, pod)).toBe(true);
    expect(selects(KONG_CHART_FACTS.selectors.proxyService, pod)).toBe(true);
    expect(selects(KONG_CHART_FACTS.selectors.podDisruptionBudget, pod)).toBe(true);
  });

  it("carries our tier label, which the edge NetworkPolicy and Kong's PodMonitor select", () => {
    expect(pod["ai-gateway/tier"]).toBe("edge");
    const edgePolicy = resourcesOf(example.platform, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "ai-gateway-edge")!;
    expect(edgePolicy.spec.pod_selector.match_labels).toEqual({ "ai-gateway/tier": "edge" });
    expect(selects(edgePolicy.spec.pod_selector.match_labels, pod)).toBe(true);
    const observability = fromYaml(resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!.values[0]);
    const monitor = observability.prometheus.additionalPodMonitors.find((m: any) => m.name === "kong");
    expect(selects(monitor.selector.matchLabels, pod)).toBe(true);
  });

  it("lets gateway-app and Prometheus peers select Kong by the same label", () => {
    const peers = resourcesOf(example.platform, "kubernetes_network_policy_v1")
      .flatMap((p) => [...(p.spec.ingress ?? []).flatMap((r: any) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r: any) => r.to ?? [])])
      .filter((peer: any) => JSON.stringify(peer.namespace_selector ?? {}).includes("edge") && peer.pod_selector);
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) expect(selects(peer.pod_selector.match_labels, pod)).toBe(true);
  });

  it("can add pod labels, and throws on a key the chart or our policies own", () => {
    expect(values({ podLabels: { team: "platform" } }).podLabels).toEqual({
      "app.kubernetes.io/part-of": "ai-gateway",
      team: "platform",
      "ai-gateway/tier": "edge",
    });
    expect(() => edge({ podLabels: { "app.kubernetes.io/component": "edge" } })).toThrow(
      /^test\/edge: podLabels would replace labels the Kong chart sets itself \(app\.kubernetes\.io\/component\)/,
    );
    expect(() => edge({ podLabels: { "app.kubernetes.io/managed-by": "cdktf" } })).toThrow(
      /podLabels would replace labels the Kong chart sets itself/,
    );
    expect(() => edge({ podLabels: { "ai-gateway/tier": "app" } })).toThrow(
      /podLabels would replace ai-gateway\/tier, which our NetworkPolicies and Prometheus select Kong by/,
    );
  });
});

describe("Kong TLS", () => {
  const certManager = { certManager: { clusterIssuer: "letsencrypt", dnsNames: ["api.example.com", "api2.example.com"] } };

  it("points ssl_cert where the chart mounts the cert-manager certificate", () => {
    const v = values({ tls: certManager });
    expect(v.env.ssl_cert).toBe("/etc/cert-manager/proxy/tls.crt");
    expect(v.env.ssl_cert_key).toBe("/etc/cert-manager/proxy/tls.key");
    expect(v.env.ssl_cert.startsWith(KONG_CHART_FACTS.certManager.proxyMountDir)).toBe(true);
  });

  it("requests only the proxy certificate, its common name listed once", () => {
    const certificates = values({ tls: certManager }).certificates;
    for (const name of KONG_CHART_FACTS.certManager.enabledByDefault.filter((n) => n !== "proxy"))
      expect(certificates[name]).toEqual({ enabled: false });
    expect(certificates.proxy).toEqual({ enabled: true, commonName: "api.example.com", dnsNames: ["api2.example.com"] });
  });

  it("mounts a named Secret where the chart puts secretVolumes", () => {
    const v = values({ tls: { secretName: "my-tls" } });
    expect(v.secretVolumes).toEqual(["my-tls"]);
    expect(v.env.ssl_cert).toBe("/etc/secrets/my-tls/tls.crt");
  });

  it("rolls Kong through Reloader when its certificate Secret changes, by default", () => {
    expect(values({ tls: certManager }).deploymentAnnotations).toEqual({ "secret.reloader.stakater.com/reload": "kong-kong-proxy-cert" });
    expect(values({ tls: { secretName: "my-tls" } }).deploymentAnnotations).toEqual({ "secret.reloader.stakater.com/reload": "my-tls" });
    expect(KONG_CHART_FACTS.deploymentAnnotationsOnDeploymentMetadata).toBe(true);
  });

  it("can leave rollouts after a renewal to the operator", () => {
    expect(values({ tls: { secretName: "my-tls", rolloutOnRenewal: "manual" } }).deploymentAnnotations).toBeUndefined();
  });

  const secretManager = { secretManager: { projectId: "acme-prod", certificateSecret: "acme-edge-tls-cert", keySecret: "acme-edge-tls-key" } };
  const fromSecretManager = (version?: string) =>
    edge({
      tls: { secretManager: { ...secretManager.secretManager, version } },
      workloadIdentityServiceAccount: "acme-kong@acme-prod.iam.gserviceaccount.com",
    });

  it("mounts the certificate and key from Secret Manager through Kong's own Workload Identity", () => {
    const kong = fromSecretManager();
    const v = kong.helmValues() as any;
    expect(v.env.ssl_cert).toBe("/etc/secrets/kong-proxy-tls/tls.crt");
    expect(v.env.ssl_cert_key).toBe("/etc/secrets/kong-proxy-tls/tls.key");
    expect(v.deployment.serviceAccount).toEqual({
      create: true,
      automountServiceAccountToken: false,
      name: "kong",
      annotations: { "iam.gke.io/gcp-service-account": "acme-kong@acme-prod.iam.gserviceaccount.com" },
    });
    expect(v.deployment.userDefinedVolumes).toContainEqual({
      name: "proxy-tls",
      csi: { driver: "secrets-store-gke.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "kong-proxy-tls" } },
    });
    expect(v.deployment.userDefinedVolumeMounts).toContainEqual({ name: "proxy-tls", mountPath: "/etc/secrets/kong-proxy-tls", readOnly: true });
    expect(v.secretVolumes).toBeUndefined();
    const json = synthJson(kong.node.scope as TerraformStack);
    const spc = resourcesOf(json, "kubernetes_manifest").find((m) => m.manifest.kind === "SecretProviderClass")!;
    expect(fromYaml(spc.manifest.spec.parameters.secrets)).toEqual([
      { resourceName: "projects/acme-prod/secrets/acme-edge-tls-cert/versions/latest", path: "tls.crt" },
      { resourceName: "projects/acme-prod/secrets/acme-edge-tls-key/versions/latest", path: "tls.key" },
    ]);
    // The release waits for what its pods mount, so its atomic install cannot time out on them.
    const [release] = Object.values(json.resource!.helm_release as Record<string, any>);
    expect(release.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\./), expect.stringMatching(/^kubernetes_config_map_v1\./)]),
    );
  });

  it("rolls Kong when a pinned certificate version changes, through the pod template", () => {
    const annotations = (version?: string) => (fromSecretManager(version).helmValues() as any).podAnnotations;
    expect(annotations()).toEqual({ "ai-gateway/tls-certificate-version": "latest" });
    expect(annotations("3")).toEqual({ "ai-gateway/tls-certificate-version": "3" });
    expect((fromSecretManager("3").helmValues() as any).deploymentAnnotations).toBeUndefined();
    expect(chartReadsKey("podAnnotations")).toBe(true);
  });

  it("throws on a version Secret Manager has no name for, or without a Google identity to read it", () => {
    expect(() => fromSecretManager("v3")).toThrow(/^test\/edge: tls\.secretManager\.version is not a Secret Manager version \(received "v3"\)/);
    expect(() => edge({ tls: secretManager })).toThrow(/workloadIdentityServiceAccount is required with tls\.secretManager/);
  });

  it("trusts every CA of a Memorystore bundle", () => {
    const bundle = `${REDIS.caCertificate}\n${REDIS.caCertificate.replace("MIIB", "MIIC")}\n`;
    const kong = edge({ rateLimitRedis: { ...REDIS, caCertificate: bundle } });
    const configMap = resourcesOf(synthJson(kong.node.scope as TerraformStack), "kubernetes_config_map_v1")[0];
    expect(configMap.data["ca.pem"]).toBe(bundle);
    expect(KONG_FACTS.trustedCertificateFilesReadWhole).toBe(true);
    expect(() => edge({ rateLimitRedis: { ...REDIS, caCertificate: "not a certificate" } })).toThrow(
      /rateLimitRedis\.caCertificate is not a bundle of PEM certificates/,
    );
  });
});

describe("Kong replicas on the chart's PDB template", () => {
  it("default: 2 to 10 replicas with a PDB that renders", () => {
    const v = example.kongValues();
    expect(v.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 10 });
    expect(v.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(pdbRenderFailure(v)).toBeUndefined();
  });

  it("can run a single pod, without PDB or autoscaler", () => {
    const v = values(single);
    expect(v.podDisruptionBudget).toEqual({ enabled: false });
    expect(v.autoscaling.enabled).toBe(false);
    expect(v.replicaCount).toBe(1);
    expect(pdbRenderFailure(v)).toBeUndefined();
  });

  it("throws on one minimum replica with more allowed, which the chart cannot render with a PDB", () => {
    expect(() => edge({ replicas: { min: 1, max: 3 } })).toThrow(
      new RegExp(
        String.raw`^test\/edge: replicas\.min must be at least 2 when more than one replica can run \(replicas\.max is 3\).*Fix: set ` +
          String.raw`replicas\.min to 2 or more, or run a single pod with replicas \{ min: 1, max: 1 \}`,
      ),
    );
  });

  it("leads a single-replica setup without Redis to a combination that renders", () => {
    expect(() => edge({ replicas: { min: 2, max: 4 }, rateLimitRedis: undefined })).toThrow(/Fix: .*replicas \{ min: 1, max: 1 \}/);
  });
});

describe("Kong drain on shutdown", () => {
  const kongValues = example.kongValues();
  const backend = example.deployment("gateway-app").spec.template.spec;
  const backendEnv = Object.fromEntries(backend.container[0].env.map((e: any) => [e.name, e.value]));

  it("default: 30 s deregistration, 310 s nginx drain, kong quit waits 315 s, 350 s grace", () => {
    expect(kongValues.lifecycle.preStop.exec.command).toEqual(["kong", "quit", "--wait=30", "--timeout=315"]);
    expect(kongValues.env.nginx_main_worker_shutdown_timeout).toBe("310s");
    expect(kongValues.terminationGracePeriodSeconds).toBe(350);
    expect(Number(backendEnv.SHUTDOWN_DELAY_MS) + Number(backendEnv.SHUTDOWN_GRACE_MS)).toBe(300_000);
    expect(backend.termination_grace_period_seconds).toBe(305);
  });

  it("orders the tiers: Kong grace > kong quit > Kong drain > gateway-app drain, gateway-app grace > its drain", () => {
    const [, , wait, timeout] = kongValues.lifecycle.preStop.exec.command.map((arg: string) => Number(arg.split("=")[1]));
    const kongDrain = Number(kongValues.env.nginx_main_worker_shutdown_timeout.replace(/s$/, ""));
    const appDrain = (Number(backendEnv.SHUTDOWN_DELAY_MS) + Number(backendEnv.SHUTDOWN_GRACE_MS)) / 1000;
    expect(kongValues.terminationGracePeriodSeconds).toBeGreaterThan(wait + timeout);
    expect(timeout).toBeGreaterThan(kongDrain);
    expect(kongDrain).toBeGreaterThan(appDrain);
    expect(backend.termination_grace_period_seconds).toBeGreaterThan(appDrain);
    // Without --timeout, kong quit TERMs nginx 10 s after QUIT, whatever the drain.
    expect(timeout).toBeGreaterThan(KONG_FACTS.quit.defaultTimeoutSeconds);
  });

  it("sets the drain through the directive Kong injects into nginx's main block", () => {
    const directive = Object.keys(kongValues.env).find((key) => key.endsWith("worker_shutdown_timeout"))!;
    expect(directive.startsWith(KONG_FACTS.injectedNginxDirectivePrefixes.main)).toBe(true);
  });

  it("can drain longer, keeping the order", () => {
    const v = values({ drainSeconds: 900 });
    expect(v.env.nginx_main_worker_shutdown_timeout).toBe("900s");
    expect(v.lifecycle.preStop.exec.command).toEqual(["kong", "quit", "--wait=30", "--timeout=905"]);
    expect(v.terminationGracePeriodSeconds).toBe(940);
    expect(() => edge({ drainSeconds: 0 })).toThrow(/drainSeconds must be a whole number of at least 1/);
  });
});

describe("Kong request body size", () => {
  it("caps nginx's body size at the request-size-limiting limit, in the http block", () => {
    const kongValues = example.kongValues();
    const plugin = fromYaml(kongValues.dblessConfig.config).plugins.find((p: any) => p.name === "request-size-limiting").config;
    expect(kongValues.env.nginx_http_client_max_body_size).toBe("1m");
    expect(plugin).toMatchObject({ allowed_payload_size: 1, size_unit: "megabytes" });
    // Both count 2^20 bytes to the megabyte.
    expect(KONG_FACTS.requestSizeLimitingBytesPerMegabyte).toBe(1024 * 1024);
    expect(Object.keys(KONG_FACTS.defaults)).toContain("nginx_http_client_max_body_size");
  });

  it("follows maxBodyMegabytes", () => {
    expect(values({ maxBodyMegabytes: 8 }).env.nginx_http_client_max_body_size).toBe("8m");
  });
});

describe("Kong consumers", () => {
  const kong = () => edge();

  it("throws on two consumers with the same issuer, which Kong rejects as a duplicate jwt_secrets.key", () => {
    const k = kong();
    k.addConsumer({ username: "team-a", issuer: "https://idp.example.com", rsaPublicKey: publicKeyPem() });
    expect(() => k.addConsumer({ username: "team-b", issuer: "https://idp.example.com", rsaPublicKey: publicKeyPem() })).toThrow(
      /^test\/edge: consumer team-b\.issuer "https:\/\/idp\.example\.com" is already the issuer of consumer "team-a"/,
    );
  });

  it("throws on a default issuer equal to another consumer's issuer", () => {
    const k = kong();
    k.addConsumer({ username: "team-a", issuer: "team-b", rsaPublicKey: publicKeyPem() });
    expect(() => k.addConsumer({ username: "team-b", rsaPublicKey: publicKeyPem() })).toThrow(
      /consumer team-b\.issuer "team-b" is already the issuer of consumer "team-a"/,
    );
  });

  it("throws on a repeated customId", () => {
    const k = kong();
    k.addConsumer({ username: "team-a", customId: "t1", rsaPublicKey: publicKeyPem() });
    expect(() => k.addConsumer({ username: "team-b", customId: "t1", rsaPublicKey: publicKeyPem() })).toThrow(
      /consumer team-b\.customId "t1" is already the customId of consumer "team-a"/,
    );
  });

  it("throws on a key that does not parse", () => {
    const broken = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest\n-----END PUBLIC KEY-----";
    expect(() => kong().addConsumer({ username: "x", rsaPublicKey: broken })).toThrow(/consumer x\.rsaPublicKey cannot be parsed as a public key/);
  });

  it("throws on an RSA key under 2048 bits and on a non-RSA key", () => {
    expect(() => kong().addConsumer({ username: "x", rsaPublicKey: publicKeyPem("rsa-1024") })).toThrow(
      /consumer x\.rsaPublicKey is an RSA key of 1024 bits\. Fix: use an RSA key of at least 2048 bits/,
    );
    expect(() => kong().addConsumer({ username: "x", rsaPublicKey: publicKeyPem("ec") })).toThrow(
      /consumer x\.rsaPublicKey is a ec key, and RS256 needs RSA/,
    );
  });

  it("renders each of a consumer's keys as a jwt_secrets entry under its own issuer, and refuses an issuer another consumer has", () => {
    const k = kong();
    const [first, second] = [publicKeyPem(), publicKeyPem()];
    k.addConsumer({ username: "team-a", rsaPublicKey: first, additionalKeys: [{ issuer: "team-a-ci", rsaPublicKey: second }] });
    expect((k.declarativeConfig() as any).consumers[0].jwt_secrets).toEqual([
      { key: "team-a", algorithm: "RS256", rsa_public_key: first.trim() },
      { key: "team-a-ci", algorithm: "RS256", rsa_public_key: second.trim() },
    ]);
    expect(() =>
      k.addConsumer({ username: "team-b", rsaPublicKey: publicKeyPem(), additionalKeys: [{ issuer: "team-a-ci", rsaPublicKey: second }] }),
    ).toThrow(/consumer team-b\.additionalKeys\[0\]\.issuer "team-a-ci" is already the issuer of consumer "team-a"/);
    expect(() =>
      kong().addConsumer({ username: "x", rsaPublicKey: first, additionalKeys: [{ issuer: "x2", rsaPublicKey: publicKeyPem("rsa-1024") }] }),
    ).toThrow(/consumer x\.additionalKeys\[0\]\.rsaPublicKey is an RSA key of 1024 bits/);
  });

  it("accepts a 2048-bit RSA key", () => {
    const k = kong();
    k.addConsumer({ username: "team-a", rsaPublicKey: publicKeyPem() });
    expect((k.declarativeConfig() as any).consumers[0].jwt_secrets[0]).toMatchObject({ key: "team-a", algorithm: "RS256" });
  });
});

type Request = { method: string; headers: Record<string, string>; token: boolean };
type Outcome =
  | { readonly to: "gateway-app"; readonly consumer: string; readonly headers: Record<string, string>; readonly limitBy: string }
  | { readonly to: "answered by cors" | "rejected by jwt" };

/** The plugin instance Kong runs for this consumer: its own before the global one (KONG_FACTS.pluginScoping). */
function instanceFor(config: any, name: string, consumer: string): any {
  expect(KONG_FACTS.pluginScoping.lookupOrder.indexOf("consumer")).toBeLessThan(KONG_FACTS.pluginScoping.lookupOrder.indexOf("global"));
  const scoped = config.consumers.find((c: any) => c.username === consumer)?.plugins?.find((p: any) => p.name === name);
  return scoped ?? config.plugins.find((p: any) => p.name === name);
}

/** The access phase of Kong's plugin chain, in priority order, as the 3.9.1 handlers behave (KONG_FACTS). */
function accessPhase(config: any, request: Request, tokenOf = "team-a"): Outcome {
  const priorities: Record<string, number> = KONG_FACTS.pluginPriorities;
  const chain = [...config.plugins].sort((a: any, b: any) => priorities[b.name] - priorities[a.name]);
  const { corsAnswersWhen, jwtSkipsWhen } = KONG_FACTS.preflight;
  let consumer = "";
  let headers: Record<string, string> = {};
  for (const plugin of chain) {
    if (plugin.name === "cors") {
      const preflight = request.method === corsAnswersWhen.method && corsAnswersWhen.headers.every((h) => h in request.headers);
      if (preflight && !plugin.config[corsAnswersWhen.unlessConfig]) return { to: "answered by cors" };
    }
    if (plugin.name === "jwt") {
      const skipped = request.method === jwtSkipsWhen.method && plugin.config[jwtSkipsWhen.configFalse] === false;
      if (!skipped && request.token) consumer = tokenOf;
      else if (!skipped && plugin.config.anonymous) {
        consumer = plugin.config.anonymous;
        headers = { ...KONG_FACTS.jwtAnonymous.setHeaders };
      } else if (!skipped) return { to: "rejected by jwt" };
    }
  }
  return { to: "gateway-app", consumer, headers, limitBy: instanceFor(config, "rate-limiting", consumer).config.limit_by };
}

describe("Kong authentication and CORS preflights", () => {
  const preflight: Request = {
    method: "OPTIONS",
    headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    token: false,
  };
  const anonymous: Request[] = [
    preflight,
    { method: "OPTIONS", headers: {}, token: false },
    { method: "OPTIONS", headers: { origin: "https://app.example.com", "x-consumer-username": "team-a" }, token: false },
    { method: "POST", headers: { "x-consumer-username": "team-a" }, token: false },
    { method: "GET", headers: {}, token: false },
  ];
  const withCors = edge({ corsOrigins: ["https://app.example.com"] }).declarativeConfig();
  const jwtOnly = edge().declarativeConfig();
  // The example app has a tenant with API keys (team-b), so its edge lets API-key callers through.
  const withApiKeys = example.kongConfig();

  it("knows the priority of every plugin we enable", () => {
    for (const plugin of (withCors as any).plugins) expect(KONG_FACTS.pluginPriorities).toHaveProperty([plugin.name]);
  });

  it.each(anonymous.map((r) => [`${r.method} ${Object.keys(r.headers).join(",") || "(no headers)"}`, r]))(
    "lets no unauthenticated request reach gateway-app, but as the API-key consumer it refuses without a key: %s",
    (_name, request) => {
      expect(accessPhase(withCors, request as Request).to).not.toBe("gateway-app");
      expect(accessPhase(jwtOnly, request as Request).to).not.toBe("gateway-app");
      const outcome = accessPhase(withApiKeys, request as Request);
      if (outcome.to === "gateway-app") {
        expect(outcome.consumer).toBe(API_KEY_CONSUMER);
        expect(outcome.headers).toEqual({ "X-Anonymous-Consumer": "true" });
      }
    },
  );

  it("lets browsers read the headers gateway-app and Kong answer with: request id, rate limits, budget reset, trace id", () => {
    const exposed = (config: unknown) => (config as any).plugins.find((p: { name: string }) => p.name === "cors").config.exposed_headers;
    const base = [
      "X-Request-ID",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "RateLimit",
      "RateLimit-Policy",
      "Retry-After",
      "X-Budget-Reset",
    ];
    expect(exposed(withCors)).toEqual(base);
    const traced = edge({ corsOrigins: ["https://app.example.com"], tracing: { tracesEndpoint: "http://c:4318/v1/traces", samplingRatio: 0.05 } });
    expect(exposed(traced.declarativeConfig())).toEqual([...base, "X-Trace-Id"]);
  });

  it("answers a CORS preflight at Kong when origins are listed", () => {
    expect(accessPhase(withCors, preflight).to).toBe("answered by cors");
    expect(accessPhase(jwtOnly, preflight).to).toBe("rejected by jwt");
  });

  it("proxies a request with a valid token as its consumer, limited per consumer", () => {
    expect(accessPhase(withCors, { method: "POST", headers: {}, token: true })).toEqual({
      to: "gateway-app",
      consumer: "team-a",
      headers: {},
      limitBy: "consumer",
    });
    expect(accessPhase(withApiKeys, { method: "POST", headers: {}, token: true }, "team-b")).toMatchObject({
      consumer: "team-b",
      limitBy: "consumer",
    });
  });

  it("sends a request without a valid JWT on as the API-key consumer, limited per client IP, when a tenant has API keys", () => {
    const forged: Request = { method: "POST", headers: { "x-consumer-username": "team-a" }, token: false };
    expect(accessPhase(withApiKeys, forged)).toEqual({
      to: "gateway-app",
      consumer: "api-key-caller",
      headers: { "X-Anonymous-Consumer": "true" },
      limitBy: "ip",
    });
    expect(accessPhase(jwtOnly, forged)).toEqual({ to: "rejected by jwt" });
  });

  it("accepts only literal origins, which the cors plugin never reads as a regular expression", () => {
    expect(() => edge({ corsOrigins: ["https://*.example.com"] })).toThrow(
      /corsOrigins holds "https:\/\/\*\.example\.com", which is not an explicit origin/,
    );
    expect(() => edge({ corsOrigins: ["https://app.example.com:8443"] })).not.toThrow();
  });
});

describe("Kong lets API-key callers through to gateway-app (apiKeyCallers)", () => {
  const config = (props: Partial<KongEdgeProps> = {}) => edge({ apiKeyCallers: {}, ...props }).declarativeConfig() as any;
  const callerConsumer = (c: any) => c.consumers.find((x: any) => x.username === API_KEY_CONSUMER);

  it("sets the jwt plugin's anonymous to a consumer without credentials, so Kong sees no API key", () => {
    const c = config();
    expect(c.plugins.find((p: any) => p.name === "jwt").config.anonymous).toBe("api-key-caller");
    expect(callerConsumer(c)).toEqual({ username: "api-key-caller", plugins: [expect.objectContaining({ name: "rate-limiting" })] });
    expect(JSON.stringify(c)).not.toMatch(/sk-gw-/);
  });

  it("limits API-key callers per client IP, never by a header (which would put raw keys in Redis key names)", () => {
    const c = config();
    const own = callerConsumer(c).plugins[0].config;
    expect(own).toMatchObject({ minute: 100, hour: 1000, day: 10000, limit_by: "ip", policy: "redis", fault_tolerant: true });
    expect(own.redis).toEqual(c.plugins.find((p: any) => p.name === "rate-limiting").config.redis);
    expect(KONG_FACTS.rateLimitingIdentifier.header).toBe("raw header value");
    const limiters = [...c.plugins, ...c.consumers.flatMap((x: any) => x.plugins ?? [])].filter((p: any) => p.name === "rate-limiting");
    expect(limiters.map((p: any) => [p.config.limit_by, p.config.header_name])).toEqual([
      ["consumer", undefined],
      ["ip", undefined],
    ]);
    expect(KONG_FACTS.pluginScoping.rateLimitingTakesConsumerScope).toBe(true);
  });

  it("leaves Kong's rate-limiting answer headers to Kong: gateway-app's tenant limits answer under other names", async () => {
    const { RateLimiter, rateLimitHeaders } = await import("../../gateway-app/src/governance/rate-limits.js");
    const limiter = new RateLimiter({} as never, () => ({ requestsPerMinute: 60, tokensPerMinute: 1000 }));
    const limits = limiter.activeLimits("tenant");
    const refused = limiter.judge(limits, 5000, [
      [1, 59, 1000, 0],
      [0, 0, 60_000, 5000],
    ]);
    if (refused.ok) throw new Error("expected the token limit to refuse");
    const sent = new Set([...Object.keys(rateLimitHeaders(limits[0], 10, 1000)), ...Object.keys(refused.refusal.headers)]);
    const kongs = KONG_FACTS.rateLimitingAnswerHeaders;
    expect(KONG_FACTS.rateLimitingAnswerHeaders.setInPhase).toBe("access");
    expect([...sent]).toEqual(["ratelimit", "ratelimit-policy", "retry-after"]);
    for (const name of sent) {
      expect(kongs.closestLimit.map((h) => h.toLowerCase())).not.toContain(name);
      expect(kongs.perPeriodPrefixes.some((prefix) => name.startsWith(prefix.toLowerCase()))).toBe(false);
    }
    // Retry-After is Kong's only on its own 429, which never reaches gateway-app.
    expect(kongs.onItsOwnRefusal).toEqual(["Retry-After"]);
  });

  it("can give API-key callers their own per-IP limits, checked like rateLimits", () => {
    const own = callerConsumer(config({ apiKeyCallers: { rateLimits: { minute: 20 } } })).plugins[0].config;
    expect(own).toMatchObject({ minute: 20, hour: 1000, day: 10000 });
    expect(() => edge({ apiKeyCallers: { rateLimits: { minute: 0 } } })).toThrow(/apiKeyCallers\.rateLimits\.minute must be a whole number above 0/);
    expect(() => edge({ apiKeyCallers: { rateLimits: { minute: 5000 } } })).toThrow(/apiKeyCallers\.rateLimits must not shrink/);
  });

  it("changes nothing without API-key callers: no anonymous, no extra consumer", () => {
    const c = edge().declarativeConfig() as any;
    expect(c.plugins.find((p: any) => p.name === "jwt").config).not.toHaveProperty("anonymous");
    expect(c.consumers).toEqual([]);
  });

  it("refuses a consumer named like the API-key consumer", () => {
    expect(() => edge().addConsumer({ username: "api-key-caller", rsaPublicKey: publicKeyPem() })).toThrow(
      /consumer\.username "api-key-caller" is reserved for the consumer Kong gives API-key callers/,
    );
  });

  it("is on in AiGateway exactly when a tenant has API keys (the example's team-b)", () => {
    expect(callerConsumer(example.kongConfig())).toBeDefined();
    expect((example.kongConfig() as any).plugins.find((p: any) => p.name === "jwt").config.anonymous).toBe(API_KEY_CONSUMER);
  });
});

/** Config keys outside the plugin's schema fields, as dotted paths. */
function fieldsOutsideSchema(
  config: Record<string, unknown>,
  fields: readonly (string | Record<string, readonly string[]>)[],
  path = "config",
): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    if (fields.includes(key)) return [];
    const nested = fields.find((f): f is Record<string, readonly string[]> => typeof f === "object" && key in f);
    if (!nested) return [`${path}.${key}`];
    return fieldsOutsideSchema(value as Record<string, unknown>, nested[key], `${path}.${key}`);
  });
}

function duplicates(values: unknown[]): unknown[] {
  return values.filter((v, i) => v !== undefined && values.indexOf(v) !== i);
}

describe("Kong declarative config against the 3.9.1 schemas", () => {
  const full = edge({
    corsOrigins: ["https://app.example.com"],
    apiKeyCallers: { rateLimits: { minute: 50 } },
    routes: [
      { name: "openai-api", url: "http://gateway-app.app.svc.cluster.local:8080", paths: ["/v1"] },
      { name: "extra", url: "http://x.y.svc.cluster.local:80", paths: ["/x"] },
    ],
  });
  full.addConsumer({ username: "team-a", customId: "tenant-a", rsaPublicKey: publicKeyPem() });
  full.addConsumer({ username: "team-b", issuer: "https://idp.example.com/b", rsaPublicKey: publicKeyPem() });
  const configs: [string, any][] = [
    ["example app", example.kongConfig()],
    ["every option", full.declarativeConfig()],
  ];

  it.each(configs)("%s: every plugin field is in its plugin's schema", (_name, config) => {
    const fields: Record<string, readonly (string | Record<string, readonly string[]>)[]> = KONG_FACTS.pluginConfigFields;
    for (const plugin of [...config.plugins, ...config.consumers.flatMap((c: any) => c.plugins ?? [])]) {
      expect(fields, plugin.name).toHaveProperty([plugin.name]);
      expect(fieldsOutsideSchema(plugin.config, fields[plugin.name]), plugin.name).toEqual([]);
    }
  });

  it.each(configs)("%s: every entity field is in its entity's schema", (_name, config) => {
    const entity = (name: keyof typeof KONG_FACTS.entities) => KONG_FACTS.entities[name].fields as readonly string[];
    const outside = (item: object, name: keyof typeof KONG_FACTS.entities) =>
      Object.keys(item)
        .filter((key) => !entity(name).includes(key))
        .map((key) => `${name}.${key}`);
    const problems = [
      ...config.services.flatMap((s: any) => [...outside(s, "services"), ...s.routes.flatMap((r: any) => outside(r, "routes"))]),
      ...config.consumers.flatMap((c: any) => [
        ...outside(c, "consumers"),
        ...(c.jwt_secrets ?? []).flatMap((j: any) => outside(j, "jwt_secrets")),
        ...(c.plugins ?? []).flatMap((p: any) => outside(p, "plugins")),
      ]),
      ...config.plugins.flatMap((p: any) => outside(p, "plugins")),
    ];
    expect(problems).toEqual([]);
  });

  it.each(configs)("%s: keeps the uniqueness rules Kong checks across the whole config", (_name, config) => {
    const routes = config.services.flatMap((s: any) => s.routes);
    const secrets = config.consumers.flatMap((c: any) => c.jwt_secrets ?? []);
    expect(duplicates(config.services.map((s: any) => s.name))).toEqual([]);
    expect(duplicates(routes.map((r: any) => r.name))).toEqual([]);
    expect(duplicates(config.consumers.map((c: any) => c.username))).toEqual([]);
    expect(duplicates(config.consumers.map((c: any) => c.custom_id))).toEqual([]);
    expect(duplicates(secrets.map((j: any) => j.key))).toEqual([]);
    expect(duplicates(config.plugins.map((p: any) => [p.name, p.route, p.service, p.consumer].join("|")))).toEqual([]);
    expect(KONG_FACTS.entities.jwt_secrets.unique).toEqual([["key"]]);
  });

  it("the schema check catches a field the plugin does not have", () => {
    expect(fieldsOutsideSchema({ run_on_preflight: true, anonymous_consumer: "x" }, KONG_FACTS.pluginConfigFields.jwt)).toEqual([
      "config.anonymous_consumer",
    ]);
    expect(fieldsOutsideSchema({ redis: { host: "h", tls: true } }, KONG_FACTS.pluginConfigFields["rate-limiting"])).toEqual(["config.redis.tls"]);
  });
});

describe("Kong chart values keys", () => {
  const cases: [string, any][] = [
    ["example app", example.kongValues()],
    ["cert-manager", values({ tls: { certManager: { clusterIssuer: "ca", dnsNames: ["a.example.com"] } } })],
    ["single replica", values(single)],
    ["manual rollout", values({ tls: { secretName: "t", rolloutOnRenewal: "manual" } })],
  ];

  it.each(cases)("%s: sets only keys the chart at 3.4.1 reads", (_name, v) => {
    expect(valuesKeyPaths(v).filter((path) => !chartReadsKey(path))).toEqual([]);
  });

  it("the key check catches a key the chart does not read", () => {
    expect(
      valuesKeyPaths({ podDisruptionBudget: { enabled: true, maxUnavailabel: 1 }, env: { anything: "x" } }).filter((p) => !chartReadsKey(p)),
    ).toEqual(["podDisruptionBudget.maxUnavailabel"]);
  });
});

describe("Kong routes every API path gateway-app serves", () => {
  it("has a route whose path prefix matches each /v1 endpoint, /v1/responses and /v1/models/{id} included", async () => {
    const { servedApp } = await import("../../gateway-app/test/support/harness.js");
    const { routes } = servedApp({ models: [{ name: "mock", upstream: "mock" }] });
    const apiPaths = [...new Set(routes.map((r) => r.path).filter((p) => p.startsWith("/v1/")))].map((p) =>
      p.replace(/:id\{[^}]*\}/, "google/gemini"),
    );
    expect(apiPaths).toEqual(expect.arrayContaining(["/v1/responses", "/v1/models/google/gemini"]));
    const config = example.kongConfig();
    const prefixes: string[] = config.services.flatMap((s: any) => s.routes.flatMap((r: any) => r.paths));
    // router_flavor traditional_compatible: a plain path is a prefix match.
    expect(apiPaths.filter((path) => !prefixes.some((prefix) => path.startsWith(prefix)))).toEqual([]);
  });
});

describe("Kong adds the edge token gateway-app requires (edgeToken)", () => {
  const token = { secret: { name: "kong-edge-token", key: "token" } };

  it("sets the header through an nginx_location_ directive whose value names the Secret's env var, never the token", async () => {
    const { EDGE_TOKEN_HEADER } = await import("../../gateway-app/src/edge-auth.js");
    const v = values({ edgeToken: token });
    const [header, reference] = v.env[`${KONG_FACTS.edgeToken.locationDirectivePrefix}proxy_set_header`].split(" ");
    expect(header.toLowerCase()).toBe(EDGE_TOKEN_HEADER);
    expect(reference).toBe("$(GATEWAY_EDGE_TOKEN)");
    expect(v.customEnv.gateway_edge_token).toEqual({ valueFrom: { secretKeyRef: { name: "kong-edge-token", key: "token" } } });
    expect(v.customEnv.kong_redis_password).toBeDefined();
  });

  it("renders the Secret's variable before the directive, so the kubelet expands it (the chart sorts env by name)", () => {
    expect(KONG_CHART_FACTS.env).toEqual({ userPrefix: "KONG_", customPrefix: "", sortedByName: true });
    const v = values({ edgeToken: token });
    const names = [
      ...Object.keys(v.env).map((k) => `${KONG_CHART_FACTS.env.userPrefix}${k.toUpperCase()}`),
      ...Object.keys(v.customEnv).map((k) => `${KONG_CHART_FACTS.env.customPrefix}${k.toUpperCase()}`),
    ].sort();
    expect(names.indexOf("GATEWAY_EDGE_TOKEN")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("GATEWAY_EDGE_TOKEN")).toBeLessThan(names.indexOf("KONG_NGINX_LOCATION_PROXY_SET_HEADER"));
  });

  it("does not try a vault reference in request-transformer, which has no referenceable field in Kong 3.9.1", () => {
    expect(KONG_FACTS.edgeToken.requestTransformerReferenceableFields).toEqual([]);
    const config = edge({ edgeToken: token }).declarativeConfig() as any;
    expect(JSON.stringify(config.plugins.find((p: any) => p.name === "request-transformer"))).not.toMatch(/vault:|edge-token/i);
  });

  it("keeps every route on the buffered location the directive is injected into", () => {
    expect(KONG_FACTS.edgeToken.injectedInto).toBe("location /");
    const config = edge({
      edgeToken: token,
      routes: [{ name: "api", url: "http://gateway-app.app.svc.cluster.local:8080", paths: ["/v1"] }],
    }).declarativeConfig() as any;
    for (const route of config.services.flatMap((s: any) => s.routes)) {
      expect(route.request_buffering).not.toBe(false);
      expect(route.response_buffering).not.toBe(false);
    }
  });

  it("adds nothing without it", () => {
    const v = values();
    expect(Object.keys(v.env).filter((k) => k.startsWith("nginx_location_"))).toEqual([]);
    expect(v.customEnv.gateway_edge_token).toBeUndefined();
  });

  it("is wired into the example: Kong's Secret and the directive, and gateway-app's token file", () => {
    const kong = example.kongValues();
    expect(kong.env.nginx_location_proxy_set_header).toBe("X-Gateway-Edge-Token $(GATEWAY_EDGE_TOKEN)");
    expect(kong.customEnv.gateway_edge_token.valueFrom.secretKeyRef).toEqual({ name: "kong-edge-token", key: "token" });
  });
});
