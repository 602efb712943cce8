import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { LiteLlmRouter, type LiteLlmRouterProps } from "../../constructs/lite-llm-router";
import { ModelCatalogue } from "../../lib/catalogue";
import { validateTenants } from "../../lib/tenants";
import { LITELLM_FACTS } from "../../lib/upstream-facts";
import { synthesizeExample } from "../support/example";
import { resourcesOf, synthJson } from "../support/terraform";
import { applyCacheControls, CLIENT_CACHE_CONTROLS, tenantCacheNamespace } from "../../gateway-app/src/upstream/cache-controls";
import { parseCatalogue, type ModelConfig } from "../../gateway-app/src/config";

const example = synthesizeExample();
const config = example.liteLlmConfig();
const container = example.deployment("litellm").spec.template.spec.container[0];
const configMap = example.configMap("litellm-config");
const CONFIG_DIR = container.volume_mount.find((m: any) => m.name === "config").mount_path as string;

const CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----";
function router(overrides: Partial<LiteLlmRouterProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const catalogue = new ModelCatalogue(stack, [{ name: "m", model: "gemini-2.5-flash" }], { vertexProject: "acme-ai" });
  return new LiteLlmRouter(stack, "Router", {
    catalogue,
    namespace: "router",
    projectId: "acme-ai",
    prefix: "gw",
    redis: { host: "10.0.0.3", port: "6378", caCertificate: CA },
    ...overrides,
  });
}

describe("LiteLlmRouter: the Router's own Redis client (issue 10 §3.1)", () => {
  it("gives the Router's client TLS with Memorystore's CA, as router.py builds it from cache_kwargs only", () => {
    const settings = config.router_settings;
    expect(settings.redis_host).toBe("os.environ/REDIS_HOST");
    for (const key of LITELLM_FACTS.routerRedis.tlsKwargs) expect(settings.cache_kwargs).toHaveProperty(key);
    expect(Object.keys(settings.cache_kwargs).every((k) => (LITELLM_FACTS.routerRedis.clientKwargs as readonly string[]).includes(k))).toBe(true);
    expect(settings.cache_kwargs.ssl).toBe(true);
    // redis-py verifies the server against ssl_ca_certs by default (ssl_cert_reqs "required").
    expect(LITELLM_FACTS.redisPy.sslDefaults.ssl_cert_reqs).toBe("required");
    expect(settings.cache_kwargs.ssl_cert_reqs).toBeUndefined();
    const caFile = settings.cache_kwargs.ssl_ca_certs as string;
    expect(caFile.startsWith(`${CONFIG_DIR}/`)).toBe(true);
    expect(configMap.data[caFile.slice(CONFIG_DIR.length + 1)]).toMatch(
      /^\$\{join\("\\n", data\.google_redis_instance\.\w+\.server_ca_certs\[\*\]\.cert\)\}$/,
    );
  });

  it("uses the same TLS settings for the response cache", () => {
    expect(config.litellm_settings.cache_params).toMatchObject(config.router_settings.cache_kwargs);
  });

  it("accepts a CA bundle of several certificates and refuses anything else", () => {
    expect(() => router({ redis: { host: "10.0.0.3", port: "6378", caCertificate: `${CA}\n${CA}\n` } })).not.toThrow();
    expect(() => router({ redis: { host: "10.0.0.3", port: "6378", caCertificate: "not a certificate" } })).toThrow(
      /^test\/Router: redis\.caCertificate is not a bundle of PEM certificates\. Fix: pass Memorystore's server_ca_certs/,
    );
    expect(() =>
      router({ redis: { host: "10.0.0.3", port: "6378", caCertificate: `${CA}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----` } }),
    ).toThrow(/redis\.caCertificate is not a bundle/);
  });
});

describe("LiteLlmRouter: one tier of retries (issue 10 §3.3)", () => {
  it("renders num_retries 0 explicitly, because unset the Router retries twice", () => {
    expect(LITELLM_FACTS.retries.routerNumRetriesDefault).toBe(2);
    expect(config.router_settings.num_retries).toBe(0);
  });

  it("sets nothing else that retries or falls back, in any section", () => {
    const set = (section: Record<string, unknown>, keys: readonly string[]) => keys.filter((k) => k in section && k !== "num_retries");
    expect(set(config.router_settings, LITELLM_FACTS.retries.routerSettings)).toEqual([]);
    expect(set(config.litellm_settings, [...LITELLM_FACTS.retries.litellmSettings, "num_retries"])).toEqual([]);
    for (const entry of config.model_list)
      expect(Object.keys(entry.litellm_params).filter((k) => (LITELLM_FACTS.retries.litellmParams as readonly string[]).includes(k))).toEqual([]);
  });

  it("still lets a platform team opt into router retries, whole numbers only", () => {
    expect((router({ numRetries: 1 }).liteLlmConfig.router_settings as any).num_retries).toBe(1);
    expect(() => router({ numRetries: 1.5 })).toThrow(/^test\/Router: numRetries must be a whole number of at least 0 \(received 1\.5\)/);
  });
});

