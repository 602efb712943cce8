import type { ClusterModel, Container, CustomObject, Labels, Service, Workload } from "./types";

/**
 * Each invariant returns what breaks it, one line per problem naming the objects, so a
 * failing test says what to fix. An empty list is a pass.
 */
export type Invariant = (model: ClusterModel) => string[];

/**
 * Objects the pods need that a documented manual step creates (README "Before the first
 * deploy"), by namespace tier and name. The only list of its kind: shrink it as the
 * constructs take these over.
 */
export const MANUAL_OBJECTS: readonly {
  readonly kind: "Secret";
  readonly tier: "edge" | "observability";
  readonly name: string;
  readonly step: string;
}[] = [];

/**
 * Each MANUAL_OBJECTS entry is still needed: some pod reads it, and nothing we deploy creates
 * it. Fails when a construct takes one over, so the list only shrinks.
 */
export const manualObjectsAreNeeded: Invariant = (model) => {
  const tier = tierOf(model);
  return MANUAL_OBJECTS.flatMap((o) => {
    const readers = model.workloads.filter(
      (w) =>
        tier(w.namespace) === o.tier &&
        (w.template.volumes.some((v) => "secret" in v.source && v.source.secret === o.name) ||
          w.template.containers.some((c) => c.env.some((e) => e.secretKeyRef?.name === o.name))),
    );
    if (readers.length === 0) return [`MANUAL_OBJECTS: no pod reads ${o.kind} ${o.name} any more; remove it`];
    return model.secrets.some((s) => tier(s.namespace) === o.tier && s.name === o.name)
      ? [`MANUAL_OBJECTS: ${o.kind} ${o.name} is now created by ${model.secrets.find((s) => s.name === o.name)!.origin}; remove it`]
      : [];
  });
};

