import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUpstream, json } from "../../gateway-app/test/support/fake-upstream";
import { startRedis, type TestRedis } from "../../gateway-app/test/support/redis-server";
import { LITELLM_FACTS } from "../../lib/upstream-facts";
import { synthesizeExample } from "../support/example";

const ROOT = join(__dirname, "..", "..");

/**
 * Provider calls LiteLLM makes for one call from gateway-app that keeps failing, read from the
 * rendered config.yaml with LiteLLM 1.80.12's defaults for what it leaves unset: the Router's
 * retries, then each fallback model once with its retries, each call retried by the provider
 * client as often as its max_retries says.
 */
function liteLlmCallsPerAttempt(config: any, model: string): number {
  const router = config.router_settings ?? {};
  const settings = config.litellm_settings ?? {};
  const retries = router.num_retries ?? settings.num_retries ?? LITELLM_FACTS.retries.routerNumRetriesDefault;
  const groups: Record<string, string[]>[] = [
    ...(router.fallbacks ?? settings.fallbacks ?? []),
    ...(router.context_window_fallbacks ?? []),
    ...(router.content_policy_fallbacks ?? []),
  ];
  const defaults: string[] = router.default_fallbacks ?? settings.default_fallbacks ?? [];
  const fallbackModels = [...groups.flatMap((g) => g[model] ?? []), ...defaults];
  const clientRetries = Math.max(
    LITELLM_FACTS.retries.providerClientMaxRetries,
    ...config.model_list.filter((m: any) => m.model_name === model).map((m: any) => m.litellm_params.max_retries ?? 0),
  );
  return (1 + retries) * (1 + fallbackModels.length) * (1 + clientRetries);
}

/** gateway-app compiled as the image builds it, run from a directory that borrows the workspace's node_modules. */
function compileGatewayApp(): string {
  const app = mkdtempSync(join(tmpdir(), "gateway-retries-"));
  mkdirSync(join(app, "gateway-app"));
  cpSync(join(ROOT, "gateway-app/package.json"), join(app, "gateway-app/package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(app, "node_modules"));
  symlinkSync(join(ROOT, "gateway-app/node_modules"), join(app, "gateway-app/node_modules"));
  execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json"), "--outDir", join(app, "gateway-app/dist")], {
    stdio: "pipe",
  });
  return app;
}

/** Starts it with the environment and GATEWAY_CONFIG the synth rendered, pointed at `litellmUrl`. */
async function startRenderedGateway(app: string, renderedEnv: Record<string, string>, catalogue: unknown, litellmUrl: string, redis: TestRedis) {
  const files = mkdtempSync(join(tmpdir(), "gateway-files-"));
  writeFileSync(join(files, "catalogue.json"), JSON.stringify(catalogue));
  writeFileSync(join(files, "litellm-api-key"), "sk-test");
  const env = {
    ...renderedEnv,
    PATH: process.env.PATH!,
    PORT: "0",
    METRICS_PORT: "0",
    HOST: "127.0.0.1",
    // Not what this test is about: no edge token, so gateway-app checks none.
    EDGE_TOKEN_FILE: "",
    GATEWAY_CONFIG: join(files, "catalogue.json"),
    LITELLM_API_KEY_FILE: join(files, "litellm-api-key"),
    LITELLM_BASE_URL: litellmUrl,
    SHUTDOWN_DELAY_MS: "0",
    // The example's tenants have budgets, so gateway-app needs its store: a test Redis in Memorystore's place.
    GOVERNANCE_REDIS_URL: redis.url,
    GOVERNANCE_REDIS_AUTH_FILE: "",
    GOVERNANCE_REDIS_AUTH: redis.password,
    GOVERNANCE_REDIS_CA_FILE: redis.caFile,
    // Nor are traces: the rendered collector URL names a namespace only Terraform resolves, and
    // boot-from-synth.test.ts checks gateway-app starts with the tracing env as rendered.
    OTEL_TRACES_EXPORTER: "none",
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "",
  };
  const child = spawn(process.execPath, ["gateway-app/dist/server.js"], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`gateway-app exited ${code}: ${err}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

function tenantAllowed(catalogue: any, model: string): string {
  return catalogue.tenants.find((t: any) => t.models.includes("*") || t.models.includes(model)).name;
}

describe("one failing request under a 503 storm: provider calls across gateway-app and LiteLLM", () => {
  const example = synthesizeExample();
  const liteLlm = example.liteLlmConfig();
  const catalogue = example.gatewayConfig();
  const renderedEnv = Object.fromEntries(
    example
      .deployment("gateway-app")
      .spec.template.spec.container[0].env.filter((e: any) => typeof e.value === "string")
      .map((e: any) => [e.name, e.value]),
  );
  // gateway-app's documented default when the Deployment does not set it.
  const gatewayRetries = Number(renderedEnv.UPSTREAM_MAX_RETRIES ?? 2);
  // 503s with Retry-After: the only 503s gateway-app retries (without it, each model gets one attempt).
  const fake = new FakeUpstream().always((_req, res) => json(res, 503, { error: { message: "overloaded" } }, { "retry-after": "0" }));
  let gateway: { child: ChildProcess; url: string };
  let redis: TestRedis;

  beforeAll(async () => {
    const app = compileGatewayApp();
    redis = await startRedis({ durable: false });
    gateway = await startRenderedGateway(app, renderedEnv, catalogue, await fake.start(), redis);
  }, 120_000);

  afterAll(async () => {
    gateway?.child.kill("SIGTERM");
    await fake.stop();
    await redis?.stop();
  });

  it("gemini-2.5-pro: gateway-app's attempts over the model and its fallback are the only provider calls", async () => {
    const model = "gemini-2.5-pro";
    const chain = [model, ...(catalogue.models.find((m: any) => m.name === model).fallbacks ?? [])];
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      // As Kong sends it for the example's tenant that may use the model (its catalogue requires a consumer).
      headers: { "content-type": "application/json", "x-consumer-username": tenantAllowed(catalogue, model) },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
    });
    await response.text();
    expect(response.status).toBeGreaterThanOrEqual(500);

    const toLiteLlm = fake.received.length;
    expect(toLiteLlm).toBe(chain.length * (1 + gatewayRetries));
    expect(fake.received.map((r) => r.body.model)).toEqual(chain.flatMap((m) => Array(1 + gatewayRetries).fill(m)));
    const providerCalls = fake.received.reduce((sum, r) => sum + liteLlmCallsPerAttempt(liteLlm, r.body.model), 0);
    expect(providerCalls).toBe(toLiteLlm);
    expect(providerCalls).toBe(6);
  });
});
