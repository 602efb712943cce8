import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream } from "../gateway-app/test/support/fake-upstream";
import { startRedis, type TestRedis } from "../gateway-app/test/support/redis-server";
import { loadGovernanceSettings } from "../gateway-app/src/governance/settings";
import { DEFAULT_NAMESPACES } from "../constructs/gateway-namespaces";
import { API_KEY_CONSUMER } from "../constructs/kong-edge";
import { layOutPod, type LocalPod } from "./support/cluster-model/local-pod";
import { variantModel } from "./support/cluster-model/variants";
import { freePort } from "./support/processes";
import { fromYaml } from "../lib/yaml";
import { KONG_FACTS, LITELLM_FACTS } from "../lib/upstream-facts";

const ROOT = resolve(__dirname, "..");

/**
 * The final stage of gateway-app's Dockerfile: the image the Deployment runs. Its base
 * (distroless nodejs) has `ENTRYPOINT ["/nodejs/bin/node"]`
 * (GoogleContainerTools/distroless nodejs/nodejs.bzl: `entrypoint = ["/nodejs/bin/node"]`).
 */
function imageConfig() {
  const final = readFileSync(join(ROOT, "gateway-app/Dockerfile"), "utf8")
    .split(/^FROM /m)
    .at(-1)!;
  const env = Object.fromEntries([...(/^ENV (.+)$/m.exec(final)?.[1] ?? "").matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  return {
    entrypoint: ["/nodejs/bin/node"],
    cmd: JSON.parse(/^CMD (.+)$/m.exec(final)![1]) as string[],
    workdir: /^WORKDIR (\S+)$/m.exec(final)![1],
    env,
  };
}

describe("gateway-app boots from what we synthesize", () => {
  const model = variantModel("the example app");
  const workload = model.workloads.find((w) => w.name === "gateway-app")!;
  const container = workload.template.containers[0];
  const litellm = new FakeUpstream();
  const masterKey = "sk-boot-test-master-key";
  // What the operator adds to the edge-token secret (`openssl rand -hex 32`).
  const edgeToken = "9b1f0c4e7a2d5e8f3b6c9d0a1e4f7b2c5d8e1f4a7b0c3d6e9f2a5b8c1d4e7f0a";
  const kong = model.workloads.find((w) => w.namespace === DEFAULT_NAMESPACES.edge && w.kind === "Deployment")!.template.containers[0];
  /** The header Kong's nginx adds: its directive's value with $(VAR) expanded as the kubelet does, from the Secret. */
  function kongAddedHeader(): [string, string] {
    const directive = kong.env.find((e) => e.name === "KONG_NGINX_LOCATION_PROXY_SET_HEADER")!;
    const expanded = directive.value!.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => {
      const index = kong.env.findIndex((e) => e.name === name);
      expect(index, `${name} must come before ${directive.name}`).toBeLessThan(kong.env.indexOf(directive));
      expect(kong.env[index].secretKeyRef?.name).toBe("kong-edge-token");
      return edgeToken;
    });
    const [name, value] = expanded.split(" ");
    return [name, value];
  }
  const kongConfig = () => fromYaml(model.configMaps.find((c) => c.namespace === DEFAULT_NAMESPACES.edge && c.data["kong.yml"])!.data["kong.yml"]);
  const catalogue = () => JSON.parse(model.configMaps.find((c) => c.name === "gateway-app-config")!.data["catalogue.json"]);
  /**
   * What Kong sends upstream for a request its jwt plugin verified as `consumer`: its edge token and
   * the consumer's id and username (Kong/kong@3.9.1:kong/plugins/jwt/handler.lua:117-131, names in
   * kong/constants.lua:116-118; no custom_id, so none sent).
   */
  function kongHeaders(consumer: { username: string; custom_id?: string }): Record<string, string> {
    expect(consumer.custom_id).toBeUndefined();
    const [name, value] = kongAddedHeader();
    return { [name]: value, "X-Consumer-ID": randomUUID(), "X-Consumer-Username": consumer.username };
  }
  /** The first synthesized Kong consumer, and a LiteLLM model its tenant may call. */
  function firstConsumer() {
    const consumer = kongConfig().consumers[0];
    const tenant = catalogue().tenants.find((t: any) => t.name === consumer.username);
    expect(tenant, `Kong consumer ${consumer.username} is a gateway-app tenant`).toBeDefined();
    const modelName = catalogue().models.find(
      (m: any) => m.upstream === "litellm" && (tenant.models.includes("*") || tenant.models.includes(m.name)),
    ).name;
    return { consumer, modelName, headers: kongHeaders(consumer) };
  }
  let child: ChildProcess;
  let pod: LocalPod;
  /** Memorystore's stand-in: TLS with a test CA and AUTH, as the instance has them. */
  let redis: TestRedis;
  /** The synthesized Memorystore URL with Terraform's host and port of the instance filled in. */
  const memorystoreUrl = (host: string, port: number) =>
    pod.env
      .GOVERNANCE_REDIS_URL!.replace(/\$\{data\.google_redis_instance\.\w+\.host\}/, host)
      .replace(/\$\{data\.google_redis_instance\.\w+\.port\}/, String(port));
  let url: string;
  let metricsPort: number;
  let stderr = "";
  let stdout = "";
  let root: string;
  // The trace collector's stand-in: it accepts every OTLP/HTTP export, as the collector does.
  let collector: Server;
  const exports: { path: string; contentType: string; body: string }[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "boot-from-synth-"));
    redis = await startRedis({ durable: false });
    const litellmPort = Number(new URL(await litellm.start()).port);
    const collectorPort = await freePort();
    collector = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        exports.push({ path: req.url ?? "", contentType: req.headers["content-type"] ?? "", body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((listening) => collector.listen(collectorPort, "127.0.0.1", listening));
    pod = layOutPod(
      model,
      workload,
      container,
      root,
      { [`litellm.${DEFAULT_NAMESPACES.router}`]: litellmPort, [`otel-collector.${DEFAULT_NAMESPACES.observability}`]: collectorPort },
      { "ai-gw-litellm-master-key": `${masterKey}\n`, "ai-gw-edge-token": `${edgeToken}\n`, "ai-gw-redis-auth": `${redis.password}\n` },
    );
    // The instance's server CA, which Terraform writes into the mounted file.
    writeFileSync(pod.env.GOVERNANCE_REDIS_CA_FILE!, redis.ca);

    // The image's WORKDIR, laid out as the Dockerfile's final stage copies it.
    const image = imageConfig();
    const workdir = join(root, "image", image.workdir);
    mkdirSync(join(workdir, "gateway-app"), { recursive: true });
    cpSync(join(ROOT, "gateway-app/package.json"), join(workdir, "gateway-app/package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(workdir, "node_modules"));
    execFileSync(
      join(ROOT, "node_modules/.bin/tsc"),
      ["-p", join(ROOT, "gateway-app/tsconfig.json"), "--outDir", join(workdir, "gateway-app/dist")],
      { stdio: "pipe" },
    );

    // Translated, because this machine is not the pod: the image's node is this node, and the
    // pod's own network namespace (where 8080 and 9090 are free) is this machine's, so PORT and
    // METRICS_PORT are free ones.
    expect(container.command).toEqual([]);
    expect(container.args).toEqual([]);
    const [node, ...entrypointArgs] = image.entrypoint;
    expect(node).toBe("/nodejs/bin/node");
    const port = await freePort();
    metricsPort = await freePort();
    expect(pod.env.PORT).toBe("8080");
    expect(pod.env.METRICS_PORT).toBe(String(container.ports.find((p) => p.name === "metrics")!.containerPort));
    child = spawn(process.execPath, [...entrypointArgs, ...image.cmd], {
      cwd: workdir,
      env: {
        ...image.env,
        ...pod.env,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        GOVERNANCE_REDIS_URL: memorystoreUrl("127.0.0.1", redis.port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d) => (stderr += d));
    await new Promise<void>((ready, fail) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        stdout += d;
        if (out.includes('"listening"')) ready();
      });
      child.once("exit", (code) => fail(new Error(`gateway-app exited with ${code}: ${stderr}`)));
    });
    url = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    child?.kill("SIGKILL");
    await litellm.stop();
    await redis?.stop();
    await new Promise((closed) => collector?.close(closed));
    rmSync(root, { recursive: true, force: true });
  });

  it("reads the synthesized env: the catalogue and the key from the mounted files, LiteLLM at its Service's host rewritten to loopback", () => {
    expect(pod.env.GATEWAY_CONFIG).toBe(pod.localPath("/etc/gateway/catalogue.json"));
    expect(pod.env.LITELLM_API_KEY_FILE).toBe(pod.localPath("/var/run/secrets/ai-gateway/litellm-api-key"));
    expect(pod.env.LITELLM_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(pod.env).sort()).toEqual(container.env.map((e) => e.name).sort());
  });

  it("gives gateway-app's governance settings Memorystore over TLS, with the AUTH string and CA from mounted files", () => {
    const problems: string[] = [];
    // What Terraform puts in place of the Memorystore instance's attributes.
    const url = memorystoreUrl("10.12.0.4", 6378);
    const settings = loadGovernanceSettings({ ...pod.env, GOVERNANCE_REDIS_URL: url }, (path) => readFileSync(path, "utf8"), problems);
    expect(problems).toEqual([]);
    expect(settings.redis?.url).toBe("rediss://10.12.0.4:6378");
    expect(settings.redis?.password).toBe(redis.password);
    expect(pod.env.GOVERNANCE_REDIS_CA_FILE).toBe(pod.localPath("/etc/gateway/redis-ca.pem"));
    expect(
      Object.keys(pod.env)
        .filter((name) => name.startsWith("GOVERNANCE_"))
        .sort(),
    ).toEqual(["GOVERNANCE_REDIS_AUTH_FILE", "GOVERNANCE_REDIS_CA_FILE", "GOVERNANCE_REDIS_URL"]);
  });

  it("is ready", async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("serves a catalogue model's completion through LiteLLM, with LiteLLM's key from the SecretProviderClass file", async () => {
    const { modelName, headers } = firstConsumer();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model: modelName, messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status, stderr).toBe(200);
    expect(((await response.json()) as any).choices[0].message.content).toBe("fake answer");
    const received = litellm.received.at(-1)!;
    expect(received.url).toBe("/chat/completions");
    expect(received.headers.authorization).toBe(`Bearer ${masterKey}`);
    expect(received.body.model).toBe(modelName);
  });

  it("keeps the id Kong's correlation-id plugin sets, logs it, hands it to LiteLLM as its call id and returns it", async () => {
    const correlation = kongConfig().plugins.find((p: any) => p.name === "correlation-id").config;
    expect(KONG_FACTS.correlationId.generators).toContain(correlation.generator);
    // What Kong's generators make (Kong/kong@3.9.1:kong/plugins/correlation-id/handler.lua:20-37).
    const generated: Record<string, () => string> = {
      uuid: () => randomUUID(),
      "uuid#counter": () => `${randomUUID()}#17`,
      tracker: () => "10.4.0.7-8443-1234-56-2-1764633600.123",
    };
    const id = generated[correlation.generator]();
    const { modelName, headers } = firstConsumer();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", [correlation.header_name]: id, ...headers },
      body: JSON.stringify({ model: modelName, messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status, stderr).toBe(200);
    expect(response.headers.get(correlation.header_name)).toBe(id);
    const received = litellm.received.at(-1)!;
    expect(received.headers[LITELLM_FACTS.callIdHeader.request]).toBe(id);
    expect(received.headers["x-request-id"]).toBe(id);
    // The log line goes out after the response, within the logger's 20 ms batching.
    const logged = () => stdout.split("\n").some((l) => l.includes('"msg":"request"') && JSON.parse(l).request_id === id);
    for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logged(), stdout).toBe(true);
  });

  it("serves /metrics on the metrics port the ServiceMonitor scrapes, and not on the API port", async () => {
    const monitor = model.customObjects.find((o) => o.kind === "ServiceMonitor" && o.name === "gateway-app");
    const service = model.services.find((s) => s.namespace === workload.namespace && s.name === "gateway-app")!;
    const scraped = service.ports.find((p) => p.name === monitor!.spec.endpoints[0].port)!;
    expect(container.ports.find((p) => p.name === scraped.targetPort)!.containerPort).toBe(Number(pod.env.METRICS_PORT));
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}${monitor!.spec.endpoints[0].path}`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/# TYPE gateway_http_requests_total counter/);
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });

  it("refuses a forged X-Consumer-Username that did not come through Kong, and serves the same request with Kong's header", async () => {
    const body = JSON.stringify({ model: catalogue().models[0].name, messages: [{ role: "user", content: "hello" }] });
    const forged = { "content-type": "application/json", "x-consumer-username": kongConfig().consumers[0].username };
    const refused = await fetch(`${url}/v1/chat/completions`, { method: "POST", headers: forged, body });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error.code).toBe("edge_unauthenticated");
    const [name] = kongAddedHeader();
    expect(name.toLowerCase()).toBe("x-gateway-edge-token");
    const models = await fetch(`${url}/v1/models`, { headers: firstConsumer().headers });
    expect(models.status).toBe(200);
  });

  it("refuses a request Kong passed without a consumer, since the synthesized catalogue has tenants", async () => {
    expect(catalogue().requireConsumer).toBe(true);
    const [name, value] = kongAddedHeader();
    const response = await fetch(`${url}/v1/models`, { headers: { [name]: value } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe("consumer_required");
  });

  // What Kong forwards for a request without a valid JWT (KONG_FACTS.jwtAnonymous): the anonymous
  // consumer's username, X-Anonymous-Consumer, the edge token, and the client's own Authorization untouched.
  it.each([
    ["no credentials", {}, "consumer_required"],
    ["a key that was never issued", { authorization: "Bearer sk-gw-0123456789_not-a-real-secret" }, "invalid_api_key"],
    ["an expired or forged JWT", { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ0ZWFtLWEifQ.c2ln" }, "invalid_api_key"],
  ])("refuses Kong's API-key consumer with %s, and calls no model", async (_name, credentials, code) => {
    expect(kongConfig().consumers.map((c: { username: string }) => c.username)).toContain(API_KEY_CONSUMER);
    const [name, value] = kongAddedHeader();
    const before = litellm.received.length;
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [name]: value,
        "x-consumer-username": API_KEY_CONSUMER,
        ...KONG_FACTS.jwtAnonymous.setHeaders,
        ...credentials,
      },
      body: JSON.stringify({ model: catalogue().models[0].name, messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe(code);
    expect(litellm.received.length).toBe(before);
  });

  it("exports the spans of a request Kong sampled to the collector's traces URL, in the encoding gateway-app speaks", async () => {
    const { modelName, headers } = firstConsumer();
    const traceId = randomUUID().replaceAll("-", "");
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      // What Kong's opentelemetry plugin injects for a sampled trace (W3C, flags 01).
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01`, ...headers },
      body: JSON.stringify({ model: modelName, messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status, stderr).toBe(200);
    await response.text();
    const exported = () => exports.find((e) => e.body.includes(traceId));
    for (let i = 0; i < 200 && !exported(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(exported(), stderr).toMatchObject({ path: "/v1/traces", contentType: expect.stringContaining("application/json") });
  });

  it("labels the log line, gateway_tokens_total and gateway_cost_usd_total with the Kong consumer as tenant, and bills it in LiteLLM", async () => {
    const { consumer, modelName, headers } = firstConsumer();
    const id = randomUUID();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": id, ...headers },
      // A client's own `user` must not choose whom LiteLLM bills.
      body: JSON.stringify({ model: modelName, messages: [{ role: "user", content: "hello" }], user: "someone-else" }),
    });
    expect(response.status, stderr).toBe(200);
    await response.text();
    expect(litellm.received.at(-1)!.body[LITELLM_FACTS.endUser.bodyField]).toBe(consumer.username);
    const line = () =>
      stdout
        .split("\n")
        .filter((l) => l.includes('"msg":"request"'))
        .map((l) => JSON.parse(l))
        .find((l) => l.request_id === id);
    for (let i = 0; i < 100 && !line(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(line()?.tenant, stdout).toBe(consumer.username);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const tokens = new RegExp(`^gateway_tokens_total\\{[^}]*tenant="${consumer.username}"[^}]*\\} [1-9]`, "m");
    expect(metrics).toMatch(tokens);
    expect(metrics).toMatch(new RegExp(`^gateway_cost_usd_total\\{[^}]*tenant="${consumer.username}"[^}]*\\} [0-9.e-]*[1-9]`, "m"));
    expect(metrics).not.toMatch(/^gateway_tokens_total\{[^}]*tenant="anonymous"/m);
  });
});
