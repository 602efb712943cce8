import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { helmReleaseValues } from "./helm-values";
import { compareOrdinal, sortedEntries } from "./ordering";
import type { PolicyReport } from "./policy/pack";
import { CHART_IMAGE_FACTS, PROVIDER_FORCE_NEW_FACTS } from "./upstream-facts";
import { fromYaml } from "./yaml";

/** One resource of a synthesized stack, its configuration with every synth-time reference resolved. */
export interface SynthesizedResource {
  readonly type: string;
  readonly name: string;
  readonly path: string;
  readonly config: Record<string, any>;
}

/** One synthesized stack: its Terraform JSON by resource address. */
export interface SynthesizedStack {
  readonly name: string;
  readonly resources: ReadonlyMap<string, SynthesizedResource>;
  /** `terraform.backend`: its type and settings; undefined = Terraform's default local state. */
  readonly backend?: { readonly type: string; readonly config: Record<string, unknown> };
  /** Resolves the references a value holds that the synthesized stacks determine (Helm values are resolved after parsing). */
  readonly resolve: (value: unknown) => unknown;
}

export interface SynthDirectory {
  readonly stacks: SynthesizedStack[];
  readonly policy?: PolicyReport;
}

interface StackJson {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, Record<string, any>[]>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
}

/** Reads `cdktf.out/` (or any synth output directory). */
export function readSynthDirectory(dir: string): SynthDirectory {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${dir} holds no manifest.json: run \`npm run synth\` first, or pass the directory cdktf wrote`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const hcl = Object.values(manifest.stacks).find((stack) => !stack.synthesizedStackPath.endsWith(".json"));
  if (hcl)
    throw new Error(
      `${dir} holds HCL (${hcl.synthesizedStackPath}): the review reads the JSON synth, run \`npm run synth\` (not \`cdktf synth --hcl\`)`,
    );
  const jsons = new Map(
    sortedEntries(manifest.stacks).map(([name, stack]) => [
      name,
      JSON.parse(readFileSync(join(dir, stack.synthesizedStackPath), "utf8")) as StackJson,
    ]),
  );
  const stacks = [...jsons.entries()].map(([name, json]) => synthesizedStack(name, json, new Resolver(name, jsons)));
  const policyPath = join(dir, "policy-report.json");
  const policy = existsSync(policyPath) ? (JSON.parse(readFileSync(policyPath, "utf8")) as PolicyReport) : undefined;
  return { stacks, policy };
}

function synthesizedStack(name: string, json: StackJson, resolver: Resolver): SynthesizedStack {
  const resources = new Map<string, SynthesizedResource>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [resourceName, body] of Object.entries(byName)) {
      const { "//": meta, ...raw } = body;
      // Helm values are YAML text: a value spliced into it could change its structure, so they are resolved once parsed.
      const config = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, key === "values" ? value : resolver.resolve(value)]));
      resources.set(`${type}.${resourceName}`, { type, name: resourceName, path: meta?.metadata?.path ?? `${name}/${resourceName}`, config });
    }
  }
  const [backendType, backendConfig] = Object.entries(json.terraform?.backend ?? {})[0] ?? [];
  const backend = backendType ? { type: backendType, config: backendConfig ?? {} } : undefined;
  return { name, resources, backend, resolve: (value) => resolver.resolve(value) };
}

// ---------------------------------------------------------------------------------------------
// References: `${type.name.attr}`, `${data.type.name.attr}`, `${data.terraform_remote_state.x.outputs.y}`.

const REFERENCE = /^(?:(data)\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+|\[\d+\])*)$/;
/** `${…}` not escaped as `$${…}` (which Terraform writes literally). */
const INTERPOLATION = /(?<!\$)\$\{([^{}]*)\}/g;
const KNOWN_AFTER_APPLY = "known after apply";

/**
 * Attributes the provider computes from configured ones, with the format it uses
 * (hashicorp/terraform-provider-google@v6.50.0; `{x}` = the resource's attribute x).
 */
