import { Construct } from "constructs";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import type { IAiGatewayCluster } from "../../constructs/ai-gateway-cluster";
import { gcpLabels } from "../labels";
import { validatePhysicalName } from "../naming";
import { alertmanagerPlan, type AlertingProps } from "./alertmanager";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../upstream-facts";

export interface AlertReceiverSecretsProps {
  /** The cluster whose Workload Identity pool holds Alertmanager's identity. */
  readonly cluster: IAiGatewayCluster;
  /** The observability namespace, where the chart runs Alertmanager. */
  readonly namespace: string;
  /** The same alerting props the ObservabilityStack gets. */
  readonly alerting: AlertingProps;
  /**
   * Labels of the secrets.
   * @default {}
   */
  readonly labels?: Record<string, string>;
}

/**
 * The receivers' credentials, for the infrastructure stack: an empty Secret Manager secret per
 * credential (you add its value with `gcloud secrets versions add` before the platform deploy,
 * so it never enters Terraform state) that only Alertmanager's Kubernetes service account may
 * read, granted to it as a Workload Identity principal (no Google service account, no key).
 */
export class AlertReceiverSecrets extends Construct {
  public readonly secrets: Readonly<Record<string, SecretManagerSecret>>;
  /** The IAM principal of Alertmanager's Kubernetes service account. */
  public readonly principal: string;

  constructor(scope: Construct, id: string, props: AlertReceiverSecretsProps) {
    super(scope, id);
    const plan = alertmanagerPlan(this, props.alerting);
    const project = props.alerting.secretsProjectId ?? props.cluster.projectId;
    const clusterProject = new DataGoogleProject(this, "ClusterProject", { projectId: props.cluster.projectId });
    this.principal =
      `principal://iam.googleapis.com/projects/${clusterProject.number}/locations/global/workloadIdentityPools/${props.cluster.workloadPool}/` +
      `subject/ns/${props.namespace}/sa/${KUBE_PROMETHEUS_STACK_FACTS.alertmanager.serviceAccount}`;
    const labels = gcpLabels(this, props.labels);
    // The pool exists only once the project's first Workload Identity cluster does.
    const pool = props.cluster.dependables?.cluster;
    const secrets: Record<string, SecretManagerSecret> = {};
    for (const secretId of [...new Set(Object.values(plan.secretFiles))].sort()) {
      secrets[secretId] = new SecretManagerSecret(this, `Secret-${secretId}`, {
        project,
        secretId: validatePhysicalName(this, "google_secret_manager_secret", secretId, "alerting secret id"),
        labels,
        replication: { auto: {} },
      });
      new SecretManagerSecretIamMember(this, `AlertmanagerReads-${secretId}`, {
        project,
        secretId: secrets[secretId].secretId,
        role: "roles/secretmanager.secretAccessor",
        member: this.principal,
        dependsOn: pool ? [pool] : undefined,
      });
    }
    this.secrets = secrets;
  }
}
