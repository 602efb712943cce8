import { chartFacts } from "./chart-facts";
import { emptyObjectSet, type Container, type EnvVar, type HelmRelease, type Labels, type ObjectSet, type Volume, type VolumeMount } from "./types";

const FACTS = chartFacts.kong;

export interface ChartContext {
  /** API groups the cluster serves, as Helm's `.Capabilities.APIVersions.Has`. */
  readonly apiVersions: ReadonlySet<string>;
}

export interface ChartRender {
  readonly objects: ObjectSet;
  readonly failures: string[];
}

/**
 * What Kong's chart renders from our values (the pieces we use: DB-less, no ingress
 * controller, one proxy container), following the templates cited in chartFacts.kong.
 */
export function kongChart(release: HelmRelease, context: ChartContext): ChartRender {
  const values = release.values;
  refuseUnmodelled(values);
  const name = release.name;
  const fullname = FACTS.fullname(name);
  const metaLabels: Labels = FACTS.metaLabels(name, String(values.image?.tag ?? ""));
  const meta = (objectName: string, extra: Labels = {}) => ({
    namespace: release.namespace,
    name: objectName,
    labels: { ...metaLabels, ...extra },
    annotations: {},
    origin: `helm_release ${name}`,
  });
  const set = emptyObjectSet();
  const certificates = enabledCertificates(values, context);

  const podLabels = lastKeyWins([
    ...Object.entries(metaLabels),
    ["app.kubernetes.io/component", "app"],
    ["app", fullname],
    ["version", metaLabels["app.kubernetes.io/version"]],
    ...Object.entries<string>(values.podLabels ?? {}),
  ]);
  const serviceAccountName = values.deployment?.serviceAccount?.create
    ? (values.deployment.serviceAccount.name ?? FACTS.serviceAccountName(fullname))
    : values.deployment?.serviceAccount?.name;
  set.workloads.push({
    ...meta(fullname, { "app.kubernetes.io/component": "app" }),
    kind: "Deployment",
    selector: FACTS.selectorLabels(name),
    replicas: values.autoscaling?.enabled ? undefined : values.replicaCount,
    template: {
      labels: podLabels,
      annotations: values.podAnnotations ?? {},
      serviceAccountName,
      containers: [proxyContainer(values, fullname, certificates)],
      volumes: volumes(values, fullname, certificates),
    },
  });
  if (values.proxy?.enabled) {
    set.services.push({
      ...meta(FACTS.proxyService(fullname), {}),
      annotations: values.proxy.annotations ?? {},
      type: values.proxy.type ?? "LoadBalancer",
      selector: FACTS.selectorLabels(name),
      ports: [
        ...(values.proxy.http?.enabled
          ? [
              {
                name: FACTS.proxyServicePortNames.http,
                port: values.proxy.http.servicePort,
                targetPort: values.proxy.http.containerPort,
                protocol: "TCP",
              },
            ]
          : []),
        ...(values.proxy.tls?.enabled
          ? [
              {
                name: FACTS.proxyServicePortNames.tls,
                port: values.proxy.tls.servicePort,
                targetPort: values.proxy.tls.containerPort,
                protocol: "TCP",
              },
            ]
          : []),
      ],
    });
  }
  if (values.deployment?.serviceAccount?.create)
    set.serviceAccounts.push({ ...meta(serviceAccountName), annotations: values.deployment.serviceAccount.annotations ?? {} });
  if (values.dblessConfig?.config)
    set.configMaps.push({ ...meta(FACTS.dblessConfigMap(fullname)), data: { "kong.yml": values.dblessConfig.config } });
  for (const service of certificates) {
    set.customObjects.push({
      ...meta(`${fullname}-${service}`),
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      spec: { secretName: `${fullname}-${service}-cert` },
    });
  }
  const failures: string[] = [];
  if (values.podDisruptionBudget?.enabled) {
    if (!values.autoscaling?.enabled && Number(values.replicaCount ?? 1) <= 1) failures.push(FACTS.pdbFailures.noAutoscaling);
    if (values.autoscaling?.enabled && Number(values.autoscaling.minReplicas ?? 2) <= 1) failures.push(FACTS.pdbFailures.autoscaling);
    set.disruptionBudgets.push({ ...meta(fullname), selector: { ...metaLabels, "app.kubernetes.io/component": "app" } });
  }
  if (values.autoscaling?.enabled) {
    set.autoscalers.push({
      ...meta(fullname),
      target: { kind: "Deployment", name: fullname },
      minReplicas: values.autoscaling.minReplicas,
      maxReplicas: values.autoscaling.maxReplicas,
    });
  }
  return { objects: set, failures: failures.map((f) => `${release.origin} (kong chart): ${f}`) };
}

