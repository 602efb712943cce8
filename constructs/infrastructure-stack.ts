import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AiGatewayCluster, type AiGatewayClusterProps } from "./ai-gateway-cluster";
import { GatewayInfrastructure, type GatewayInfrastructureProps } from "./gateway-infrastructure";
import { ProjectServices } from "./project-services";
import { DEFAULT_MODELS, ModelCatalogue, type CatalogueModel } from "../lib/catalogue";
import { setUpGoogleStack } from "../lib/stack-setup";
import type { StateBackendOptions } from "../lib/state-backend";

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
   * The model catalogue (the same as the platform stack's): decides which provider keys get secrets.
   * @default DEFAULT_MODELS
   */
  readonly models?: readonly CatalogueModel[];
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
}

/**
 * The Google Cloud side of the gateway: project services, network, cluster, node pools,
 * service accounts and IAM. Applied before the platform stack.
 */
export class InfrastructureStack extends TerraformStack {
  public readonly cluster: AiGatewayCluster;
  public readonly services: ProjectServices;
  public readonly gateway: GatewayInfrastructure;

  constructor(scope: Construct, id: string, props: InfrastructureStackProps) {
    super(scope, id);
    setUpGoogleStack(this, props);
    this.services = new ProjectServices(this, "Services", { projectId: props.projectId });
    this.cluster = new AiGatewayCluster(this, "Cluster", {
      ...props.cluster,
      projectId: props.projectId,
      region: props.region,
      prefix: props.prefix,
      dependsOn: this.services.all,
    });
    const catalogue = new ModelCatalogue(this, props.models ?? DEFAULT_MODELS, { vertexProject: props.projectId, vertexLocation: props.region });
    this.gateway = new GatewayInfrastructure(this, "Gateway", {
      ...props.gateway,
      cluster: this.cluster,
      prefix: props.prefix,
      providerKeys: catalogue.keyedProviders,
      labels: props.cluster?.labels,
      dependsOn: this.services.all,
    });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_location", { value: this.cluster.location });
    new TerraformOutput(this, "workload_pool", { value: this.cluster.workloadPool });
    new TerraformOutput(this, "node_service_account", { value: this.cluster.nodeServiceAccount.email });
    new TerraformOutput(this, "edge_ip", { value: this.gateway.edgeAddress.address, description: "Point the gateway's DNS name here." });
    new TerraformOutput(this, "gateway_app_repository", { value: `${props.region}-docker.pkg.dev/${props.projectId}/${this.gateway.repository.repositoryId}` });
    new TerraformOutput(this, "secrets_to_fill", {
      value: Object.values(this.gateway.secrets).map((s) => s.secretId),
      description: "Add a version to each (gcloud secrets versions add) before deploying the platform stack.",
    });
  }
}
