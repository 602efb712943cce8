import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { ClusterAccess, type ClusterLocator } from "./cluster-access";
import { AiGateway, gatewayCatalogue, type AiGatewayProps } from "./ai-gateway";
import { GatewayNamespaces, type GatewayNamespacesProps } from "./gateway-namespaces";
import type { CatalogueModel } from "../lib/catalogue";
import { setUpGoogleStack } from "../lib/stack-setup";
import type { StateBackendOptions } from "../lib/state-backend";

export interface PlatformStackProps {
  /** The cluster to deploy onto, by name (see {@link ClusterAccess}). */
  readonly cluster: ClusterLocator;
  /** The prefix the infrastructure stack used. */
  readonly prefix: string;
  /**
   * The model catalogue (the same as the infrastructure stack's).
   * @default DEFAULT_MODELS
   */
  readonly models?: readonly CatalogueModel[];
  /**
   * The request path's options: TLS, consumers, CORS, source ranges, rate limits, image.
   * @default - the AiGateway defaults
   */
  readonly gateway?: Omit<AiGatewayProps, "projectId" | "region" | "prefix" | "namespaces" | "catalogue">;
  /**
   * Namespace names by tier.
   * @default DEFAULT_NAMESPACES
   */
  readonly namespaces?: GatewayNamespacesProps["names"];
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

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    setUpGoogleStack(this, { projectId: props.cluster.projectId, region: props.cluster.location, stateBackend: props.stateBackend });
    for (const stack of props.dependsOnStacks ?? []) this.addDependency(stack);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: props.cluster });
    this.namespaces = new GatewayNamespaces(this, "Namespaces", { names: props.namespaces });
    const location = { projectId: props.cluster.projectId, region: props.cluster.location };
    this.gateway = new AiGateway(this, "Gateway", {
      ...props.gateway,
      ...location,
      prefix: props.prefix,
      namespaces: this.namespaces,
      catalogue: gatewayCatalogue(this, { ...location, models: props.models }),
    });
  }
}
