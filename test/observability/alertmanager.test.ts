import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { ObservabilityStack, type ObservabilityStackProps } from "../../constructs/observability-stack";
import type { AlertingProps } from "../../lib/observability/alertmanager";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../../lib/upstream-facts";
import { fromYaml, toYaml } from "../../lib/yaml";
import { synthesizeExample } from "../support/example";
import { resourcesOf, synthJson } from "../support/terraform";

const AM = KUBE_PROMETHEUS_STACK_FACTS.alertmanager;
type Config = Record<string, any>;

/** Helm's value coalescing: maps merge key by key, anything else (lists included) replaces. */
function helmMerge(base: unknown, override: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = helmMerge(base[k], v);
  return out;
}

/** alertmanager.yaml as the chart writes it into its Secret (tplConfig is off). */
function renderedAlertmanagerConfig(values: Config): Config {
  expect(values.alertmanager.tplConfig ?? false).toBe(false);
  return helmMerge(AM.defaultConfig, values.alertmanager.config) as Config;
}

/** One matcher of Alertmanager's matcher syntax: name, operator, value (quoted or not). */
function matches(matcher: string, labels: Record<string, string>): boolean {
  const m = /^\s*(\w+)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(matcher);
  if (!m) throw new Error(`unparsed matcher ${matcher}`);
  const [, name, op, value] = m;
  const actual = labels[name] ?? "";
  const re = new RegExp(`^(?:${value})$`);
  return op === "=" ? actual === value : op === "!=" ? actual !== value : op === "=~" ? re.test(actual) : !re.test(actual);
}

/** The receivers an alert reaches: Alertmanager's depth-first walk, first matching child unless `continue`. */
function receiversFor(route: Config, labels: Record<string, string>, inherited = route.receiver): string[] {
  const receiver = route.receiver ?? inherited;
  const found: string[] = [];
  for (const child of route.routes ?? []) {
    if (!(child.matchers ?? []).every((m: string) => matches(m, labels))) continue;
    found.push(...receiversFor(child, labels, receiver));
    if (!child.continue) break;
  }
  return found.length > 0 ? found : [receiver];
}

function integrationsOf(config: Config, receiver: string): string[] {
  const r = config.receivers.find((x: Config) => x.name === receiver);
  return Object.entries(r)
    .filter(([k]) => k.endsWith("_configs"))
    .flatMap(([k, list]) => (list as Config[]).map((c) => `${k}:${Object.entries(c).find(([f]) => f.endsWith("_file"))?.[1]}`))
    .sort();
}