/** Values the model does not follow; it refuses them rather than model them wrongly. */
function refuseUnmodelled(values: any): void {
  const unmodelled = [
    ["nameOverride", values.nameOverride],
    ["fullnameOverride", values.fullnameOverride],
    ["namespace", values.namespace],
    ["ingressController.enabled", values.ingressController?.enabled],
    ["deployment.daemonset", values.deployment?.daemonset],
    ["dblessConfig.configMap", values.dblessConfig?.configMap],
    ["dblessConfig.secret", values.dblessConfig?.secret],
  ].filter(([, value]) => value);
  if (unmodelled.length > 0)
    throw new Error(
      `Kong chart model: ${unmodelled.map(([key]) => key).join(", ")} not modelled; extend test/support/cluster-model/kong-chart.ts from the ` +
        `chart's templates`,
    );
  for (const key of ["proxy.http.containerPort", "proxy.tls.containerPort", "status.http.containerPort"]) {
    const value = key.split(".").reduce((v: any, k) => v?.[k], values);
    if (value === undefined) throw new Error(`Kong chart model: ${key} is left to the chart default; the model reads it from the values`);
  }
}

/** A YAML mapping written with repeated keys, decoded as Helm's kube client does: the last wins. */
function lastKeyWins(entries: [string, string][]): Labels {
  const labels: Labels = {};
  for (const [key, value] of entries) labels[key] = value;
  return labels;
}

function enabledCertificates(values: any, context: ChartContext): string[] {
  if (!values.certificates?.enabled || !context.apiVersions.has("cert-manager.io/v1")) return [];
  return FACTS.certManagerDefaultOn.filter((service) => values.certificates[service]?.enabled ?? true);
}

function proxyContainer(values: any, fullname: string, certificates: string[]): Container {
  return {
    name: FACTS.proxyContainer,
    image: `${values.image.repository}:${values.image.tag}`,
    command: [],
    args: [],
    ports: [
      ...(values.proxy?.http?.enabled ? [{ name: FACTS.ports.http, containerPort: values.proxy.http.containerPort, protocol: "TCP" }] : []),
      ...(values.proxy?.tls?.enabled ? [{ name: FACTS.ports.tls, containerPort: values.proxy.tls.containerPort, protocol: "TCP" }] : []),
      ...(values.status?.http?.enabled ? [{ name: FACTS.ports.status, containerPort: values.status.http.containerPort, protocol: "TCP" }] : []),
    ],
    env: env(values, certificates),
    volumeMounts: volumeMounts(values, fullname, certificates),
  };
}

function env(values: any, certificates: string[]): EnvVar[] {
  const auto: Record<string, unknown> = { KONG_DECLARATIVE_CONFIG: FACTS.declarativeConfigPath };
  if (certificates.includes("proxy")) {
    auto.KONG_SSL_CERT = `${FACTS.certManagerMountPath("proxy")}tls.crt`;
    auto.KONG_SSL_CERT_KEY = `${FACTS.certManagerMountPath("proxy")}tls.key`;
  }
  const user = Object.fromEntries(Object.entries(values.env ?? {}).map(([k, v]) => [`${FACTS.envPrefix}${k.toUpperCase()}`, v]));
  const custom = Object.fromEntries(Object.entries(values.customEnv ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
  return Object.entries({ ...auto, ...user, ...custom })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]: [string, any]) => {
      const ref = value?.valueFrom?.secretKeyRef;
      return ref ? { name, secretKeyRef: { name: ref.name, key: ref.key } } : { name, value: String(value) };
    });
}

function volumes(values: any, fullname: string, certificates: string[]): Volume[] {
  const list: Volume[] = FACTS.emptyDirs(fullname).map((d) => ({ name: d.name, source: { emptyDir: true } }));
  const sa = values.deployment?.serviceAccount;
  if (sa && !sa.automountServiceAccountToken && (sa.create || sa.name)) list.push({ name: `${fullname}-token`, source: { projected: true } });
  for (const service of certificates) list.push({ name: `${fullname}-${service}-cert`, source: { secret: `${fullname}-${service}-cert` } });
  if (values.dblessConfig?.config) list.push({ name: "kong-custom-dbless-config-volume", source: { configMap: FACTS.dblessConfigMap(fullname) } });
  for (const secret of values.secretVolumes ?? []) list.push({ name: secret, source: { secret } });
  for (const v of values.deployment?.userDefinedVolumes ?? []) {
    if (v.configMap) list.push({ name: v.name, source: { configMap: v.configMap.name } });
    else if (v.secret) list.push({ name: v.name, source: { secret: v.secret.secretName } });
    else if (v.emptyDir) list.push({ name: v.name, source: { emptyDir: true } });
    else if (v.csi?.volumeAttributes?.secretProviderClass)
      list.push({ name: v.name, source: { secretProviderClass: v.csi.volumeAttributes.secretProviderClass } });
    else throw new Error(`Kong chart model: userDefinedVolumes ${v.name} has a source the model does not know`);
  }
  return list;
}

function volumeMounts(values: any, fullname: string, certificates: string[]): VolumeMount[] {
  return [
    ...FACTS.emptyDirs(fullname).map((d) => ({ name: d.name, mountPath: d.mountPath })),
    ...certificates.map((service) => ({ name: `${fullname}-${service}-cert`, mountPath: FACTS.certManagerMountPath(service) })),
    ...(values.dblessConfig?.config ? [{ name: "kong-custom-dbless-config-volume", mountPath: FACTS.dblessMountPath }] : []),
    ...(values.secretVolumes ?? []).map((secret: string) => ({ name: secret, mountPath: FACTS.secretVolumeMountPath(secret) })),
    ...(values.deployment?.userDefinedVolumeMounts ?? []).map((m: any) => ({ name: m.name, mountPath: m.mountPath })),
  ];
}
