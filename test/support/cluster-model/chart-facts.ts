/**
 * What the charts we install do with our values, read from their templates at the pinned
 * versions. One place, so the lead can move these into lib/upstream-facts.ts
 * (KONG_CHART_FACTS, KUBE_PROMETHEUS_STACK_FACTS) as they land there; every fact cites
 * `owner/repo@tag:path:lines`.
 */
/*
 * The Kong model was compared with `helm template` (Helm 3.17, the chart from Kong/charts at
 * tag kong-3.4.1, its postgresql dependency dropped) for the example's values, the cert-manager
 * variant (`--api-versions cert-manager.io/v1`) and one replica (the chart fails, pdb.yaml:3):
 * same names, labels, selectors, ports, volumes, mounts and KONG_SSL_CERT* env.
 */
export const chartFacts = {
  kong: {
    version: "3.4.1",
    source: "Kong/charts@kong-3.4.1",
    /** `kong.fullname`: `<release>-<chart name>` unless overridden. _helpers.tpl:19-22 */
    fullname: (release: string) => `${release}-kong`,
    /** `kong.metaLabels`: on every object, and the start of the pod labels. _helpers.tpl:28-38 */
    metaLabels: (release: string, imageTag: string) => ({
      "app.kubernetes.io/name": "kong",
      "helm.sh/chart": "kong-3.4.1",
      "app.kubernetes.io/instance": release,
      "app.kubernetes.io/managed-by": "Helm",
      "app.kubernetes.io/version": majorMinor(imageTag),
    }),
    /** `kong.selectorLabels`: the Deployment's and the proxy Service's selector. _helpers.tpl:40-44 */
    selectorLabels: (release: string) => ({
      "app.kubernetes.io/name": "kong",
      "app.kubernetes.io/component": "app",
      "app.kubernetes.io/instance": release,
    }),
    /**
     * Pod template labels, in template order: metaLabels, component app, `app: <fullname>`,
     * `version`, then `podLabels` appended as more lines of the same mapping.
     * templates/deployment.yaml:60-68. `helm template` renders the repeated keys as written;
     * the model takes the last one, as the non-strict YAML-to-JSON step of Helm's kube client
     * (sigs.k8s.io/yaml) does (that step not re-read from source here).
     */
    podLabelOrder: ["metaLabels", "component: app", "app: fullname", "version", "podLabels"],
    /** The PDB selects metaLabels + component app. templates/pdb.yaml:23-26 */
    pdbSelector: "metaLabels + component: app",
    /** A PDB with one replica fails rendering. templates/pdb.yaml:2-7 */
    pdbFailures: {
      noAutoscaling: "Enabling PodDisruptionBudget with replicaCount: 1 and no autoscaling prevents pod restarts during upgrades",
      autoscaling: "Enabling PodDisruptionBudget with autoscaling.minReplicas: 1 prevents pod restarts during upgrades",
    },
    /** The proxy container is named "proxy"; its ports proxy, proxy-tls, status. templates/deployment.yaml:148, 178-219 */
    proxyContainer: "proxy",
    ports: { http: "proxy", tls: "proxy-tls", status: "status" },
    /**
     * Proxy Service `<fullname>-proxy`, ports `kong-proxy` / `kong-proxy-tls` targeting the container port numbers.
     * _helpers.tpl:172-241, templates/service-kong-proxy.yaml:1-12
     */
    proxyService: (fullname: string) => `${fullname}-proxy`,
    proxyServicePortNames: { http: "kong-proxy", tls: "kong-proxy-tls" },
    /** ServiceAccount named fullname when `deployment.serviceAccount.create`. _helpers.tpl:59-65, templates/service-account.yaml:1-14 */
    serviceAccountName: (fullname: string) => fullname,
    /**
     * DB-less config ConfigMap `<fullname>-custom-dbless-config`, key kong.yml, mounted at /kong_dbless/.
     * _helpers.tpl:51-53, 702-713, 798-800; templates/config-dbless.yaml
     */
    dblessConfigMap: (fullname: string) => `${fullname}-custom-dbless-config`,
    dblessMountPath: "/kong_dbless/",
    /** Each `secretVolumes` entry: a Secret volume of that name mounted at /etc/secrets/<name>. _helpers.tpl:730-734, 807-809 */
    secretVolumeMountPath: (secret: string) => `/etc/secrets/${secret}`,
    /** Prefix and tmp emptyDirs. _helpers.tpl:599-604, 766-770 */
    emptyDirs: (fullname: string) => [
      { name: `${fullname}-prefix-dir`, mountPath: "/kong_prefix/" },
      { name: `${fullname}-tmp`, mountPath: "/tmp" },
    ],
    /**
     * With cert-manager.io/v1 served and `certificates.enabled`, each enabled certificate is a
     * Secret `<fullname>-<service>-cert` mounted at /etc/cert-manager/<service>/ (admin and
     * cluster default on). _helpers.tpl:641-668, 771-792; values.yaml:866-867, 907-908
     */
    certManagerMountPath: (service: string) => `/etc/cert-manager/${service}/`,
    certManagerDefaultOn: ["admin", "proxy", "cluster"],
    /** Env: auto env, then `env` as KONG_<UPPER>, then `customEnv` as <UPPER>, later winning. _helpers.tpl:1005-1252 */
    envPrefix: "KONG_",
    declarativeConfigPath: "/kong_dbless/kong.yml",
  },
  kubePrometheusStack: {
    version: "88.5.3",
    source: "prometheus-community/helm-charts@kube-prometheus-stack-88.5.3",
    /**
     * `prometheus.additionalServiceMonitors` / `additionalPodMonitors`: one ServiceMonitor /
     * PodMonitor each, named `.name`, in the release namespace, spec copied (selector,
     * namespaceSelector, endpoints / podMetricsEndpoints).
     * charts/kube-prometheus-stack/templates/prometheus/servicemonitors.yaml:1-40, podmonitors.yaml:1-30
     */
    monitorsInReleaseNamespace: true,
    /**
     * `kube-prometheus-stack.fullname`: the release name when it contains the chart name, else
     * `<release>-kube-prometheus-stack`, cut to 26 characters; the Prometheus resource is
     * `<fullname>-prometheus`. charts/kube-prometheus-stack/templates/_helpers.tpl:14-25, 38-44
     */
    fullname: (release: string) =>
      (release.includes("kube-prometheus-stack") ? release : `${release}-kube-prometheus-stack`).slice(0, 26).replace(/-$/, ""),
    prometheusName: (fullname: string) => `${fullname}-prometheus`,
    /**
     * The operator (appVersion v0.93.1; v0.93.0 read, the nearest tag in the snapshot) runs a
     * StatefulSet `prometheus-<name>` whose pods carry these selector labels, shard 0 for one shard.
     * prometheus-operator/prometheus-operator@v0.93.0:pkg/prometheus/server/operator.go:61, 1696-1704;
     * pkg/prometheus/server/statefulset.go:223-226; pkg/prometheus/common.go:65, 68
     */
    statefulSetName: (prometheus: string) => `prometheus-${prometheus}`,
    prometheusPodLabels: (prometheus: string) => ({
      "app.kubernetes.io/managed-by": "prometheus-operator",
      "app.kubernetes.io/name": "prometheus",
      "app.kubernetes.io/instance": prometheus,
      "operator.prometheus.io/name": prometheus,
      prometheus,
      "operator.prometheus.io/shard": "0",
    }),
  },
} as const;

function majorMinor(tag: string): string {
  const match = /^(\d+)\.(\d+)/.exec(tag);
  if (!match) throw new Error(`Kong chart model: image tag ${tag} is not a version; the chart's semver would fail`);
  return `${match[1]}.${match[2]}`;
}