export function selects(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

const id = (o: { kind?: string; namespace: string; name: string }, kind = o.kind ?? "") => `${kind} ${o.namespace}/${o.name}`;

function podsOf(model: ClusterModel, namespace: string, selector: Labels): Workload[] {
  return model.workloads.filter((w) => w.namespace === namespace && selects(selector, w.template.labels));
}

export const selectorsMatchTemplates: Invariant = (model) =>
  model.workloads
    .filter((w) => !selects(w.selector, w.template.labels))
    .map(
      (w) =>
        `${id(w)} (${w.origin}): selector ${JSON.stringify(w.selector)} does not match its pod template labels ${JSON.stringify(w.template.labels)}`,
    );

function containerPortMatches(container: Container, target: unknown): boolean {
  return container.ports.some((p) =>
    typeof target === "string" && !/^\d+$/.test(target) ? p.name === target : Number(p.containerPort) === Number(target),
  );
}

export const servicesSelectPods: Invariant = (model) =>
  model.services.flatMap((service) => {
    const pods = podsOf(model, service.namespace, service.selector);
    if (pods.length === 0)
      return [`Service ${service.namespace}/${service.name} (${service.origin}): selector ${JSON.stringify(service.selector)} selects no pods`];
    return service.ports
      .filter((port) => !pods.every((pod) => pod.template.containers.some((c) => containerPortMatches(c, port.targetPort))))
      .map(
        (port) =>
          `Service ${service.namespace}/${service.name}: port ${port.name ?? port.port} targets ${JSON.stringify(port.targetPort)}, which is ` +
          `no container port of ${pods.map((p) => p.name).join(", ")}`,
      );
  });

const IN_CLUSTER_URL = /\b(https?):\/\/([A-Za-z0-9${}[\]._-]+?)\.([A-Za-z0-9${}[\]._-]+?)\.svc(?:\.cluster\.local)?(?::(\d+))?(?=[/"'\s]|$)/g;

/** Every `http(s)://<service>.<namespace>.svc…` in a string, with its port (scheme default when absent). */
export function inClusterUrls(text: string): { url: string; service: string; namespace: string; port: number }[] {
  return [...text.matchAll(IN_CLUSTER_URL)].map((m) => ({
    url: m[0],
    service: m[2],
    namespace: m[3],
    port: m[4] ? Number(m[4]) : m[1] === "https" ? 443 : 80,
  }));
}

function urlProblem(model: ClusterModel, where: string, url: { url: string; service: string; namespace: string; port: number }): string | undefined {
  if (url.url.includes("${")) return `${where}: ${url.url} still holds a Terraform reference`;
  const service = model.services.find((s) => s.namespace === url.namespace && s.name === url.service);
  if (!service) return `${where}: ${url.url} names no Service (${url.namespace}/${url.service} does not exist)`;
  if (!service.ports.some((p) => Number(p.port) === url.port))
    return `${where}: ${url.url}: Service ${url.namespace}/${url.service} has no port ${url.port}`;
  return undefined;
}

/** Env vars, command lines and config files: every in-cluster URL names a Service and one of its ports. */
export const inClusterUrlsResolve: Invariant = (model) => {
  const places: { where: string; text: string }[] = [
    ...model.workloads.flatMap((w) =>
      w.template.containers.flatMap((c) => [
        ...c.env.filter((e) => e.value).map((e) => ({ where: `${id(w)} container ${c.name} env ${e.name}`, text: e.value! })),
        { where: `${id(w)} container ${c.name} command`, text: [...c.command, ...c.args].join(" ") },
      ]),
    ),
    ...model.configMaps.flatMap((cm) =>
      Object.entries(cm.data).map(([key, text]) => ({ where: `ConfigMap ${cm.namespace}/${cm.name} ${key}`, text })),
    ),
  ];
  return places.flatMap(({ where, text }) =>
    inClusterUrls(text)
      .map((url) => urlProblem(model, where, url))
      .filter((p): p is string => p !== undefined),
  );
};

function monitoredNamespaces(monitor: CustomObject): (ns: string) => boolean {
  const selector = monitor.spec.namespaceSelector ?? {};
  if (selector.any) return () => true;
  const names: string[] = selector.matchNames ?? [monitor.namespace];
  return (ns) => names.includes(ns);
}

/** ServiceMonitors select a Service with the endpoint's port name; PodMonitors a pod with that container port name. */
export const monitorsSelectTargets: Invariant = (model) =>
  model.customObjects.flatMap((monitor) => {
    const inScope = monitoredNamespaces(monitor);
    const matchLabels: Labels = monitor.spec?.selector?.matchLabels ?? {};
    if (monitor.kind === "ServiceMonitor") {
      const services = model.services.filter((s) => inScope(s.namespace) && selects(matchLabels, s.labels));
      if (services.length === 0) return [`ServiceMonitor ${monitor.namespace}/${monitor.name}: selects no Service (${JSON.stringify(matchLabels)})`];
      return (monitor.spec.endpoints ?? []).flatMap((e: any) =>
        services
          .filter((s: Service) => !s.ports.some((p) => p.name === e.port))
          .map((s) => `ServiceMonitor ${monitor.namespace}/${monitor.name}: Service ${s.namespace}/${s.name} has no port named ${e.port}`),
      );
    }
    if (monitor.kind === "PodMonitor") {
      const pods = model.workloads.filter((w) => inScope(w.namespace) && selects(matchLabels, w.template.labels));
      if (pods.length === 0) return [`PodMonitor ${monitor.namespace}/${monitor.name}: selects no pods (${JSON.stringify(matchLabels)})`];
      return (monitor.spec.podMetricsEndpoints ?? []).flatMap((e: any) =>
        pods
          .filter((w) => !w.template.containers.some((c) => c.ports.some((p) => p.name === e.port)))
          .map((w) => `PodMonitor ${monitor.namespace}/${monitor.name}: pods of ${w.name} have no container port named ${e.port}`),
      );
    }
    return [];
  });

export const WORKLOAD_IDENTITY_ANNOTATION = "iam.gke.io/gcp-service-account";

/** Each binding names an annotated KSA in an existing namespace; each annotated KSA has its binding. */
export const workloadIdentityMatches: Invariant = (model) => {
  const namespaces = new Set(model.namespaces.map((n) => n.name));
  const forward = model.google.workloadIdentity.flatMap((b) => {
    const where = `${b.origin} (${b.namespace}/${b.serviceAccount} as ${b.gcpServiceAccount})`;
    if (!namespaces.has(b.namespace)) return [`${where}: namespace ${b.namespace} does not exist`];
    const ksa = model.serviceAccounts.find((a) => a.namespace === b.namespace && a.name === b.serviceAccount);
    if (!ksa) return [`${where}: no ServiceAccount ${b.namespace}/${b.serviceAccount}`];
    const annotated = ksa.annotations[WORKLOAD_IDENTITY_ANNOTATION];
    return annotated === b.gcpServiceAccount ? [] : [`${where}: the ServiceAccount is annotated ${JSON.stringify(annotated)}`];
  });
  const backward = model.serviceAccounts
    .filter((a) => a.annotations[WORKLOAD_IDENTITY_ANNOTATION])
    .filter(
      (a) =>
        !model.google.workloadIdentity.some(
          (b) => b.namespace === a.namespace && b.serviceAccount === a.name && b.gcpServiceAccount === a.annotations[WORKLOAD_IDENTITY_ANNOTATION],
        ),
    )
    .map(
      (a) =>
        `ServiceAccount ${a.namespace}/${a.name} (${a.origin}) is annotated ${a.annotations[WORKLOAD_IDENTITY_ANNOTATION]} but no ` +
        `workloadIdentityUser binding lets it act as that account`,
    );
  return [...forward, ...backward];
};

function manuallyCreated(namespace: string, name: string, tierOf: (ns: string) => string | undefined): boolean {
  return MANUAL_OBJECTS.some((o) => o.name === name && o.tier === tierOf(namespace));
}

/** The tier of a namespace, from the label GatewayNamespaces puts on each. */
export function tierOf(model: ClusterModel): (namespace: string) => string | undefined {
  return (namespace) => model.namespaces.find((n) => n.name === namespace)?.labels["ai-gateway/tier"];
}

/** Secret Manager secret ids a SecretProviderClass mounts, with their file names. */
export function providerClassFiles(spc: CustomObject): { secretId: string; path: string }[] {
  return [...String(spc.spec.parameters.secrets).matchAll(/resourceName:\s*projects\/[^/]+\/secrets\/([^/\s]+)\/versions\/\S+\s+path:\s*(\S+)/g)].map(
    (m) => ({ secretId: m[1], path: m[2] }),
  );
}

/**
 * Every mounted ConfigMap, Secret and SecretProviderClass (and Secret in an env var) exists:
 * created by Terraform, by a chart, by cert-manager from a Certificate, or by a manual step in
 * MANUAL_OBJECTS. Each Secret Manager secret a SecretProviderClass mounts exists in the
 * infrastructure stack, and the pod's Google service account may read it.
 */
export const mountedObjectsExist: Invariant = (model) => {
  const tier = tierOf(model);
  const secretExists = (ns: string, name: string) =>
    model.secrets.some((s) => s.namespace === ns && s.name === name) ||
    model.customObjects.some((o) => o.kind === "Certificate" && o.namespace === ns && o.spec.secretName === name) ||
    manuallyCreated(ns, name, tier);
  return model.workloads.flatMap((w) => {
    const where = `${id(w)} (${w.origin})`;
    const volumes = w.template.volumes.flatMap((v) => {
      const source = v.source;
      if ("configMap" in source)
        return model.configMaps.some((c) => c.namespace === w.namespace && c.name === source.configMap)
          ? []
          : [`${where}: volume ${v.name} mounts ConfigMap ${source.configMap}, which nothing creates`];
      if ("secret" in source)
        return secretExists(w.namespace, source.secret) ? [] : [`${where}: volume ${v.name} mounts Secret ${source.secret}, which nothing creates`];
      if ("secretProviderClass" in source) return providerClassProblems(model, w, v.name, source.secretProviderClass);
      return [];
    });
    const envSecrets = w.template.containers.flatMap((c) =>
      c.env
        .filter((e) => e.secretKeyRef && !secretExists(w.namespace, e.secretKeyRef.name))
        .map((e) => `${where}: env ${e.name} reads Secret ${e.secretKeyRef!.name}, which nothing creates`),
    );
    return [...volumes, ...envSecrets];
  });
};

function providerClassProblems(model: ClusterModel, w: Workload, volume: string, className: string): string[] {
  const spc = model.customObjects.find((o) => o.kind === "SecretProviderClass" && o.namespace === w.namespace && o.name === className);
  if (!spc) return [`${id(w)}: volume ${volume} mounts SecretProviderClass ${className}, which nothing creates`];
  const ksa = model.serviceAccounts.find((a) => a.namespace === w.namespace && a.name === w.template.serviceAccountName);
  const gsa = ksa?.annotations[WORKLOAD_IDENTITY_ANNOTATION];
  return providerClassFiles(spc).flatMap(({ secretId, path }) => {
    const readers = model.google.secrets.get(secretId);
    if (!readers)
      return [
        `SecretProviderClass ${w.namespace}/${className}: file ${path} is Secret Manager secret ${secretId}, which the infrastructure stack ` +
          `does not create`,
      ];
    return gsa && readers.includes(gsa)
      ? []
      : [
          `SecretProviderClass ${w.namespace}/${className}: ${id(w)} runs as ${gsa ?? "no Google service account"}, which may not read ` +
            `secret ${secretId}`,
        ];
  });
}

/** Every PDB selects pods. */
export const budgetsSelectPods: Invariant = (model) =>
  model.disruptionBudgets
    .filter((pdb) => podsOf(model, pdb.namespace, pdb.selector).length === 0)
    .map((pdb) => `PodDisruptionBudget ${pdb.namespace}/${pdb.name} (${pdb.origin}): selector ${JSON.stringify(pdb.selector)} selects no pods`);

/** Every HPA scales a Deployment that exists. */
export const autoscalersTargetWorkloads: Invariant = (model) =>
  model.autoscalers
    .filter((h) => !model.workloads.some((w) => w.namespace === h.namespace && w.kind === h.target.kind && w.name === h.target.name))
    .map((h) => `HorizontalPodAutoscaler ${h.namespace}/${h.name}: scales ${h.target.kind} ${h.target.name}, which does not exist`);

/** What a chart's templates would `fail` on: the release would not install. */
export const chartsRender: Invariant = (model) => [...model.chartFailures];

const FILE_PATH = /(?<![\w:/.${}-])\/(?:[\w.-]+\/)+[\w.-]+/g;
const RUNTIME_PATHS = /^\/(dev|proc|tmp|opt|usr|bin)\//;
/** PEM blocks (consumers' public keys in Kong's config): their base64 can read like a path. */
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;

/**
 * Every file a container names (in its env, command, or a mounted config file) lies under one
 * of its mounts, and where the mount's contents are known (a ConfigMap, a
 * SecretProviderClass, a cert-manager Secret's tls.crt/tls.key) the file is in it.
 */
export const namedFilesAreMounted: Invariant = (model) =>
  model.workloads.flatMap((w) =>
    w.template.containers.flatMap((c) => {
      const mountedConfig = c.volumeMounts.flatMap((m) => {
        const v = w.template.volumes.find((vol) => vol.name === m.name);
        const cm =
          v && "configMap" in v.source
            ? model.configMaps.find((x) => x.namespace === w.namespace && x.name === (v.source as { configMap: string }).configMap)
            : undefined;
        return cm ? Object.values(cm.data) : [];
      });
      const texts = [...c.env.map((e) => e.value ?? ""), ...c.command, ...c.args, ...mountedConfig];
      const paths = new Set(texts.flatMap((t) => t.replace(PEM_BLOCK, "").match(FILE_PATH) ?? []).filter((p) => !RUNTIME_PATHS.test(p)));
      return [...paths].flatMap((path) => {
        const mount = c.volumeMounts.find((m) => path.startsWith(m.mountPath.endsWith("/") ? m.mountPath : `${m.mountPath}/`));
        if (!mount)
          return [
            `${id(w)} container ${c.name} names ${path}, which is under none of its mounts (${c.volumeMounts.map((m) => m.mountPath).join(", ")})`,
          ];
        const file = path.slice(mount.mountPath.replace(/\/$/, "").length + 1);
        const known = knownFiles(model, w, mount.name);
        return known && !known.includes(file) ? [`${id(w)} container ${c.name} names ${path}, but ${mount.name} holds only ${known.join(", ")}`] : [];
      });
    }),
  );

function knownFiles(model: ClusterModel, w: Workload, volumeName: string): string[] | undefined {
  const source = w.template.volumes.find((v) => v.name === volumeName)?.source;
  if (!source) return undefined;
  if ("configMap" in source) return Object.keys(model.configMaps.find((c) => c.namespace === w.namespace && c.name === source.configMap)?.data ?? {});
  if ("secretProviderClass" in source) {
    const spc = model.customObjects.find(
      (o) => o.kind === "SecretProviderClass" && o.namespace === w.namespace && o.name === source.secretProviderClass,
    );
    return spc ? providerClassFiles(spc).map((f) => f.path) : undefined;
  }
  if ("secret" in source) {
    const certificate = model.customObjects.some(
      (o) => o.kind === "Certificate" && o.namespace === w.namespace && o.spec.secretName === source.secret,
    );
    const secret = model.secrets.find((s) => s.namespace === w.namespace && s.name === source.secret);
    // cert-manager writes tls.crt, tls.key and ca.crt.
    return certificate ? ["tls.crt", "tls.key", "ca.crt"] : secret?.keys.slice();
  }
  return undefined;
}

/**
 * Every `$(VAR)` in an env value names a variable defined earlier in the same container: the
 * kubelet expands only those, and leaves any other reference as literal text (Kong's edge
 * token would then be the string "$(GATEWAY_EDGE_TOKEN)").
 * kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables
 */
export const envReferencesResolve: Invariant = (model) =>
  model.workloads.flatMap((w) =>
    w.template.containers.flatMap((c) =>
      c.env.flatMap((e, index) =>
        [...(e.value ?? "").matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)]
          .filter(([, name]) => !c.env.slice(0, index).some((earlier) => earlier.name === name))
          .map(([, name]) => `${id(w)} container ${c.name}: env ${e.name} refers to $(${name}), which is not defined before it`),
      ),
    ),
  );

export const INVARIANTS = {
  "every workload selector matches its pod template": selectorsMatchTemplates,
  "every Service selects pods and targets an existing container port": servicesSelectPods,
  "every in-cluster URL names an existing Service and port": inClusterUrlsResolve,
  "every ServiceMonitor and PodMonitor selects a target with its port name": monitorsSelectTargets,
  "every Workload Identity binding matches an annotated KSA, and back": workloadIdentityMatches,
  "every mounted Secret, ConfigMap and SecretProviderClass exists": mountedObjectsExist,
  "every file a container names is mounted": namedFilesAreMounted,
  "every PDB selects pods": budgetsSelectPods,
  "every HPA scales an existing workload": autoscalersTargetWorkloads,
  "every chart renders": chartsRender,
  "every $(VAR) in an env value is defined before it": envReferencesResolve,
} as const satisfies Record<string, Invariant>;
