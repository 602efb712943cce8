import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { helmReleaseValues } from "./helm-values";
import type { PolicyReport } from "./policy/pack";
import { fromYaml } from "./yaml";
import { compareOrdinal, sortedEntries } from "./ordering";

/** One synthesized stack: its Terraform JSON by resource address. */
export interface SynthesizedStack {
  readonly name: string;
  readonly resources: ReadonlyMap<string, { type: string; name: string; path: string; config: Record<string, any> }>;
}

export interface SynthDirectory {
  readonly stacks: SynthesizedStack[];
  readonly policy?: PolicyReport;
}

/** Reads `cdktf.out/` (or any synth output directory). */
export function readSynthDirectory(dir: string): SynthDirectory {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${dir} holds no manifest.json: run \`npm run synth\` first, or pass the directory cdktf wrote`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = sortedEntries(manifest.stacks).map(([name, stack]) => {
    const json = JSON.parse(readFileSync(join(dir, stack.synthesizedStackPath), "utf8")) as { resource?: Record<string, Record<string, any>> };
    const resources = new Map<string, { type: string; name: string; path: string; config: Record<string, any> }>();
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [resourceName, body] of Object.entries(byName)) {
        const { "//": meta, ...config } = body;
        resources.set(`${type}.${resourceName}`, { type, name: resourceName, path: meta?.metadata?.path ?? `${name}/${resourceName}`, config });
      }
    }
    return { name, resources };
  });
  const policyPath = join(dir, "policy-report.json");
  const policy = existsSync(policyPath) ? (JSON.parse(readFileSync(policyPath, "utf8")) as PolicyReport) : undefined;
  return { stacks, policy };
}

const cell = (text: unknown) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
const table = (headers: string[], rows: unknown[][]) =>
  rows.length === 0
    ? "_none_\n"
    : [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n") +
      "\n";

/** The Markdown review of one stack, optionally against the same stack in a previous synth. */
export function reviewStack(stack: SynthesizedStack, policy: PolicyReport | undefined, base?: SynthesizedStack): string {
  const resources = [...stack.resources.values()];
  const sections = [
    `# Plan review: ${stack.name}`,
    "",
    `${resources.length} resources.`,
    "",
    "## Resources by construct and type",
    "",
    table(["construct", "type", "count"], resourcesByConstruct(stack)),
    "## Helm releases",
    "",
    table(["release", "namespace", "chart", "version", "repository", "images"], helmReleases(stack)),
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

function valuesOf(config: Record<string, any>): Record<string, any> {
  return helmReleaseValues(config) ?? {};
}

function helmReleases(stack: SynthesizedStack): unknown[][] {
  return [...stack.resources.values()]
    .filter((r) => r.type === "helm_release")
    .map((r) => {
      const values = valuesOf(r.config);
      const images: string[] = [];
      const visit = (node: unknown) => {
        if (!node || typeof node !== "object") return;
        const image = node as Record<string, unknown>;
        if (typeof image.repository === "string" && typeof image.tag === "string") images.push(`${image.repository}:${image.tag}`);
        for (const child of Object.values(node)) visit(child);
      };
      visit(values);
      return [r.config.name, r.config.namespace, r.config.chart, r.config.version, r.config.repository, images.sort().join(", ") || "chart defaults"];
    })
    .sort((a, b) => compareOrdinal(String(a[0]), String(b[0])));
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
        `${privateConfig.enable_private_endpoint ? "private endpoint only" : "public endpoint"}; authorized networks: ${networks.join(", ") || "VPC only"}`,
      ]);
    }
    if (r.type.startsWith("kubernetes_service") && ["LoadBalancer", "NodePort"].includes(r.config.spec?.type))
      rows.push([`Service ${r.config.spec.type}`, `${r.config.metadata?.namespace}/${r.config.metadata?.name}`, ""]);
    if (r.type === "helm_release") {
      const values = valuesOf(r.config);
      for (const [key, service] of Object.entries(values)) {
        const s = service as Record<string, any> | undefined;
        if (s && typeof s === "object" && ["LoadBalancer", "NodePort"].includes(s.type)) {
          rows.push([
            `load balancer (${r.config.chart} ${key})`,
            `${r.config.namespace}/${r.config.name}`,
            `IP ${s.loadBalancerIP ?? "ephemeral"}; source ranges: ${(s.loadBalancerSourceRanges ?? []).join(", ") || "any"}`,
          ]);
        }
        if (s && typeof s === "object" && s.ingress?.enabled === true)
          rows.push([`ingress (${r.config.chart} ${key})`, `${r.config.namespace}/${r.config.name}`, ""]);
      }
    }
  }
  return rows.sort((a, b) => compareOrdinal(`${a[0]}${a[1]}`, `${b[0]}${b[1]}`));
}

function iamGrants(stack: SynthesizedStack): unknown[][] {
  return [...stack.resources.values()]
    .filter((r) => /_iam_(member|binding|policy)$/.test(r.type))
    .map((r) => [
      r.path,
      r.config.role ?? "(policy)",
      r.config.member ?? (r.config.members ?? []).join(", "),
      r.config.project ?? r.config.secret_id ?? r.config.service_account_id ?? r.config.crypto_key_id ?? "",
    ])
    .sort((a, b) => compareOrdinal(String(a[0]), String(b[0])));
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
      const text = JSON.stringify(valuesOf(r.config));
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

/** Added, removed and changed resources; a removal and an addition of one type hint at a renamed id. */
function changes(base: SynthesizedStack, current: SynthesizedStack): string {
  const added = [...current.resources.keys()].filter((a) => !base.resources.has(a)).sort();
  const removed = [...base.resources.keys()].filter((a) => !current.resources.has(a)).sort();
  const changed = [...current.resources.keys()]
    .filter((a) => base.resources.has(a))
    .map((address) => ({ address, paths: diffPaths(base.resources.get(address)!.config, current.resources.get(address)!.config, "") }))
    .filter((c) => c.paths.length > 0)
    .sort((a, b) => compareOrdinal(a.address, b.address));
  const replacements: unknown[][] = [];
  for (const gone of removed) {
    const type = gone.split(".")[0];
    const candidate = added.find(
      (a) => a.startsWith(`${type}.`) && diffPaths(base.resources.get(gone)!.config, current.resources.get(a)!.config, "").length <= 3,
    );
    if (candidate)
      replacements.push([
        type,
        `${base.resources.get(gone)!.path} → ${current.resources.get(candidate)!.path}`,
        "likely a renamed construct id: Terraform will destroy and re-create it; keep the id or add a `moved` block",
      ]);
  }
  return [
    `${added.length} added, ${removed.length} removed, ${changed.length} changed.`,
    "",
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
      ["address", "attributes"],
      changed.map((c) => [c.address, c.paths.join(", ")]),
    ),
    "Likely replacements:",
    "",
    table(["type", "construct", "why"], replacements),
  ].join("\n");
}

function diffPaths(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [path || "(root)"];
}
