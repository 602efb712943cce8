import type { TerraformJson } from "../terraform";
import { resourcesOf } from "../terraform";
import {
  emptyObjectSet,
  type Container,
  type HelmRelease,
  type Labels,
  type ObjectMeta,
  type ObjectSet,
  type PodTemplate,
  type PolicyPeer,
  type PolicyRule,
  type Volume,
  type VolumeSource,
  type GoogleSide,
} from "./types";

/** A nested block as cdktf writes it: an object for one, a list for several, absent for none. */
export function blocks(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Replaces `${kubernetes_namespace_v1.<id>.metadata[0].name}` with the namespace's name, as
 * Terraform would at apply; other references (data sources read at plan) stay as written.
 */
export function resolveNamespaceReferences<T>(json: TerraformJson, value: T): T {
  const names = new Map(Object.entries(json.resource?.kubernetes_namespace_v1 ?? {}).map(([id, ns]) => [id, ns.metadata.name as string]));
  const text = JSON.stringify(value).replace(/\$\{kubernetes_namespace_v1\.([\w-]+)\.metadata\[0\]\.name\}/g, (whole, id) => names.get(id) ?? whole);
  return JSON.parse(text) as T;
}

function meta(metadata: any, origin: string): ObjectMeta {
  return { namespace: metadata.namespace ?? "", name: metadata.name, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {}, origin };
}

function addressesOf(json: TerraformJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {}).map(([id, body]) => [`${type}.${id}`, resolveNamespaceReferences(json, body)]);
}

function container(c: any): Container {
  return {
    name: c.name,
    image: c.image,
    command: c.command ?? [],
    args: c.args ?? [],
    ports: blocks(c.port).map((p) => ({ name: p.name, containerPort: p.container_port, protocol: p.protocol ?? "TCP" })),
    env: blocks(c.env).map((e) => {
      const ref = blocks(blocks(e.value_from)[0]?.secret_key_ref)[0];
      return { name: e.name, value: e.value, ...(ref ? { secretKeyRef: { name: ref.name, key: ref.key } } : {}) };
    }),
    volumeMounts: blocks(c.volume_mount).map((m) => ({ name: m.name, mountPath: m.mount_path })),
  };
}

function volume(v: any): Volume {
  const source = (): VolumeSource => {
    if (v.config_map) return { configMap: blocks(v.config_map)[0].name };
    if (v.secret) return { secret: blocks(v.secret)[0].secret_name };
    if (v.csi) return { secretProviderClass: blocks(v.csi)[0].volume_attributes.secretProviderClass };
    if (v.empty_dir) return { emptyDir: true };
    if (v.projected) return { projected: true };
    throw new Error(`cluster model: volume ${v.name} has a source the model does not know: ${JSON.stringify(v)}`);
  };
  return { name: v.name, source: source() };
}

function podTemplate(template: any): PodTemplate {
  const spec = blocks(template.spec)[0];
  const metadata = blocks(template.metadata)[0] ?? {};
  return {
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
    serviceAccountName: spec.service_account_name,
    containers: blocks(spec.container).map(container),
    volumes: blocks(spec.volume).map(volume),
  };
}

function matchLabels(selector: unknown): Labels {
  return blocks(selector)[0]?.match_labels ?? {};
}

/** A selector's match_expressions; only NotIn is modelled, so any other operator fails the model instead of being ignored. */
function notInExpressions(selector: unknown): Record<string, string[]> {
  const expressions: { key: string; operator: string; values?: string[] }[] = blocks(selector)[0]?.match_expressions ?? [];
  return Object.fromEntries(
    expressions.map((e) => {
      if (e.operator !== "NotIn") throw new Error(`match_expressions operator ${e.operator} is not modelled`);
      return [e.key, e.values ?? []];
    }),
  );
}

function policyPeer(peer: any): PolicyPeer {
  const ipBlock = blocks(peer.ip_block)[0];
  return {
    ...(ipBlock ? { ipBlock: { cidr: ipBlock.cidr, except: ipBlock.except ?? [] } } : {}),
    ...(peer.namespace_selector ? { namespaceSelector: matchLabels(peer.namespace_selector) } : {}),
    ...(peer.pod_selector ? { podSelector: matchLabels(peer.pod_selector) } : {}),
  };
}

function policyRules(rules: unknown, key: "from" | "to"): PolicyRule[] {
  return blocks(rules).map((rule) => ({
    peers: blocks(rule[key]).map(policyPeer),
    ports: blocks(rule.ports).map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" })),
  }));
}