const example = synthesizeExample();
const release = resourcesOf(example.platform, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!;
const values = fromYaml(release.values[0]);
const config = renderedAlertmanagerConfig(values);
const DIR = "/etc/alertmanager/secret-manager";

describe("Alertmanager configuration of the example app, as the chart renders it", () => {
  it.each([
    [{ alertname: "GatewayHighErrorRatio", severity: "page" }, "page"],
    [{ alertname: "KubePodCrashLooping", severity: "critical" }, "page"],
    [{ alertname: "KongSustainedRateLimiting", severity: "ticket" }, "ticket"],
    [{ alertname: "KubeDeploymentReplicasMismatch", severity: "warning" }, "ticket"],
    [{ alertname: "Watchdog", severity: "none" }, "null"],
    [{ alertname: "InfoInhibitor", severity: "none" }, "null"],
    [{ alertname: "KubeQuotaAlmostFull", severity: "info" }, "null"],
    // A rule with a severity nobody planned for still reaches someone.
    [{ alertname: "Custom" }, "ticket"],
  ])("routes %j to %s", (labels, receiver) => {
    expect(receiversFor(config.route, labels)).toEqual([receiver]);
  });

  it("pages PagerDuty and Slack, tickets Slack, each reading its credential from a Secret Manager file", () => {
    expect(integrationsOf(config, "page")).toEqual([`pagerduty_configs:${DIR}/oncall-routing-key`, `slack_configs:${DIR}/team-slack-api-url`]);
    expect(integrationsOf(config, "ticket")).toEqual([`slack_configs:${DIR}/team-slack-api-url`]);
    expect(config.receivers.find((r: Config) => r.name === "null")).toEqual({ name: "null" });
  });

  it("replaces the chart's route to the null receiver and its critical/warning inhibitions", () => {
    expect(config.route.receiver).toBe("ticket");
    expect(config.inhibit_rules).toEqual([
      { source_matchers: ['severity=~"page|critical"'], target_matchers: ['severity=~"ticket|warning"'], equal: ["alertname", "namespace"] },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["namespace"] },
    ]);
  });

  it("uses only fields that Alertmanager v0.34.0 and the operator's strict parser both know, and no inline credential", () => {
    const fields = AM.fields;
    const keysOf = (o: Config) => Object.keys(o);
    expect(keysOf(config).filter((k) => !(fields.top.keys as readonly string[]).includes(k))).toEqual([]);
    const walk = (route: Config): void => {
      expect(keysOf(route).filter((k) => !(fields.route.keys as readonly string[]).includes(k))).toEqual([]);
      for (const child of route.routes ?? []) walk(child);
    };
    walk(config.route);
    for (const rule of config.inhibit_rules)
      expect(keysOf(rule).every((k) => (fields.inhibit_rules.keys as readonly string[]).includes(k))).toBe(true);
    for (const receiver of config.receivers) {
      expect(keysOf(receiver).filter((k) => !(fields.receiver.keys as readonly string[]).includes(k))).toEqual([]);
      for (const kind of keysOf(receiver).filter((k) => k !== "name") as (keyof typeof fields)[]) {
        const known = fields[kind] as { keys: readonly string[]; credentialFile: { field: string; minVersion: string } };
        for (const integration of receiver[kind]) {
          expect(keysOf(integration).filter((k) => !known.keys.includes(k))).toEqual([]);
          expect(integration[known.credentialFile.field]).toMatch(/^\/etc\/alertmanager\/secret-manager\//);
          // The operator drops a credential file field below this Alertmanager release; the chart deploys a newer one.
          const [major, minor] = known.credentialFile.minVersion.split(".").map(Number);
          const [dMajor, dMinor] = KUBE_PROMETHEUS_STACK_FACTS.images.alertmanager.slice(1).split(".").map(Number);
          expect(dMajor > major || (dMajor === major && dMinor >= minor)).toBe(true);
        }
      }
    }
    expect(JSON.stringify(config)).not.toMatch(/"(api_url|routing_key|service_key|auth_password|url)":/);
  });

  it("mounts every file a receiver reads from the SecretProviderClass, which Alertmanager's own identity may read", () => {
    const spec = values.alertmanager.alertmanagerSpec;
    expect(spec.volumeMounts).toEqual([{ name: "secret-manager", mountPath: DIR, readOnly: true }]);
    const volume = spec.volumes.find((v: Config) => v.name === "secret-manager");
    const spc = resourcesOf(example.platform, "kubernetes_manifest").find(
      (m) => m.manifest.kind === "SecretProviderClass" && m.manifest.metadata.name === volume.csi.volumeAttributes.secretProviderClass,
    )!;
    expect(volume.csi.driver).toBe("secrets-store-gke.csi.k8s.io");
    const mounted = (fromYaml(spc.manifest.spec.parameters.secrets) as { path: string; resourceName: string }[]).map((s) => [
      `${DIR}/${s.path}`,
      s.resourceName,
    ]);
    expect(mounted).toEqual([
      [`${DIR}/oncall-routing-key`, "projects/ai-gateway-example/secrets/ai-gw-alerts-pagerduty-routing-key/versions/latest"],
      [`${DIR}/team-slack-api-url`, "projects/ai-gateway-example/secrets/ai-gw-alerts-slack-webhook-url/versions/latest"],
    ]);
    // The secrets and the grant live in the infrastructure stack, with the rest of the IAM.
    expect(resourcesOf(example.platform, "google_secret_manager_secret_iam_member")).toEqual([]);
    const created = resourcesOf(example.infrastructure, "google_secret_manager_secret").map((s) => s.secret_id);
    expect(created).toEqual(expect.arrayContaining(["ai-gw-alerts-pagerduty-routing-key", "ai-gw-alerts-slack-webhook-url"]));
    expect(resourcesOf(example.infrastructure, "google_secret_manager_secret_version").map((v) => v.secret)).not.toEqual(
      expect.arrayContaining([expect.stringContaining("alerts")]),
    );
    const grants = resourcesOf(example.infrastructure, "google_secret_manager_secret_iam_member").filter((g) => g.member.startsWith("principal://"));
    expect(grants.map((g) => [g.secret_id, g.role]).sort()).toEqual([
      [expect.stringMatching(/AlertReceiverSecrets_Secret-ai-gw-alerts-pagerduty-routing-key_\w+\.secret_id/), "roles/secretmanager.secretAccessor"],
      [expect.stringMatching(/AlertReceiverSecrets_Secret-ai-gw-alerts-slack-webhook-url_\w+\.secret_id/), "roles/secretmanager.secretAccessor"],
    ]);
    for (const g of grants) {
      expect(g.member).toMatch(
        new RegExp(
          String.raw`^principal:\/\/iam\.googleapis\.com\/projects\/\$\{data\.google_project\.\w+\.number\}\/locations\/global\/` +
            String.raw`workloadIdentityPools\/ai-gateway-example\.svc\.id\.goog\/subject\/ns\/ai-gateway-observability\/` +
            String.raw`sa\/kube-prometheus-stack-alertmanager$`,
        ),
      );
      expect(g.depends_on).toEqual([expect.stringMatching(/^google_container_cluster\./)]);
    }
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\.\w*AlertmanagerSecrets/)]));
  });
});