const DERIVED_ATTRIBUTES: Record<string, Record<string, string>> = {
  // resourcemanager/resource_google_service_account.go:147, 255, 367-371
  google_service_account: {
    email: "{account_id}@{project}.iam.gserviceaccount.com",
    member: "serviceAccount:{account_id}@{project}.iam.gserviceaccount.com",
    name: "projects/{project}/serviceAccounts/{account_id}@{project}.iam.gserviceaccount.com",
    id: "projects/{project}/serviceAccounts/{account_id}@{project}.iam.gserviceaccount.com",
  },
  google_secret_manager_secret: { id: "projects/{project}/secrets/{secret_id}" }, // secretmanager/resource_secret_manager_secret.go:463
  google_kms_key_ring: { id: "projects/{project}/locations/{location}/keyRings/{name}" }, // kms/resource_kms_key_ring.go:141
  google_kms_crypto_key: { id: "{key_ring}/cryptoKeys/{name}" }, // kms/resource_kms_crypto_key.go:296
  google_compute_network: { id: "projects/{project}/global/networks/{name}" }, // compute/resource_compute_network.go:340
  google_compute_subnetwork: { id: "projects/{project}/regions/{region}/subnetworks/{name}" }, // compute/resource_compute_subnetwork.go:668
  // artifactregistry/…repository.go:973
  google_artifact_registry_repository: { id: "projects/{project}/locations/{location}/repositories/{repository_id}" },
  google_container_cluster: { id: "projects/{project}/locations/{location}/clusters/{name}" }, // container/resource_container_cluster.go:2766
};

/** Resolves references against the stacks of one synth; what only Terraform or the API knows stays a `${…}` token. */
class Resolver {
  constructor(
    private readonly stackName: string,
    private readonly stacks: ReadonlyMap<string, StackJson>,
  ) {}

  resolve(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.resolveString(value, depth);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, depth));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, depth)]));
    return value;
  }

  private resolveString(text: string, depth: number): unknown {
    if (depth > 8 || !text.includes("${")) return text;
    const whole = /^\$\{([^{}]*)\}$/.exec(text);
    if (whole) {
      const resolved = this.reference(whole[1].trim(), depth);
      return resolved === undefined ? text : resolved;
    }
    return text.replace(INTERPOLATION, (token, expression: string) => {
      const resolved = this.reference(expression.trim(), depth);
      return typeof resolved === "string" || typeof resolved === "number" || typeof resolved === "boolean" ? String(resolved) : token;
    });
  }

  /** The value of a reference, or undefined when only apply (or a plan) can tell. */
  private reference(expression: string, depth: number): unknown {
    const match = REFERENCE.exec(expression);
    if (!match) return undefined;
    const [, data, type, name, rest] = match;
    const path = [...rest.matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
    const json = this.stacks.get(this.stackName)!;
    if (data && type === "terraform_remote_state") return this.remoteOutput(path, depth);
    const config = (data ? json.data : json.resource)?.[type]?.[name];
    if (!config) return undefined;
    const configured = walk(config, path);
    if (configured !== undefined) return settled(this.resolve(configured, depth + 1));
    if (data) return undefined;
    const template = DERIVED_ATTRIBUTES[type]?.[String(path[0])];
    if (!template || path.length !== 1) return undefined;
    return this.fillTemplate(template, config, json, depth);
  }

  /** A cross-stack output: cdktf names outputs uniquely, so the output name finds its stack. */
  private remoteOutput(path: (string | number)[], depth: number): unknown {
    if (path[0] !== "outputs" || typeof path[1] !== "string") return undefined;
    for (const [name, json] of this.stacks) {
      const output = json.output?.[path[1]];
      if (output) return settled(new Resolver(name, this.stacks).resolve(walk(output.value, path.slice(2)), depth + 1));
    }
    return undefined;
  }

  private fillTemplate(template: string, config: Record<string, any>, json: StackJson, depth: number): string | undefined {
    const providerDefaults = json.provider?.google?.[0] ?? {};
    let unknown = false;
    const filled = template.replace(/\{([a-z_]+)\}/g, (_, attribute: string) => {
      const value = settled(this.resolve(config[attribute] ?? providerDefaults[attribute], depth + 1));
      if (typeof value !== "string") unknown = true;
      return String(value);
    });
    return unknown ? undefined : filled;
  }
}

