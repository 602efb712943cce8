import { tenantsNeedGovernanceStore } from "../lib/tenants";
import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AiGatewayCluster, type AiGatewayClusterProps } from "./ai-gateway-cluster";
import { GatewayInfrastructure, type GatewayInfrastructureProps } from "./gateway-infrastructure";
import { GATEWAY_SERVICES, ProjectServices } from "./project-services";
import { ModelCatalogue } from "../lib/catalogue";
import { AlertReceiverSecrets } from "../lib/observability/alert-receiver-secrets";
import type { AlertingProps } from "../lib/observability/alertmanager";
import { resolveGatewaySpec, type GatewaySpec, type ResolvedGatewaySpec } from "../lib/gateway-spec";
import { setUpGoogleStack } from "../lib/stack-setup";
import type { StateBackendOptions } from "../lib/state-backend";

export interface InfrastructureStackProps {
  /** Project, region, prefix, namespaces and models: the same object the platform stack gets. */
  readonly spec: GatewaySpec;
  /**
   * Everything else about the cluster.
   * @default - the AiGatewayCluster defaults
   */
  readonly cluster?: Omit<AiGatewayClusterProps, "projectId" | "region" | "prefix" | "dependsOn">;
  /**
   * Memorystore and other request-path resources.
   * @default - the GatewayInfrastructure defaults
   */
  readonly gateway?: Pick<GatewayInfrastructureProps, "redisMemoryGb" | "redisTier" | "privateServiceRangePrefixLength">;
  /**
   * Where Terraform keeps this stack's state.
   * @default - local state
   */
  readonly stateBackend?: StateBackendOptions;
  /**
   * The alert receivers the platform stack's ObservabilityStack routes to (give both stacks the
   * same object): their credentials' empty secrets, readable by Alertmanager only, are created
   * here and listed in `secrets_to_fill`.
   * @default - none: no receiver secrets
   */
  readonly alerting?: AlertingProps;
}

/** The API the trace collector writes spans to. */
export const CLOUD_TRACE_SERVICE = "cloudtrace.googleapis.com";

/**
 * The Google Cloud side of the gateway: project services, network, cluster, node pools,
 * service accounts and IAM. Applied before the platform stack.
 */
export class InfrastructureStack extends TerraformStack {
  public readonly cluster: AiGatewayCluster;
  public readonly services: ProjectServices;
  public readonly gateway: GatewayInfrastructure;
  /** The spec with its defaults applied. */
  public readonly spec: ResolvedGatewaySpec;
  /** The alert receivers' secrets, when `alerting` is given. */
  public readonly alertReceiverSecrets?: AlertReceiverSecrets;

  constructor(scope: Construct, id: string, props: InfrastructureStackProps) {
    super(scope, id);
    const spec = resolveGatewaySpec(this, props.spec);
    this.spec = spec;
    setUpGoogleStack(this, { projectId: spec.projectId, region: spec.region, stateBackend: props.stateBackend });
    // Cloud Trace's API only when something writes to it: with tracing off the stack changes nothing.
    const services = spec.tracing ? [...GATEWAY_SERVICES, CLOUD_TRACE_SERVICE] : GATEWAY_SERVICES;
    this.services = new ProjectServices(this, "Services", { projectId: spec.projectId, services });
    this.cluster = new AiGatewayCluster(this, "Cluster", {
      ...props.cluster,
      projectId: spec.projectId,
      region: spec.region,
      prefix: spec.prefix,
      dependsOn: this.services.all,
    });
    const catalogue = new ModelCatalogue(this, spec.models, { vertexProject: spec.projectId, vertexLocation: spec.region });
    this.gateway = new GatewayInfrastructure(this, "Gateway", {
      ...props.gateway,
      cluster: this.cluster,
      prefix: spec.prefix,
      namespaces: spec.namespaces,
      providerKeys: catalogue.keyedProviders,
      appReadsRedisAuth: tenantsNeedGovernanceStore(spec.tenants),
      traceCollector: spec.tracing !== undefined,
      labels: props.cluster?.labels,
      dependsOn: this.services.all,
    });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_location", { value: this.cluster.location });
    new TerraformOutput(this, "workload_pool", { value: this.cluster.workloadPool });
    new TerraformOutput(this, "node_service_account", { value: this.cluster.nodeServiceAccount.email });
    new TerraformOutput(this, "edge_ip", { value: this.gateway.edgeAddress.address, description: "Point the gateway's DNS name here." });
    new TerraformOutput(this, "gateway_app_repository", {
      value: `${spec.region}-docker.pkg.dev/${spec.projectId}/${this.gateway.repository.repositoryId}`,
    });
    if (props.alerting)
      this.alertReceiverSecrets = new AlertReceiverSecrets(this, "AlertReceiverSecrets", {
        cluster: this.cluster,
        namespace: spec.namespaces.observability,
        alerting: props.alerting,
        labels: props.cluster?.labels,
      });
    new TerraformOutput(this, "secrets_to_fill", {
      value: [
        ...Object.entries(this.gateway.secrets)
          .filter(([key]) => key !== "redisAuth")
          .map(([, s]) => s.secretId),
        ...Object.values(this.alertReceiverSecrets?.secrets ?? {}).map((s) => s.secretId),
      ],
      description: "Add a version to each (gcloud secrets versions add) before deploying the platform stack.",
    });
  }
}