/** The Kubernetes objects the kubernetes provider's resources create. */
export function objectsFromTerraform(json: TerraformJson): ObjectSet {
  const set = emptyObjectSet();
  for (const [, ns] of addressesOf(json, "kubernetes_namespace_v1"))
    set.namespaces.push({ name: ns.metadata.name, labels: ns.metadata.labels ?? {} });
  for (const [origin, d] of addressesOf(json, "kubernetes_deployment_v1")) {
    const spec = blocks(d.spec)[0];
    set.workloads.push({
      ...meta(d.metadata, origin),
      kind: "Deployment",
      selector: matchLabels(spec.selector),
      replicas: spec.replicas,
      template: podTemplate(blocks(spec.template)[0]),
    });
  }
  for (const [origin, s] of addressesOf(json, "kubernetes_service_v1")) {
    const spec = blocks(s.spec)[0];
    set.services.push({
      ...meta(s.metadata, origin),
      type: spec.type ?? "ClusterIP",
      selector: spec.selector ?? {},
      ports: blocks(spec.port).map((p) => ({ name: p.name, port: p.port, targetPort: p.target_port ?? p.port, protocol: p.protocol ?? "TCP" })),
    });
  }
  for (const [origin, a] of addressesOf(json, "kubernetes_service_account_v1")) set.serviceAccounts.push(meta(a.metadata, origin));
  for (const [origin, c] of addressesOf(json, "kubernetes_config_map_v1")) set.configMaps.push({ ...meta(c.metadata, origin), data: c.data ?? {} });
  for (const [origin, s] of addressesOf(json, "kubernetes_secret_v1"))
    set.secrets.push({ ...meta(s.metadata, origin), keys: Object.keys({ ...s.data, ...s.binary_data }) });
  for (const [origin, m] of addressesOf(json, "kubernetes_manifest")) {
    const manifest = m.manifest;
    set.customObjects.push({ ...meta(manifest.metadata, origin), apiVersion: manifest.apiVersion, kind: manifest.kind, spec: manifest.spec });
  }
  for (const [origin, p] of addressesOf(json, "kubernetes_pod_disruption_budget_v1"))
    set.disruptionBudgets.push({ ...meta(p.metadata, origin), selector: matchLabels(blocks(p.spec)[0].selector) });
  for (const [origin, h] of addressesOf(json, "kubernetes_horizontal_pod_autoscaler_v2")) {
    const spec = blocks(h.spec)[0];
    const target = blocks(spec.scale_target_ref)[0];
    set.autoscalers.push({
      ...meta(h.metadata, origin),
      target: { kind: target.kind, name: target.name },
      minReplicas: spec.min_replicas,
      maxReplicas: spec.max_replicas,
    });
  }
  for (const [origin, n] of addressesOf(json, "kubernetes_network_policy_v1")) {
    const spec = blocks(n.spec)[0];
    set.networkPolicies.push({
      ...meta(n.metadata, origin),
      podSelector: matchLabels(spec.pod_selector),
      podSelectorNotIn: notInExpressions(spec.pod_selector),
      types: spec.policy_types ?? [],
      ingress: policyRules(spec.ingress, "from"),
      egress: policyRules(spec.egress, "to"),
    });
  }
  return set;
}

/** Each helm_release with its values parsed (several `values` documents merge, later ones winning). */
export function helmReleases(json: TerraformJson, parseYaml: (text: string) => any): HelmRelease[] {
  return addressesOf(json, "helm_release").map(([origin, r]) => ({
    name: r.name,
    namespace: r.namespace ?? "default",
    chart: r.chart,
    version: r.version,
    values: (r.values ?? []).map(parseYaml).reduce((merged: any, next: any) => deepMerge(merged, next ?? {}), {}),
    origin,
  }));
}

function deepMerge(base: any, over: any): any {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? deepMerge(base[key], value) : value;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The infrastructure stack's Workload Identity grants and Secret Manager secrets. A Google
 * service account referenced as `${google_service_account.<id>.name|email|member}` becomes its
 * email, as the provider computes it (`<account_id>@<project>.iam.gserviceaccount.com`).
 */
export function googleSide(json: TerraformJson): GoogleSide {
  const emails = new Map(
    Object.entries(json.resource?.google_service_account ?? {}).map(([id, sa]) => [id, `${sa.account_id}@${sa.project}.iam.gserviceaccount.com`]),
  );
  const email = (ref: string) => {
    const match = /^(?:serviceAccount:)?\$\{google_service_account\.([\w-]+)\.(?:name|email|id|member)\}$/.exec(ref);
    return match ? (emails.get(match[1]) ?? ref) : ref.replace(/^serviceAccount:/, "");
  };
  const workloadIdentity = Object.entries(json.resource?.google_service_account_iam_member ?? {})
    .filter(([, m]) => m.role === "roles/iam.workloadIdentityUser")
    .map(([id, m]) => {
      const ksa = /^serviceAccount:[^[]+\.svc\.id\.goog\[([^/]+)\/([^\]]+)\]$/.exec(m.member);
      if (!ksa) throw new Error(`cluster model: google_service_account_iam_member.${id} has a member the model cannot read: ${m.member}`);
      return {
        gcpServiceAccount: email(m.service_account_id),
        namespace: ksa[1],
        serviceAccount: ksa[2],
        origin: `google_service_account_iam_member.${id}`,
      };
    });
  const secretIds = new Map(Object.entries(json.resource?.google_secret_manager_secret ?? {}).map(([id, s]) => [id, s.secret_id as string]));
  const secrets = new Map<string, string[]>([...secretIds.values()].map((secretId) => [secretId, []]));
  for (const grant of resourcesOf(json, "google_secret_manager_secret_iam_member")) {
    if (grant.role !== "roles/secretmanager.secretAccessor") continue;
    const ref = /^\$\{google_secret_manager_secret\.([\w-]+)\.secret_id\}$/.exec(grant.secret_id);
    const secretId = ref ? secretIds.get(ref[1])! : grant.secret_id;
    secrets.get(secretId)?.push(email(grant.member));
  }
  return { workloadIdentity, secrets };
}
