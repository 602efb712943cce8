import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DataGoogleComputeSubnetwork } from "@cdktf/provider-google/lib/data-google-compute-subnetwork";
import { ClusterAccess } from "./cluster-access";
import { AiGateway, gatewayCatalogue, type AiGatewayProps } from "./ai-gateway";
import { GatewayNamespaces } from "./gateway-namespaces";
import { gatewayNames } from "../lib/gateway-names";
import { resolveGatewaySpec, type GatewaySpec, type ResolvedGatewaySpec } from "../lib/gateway-spec";
import { setUpGoogleStack } from "../lib/stack-setup";
import type { StateBackendOptions } from "../lib/state-backend";

/** Compute Engine's API root: a self link is this followed by the resource's relative name. */
const COMPUTE_API = "https://www.googleapis.com/compute/v1/";

export interface PlatformStackProps {
  /**
   * Project, region, prefix, namespaces, models and tenants: the same object the infrastructure stack
   * got. The cluster (`<prefix>-gke` in the region), the service accounts and the secrets are
   * found by the names derived from it.
   */
  readonly spec: GatewaySpec;
  /**
   * The request path's options: TLS, consumers, CORS, source ranges, rate limits, image.
   * @default - the AiGateway defaults
   */
  readonly gateway?: Omit<AiGatewayProps, "projectId" | "region" | "prefix" | "namespaces" | "catalogue" | "tenants" | "tracing" | "nodeCidr">;
  /**
   * Where Terraform keeps this stack's state.
   * @default - local state
   */
  readonly stateBackend?: StateBackendOptions;
  /**
   * Stacks that must be applied first; with `cdktf deploy '*'` they are.
   * @default []
   */
  readonly dependsOnStacks?: TerraformStack[];
}

/**
 * What runs on the cluster: Helm releases and Kubernetes objects, in a namespace per tier.
 * Its providers find the cluster by data source, so this stack plans only once the
 * infrastructure stack has been applied.
 */
export class PlatformStack extends TerraformStack {
  public readonly access: ClusterAccess;
  public readonly namespaces: GatewayNamespaces;
  public readonly gateway: AiGateway;
  /** The spec with its defaults applied. */
  public readonly spec: ResolvedGatewaySpec;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const spec = resolveGatewaySpec(this, props.spec);
    this.spec = spec;
    setUpGoogleStack(this, { projectId: spec.projectId, region: spec.region, stateBackend: props.stateBackend });
    for (const stack of props.dependsOnStacks ?? []) this.addDependency(stack);
    this.access = new ClusterAccess(this, "ClusterAccess", {
      cluster: { projectId: spec.projectId, location: spec.region, clusterName: gatewayNames(spec.prefix, spec.projectId).cluster },
    });
    this.namespaces = new GatewayNamespaces(this, "Namespaces", { names: spec.namespaces });
    const location = { projectId: spec.projectId, region: spec.region };
    // The cluster's own subnet, whichever VPC it is in (a created one, an existing or a Shared VPC):
    // GKE reports it as projects/<p>/regions/<r>/subnetworks/<n> (googleapis/googleapis@f8291d2b89:
    // google/container/v1/cluster_service.proto:6360-6364), which the data source takes as a self link
    // under the API root (hashicorp/terraform-provider-google: google/tpgresource/self_link_helpers.go:233-249).
    const nodeSubnetwork = new DataGoogleComputeSubnetwork(this, "NodeSubnetwork", {
      selfLink: `${COMPUTE_API}${this.access.clusterData.subnetwork}`,
    });
    this.gateway = new AiGateway(this, "Gateway", {
      ...props.gateway,
      ...location,
      prefix: spec.prefix,
      namespaces: this.namespaces,
      controlPlaneCidr: this.access.clusterData.privateClusterConfig.get(0).masterIpv4CidrBlock,
      nodeCidr: nodeSubnetwork.ipCidrRange,
      catalogue: gatewayCatalogue(this, { ...location, models: spec.models, weightedModels: spec.weightedModels }),
      tenants: spec.tenants,
      tracing: spec.tracing ?? false,
    });
  }
}
