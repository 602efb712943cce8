import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ClusterAccess, type ClusterLocator } from "./cluster-access";
import { GatewayNamespaces, type GatewayNamespacesProps } from "./gateway-namespaces";
import { MANAGED_BY_LABELS } from "../lib/labels";
import { configureStateBackend, type StateBackendOptions } from "../lib/state-backend";

export interface PlatformStackProps {
  /** The cluster to deploy onto, by name (see {@link ClusterAccess}). */
  readonly cluster: ClusterLocator;
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

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    configureStateBackend(this, props.stateBackend ?? {});
    new GoogleProvider(this, "Google", {
      project: props.cluster.projectId,
      region: props.cluster.location,
      defaultLabels: { ...MANAGED_BY_LABELS },
    });
    for (const stack of props.dependsOnStacks ?? []) this.addDependency(stack);
    this.access = new ClusterAccess(this, "ClusterAccess", { cluster: props.cluster });
    this.namespaces = new GatewayNamespaces(this, "Namespaces", { names: props.namespaces });
  }
}