/** Follows `.attr` and `[n]` through synthesized JSON, where a single block is an object and `[0]` is itself. */
function walk(value: unknown, path: (string | number)[]): unknown {
  let node = value;
  for (const step of path) {
    if (node === undefined || node === null) return undefined;
    if (typeof step === "number") node = Array.isArray(node) ? node[step] : step === 0 ? node : undefined;
    else node = Array.isArray(node) && node.length === 1 ? node[0]?.[step] : (node as any)[step];
  }
  return node;
}

/** A value with a token left is not known at synth time. */
function settled(value: unknown): unknown {
  return JSON.stringify(value ?? null).includes("${") ? undefined : value;
}

/** How a value reads in the review: references Terraform resolves later say so. */
export function displayValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined) return "(unset)";
  return text.replace(INTERPOLATION, (_, expression: string) => `(${KNOWN_AFTER_APPLY}: ${expression.trim()})`);
}

// ---------------------------------------------------------------------------------------------
// Markdown

const cell = (text: unknown) =>
  displayValue(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
const table = (headers: string[], rows: unknown[][]) =>
  rows.length === 0
    ? "_none_\n"
    : [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n") +
      "\n";

/** The Markdown synth review of one stack, optionally against the same stack in a previous synth. */
export function reviewStack(stack: SynthesizedStack, policy: PolicyReport | undefined, base?: SynthesizedStack): string {
  const resources = [...stack.resources.values()];
  const sections = [
    `# Synth review: ${stack.name}`,
    "",
    "What the synthesized Terraform JSON declares, not a Terraform plan: it cannot see the state or the live project. " +
      `Values only Terraform or the API knows read "(${KNOWN_AFTER_APPLY}: …)". A runner with credentials appends \`cdktf diff\` (README ` +
      `"Synth review").`,
    "",
    `${resources.length} resources. State: ${describeBackend(stack.backend)}.`,
    "",
    "## Resources by construct and type",
    "",
    table(["construct", "type", "count"], resourcesByConstruct(stack)),
    "## Helm releases",
    "",
    table(["release", "namespace", "chart", "version", "repository", "images"], helmReleases(stack)),
    "## Images the charts deploy",
    "",
    table(["release", "image", "runs", "from"], chartImages(stack)),
    "## Workload images",
    "",
    table(["workload", "namespace", "image"], workloadImages(stack)),
    "## Public endpoints",
    "",
    table(["what", "where", "detail"], publicEndpoints(stack)),
    "## IAM grants",
    "",
    table(["resource", "role", "member", "on"], iamGrants(stack)),
    "## Secrets referenced",
    "",
    table(["kind", "name", "used by"], secretsReferenced(stack)),
    "## Policy findings",
    "",
    policySection(stack, policy),
  ];
  if (base) sections.push("## Changes since the base synth", "", changes(base, stack));
  return `${sections.join("\n").trimEnd()}\n`;
}

function describeBackend(backend: SynthesizedStack["backend"]): string {
  if (!backend) return "local (Terraform's default terraform.tfstate)";
  const settings = sortedEntries(backend.config)
    .map(([key, value]) => `${key}=${displayValue(value)}`)
    .join(", ");
  return `${backend.type}${settings ? ` (${settings})` : ""}`;
}

/** Construct = the resource's path without its last two segments (the resource inside its construct). */
function resourcesByConstruct(stack: SynthesizedStack): unknown[][] {
  const counts = new Map<string, number>();
  for (const r of stack.resources.values()) {
    const segments = r.path.split("/");
    const construct = segments.slice(0, Math.max(1, segments.length - 1)).join("/");
    const key = `${construct}\u0000${r.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => compareOrdinal(a, b)).map(([key, count]) => [...key.split("\u0000"), count]);
}

/** A release's values, parsed and resolved once per synthesized resource: four sections read them. */
const resolvedValues = new WeakMap<Record<string, any>, Record<string, any>>();

function valuesOf(stack: SynthesizedStack, config: Record<string, any>): Record<string, any> {
  let values = resolvedValues.get(config);
  if (!values) {
    values = (stack.resolve(helmReleaseValues(config) ?? {}) ?? {}) as Record<string, any>;
    resolvedValues.set(config, values);
  }
  return values;
}

const helmReleasesOf = (stack: SynthesizedStack) =>
  [...stack.resources.values()].filter((r) => r.type === "helm_release").sort((a, b) => compareOrdinal(String(a.config.name), String(b.config.name)));

/** `repository:tag` of every `{ repository, tag }` object in the values: the images our values pin. */
function valuesImages(values: Record<string, any>): string[] {
  const images: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const image = node as Record<string, unknown>;
    if (typeof image.repository === "string" && typeof image.tag === "string") images.push(`${image.repository}:${image.tag}`);
    for (const child of Object.values(node)) visit(child);
  };
  visit(values);
  return images.sort();
}

function chartFacts(config: Record<string, any>) {
  return (CHART_IMAGE_FACTS as Record<string, (typeof CHART_IMAGE_FACTS)[keyof typeof CHART_IMAGE_FACTS]>)[`${config.chart}@${config.version}`];
}

function helmReleases(stack: SynthesizedStack): unknown[][] {
  return helmReleasesOf(stack).map((r) => {
    const facts = chartFacts(r.config);
    const deployed = facts ? facts.images.filter((i) => i.kind !== "test").map((i) => i.image) : valuesImages(valuesOf(stack, r.config));
    return [r.config.name, r.config.namespace, r.config.chart, r.config.version, r.config.repository, deployed.join(", ") || "no image facts"];
  });
}

/** Per release, the images its chart version deploys (CHART_IMAGE_FACTS), and those our values pin. */
function chartImages(stack: SynthesizedStack): unknown[][] {
  return helmReleasesOf(stack).flatMap((r) => {
    const facts = chartFacts(r.config);
    const fromValues = valuesImages(valuesOf(stack, r.config));
    if (!facts)
      return [[r.config.name, fromValues.join(", ") || "?", "", `no facts for ${r.config.chart}@${r.config.version}: add them to CHART_IMAGE_FACTS`]];
    return facts.images.map((i) => [
      r.config.name,
      i.image,
      i.kind === "workload" ? i.runs : `${i.runs} (${i.kind === "hook" ? "Helm hook" : "helm test only"})`,
      fromValues.includes(i.image) ? "our values" : "chart default",
    ]);
  });
}

function workloadImages(stack: SynthesizedStack): unknown[][] {
  return [...stack.resources.values()]
    .filter((r) => r.type === "kubernetes_deployment_v1")
    .flatMap((r) =>
      (r.config.spec?.template?.spec?.container ?? []).map((c: any) => [r.config.metadata?.name, r.config.metadata?.namespace, c.image]),
    )
    .sort((a, b) => compareOrdinal(String(a[0]), String(b[0])));
}

function publicEndpoints(stack: SynthesizedStack): unknown[][] {
  const rows: unknown[][] = [];
  for (const r of stack.resources.values()) {
    if (r.type === "google_compute_address" && r.config.address_type === "EXTERNAL")
      rows.push(["static IP", r.config.name, `${r.config.region} ${r.config.network_tier ?? ""}`.trim()]);
    if (r.type === "google_container_cluster") {
      const privateConfig = r.config.private_cluster_config ?? {};
      const networks = (r.config.master_authorized_networks_config?.cidr_blocks ?? []).map((c: any) => `${c.cidr_block} (${c.display_name})`);
      rows.push([
        "control plane",
        r.config.name,
        `${privateConfig.enable_private_endpoint ? "private endpoint only" : "public endpoint"}; authorized networks: ` +
          `${networks.join(", ") || "VPC only"}`,
      ]);
    }
    if (r.type.startsWith("kubernetes_service") && ["LoadBalancer", "NodePort"].includes(r.config.spec?.type))
      rows.push([`Service ${r.config.spec.type}`, `${r.config.metadata?.namespace}/${r.config.metadata?.name}`, ""]);
    if (r.type === "helm_release") rows.push(...helmEndpoints(r.config, valuesOf(stack, r.config)));
  }
  return rows.sort((a, b) => compareOrdinal(`${a[0]}${a[1]}`, `${b[0]}${b[1]}`));
}

function helmEndpoints(config: Record<string, any>, values: Record<string, any>): unknown[][] {
  const rows: unknown[][] = [];
  for (const [key, service] of Object.entries(values)) {
    const s = service as Record<string, any> | undefined;
    if (s && typeof s === "object" && ["LoadBalancer", "NodePort"].includes(s.type)) {
      rows.push([
        `load balancer (${config.chart} ${key})`,
        `${config.namespace}/${config.name}`,
        `IP ${s.loadBalancerIP ?? "ephemeral"}; source ranges: ${(s.loadBalancerSourceRanges ?? []).join(", ") || "any"}`,
      ]);
    }
    if (s && typeof s === "object" && s.ingress?.enabled === true)
      rows.push([`ingress (${config.chart} ${key})`, `${config.namespace}/${config.name}`, ""]);
  }
  return rows;
}

/** What an IAM grant is on, by the resource type's parent attribute: a secret grant never reads as a project grant. */
const IAM_TARGETS: Record<string, (config: Record<string, any>) => string> = {
  google_project_iam_member: (c) => `project ${displayValue(c.project)}`,
  google_secret_manager_secret_iam_member: (c) => `secret ${displayValue(c.secret_id)}${c.project ? ` (project ${displayValue(c.project)})` : ""}`,
  google_service_account_iam_member: (c) =>
    `service account ${displayValue(c.service_account_id).replace(/^projects\/[^/]+\/serviceAccounts\//, "")}`,
  google_kms_crypto_key_iam_member: (c) => `KMS key ${displayValue(c.crypto_key_id)}`,
  google_artifact_registry_repository_iam_member: (c) =>
    `repository ` +
    `${displayValue(c.repository)}${c.location ? ` (${displayValue(c.location)}, project ${displayValue(c.project ?? "provider default")})` : ""}`,
  google_storage_bucket_iam_member: (c) => `bucket ${displayValue(c.bucket)}`,
};

function iamGrants(stack: SynthesizedStack): unknown[][] {
  return [...stack.resources.values()]
    .filter((r) => /_iam_(member|binding|policy)$/.test(r.type))
    .map((r) => [r.path, r.config.role ?? "(policy)", r.config.member ?? (r.config.members ?? []).join(", "), iamTarget(r)])
    .sort((a, b) => compareOrdinal(String(a[0]), String(b[0])));
}

function iamTarget(r: SynthesizedResource): string {
  const byType = IAM_TARGETS[r.type.replace(/_(binding|policy)$/, "_member")];
  return byType ? byType(r.config) : `${r.type.replace(/_iam_(member|binding|policy)$/, "")} (see the resource)`;
}

function secretsReferenced(stack: SynthesizedStack): unknown[][] {
  const rows: unknown[][] = [];
  for (const r of stack.resources.values()) {
    if (r.type === "google_secret_manager_secret") rows.push(["Secret Manager secret", r.config.secret_id, "(value added out of band)"]);
    if (r.type === "kubernetes_manifest" && r.config.manifest?.kind === "SecretProviderClass") {
      for (const s of fromYaml(r.config.manifest.spec.parameters.secrets) ?? [])
        rows.push(["mounted as a file", s.resourceName, `${r.config.manifest.metadata.name} → ${s.path}`]);
    }
    if (r.type === "helm_release") {
      const text = JSON.stringify(valuesOf(stack, r.config));
      for (const m of text.matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"\}/g))
        rows.push(["Kubernetes Secret (env)", `${m[1]}/${m[2]}`, r.config.name]);
      for (const m of text.matchAll(/"existingSecret":"([^"]+)"/g)) rows.push(["Kubernetes Secret", m[1], r.config.name]);
      for (const m of text.matchAll(/"secretVolumes":\["([^"]+)"/g)) rows.push(["Kubernetes Secret (TLS)", m[1], r.config.name]);
    }
  }
  return rows.sort((a, b) => compareOrdinal(`${a[0]}${a[1]}`, `${b[0]}${b[1]}`));
}

function policySection(stack: SynthesizedStack, policy: PolicyReport | undefined): string {
  if (!policy) return "_no policy report in this synth directory_\n";
  const mine = <T extends { path: string }>(list: T[]) =>
    list.filter((f) => f.path === stack.name || f.path.startsWith(`${stack.name}/`)).sort((a, b) => compareOrdinal(a.path, b.path));
  return [
    table(
      ["rule", "level", "construct", "finding"],
      mine(policy.findings).map((f) => [f.ruleId, f.level, f.path, f.message]),
    ),
    "Suppressed:",
    "",
    table(
      ["rule", "construct", "reason"],
      mine(policy.suppressed).map((s) => [s.ruleId, s.path, s.reason]),
    ),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Changes against a base synth

/** Meta-arguments: Terraform never replaces a resource because one of them changed. */
const META_ARGUMENTS = new Set(["lifecycle", "depends_on", "provider", "count", "for_each", "provisioner", "connection"]);

interface AttributeChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** "yes" (ForceNew), a CustomizeDiff condition, or undefined when it updates in place. */
  readonly replaces?: string;
}

/** Added, removed, changed and replaced resources, and the state backend. */
function changes(base: SynthesizedStack, current: SynthesizedStack): string {
  const added = [...current.resources.keys()].filter((a) => !base.resources.has(a)).sort();
  const removed = [...base.resources.keys()].filter((a) => !current.resources.has(a)).sort();
  const changed = [...current.resources.keys()]
    .filter((a) => base.resources.has(a))
    .map((address) => ({ address, attributes: attributeChanges(base.resources.get(address)!, current.resources.get(address)!) }))
    .filter((c) => c.attributes.length > 0)
    .sort((a, b) => compareOrdinal(a.address, b.address));
  const replaced = changed.filter((c) => c.attributes.some((a) => a.replaces === "yes"));
  const mayBeReplaced = changed.filter((c) => !replaced.includes(c) && c.attributes.some((a) => a.replaces));
  const blocking = [
    ...[...replaced, ...mayBeReplaced]
      .filter((c) => protection(base.resources.get(c.address)!))
      .map((c) => [c.address, protection(base.resources.get(c.address)!), replaced.includes(c) ? "replaced" : "may be replaced"]),
    ...removed.filter((a) => protection(base.resources.get(a)!)).map((a) => [a, protection(base.resources.get(a)!), "destroyed (removed)"]),
  ];
  return [
    `${added.length} added, ${removed.length} removed, ${changed.length} changed, ${replaced.length} replaced (destroyed and re-created), ` +
      `${mayBeReplaced.length} may be replaced, ${blocking.length} blocking.`,
    "",
    backendChange(base.backend, current.backend),
    "",
    "Blocking: protected resources this change destroys; Terraform refuses (prevent_destroy) or the API " +
      "does (deletion_protection), and lifting the protection loses the resource and its data:",
    "",
    table(["address", "protection", "what happens"], blocking),
    "Replaced or maybe replaced (a changed attribute forces a new resource, always or on a condition):",
    "",
    table(
      ["address", "construct", "attributes forcing it"],
      [...replaced, ...mayBeReplaced].map((c) => [
        c.address,
        current.resources.get(c.address)!.path,
        c.attributes
          .filter((a) => a.replaces)
          .map((a) => (a.replaces === "yes" ? a.path : `${a.path} (${a.replaces})`))
          .join(", "),
      ]),
    ),
    "Added:",
    "",
    table(
      ["address", "construct"],
      added.map((a) => [a, current.resources.get(a)!.path]),
    ),
    "Removed:",
    "",
    table(
      ["address", "construct"],
      removed.map((a) => [a, base.resources.get(a)!.path]),
    ),
    "Changed:",
    "",
    table(
      ["address", "attribute", "old → new", "forces replacement"],
      changed.flatMap((c) => c.attributes.map((a) => [c.address, a.path, `${shortValue(a.before)} → ${shortValue(a.after)}`, a.replaces ?? "no"])),
    ),
    "Likely renamed construct ids:",
    "",
    table(["type", "construct", "why"], renamedIds(base, current, added, removed)),
  ].join("\n");
}

function shortValue(value: unknown): string {
  const text = displayValue(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Why destroying this resource is refused: `lifecycle.prevent_destroy`, or `deletion_protection` (on by default for GKE clusters). */
function protection(resource: SynthesizedResource): string | undefined {
  if (resource.config.lifecycle?.prevent_destroy === true) return "lifecycle.prevent_destroy";
  if (resource.config.deletion_protection === true) return "deletion_protection";
  // The provider defaults it to true: hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:321-324
  if (resource.type === "google_container_cluster" && resource.config.deletion_protection === undefined)
    return "deletion_protection (provider default)";
  return undefined;
}

function backendChange(before: SynthesizedStack["backend"], after: SynthesizedStack["backend"]): string {
  const from = describeBackend(before);
  const to = describeBackend(after);
  if (from === to) return `State backend: unchanged, ${to}.`;
  return (
    `**State backend changes: ${from} → ${to}.** Deploy this stack once with \`cdktf deploy <stack> --migrate-state\` ` +
    "(or `terraform init -migrate-state` in `cdktf.out/stacks/<stack>`) to copy the state; without it Terraform starts from an empty state " +
    "and tries to create every resource again."
  );
}

/** Changed attributes below lifecycle.ignore_changes, each with whether the provider replaces the resource for it. */
function attributeChanges(before: SynthesizedResource, after: SynthesizedResource): AttributeChange[] {
  const ignored: string[] = (after.config.lifecycle?.ignore_changes ?? []).map((p: string) => stripIndexes(p));
  return diffPaths(before.config, after.config, "")
    .filter((path) => !ignored.some((i) => stripIndexes(path) === i || stripIndexes(path).startsWith(`${i}.`)))
    .map((path) => ({
      path,
      before: at(before.config, path),
      after: at(after.config, path),
      replaces: forcesReplacement(after.type, path, before.config, after.config),
    }));
}

const stripIndexes = (path: string) => path.replace(/\[\d+\]/g, "");

function at(config: Record<string, any>, path: string): unknown {
  return walk(
    config,
    [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1] : Number(m[2]))),
  );
}

type ForceNewEntry = { readonly forceNew: Readonly<Record<string, string>>; readonly conditional?: Readonly<Record<string, { when: string }>> };

function forcesReplacement(type: string, path: string, before: Record<string, any>, after: Record<string, any>): string | undefined {
  const attribute = stripIndexes(path);
  if (path === "(root)" || META_ARGUMENTS.has(attribute.split(".")[0])) return undefined;
  const facts = (PROVIDER_FORCE_NEW_FACTS.resources as Record<string, ForceNewEntry>)[type];
  if (!facts) return `unknown: ${type} has no ForceNew facts (add it to PROVIDER_FORCE_NEW_FACTS)`;
  const attributes = Object.keys(facts.forceNew);
  const isBlock = (a: string) => attributes.some((other) => other.startsWith(`${a}.`));
  if (facts.forceNew[attribute] && (!isBlock(attribute) || at(before, path) === undefined || at(after, path) === undefined)) return "yes";
  // A change inside a ForceNew map or list of values (node_config.metadata.x) replaces; inside a block, only its own ForceNew fields do.
  if (attributes.some((a) => attribute.startsWith(`${a}.`) && !isBlock(a))) return "yes";
  const conditional = Object.entries(facts.conditional ?? {}).find(([a]) => attribute === a || attribute.startsWith(`${a}.`));
  return conditional ? `if ${conditional[1].when}` : undefined;
}

/** A removal and an addition of one type with almost the same configuration: a renamed construct id. */
function renamedIds(base: SynthesizedStack, current: SynthesizedStack, added: string[], removed: string[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const gone of removed) {
    const type = gone.split(".")[0];
    const candidate = added.find(
      (a) => a.startsWith(`${type}.`) && diffPaths(base.resources.get(gone)!.config, current.resources.get(a)!.config, "").length <= 3,
    );
    if (candidate)
      rows.push([
        type,
        `${base.resources.get(gone)!.path} → ${current.resources.get(candidate)!.path}`,
        "likely a renamed construct id: Terraform will destroy and re-create it; keep the id or add a `moved` block",
      ]);
  }
  return rows;
}

/** Paths where two values differ: objects by key, lists of one length by index, anything else whole. */
function diffPaths(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareOrdinal);
    return keys.flatMap((k) => diffPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some(isObject))
    return a.flatMap((item, i) => diffPaths(item, b[i], `${path}[${i}]`));
  return [path || "(root)"];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}
