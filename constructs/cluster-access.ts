import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataGoogleClientConfig } from "@cdktf/provider-google/lib/data-google-client-config";
import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { IAiGatewayCluster } from "./ai-gateway-cluster";
import { guardRenderedValues } from "../lib/synth-guard";

/** Which cluster to connect to: plain names, never tokens from another stack. */
export type ClusterLocator = Pick<IAiGatewayCluster, "projectId" | "location" | "clusterName">;

export interface ClusterAccessProps {
  readonly cluster: ClusterLocator;
  /**
   * Which control plane endpoint the providers call.
   * - "dns": the DNS endpoint, reachable from anywhere that reaches Google APIs, authorized by
   *   IAM (`container.clusters.connect`); needs the cluster's `allowDnsEndpointExternalTraffic`.
   *   Its certificate is publicly trusted, so no cluster CA is passed.
   * - "ip": the cluster's IP endpoint (private when `enablePrivateEndpoint`), reachable only from
   *   the VPC or the authorized networks; verified with the cluster CA.
   * @default "dns"
   */
  readonly endpoint?: "dns" | "ip";
}

/**
 * Kubernetes and Helm providers for a GKE cluster created by another stack, through the
 * control plane's DNS endpoint by default, so a runner outside the VPC (a GitHub-hosted one)
 * reaches the private cluster with its Google identity alone. The cluster is
 * looked up by data source at plan time, because configuring these providers from a cluster
 * created in the same run gives "intermittent and unpredictable errors" (Kubernetes provider
 * docs) and cross-stack references inside provider blocks are known to break in cdktf.
 * The stack must also hold a Google provider for the data sources.
 */
export class ClusterAccess extends Construct {
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** Escape hatch: the looked-up cluster. */
  public readonly clusterData: DataGoogleContainerCluster;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    guardRenderedValues(this);
    this.clusterData = new DataGoogleContainerCluster(this, "Cluster", {
      project: props.cluster.projectId,
      location: props.cluster.location,
      name: props.cluster.clusterName,
    });
    const clientConfig = new DataGoogleClientConfig(this, "ClientConfig", {});
    const connection =
      (props.endpoint ?? "dns") === "dns"
        ? {
            host: `https://${this.clusterData.controlPlaneEndpointsConfig.get(0).dnsEndpointConfig.get(0).endpoint}`,
            token: clientConfig.accessToken,
          }
        : {
            host: `https://${this.clusterData.endpoint}`,
            token: clientConfig.accessToken,
            clusterCaCertificate: Fn.base64decode(this.clusterData.masterAuth.get(0).clusterCaCertificate),
          };
    this.kubernetesProvider = new KubernetesProvider(this, "Kubernetes", connection);
    this.helmProvider = new HelmProvider(this, "Helm", { kubernetes: connection });
  }
}