describe("LiteLlmRouter: config.yaml holds only keys LiteLLM 1.80.12 reads (issue 13 §3)", () => {
  const sections = [
    ["router_settings", LITELLM_FACTS.configKeys.routerSettings.keys],
    ["litellm_settings", LITELLM_FACTS.configKeys.litellmSettings.keys],
    ["general_settings", LITELLM_FACTS.configKeys.generalSettings.keys],
  ] as const;
  it.each(sections)("%s", (section, keys) => {
    expect(Object.keys(config[section]).filter((k) => !(keys as readonly string[]).includes(k))).toEqual([]);
  });

  it("litellm_settings.cache_params", () => {
    const keys: readonly string[] = LITELLM_FACTS.configKeys.cacheParams.keys;
    expect(Object.keys(config.litellm_settings.cache_params).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it("model_list[].litellm_params", () => {
    const keys: readonly string[] = LITELLM_FACTS.configKeys.litellmParams.keys;
    expect(config.model_list.flatMap((m: any) => Object.keys(m.litellm_params)).filter((k: string) => !keys.includes(k))).toEqual([]);
  });

  it("only the sections the proxy reads", () => {
    expect(Object.keys(config).sort()).toEqual(["general_settings", "litellm_settings", "model_list", "router_settings"]);
  });
});

describe("LiteLlmRouter: start-up", () => {
  /** Runs the container's command with its paths moved into a temporary directory and a stand-in `litellm`. */
  function start(masterKey: string) {
    const dir = mkdtempSync(join(tmpdir(), "litellm-start-"));
    const secretsDir = container.volume_mount.find((m: any) => m.name === "secrets").mount_path as string;
    for (const sub of ["secrets", "config", "bin"]) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, "secrets", "litellm-master-key"), masterKey);
    writeFileSync(join(dir, "secrets", "redis-auth"), "redis-password");
    writeFileSync(join(dir, "bin", "litellm"), '#!/bin/sh\necho "$@"\n');
    chmodSync(join(dir, "bin", "litellm"), 0o755);
    const [shell, flag, script] = container.command as string[];
    const moved = script.replaceAll(secretsDir, join(dir, "secrets")).replaceAll(CONFIG_DIR, join(dir, "config"));
    return { dir, result: spawnSync(shell, [flag, moved], { encoding: "utf8", env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` } }) };
  }

  it("refuses a master key LiteLLM would not hash, saying how to make one", () => {
    const { result } = start("0f".repeat(32));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/master key \(secret litellm-master-key\) must start with sk-.*printf sk-%s "\$\(openssl rand -hex 32\)"/);
  });

  it("starts LiteLLM with an sk- key, on an integer --port as proxy_cli.py requires", () => {
    const { dir, result } = start(`sk-${"0f".repeat(32)}`);
    expect(result.status).toBe(0);
    const args = result.stdout.trim().split(" ");
    expect(args.slice(0, 2)).toEqual(["--config", join(dir, "config", "config.yaml")]);
    const port = args[args.indexOf(LITELLM_FACTS.portOption.flag) + 1];
    expect(LITELLM_FACTS.portOption.type).toBe("integer");
    expect(port).toMatch(/^\d+$/);
    expect(Number(port)).toBe(container.port[0].container_port);
  });

  it("reads the cost map from the image, not GitHub", () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env.LITELLM_LOCAL_MODEL_COST_MAP).toBe("True");
    expect(LITELLM_FACTS.localCostMap).toMatchObject({ env: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" });
  });
});

describe("LiteLlmRouter: image", () => {
  const digest = `sha256:${"a".repeat(64)}`;
  const image = (r: LiteLlmRouter) =>
    resourcesOf(synthJson(r.node.scope as TerraformStack), "kubernetes_deployment_v1")[0].spec.template.spec.container[0].image;

  it("defaults to ghcr.io/berriai/litellm:main-v1.80.12", () => {
    expect(container.image).toBe("ghcr.io/berriai/litellm:main-v1.80.12");
  });

  it("takes a digest, with or without a tag", () => {
    expect(image(router({ image: `ghcr.io/berriai/litellm@${digest}` }))).toBe(`ghcr.io/berriai/litellm@${digest}`);
    expect(image(router({ image: `ghcr.io/berriai/litellm:main-v1.80.12@${digest}` }))).toBe(`ghcr.io/berriai/litellm:main-v1.80.12@${digest}`);
  });

  it("throws on a malformed digest or a floating tag", () => {
    expect(() => router({ image: "ghcr.io/berriai/litellm@sha256:abc" })).toThrow(
      /^test\/Router: image is not a usable pin: its digest "sha256:abc" is not sha256: and 64 lowercase hex digits/,
    );
    expect(() => router({ image: "ghcr.io/berriai/litellm:latest" })).toThrow(/image is not a usable pin: it has neither a digest nor a fixed tag/);
  });
});

describe("LiteLlmRouter: the response cache, per tenant (issue 14 §6)", () => {
  const facts = LITELLM_FACTS.responseCache;
  const model = { name: "m", upstream: "litellm" } as ModelConfig;
  const controls = (body: Record<string, unknown>, tenant = "team-a") => {
    const overrides: Record<string, unknown> = {};
    applyCacheControls({ body: { temperature: 0, ...body }, cacheControl: undefined, tenant, model, cacheable: true }, overrides);
    return overrides.cache as Record<string, unknown>;
  };

  it("keeps LiteLLM's Redis cache on, opt-in per request, under its own namespace, which RedisCache puts before each tenant's", () => {
    expect(config.litellm_settings.cache).toBe(true);
    expect(config.litellm_settings.cache_params).toMatchObject({ type: "redis", namespace: "litellm.cache", mode: "default_off" });
    expect(controls({})[facts.optInControl]).toBe(true);
    const key = (namespace: string) => (namespace.startsWith("litellm.cache") ? namespace : `litellm.cache:${namespace}`);
    expect(key(controls({}).namespace as string)).toBe("litellm.cache:tenant:team-a");
    expect(facts.redisKey).toBe("<cache_params.namespace>:<namespace>:<sha256 of the parameters>");
  });

  it("sets only controls LiteLLM reads per request, and a namespace that outranks the client's metadata", () => {
    for (const control of [...CLIENT_CACHE_CONTROLS, "namespace", "use-cache"]) expect(facts.perRequestControls).toContain(control);
    expect(facts.namespaceOrder[0]).toBe("cache.namespace");
    expect(Object.keys(controls({ cache: { "no-store": true } }))).toEqual(["no-store", "use-cache", "namespace"]);
  });

  it("refuses what would pick another tenant's entries: a cache_key (used as the key as is) or a namespace", () => {
    expect(() => controls({ [facts.keyOverride]: "tenant:team-b:abc" })).toThrow(/cache_key is set by the gateway/);
    expect(() => controls({ metadata: { redis_namespace: "tenant:team-b" } })).toThrow(/metadata\.redis_namespace is set by the gateway/);
    expect(() => controls({ cache: { namespace: "tenant:team-b" } })).toThrow(/cache\.namespace is set by the gateway/);
  });

  it("never gives one tenant's namespace as a prefix of another's (tenant names have no colon)", () => {
    expect(tenantCacheNamespace("team-a")).toBe("tenant:team-a");
    expect(`${tenantCacheNamespace("a")}:`.startsWith(`${tenantCacheNamespace("a.b")}:`)).toBe(false);
    expect(() => validateTenants("spec", [{ name: "a:b", models: ["*"], credentials: { apiKeys: true } }], [])).toThrow(/not a valid tenant name/);
  });

  it("lets a catalogue model opt into caching sampled answers, through gateway-app's catalogue, and not for directVertex", () => {
    const stack = new TerraformStack(Testing.app(), "cache");
    const catalogue = new ModelCatalogue(
      stack,
      [
        { name: "m", model: "gemini-2.5-flash", cacheSampledAnswers: true },
        { name: "n", model: "x" },
      ],
      {
        vertexProject: "p",
      },
    );
    const rendered = catalogue.gatewayCatalogue();
    expect(rendered.models.map((m) => m.cacheSampledAnswers)).toEqual([true, undefined]);
    const problems: string[] = [];
    expect(parseCatalogue(rendered, problems)?.models.get("m")?.cacheSampledAnswers).toBe(true);
    expect(problems).toEqual([]);
    expect(
      () =>
        new ModelCatalogue(stack, [{ name: "d", model: "gemini-2.5-flash", directVertex: true, cacheSampledAnswers: true }], { vertexProject: "p" }),
    ).toThrow(/models\[0\] \(d\)\.cacheSampledAnswers is set on a directVertex model/);
  });
});