const BASE: ObservabilityStackProps = {
  namespace: "obs",
  projectId: "p",
  targets: { edge: { namespace: "e" }, backend: { namespace: "a" }, router: { namespace: "r" } },
  models: [],
};
const build = (props: Partial<ObservabilityStackProps>) =>
  new ObservabilityStack(new TerraformStack(Testing.app(), "test"), "o", { ...BASE, ...props });
const ALL_KINDS: AlertingProps = {
  receivers: {
    pd: { kind: "pagerduty", severities: ["page"], routingKeySecret: "pd-key" },
    slack: { kind: "slack", severities: ["ticket"], webhookUrlSecret: "slack-url", channel: "#gateway" },
    mail: {
      kind: "email",
      severities: ["ticket"],
      to: "team@example.com",
      from: "am@example.com",
      smarthost: "smtp.example.com:587",
      username: "am",
      passwordSecret: "smtp-password",
    },
    hook: { kind: "webhook", severities: ["page", "ticket"], urlSecret: "hook-url" },
  },
};

describe("ObservabilityStack alerting", () => {
  it("can configure every receiver kind, routed by severity", () => {
    const stack = build({ alerting: ALL_KINDS });
    const cfg = renderedAlertmanagerConfig(stack.values as Config);
    expect(integrationsOf(cfg, "page")).toEqual([`pagerduty_configs:${DIR}/pd-routing-key`, `webhook_configs:${DIR}/hook-url`]);
    expect(integrationsOf(cfg, "ticket")).toEqual([
      `email_configs:${DIR}/mail-password`,
      `slack_configs:${DIR}/slack-api-url`,
      `webhook_configs:${DIR}/hook-url`,
    ]);
    expect(cfg.receivers.find((r: Config) => r.name === "ticket").email_configs[0]).toMatchObject({
      smarthost: "smtp.example.com:587",
      auth_username: "am",
      require_tls: true,
    });
  });

  it("throws if a severity has no receiver, a name is invalid, or the project is missing", () => {
    expect(() => build({ alerting: { receivers: { pd: { kind: "pagerduty", severities: ["page"], routingKeySecret: "k" } } } })).toThrow(
      /^test\/o: alerting\.receivers has no receiver for severity "ticket"/,
    );
    expect(() => build({ alerting: { receivers: { "On Call": { kind: "webhook", severities: ["page", "ticket"], urlSecret: "u" } } } })).toThrow(
      /alerting\.receivers\.On Call is not a valid receiver name/,
    );
    expect(() => build({ alerting: ALL_KINDS, projectId: undefined })).toThrow(/projectId is required with alerting/);
    expect(() =>
      build({
        alerting: { receivers: { m: { ...(ALL_KINDS.receivers.mail as any), severities: ["page", "ticket"], smarthost: "smtp.example.com" } } },
      }),
    ).toThrow(/alerting\.receivers\.m\.smarthost is not host:port/);
  });

  it("default: keeps the chart's null route and warns at synth that alerts reach no one", () => {
    const stack = build({});
    expect((stack.values as Config).alertmanager.config).toBeUndefined();
    const json = synthJson(stack.node.scope as TerraformStack);
    expect(resourcesOf(json, "kubernetes_manifest")).toEqual([]);
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/no alerting receivers: alerts reach no one/)]);
  });

  // The image has Debian's amtool 0.25 when prometheus-alertmanager is installed; it knows every field but
  // webhook's url_file (0.26), so it checks the other three kinds. The fact-based tests above run everywhere.
  const amtool = spawnSync("amtool", ["--version"], { encoding: "utf8" });
  it.skipIf(amtool.error !== undefined)("passes amtool check-config and routes as the fact-based walk does", () => {
    const { hook: _hook, ...withoutWebhook } = ALL_KINDS.receivers;
    const cfg = renderedAlertmanagerConfig(
      build({ alerting: { receivers: { ...withoutWebhook, pd: { ...withoutWebhook.pd, severities: ["page", "ticket"] } } } }).values as Config,
    );
    const dir = mkdtempSync(join(tmpdir(), "amtool-"));
    writeFileSync(join(dir, "am.yaml"), toYaml(cfg));
    const check = spawnSync("amtool", ["check-config", "am.yaml"], { cwd: dir, encoding: "utf8" });
    expect(check.stdout + check.stderr).toMatch(/SUCCESS/);
    expect(check.status).toBe(0);
    for (const labels of [{ severity: "critical" }, { severity: "ticket" }, { alertname: "Watchdog" }, { alertname: "X" }] as Record<
      string,
      string
    >[]) {
      const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const out = spawnSync("amtool", ["config", "routes", "test", "--config.file=am.yaml", ...args], { cwd: dir, encoding: "utf8" });
      expect(out.stdout.trim(), JSON.stringify(labels)).toBe(receiversFor(cfg.route, labels).join(","));
    }
  });
});
