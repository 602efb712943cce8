import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Annotations } from "cdktf";
import { ALERTMANAGER_SECRETS_DIR, ALERTMANAGER_SECRETS_VOLUME, alertmanagerPlan, type AlertingProps } from "../lib/observability/alertmanager";
import { SecretFiles } from "../lib/secret-files";
import { gatewayAlertGroups, type AlertOptions, type RuleGroup } from "../lib/observability/alerts";
import { gatewayDashboards, type DashboardModel } from "../lib/observability/dashboards";
import type { GrafanaDashboard } from "../lib/observability/dashboard-builder";
import { InvalidPropsError, received } from "../lib/errors";
import { EDGE_TIER_LABELS, KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { VERSIONS } from "../lib/versions";
import { toYaml } from "../lib/yaml";
import { guardRenderedValues } from "../lib/synth-guard";

/** What Prometheus scrapes: each tier's namespace and metrics port. */
export interface ScrapeTargets {
  readonly edge: { readonly namespace: string };
  readonly backend: { readonly namespace: string };
  readonly router: { readonly namespace: string };
}

export interface ObservabilityStackProps {
  /** Namespace of Prometheus, Grafana and the dashboards. */
  readonly namespace: string;
  readonly targets: ScrapeTargets;
  /** Public model names (with their mode: an embedding model gets no time-to-first-token panel), for the per-model dashboard panels. */
  readonly models: readonly DashboardModel[];
  /**
   * How long Prometheus keeps samples.
   * @default "15d"
   */
  readonly retention?: string;
  /**
   * Size of Prometheus' persistent volume.
   * @default 50
   */
  readonly storageGi?: number;
  /**
   * Storage class of that volume.
   * @default "standard-rwo"
   */
  readonly storageClassName?: string;
  /**
   * A Kubernetes Secret in `namespace` with Grafana's admin user and password, when you manage
   * it yourself (it must exist before the release).
   * @default - the Grafana chart generates a random 40-character password into Secret
   *   `kube-prometheus-stack-grafana` (keys `admin-user`, `admin-password`) and keeps it across
   *   upgrades; it never passes through Terraform
   */
  readonly grafanaAdminSecret?: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
  /**
   * Where alerts go: Slack, PagerDuty, e-mail or webhook receivers by severity, their
   * credentials mounted from Secret Manager (never in Terraform state).
   * @default - no receivers: alerts show in Alertmanager's UI and reach no one; synth warns
   */
  readonly alerting?: AlertingProps;
  /**
   * The project of the receivers' secrets, unless `alerting.secretsProjectId` names another.
   * @default - required when `alerting` is given without `secretsProjectId`
   */
  readonly projectId?: string;
  /**
   * Alert thresholds.
   * @default - see gatewayAlertGroups
   */
  readonly alerts?: Omit<AlertOptions, "namespaces">;
}

const OBSERVABILITY_DEFAULTS = {
  retention: "15d",
  storageGi: 50,
  storageClassName: "standard-rwo",
} as const;

export { AlertReceiverSecrets, type AlertReceiverSecretsProps } from "../lib/observability/alert-receiver-secrets";
export type { AlertingProps, AlertReceiver, AlertSeverity } from "../lib/observability/alertmanager";

/**
 * kube-prometheus-stack, configured for GKE: no scrapes of what GKE hides (controller manager,
 * scheduler, etcd, kube-proxy under Dataplane V2); Prometheus picks up every ServiceMonitor and
 * rule whatever its labels; our scrape targets and alerts ship inside the release (no custom
 * resource outside Helm, so a fresh project plans and applies in one go); dashboards as code in
 * ConfigMaps the Grafana sidecar loads; Grafana only inside the cluster.
 */
export class ObservabilityStack extends Construct {
  public readonly release: Release;
  public readonly dashboards: Readonly<Record<string, GrafanaDashboard>>;
  public readonly ruleGroups: readonly RuleGroup[];
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    guardRenderedValues(this);
    const storageGi = props.storageGi ?? OBSERVABILITY_DEFAULTS.storageGi;
    if (!(Number.isInteger(storageGi) && storageGi >= 1))
      throw new InvalidPropsError(this, "storageGi", `must be a whole number of at least 1 ${received(storageGi)}`, "give the volume size in GiB");
    const retention = props.retention ?? OBSERVABILITY_DEFAULTS.retention;
    if (!/^\d+(ms|s|m|h|d|w|y)$/.test(retention))
      throw new InvalidPropsError(this, "retention", `is not a Prometheus duration ${received(retention)}`, 'use a duration like "15d" or "720h"');

    const tierNamespaces = [props.targets.edge.namespace, props.targets.backend.namespace, props.targets.router.namespace];
    this.ruleGroups = gatewayAlertGroups({ ...props.alerts, namespaces: tierNamespaces });
    this.dashboards = gatewayDashboards({ models: props.models, namespaces: tierNamespaces });
    for (const [file, dashboard] of Object.entries(this.dashboards)) {
      new ConfigMapV1(this, `Dashboard-${dashboard.uid}`, {
        metadata: {
          name: `dashboard-${dashboard.uid}`,
          namespace: props.namespace,
          // The Grafana sidecar loads every ConfigMap with this label.
          labels: { ...KUBERNETES_COMMON_LABELS, grafana_dashboard: "1" },
        },
        data: { [file]: JSON.stringify(dashboard) },
      });
    }

    const admin = props.grafanaAdminSecret;
    const alerting = this.configureAlerting(props);
    this.values = {
      // Helm installs a chart's crds/ only once; the chart's pre-install/pre-upgrade Job applies
      // them server-side on every release, so a chart bump also upgrades the CRDs.
      crds: { enabled: true, upgradeJob: { enabled: true, forceConflicts: true, image: { busybox: { tag: BUSYBOX_TAG } }, resources: SMALL } },
      // GKE runs these on its control plane, out of reach; Dataplane V2 has no kube-proxy.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      // GKE Standard runs kube-dns (metrics on 10054 and 10055), not CoreDNS.
      kubeDns: { enabled: true },
      coreDns: { enabled: false },
      defaultRules: {
        create: true,
        rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
      },
      prometheusOperator: {
        tls: { internalPort: 10250 },
        resources: resources("100m", "128Mi", "500m", "256Mi"),
        prometheusConfigReloader: { resources: SMALL },
        admissionWebhooks: { patch: { resources: SMALL } },
      },
      "kube-state-metrics": { resources: resources("50m", "128Mi", "250m", "256Mi") },
      "prometheus-node-exporter": { resources: resources("20m", "32Mi", "200m", "64Mi") },
      prometheus: {
        prometheusSpec: {
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: {},
          serviceMonitorNamespaceSelector: {},
          podMonitorSelector: {},
          podMonitorNamespaceSelector: {},
          ruleSelector: {},
          ruleNamespaceSelector: {},
          retention,
          retentionSize: retentionSize(storageGi),
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                storageClassName: props.storageClassName ?? OBSERVABILITY_DEFAULTS.storageClassName,
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: `${storageGi}Gi` } },
              },
            },
          },
          resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
        },
        additionalServiceMonitors: [
          // gateway-app serves /metrics on a port of its own, apart from its API (GatewayBackend).
          serviceMonitor("gateway-app", props.targets.backend.namespace, { "app.kubernetes.io/name": "gateway-app" }, "/metrics", "metrics"),
          // LiteLLM serves its metrics under /metrics/ (the redirect from /metrics would be followed by nothing).
          serviceMonitor("litellm", props.targets.router.namespace, { "app.kubernetes.io/name": "litellm" }, "/metrics/"),
        ],
        // Kong serves metrics on its status listener, a container port no Service exposes. Its
        // chart owns the app.kubernetes.io pod labels, so Kong is found by our tier label.
        additionalPodMonitors: [
          {
            name: "kong",
            selector: { matchLabels: { ...EDGE_TIER_LABELS } },
            namespaceSelector: { matchNames: [props.targets.edge.namespace] },
            podMetricsEndpoints: [{ port: "status", path: "/metrics", interval: "15s" }],
          },
        ],
      },
      additionalPrometheusRulesMap: { "ai-gateway": { groups: this.ruleGroups } },
      alertmanager: {
        enabled: true,
        ...alerting.values,
        alertmanagerSpec: { retention: "120h", resources: resources("50m", "64Mi", "250m", "128Mi"), ...alerting.spec },
      },
      grafana: {
        enabled: true,
        defaultDashboardsEnabled: true,
        // Without an existing Secret the Grafana chart makes one with a random password and looks
        // it up on every upgrade (grafana-community/helm-charts, charts/grafana 12.11.1,
        // templates/_helpers.tpl "grafana.password"), so nothing has to exist beforehand.
        ...(admin ? { admin: { existingSecret: admin.name, userKey: admin.userKey, passwordKey: admin.passwordKey } } : {}),
        // Reached with `kubectl port-forward`, never exposed by default.
        service: { type: "ClusterIP" },
        resources: resources("100m", "256Mi", "500m", "512Mi"),
        // The chart's `helm test` pod; nothing runs it, and it has no resources.
        testFramework: { enabled: false },
        ingress: { enabled: false },
        sidecar: {
          dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL", provider: { allowUiUpdates: false } },
          datasources: { enabled: true, defaultDatasourceEnabled: true },
          // One setting for both sidecars (dashboards and datasources).
          resources: resources("50m", "64Mi", "250m", "128Mi"),
        },
      },
    };
    this.release = new Release(this, "Release", {
      name: "kube-prometheus-stack",
      namespace: props.namespace,
      repository: VERSIONS.kubePrometheusStackChart.repository,
      chart: VERSIONS.kubePrometheusStackChart.chart,
      version: VERSIONS.kubePrometheusStackChart.version,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      values: [toYaml(this.values, this)],
      // The Alertmanager pod mounts its receivers' secrets at start; an atomic release waits for it.
      dependsOn: alerting.dependsOn,
    });
  }

  /**
   * The Alertmanager configuration and the Secret Manager mount it reads its credentials from.
   * The secrets and Alertmanager's right to read them come from AlertReceiverSecrets in the
   * infrastructure stack (this stack holds no Google resources).
   */
  private configureAlerting(props: ObservabilityStackProps): {
    values: Record<string, unknown>;
    spec: Record<string, unknown>;
    dependsOn: ITerraformDependable[];
  } {
    if (!props.alerting) {
      Annotations.of(this).addWarning(
        "ObservabilityStack has no alerting receivers: alerts reach no one. Set `alerting.receivers` (Slack, PagerDuty, e-mail or webhook).",
      );
      return { values: {}, spec: {}, dependsOn: [] };
    }
    const secretsProject = props.alerting.secretsProjectId ?? props.projectId;
    if (!secretsProject)
      throw new InvalidPropsError(
        this,
        "projectId",
        "is required with alerting",
        "give the project of the receivers' secrets (or alerting.secretsProjectId)",
      );
    const plan = alertmanagerPlan(this, props.alerting);
    const files = new SecretFiles(this, "AlertmanagerSecrets", {
      namespace: props.namespace,
      name: "alertmanager-receivers",
      projectId: secretsProject,
      secrets: plan.secretFiles,
    });
    return {
      values: { config: plan.config },
      spec: {
        volumes: [
          {
            name: ALERTMANAGER_SECRETS_VOLUME,
            csi: { driver: "secrets-store-gke.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: files.className } },
          },
        ],
        volumeMounts: [{ name: ALERTMANAGER_SECRETS_VOLUME, mountPath: ALERTMANAGER_SECRETS_DIR, readOnly: true }],
      },
      dependsOn: [files.manifest],
    };
  }

  /** The alerts as a Prometheus rule file, for promtool and reviews. */
  ruleFile(): string {
    return toYaml({ groups: this.ruleGroups }, this);
  }
}

/** Requests for the scheduler, limits so that one component cannot starve the node (policy AIG-K8S-15). */
function resources(cpuRequest: string, memoryRequest: string, cpuLimit: string, memoryLimit: string) {
  return { requests: { cpu: cpuRequest, memory: memoryRequest }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}
const SMALL = resources("10m", "32Mi", "100m", "64Mi");
// The CRD upgrade Job's helper image; the chart's default is "latest".
const BUSYBOX_TAG = "1.37.0";

/**
 * 90% of the volume, in MiB so that small volumes keep a limit ("0GB" would mean none).
 * Prometheus reads its size units as powers of 1024 ("1KB is 1024B", `--storage.tsdb.retention.size`).
 */
export function retentionSize(storageGi: number): string {
  return `${Math.floor(storageGi * 1024 * 0.9)}MB`;
}

function serviceMonitor(name: string, namespace: string, matchLabels: Record<string, string>, path: string, port = "http") {
  return {
    name,
    selector: { matchLabels },
    namespaceSelector: { matchNames: [namespace] },
    endpoints: [{ port, path, interval: "15s", scrapeTimeout: "10s" }],
  };
}
