import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { inClusterUrls, providerClassFiles } from "./invariants";
import type { ClusterModel, Container, Workload } from "./types";

/** Where a pod's in-cluster peers answer on this machine: `<service>.<namespace>` → 127.0.0.1 port. */
export type LoopbackPeers = Readonly<Record<string, number>>;

export interface LocalPod {
  /** The container's env, with only in-cluster URLs' host:port and mounted paths rewritten. */
  readonly env: Record<string, string>;
  /** Maps a path inside the pod to where its mount lies on this machine. */
  readonly localPath: (podPath: string) => string;
}

/**
 * Lays a container's mounts out under `root` as the kubelet would inside the pod: each
 * ConfigMap's keys as files, each SecretProviderClass file (by its Secret Manager secret id)
 * from `secretValues`, each emptyDir as a directory. Returns the env the container would get,
 * translated only where this machine differs from the pod: mount paths and in-cluster hosts.
 */
export function layOutPod(
  model: ClusterModel,
  workload: Workload,
  container: Container,
  root: string,
  peers: LoopbackPeers,
  secretValues: Readonly<Record<string, string>>,
): LocalPod {
  const mounts = container.volumeMounts.map((m) => ({ ...m, local: join(root, "mounts", m.mountPath) }));
  const localPath = (podPath: string) => {
    const mount = mounts.find((m) => podPath === m.mountPath || podPath.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
    return mount ? join(mount.local, podPath.slice(mount.mountPath.replace(/\/$/, "").length)) : podPath;
  };
  const translate = (text: string) =>
    rewriteMountedPaths(
      rewriteInClusterUrls(text, peers),
      mounts.map((m) => m.mountPath),
      localPath,
    );
  for (const mount of mounts) {
    mkdirSync(mount.local, { recursive: true });
    for (const [file, content] of Object.entries(mountedFiles(model, workload, mount.name, secretValues))) {
      mkdirSync(dirname(join(mount.local, file)), { recursive: true });
      writeFileSync(join(mount.local, file), translate(content));
    }
  }
  const env: Record<string, string> = {};
  for (const variable of container.env) {
    if (variable.value === undefined)
      throw new Error(`local pod: env ${variable.name} comes from ${JSON.stringify(variable)}, which the boot test does not fake`);
    env[variable.name] = translate(variable.value);
  }
  return { env, localPath };
}

function mountedFiles(
  model: ClusterModel,
  workload: Workload,
  volumeName: string,
  secretValues: Readonly<Record<string, string>>,
): Record<string, string> {
  const source = workload.template.volumes.find((v) => v.name === volumeName)?.source;
  if (!source || "emptyDir" in source) return {};
  if ("configMap" in source) {
    const configMap = model.configMaps.find((c) => c.namespace === workload.namespace && c.name === source.configMap);
    if (!configMap) throw new Error(`local pod: ConfigMap ${source.configMap} is not in the model`);
    return { ...configMap.data };
  }
  if ("secretProviderClass" in source) {
    const spc = model.customObjects.find(
      (o) => o.kind === "SecretProviderClass" && o.namespace === workload.namespace && o.name === source.secretProviderClass,
    );
    if (!spc) throw new Error(`local pod: SecretProviderClass ${source.secretProviderClass} is not in the model`);
    return Object.fromEntries(
      providerClassFiles(spc).map(({ secretId, path }) => {
        if (!(secretId in secretValues)) throw new Error(`local pod: no fake value for Secret Manager secret ${secretId}`);
        return [path, secretValues[secretId]];
      }),
    );
  }
  throw new Error(`local pod: volume ${volumeName} has a source the boot test does not lay out`);
}

/** `http://litellm.<ns>.svc.cluster.local:4000/x` → `http://127.0.0.1:<peer port>/x`; nothing else changes. */
export function rewriteInClusterUrls(text: string, peers: LoopbackPeers): string {
  let out = text;
  for (const url of inClusterUrls(text)) {
    const port = peers[`${url.service}.${url.namespace}`];
    if (port === undefined) throw new Error(`local pod: ${url.url} has no loopback fake; give one for ${url.service}.${url.namespace}`);
    out = out.replace(url.url, url.url.replace(/\/\/[^/]+$/, `//127.0.0.1:${port}`));
  }
  return out;
}

function rewriteMountedPaths(text: string, mountPaths: string[], localPath: (p: string) => string): string {
  const longestFirst = [...mountPaths].sort((a, b) => b.length - a.length);
  return text.replace(/(?<![\w:/.-])\/[\w./-]+/g, (path) =>
    longestFirst.some((m) => path === m || path.startsWith(`${m.replace(/\/$/, "")}/`)) ? localPath(path) : path,
  );
}
