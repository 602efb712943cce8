import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AiGatewayCluster, type AiGatewayClusterProps } from "./ai-gateway-cluster";
import { ProjectServices } from "./project-services";
import { MANAGED_BY_LABELS } from "../lib/labels";
import { configureStateBackend, type StateBackendOptions } from "../lib/state-backend";

export interface InfrastructureStackProps {
  readonly projectId: string;
  readonly region: string;
  /** Start of every physical name; see {@link AiGatewayClusterProps.prefix}. */
  readonly prefix: string;
  /**
   * Everything else about the cluster.
   * @default - the AiGatewayCluster defaults
   */
  readonly cluster?: Omit<AiGatewayClusterProps, "projectId" | "region" | "prefix" | "dependsOn">;
  /**
   * Where Terraform keeps this stack's state.
   * @default - local state
   */
  readonly stateBackend?: StateBackendOptions;
}

/**
 * The Google Cloud side of the gateway: project services, network, cluster, node pools,
 * service accounts and IAM. Applied before the platform stack.
 */
export class InfrastructureStack extends TerraformStack {
  public readonly cluster: AiGatewayCluster;
  public readonly services: ProjectServices;

  constructor(scope: Construct, id: string, props: InfrastructureStackProps) {
    super(scope, id);
    configureStateBackend(this, props.stateBackend ?? {});
    new GoogleProvider(this, "Google", {
      project: props.projectId,
      region: props.region,
      defaultLabels: { ...MANAGED_BY_LABELS },
    });
    this.services = new ProjectServices(this, "Services", { projectId: props.projectId });
    this.cluster = new AiGatewayCluster(this, "Cluster", {
      ...props.cluster,
      projectId: props.projectId,
      region: props.region,
      prefix: props.prefix,
      dependsOn: this.services.all,
    });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_location", { value: this.cluster.location });
    new TerraformOutput(this, "workload_pool", { value: this.cluster.workloadPool });
    new TerraformOutput(this, "node_service_account", { value: this.cluster.nodeServiceAccount.email });
  }
}
