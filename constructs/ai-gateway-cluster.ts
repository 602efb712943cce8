import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { MAX_AUTHORIZED_PUBLIC_ADDRESSES, parseIpv4Cidr, publicAddressCount, rangesOverlap, type Ipv4Range } from "../lib/cidr";
import { InvalidPropsError, received } from "../lib/errors";
import { gcpLabels } from "../lib/labels";
import { gatewayNames } from "../lib/gateway-names";
import { checkedName, physicalName, validatePhysicalName, validatePrefix, validateProjectId } from "../lib/naming";
import { isKnownRegion } from "../lib/regions";
import { isUnresolved } from "../lib/tokens";
import { minimumAvailabilityHours } from "../lib/maintenance-window";
import { GKE_FACTS } from "../lib/upstream-facts";
import { guardRenderedValues } from "../lib/synth-guard";
import { suppressPolicy } from "../lib/policy/pack";

/**
 * What other constructs need to know about the gateway's cluster. Every field is a plain
 * string known at synth time, so a second stack can locate the cluster by data source
 * instead of through cross-stack references.
 */
export interface IAiGatewayCluster {
  readonly projectId: string;
  /** The region of the (regional) cluster. */
  readonly location: string;
  readonly clusterName: string;
  /** Id of the VPC the cluster runs in, `projects/<project>/global/networks/<name>` (private service access attaches here). */
  readonly networkId: string;
  /** The Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  /**
   * Same stack only: what must exist before something uses the network or the Workload Identity
   * pool. The plain names above carry no Terraform dependency.
   * @default - none: the cluster was created in another stack and located by name
   */
  readonly dependables?: ClusterDependables;
}

/** Resources to wait for; see {@link IAiGatewayCluster.dependables}. */
export interface ClusterDependables {
  /** The VPC, when the construct creates it (undefined with `existingNetwork`). */
  readonly network?: ITerraformDependable;
  /** The cluster: the pool `<project>.svc.id.goog` exists only once the project's first Workload Identity cluster does. */
  readonly cluster: ITerraformDependable;
}

/** A VPC and subnet you already have, instead of the ones the construct creates. */
export interface ExistingNetwork {
  /** Self link or id of the VPC network. */
  readonly network: string;
  /** Self link or id of the subnetwork in the cluster's region. */
  readonly subnetwork: string;
  /** Name of the subnetwork's secondary range for pods. */
  readonly podsRangeName: string;
  /** Name of the subnetwork's secondary range for services. */
  readonly servicesRangeName: string;
}

/** An address range allowed to reach the cluster's control plane. */
export interface AuthorizedNetwork {
  readonly cidrBlock: string;
  readonly displayName: string;
}

/** Options for a node pool added with {@link AiGatewayCluster.addNodePool}. */
export interface NodePoolOptions {
  /**
   * The pool's name after the prefix: the pool is called `<prefix>-<name>`.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Compute Engine machine type.
   * @default "e2-standard-4"
   */
  readonly machineType?: string;
  /**
   * Fewest nodes the autoscaler keeps, across all zones of the region.
   * @default 1
   */
  readonly minNodes?: number;
  /**
   * Most nodes the autoscaler creates, across all zones of the region.
   * @default 10
   */
  readonly maxNodes?: number;
  /**
   * Boot disk size.
   * @default 100
   */
  readonly diskSizeGb?: number;
  /**
   * Boot disk type.
   * @default "pd-balanced"
   */
  readonly diskType?: string;
  /**
   * Spot VMs: cheaper, but Google may reclaim them at any time. Spot pools get the taint
   * `cloud.google.com/gke-spot=true:NoSchedule`, so only workloads that tolerate it land there.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Kubernetes labels on the pool's nodes.
   * @default - none beyond GKE's own
   */
  readonly nodeLabels?: Record<string, string>;
}

/**
 * Maintenance window, as a recurring RFC 5545 rule. GKE refuses a window that leaves less than
 * 48 hours of maintenance in any 32 days, counting only stretches of at least 4 hours; the
 * construct checks this at synth time (the provider does not).
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window#considerations
 */
export interface MaintenanceWindow {
  /** RFC 3339 start, e.g. "2025-01-04T02:00:00Z"; only its time of day and weekday (in UTC) matter. */
  readonly startTime: string;
  /** RFC 3339 end; `endTime - startTime` is the length of every occurrence. */
  readonly endTime: string;
  /** RFC 5545 RRULE: "FREQ=DAILY" or "FREQ=WEEKLY;BYDAY=SA,SU" (other forms are refused: we cannot check them). */
  readonly recurrence: string;
}

/** Application-layer encryption of Kubernetes Secrets in etcd. */
export interface SecretsEncryptionOptions {
  /**
   * A Cloud KMS key you manage, `projects/…/locations/<region>/keyRings/…/cryptoKeys/…`. You must
   * grant the GKE service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it.
   * @default - a key ring and a key with 90-day rotation are created, and the grant is made
   */
  readonly kmsKeyId?: string;
}

export interface AiGatewayClusterProps {
  /** The GCP project that hosts the cluster. */
  readonly projectId: string;
  /** The region of the regional cluster, e.g. "europe-west4". */
  readonly region: string;
  /**
   * Start of every physical name (cluster `<prefix>-gke`, VPC `<prefix>-vpc`, …): at most 18
   * characters, so the longest name, service account `<prefix>-gateway-app`, fits GCP's 30.
   */
  readonly prefix: string;
  /**
   * GCP labels added to every resource that takes labels (on top of `managed_by` and `part_of`).
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /**
   * Run in a VPC you already have.
   * @default - a VPC, a subnet with Private Google Access and flow logs, a Cloud Router and Cloud NAT are created
   */
  readonly existingNetwork?: ExistingNetwork;
  /**
   * Primary range of the created subnet (nodes). Ignored with `existingNetwork`.
   * @default "10.10.0.0/20"
   */
  readonly subnetCidr?: string;
  /**
   * Secondary range for pods. Ignored with `existingNetwork`.
   * @default "10.20.0.0/14"
   */
  readonly podsCidr?: string;
  /**
   * Secondary range for services. Ignored with `existingNetwork`.
   * @default "10.24.0.0/20"
   */
  readonly servicesCidr?: string;
  /**
   * The /28 range of the control plane's private endpoint.
   * @default "172.16.0.0/28"
   */
  readonly masterCidr?: string;
  /**
   * Ranges allowed to reach the control plane's IP endpoints, besides the cluster's own VPC. Together
   * they may cover at most a /8 of public (non-RFC 1918) addresses, so 0.0.0.0/0, however split, is refused.
   * @default [] - only addresses inside the VPC
   */
  readonly masterAuthorizedNetworks?: AuthorizedNetwork[];
  /**
   * Make the control plane's IP endpoint private only. The DNS endpoint (see
   * `allowDnsEndpointExternalTraffic`) is not affected.
   * @default false
   */
  readonly enablePrivateEndpoint?: boolean;
  /**
   * Accept Kubernetes API calls from outside Google Cloud on the control plane's DNS endpoint
   * (`gke-<id>.<region>.gke.goog`). Every call must carry a Google identity holding
   * `container.clusters.connect` on the project, and Kubernetes RBAC still applies; no address
   * allow-list is involved. This is how a GitHub-hosted runner reaches the private cluster
   * (ClusterAccess connects through it). Off, only Google-managed services use that endpoint and
   * the IP endpoints (authorized networks, VPC) are the only way in.
   * @default true
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation#dns-based_endpoint
   */
  readonly allowDnsEndpointExternalTraffic?: boolean;
  /**
   * The managed node pool every workload runs on.
   * @default - e2-standard-4, 1 to 10 nodes, on-demand
   */
  readonly nodePool?: NodePoolOptions;
  /**
   * Add a second, spot node pool with these options (`spot` is forced true).
   * @default - no spot pool
   */
  readonly spotNodePool?: NodePoolOptions;
  /**
   * GKE release channel.
   * @default "REGULAR"
   */
  readonly releaseChannel?: "RAPID" | "REGULAR" | "STABLE";
  /**
   * When GKE may upgrade and repair.
   * @default - every day 02:00 to 06:00 UTC (128 hours in any 32 days)
   */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * Encrypt Kubernetes Secrets in etcd with Cloud KMS.
   * @default - off: Google-managed encryption at rest only; the policy report lists AIG-GKE-20 as suppressed, with why
   */
  readonly secretsEncryption?: SecretsEncryptionOptions;
  /**
   * Enforce the project's Binary Authorization policy on every pod.
   * @default false
   */
  readonly binaryAuthorization?: boolean;
  /**
   * Let `terraform destroy` delete the cluster. Leave off outside throwaway environments.
   * @default false
   */
  readonly allowClusterDeletion?: boolean;
  /**
   * Resources (such as enabled project services) that must exist before the network and cluster.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

const NODE_POOL_DEFAULTS = {
  machineType: "e2-standard-4",
  minNodes: 1,
  maxNodes: 10,
  diskSizeGb: 100,
  diskType: "pd-balanced",
} as const;

const CLUSTER_DEFAULTS = {
  subnetCidr: "10.10.0.0/20",
  podsCidr: "10.20.0.0/14",
  servicesCidr: "10.24.0.0/20",
  masterCidr: "172.16.0.0/28",
  releaseChannel: "REGULAR",
  maintenanceWindow: {
    startTime: "2025-01-04T02:00:00Z",
    endTime: "2025-01-04T06:00:00Z",
    // Weekends only (Sat+Sun 4 h) give 32 h in the worst 32 days, under GKE's 48 h minimum.
    recurrence: "FREQ=DAILY",
  },
} as const;

/**
 * Roles of the node service account: what GKE nodes need to write logs and metrics and pull
 * images, nothing more (never the default compute account with Editor).
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa
 */
export const NODE_SERVICE_ACCOUNT_ROLES: readonly string[] = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const SPOT_TAINT = { key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" };

/**
 * A private, regional GKE Standard cluster for the AI gateway, secure by default: private
 * nodes behind Cloud NAT, Workload Identity with the GKE metadata server on every pool, a
 * dedicated least-privilege node account, Dataplane V2 network policy, shielded nodes,
 * release channel, maintenance window and deletion protection.
 */
export class AiGatewayCluster extends Construct implements IAiGatewayCluster {
  public readonly projectId: string;
  public readonly location: string;
  public readonly clusterName: string;
  public readonly networkId: string;
  public readonly workloadPool: string;
  public readonly dependables: ClusterDependables;

  /** Escape hatches: the underlying resources. Network pieces are undefined with `existingNetwork`. */
  public readonly cluster: ContainerCluster;
  public readonly network?: ComputeNetwork;
  public readonly subnetwork?: ComputeSubnetwork;
  public readonly router?: ComputeRouter;
  public readonly nat?: ComputeRouterNat;
  public readonly nodeServiceAccount: ServiceAccount;
  public readonly primaryNodePool: ContainerNodePool;
  public readonly spotNodePool?: ContainerNodePool;
  public readonly secretsKey?: KmsCryptoKey;
  /** The GKE service agent's grant on the key the construct creates; the cluster waits for it. */
  public readonly secretsKeyGrant?: KmsCryptoKeyIamMember;

  private readonly prefix: string;
  private readonly labels: Record<string, string>;
  private readonly nodePoolNames = new Set<string>();

  constructor(scope: Construct, id: string, props: AiGatewayClusterProps) {
    super(scope, id);
    guardRenderedValues(this);
    validateProjectId(this, props.projectId);
    validatePrefix(this, props.prefix);
    this.validateRegion(props.region);
    this.validateAuthorizedNetworks(props.masterAuthorizedNetworks ?? []);
    if (props.maintenanceWindow) this.validateMaintenanceWindow(props.maintenanceWindow);
    const ranges = this.validateRanges(props);

    this.prefix = props.prefix;
    this.labels = gcpLabels(this, props.labels);
    this.projectId = props.projectId;
    this.location = props.region;
    // The platform stack looks the cluster up by this same derived name.
    this.clusterName = validatePhysicalName(this, "google_container_cluster", gatewayNames(props.prefix, props.projectId).cluster);
    this.workloadPool = `${props.projectId}.svc.id.goog`;
    const dependsOn = props.dependsOn ?? [];

    let network: ExistingNetwork;
    if (props.existingNetwork) {
      network = props.existingNetwork;
    } else {
      this.network = this.createNetwork(dependsOn);
      this.subnetwork = this.createSubnetwork(this.network, ranges);
      this.router = new ComputeRouter(this, "Router", {
        project: this.projectId,
        region: this.location,
        name: checkedName(this, "google_compute_router", this.prefix, "router"),
        network: this.network.id,
      });
      this.nat = this.createNat(this.router, this.subnetwork);
      network = {
        network: this.network.id,
        subnetwork: this.subnetwork.id,
        podsRangeName: "pods",
        servicesRangeName: "services",
      };
    }
    this.networkId = props.existingNetwork?.network ?? `projects/${props.projectId}/global/networks/${physicalName(props.prefix, "vpc")}`;

    this.nodeServiceAccount = this.createNodeServiceAccount(dependsOn);
    if (props.secretsEncryption && !props.secretsEncryption.kmsKeyId) {
      [this.secretsKey, this.secretsKeyGrant] = this.createSecretsKey(dependsOn);
    }
    const secretsKeyId = props.secretsEncryption?.kmsKeyId ?? this.secretsKey?.id;
    // GKE checks its agent's access to the key when it creates the cluster, so the grant comes first.
    const clusterDependsOn = this.secretsKeyGrant ? [...dependsOn, this.secretsKeyGrant] : dependsOn;
    this.cluster = this.createCluster(props, network, ranges.master.cidr, secretsKeyId, clusterDependsOn);
    if (!props.secretsEncryption) {
      suppressPolicy(this.cluster, [
        {
          id: "AIG-GKE-20",
          reason:
            "KMS encryption of Secrets is opt-in (secretsEncryption) because a Cloud KMS key ring can never be " +
            "deleted, so a default would leave one in every project that tries the construct; Secrets stay " +
            "encrypted at rest by Google meanwhile.",
        },
      ]);
    }
    this.dependables = { network: this.network, cluster: this.cluster };

    this.primaryNodePool = this.addNodePool("PrimaryNodePool", { name: "primary", ...props.nodePool });
    if (props.spotNodePool) {
      this.spotNodePool = this.addNodePool("SpotNodePool", { name: "spot", ...props.spotNodePool, spot: true });
    }
  }

  /**
   * Adds a managed node pool with the cluster's hardening (GKE metadata server, shielded
   * nodes, the dedicated node account, auto-repair and auto-upgrade, surge upgrades).
   */
  public addNodePool(id: string, options: NodePoolOptions = {}): ContainerNodePool {
    const poolScope = `${this.node.path}/${id}`;
    const poolName = physicalName(this.prefix, options.name ?? kebabCase(id));
    this.validateNodePool(poolScope, poolName, options);
    this.nodePoolNames.add(poolName);
    const machineType = options.machineType ?? NODE_POOL_DEFAULTS.machineType;
    return new ContainerNodePool(this, id, {
      project: this.projectId,
      location: this.location,
      cluster: this.cluster.name,
      name: poolName,
      initialNodeCount: 1,
      autoscaling: {
        totalMinNodeCount: options.minNodes ?? NODE_POOL_DEFAULTS.minNodes,
        totalMaxNodeCount: options.maxNodes ?? NODE_POOL_DEFAULTS.maxNodes,
        locationPolicy: options.spot ? "ANY" : "BALANCED",
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType,
        imageType: "COS_CONTAINERD",
        diskSizeGb: options.diskSizeGb ?? NODE_POOL_DEFAULTS.diskSizeGb,
        diskType: options.diskType ?? NODE_POOL_DEFAULTS.diskType,
        spot: options.spot ?? false,
        taint: options.spot ? [SPOT_TAINT] : undefined,
        labels: options.nodeLabels,
        resourceLabels: this.labels,
        ...this.hardenedNodeConfig(),
      },
      // The autoscaler owns the node count after creation.
      lifecycle: { ignoreChanges: ["initial_node_count"] },
    });
  }

  private hardenedNodeConfig() {
    return {
      serviceAccount: this.nodeServiceAccount.email,
      oauthScopes: [CLOUD_PLATFORM_SCOPE],
      metadata: { "disable-legacy-endpoints": "true" },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    };
  }

  private createNetwork(dependsOn: ITerraformDependable[]): ComputeNetwork {
    return new ComputeNetwork(this, "Network", {
      project: this.projectId,
      name: checkedName(this, "google_compute_network", this.prefix, "vpc"),
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn,
    });
  }

  private createSubnetwork(network: ComputeNetwork, ranges: ValidatedRanges): ComputeSubnetwork {
    return new ComputeSubnetwork(this, "Subnetwork", {
      project: this.projectId,
      region: this.location,
      name: checkedName(this, "google_compute_subnetwork", this.prefix, "nodes"),
      network: network.id,
      ipCidrRange: ranges.subnet.cidr,
      secondaryIpRange: [
        { rangeName: "pods", ipCidrRange: ranges.pods.cidr },
        { rangeName: "services", ipCidrRange: ranges.services.cidr },
      ],
      privateIpGoogleAccess: true,
      logConfig: {
        aggregationInterval: "INTERVAL_5_SEC",
        flowSampling: 0.5,
        metadata: "INCLUDE_ALL_METADATA",
      },
    });
  }

  private createNat(router: ComputeRouter, subnetwork: ComputeSubnetwork): ComputeRouterNat {
    return new ComputeRouterNat(this, "Nat", {
      project: this.projectId,
      region: this.location,
      name: checkedName(this, "google_compute_router_nat", this.prefix, "nat"),
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: subnetwork.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
  }

  private createNodeServiceAccount(dependsOn: ITerraformDependable[]): ServiceAccount {
    const account = new ServiceAccount(this, "NodeServiceAccount", {
      project: this.projectId,
      accountId: checkedName(this, "google_service_account", this.prefix, "gke-nodes"),
      displayName: `GKE nodes of ${this.clusterName}`,
      dependsOn,
    });
    NODE_SERVICE_ACCOUNT_ROLES.forEach((role) => {
      new ProjectIamMember(this, `NodeRole-${role.split("/")[1]}`, {
        project: this.projectId,
        role,
        member: account.member,
      });
    });
    return account;
  }

  private createSecretsKey(dependsOn: ITerraformDependable[]): [KmsCryptoKey, KmsCryptoKeyIamMember] {
    const keyRing = new KmsKeyRing(this, "SecretsKeyRing", {
      project: this.projectId,
      location: this.location,
      name: checkedName(this, "google_kms_key_ring", this.prefix, "gke"),
      dependsOn,
    });
    const key = new KmsCryptoKey(this, "SecretsKey", {
      keyRing: keyRing.id,
      name: checkedName(this, "google_kms_crypto_key", this.prefix, "gke-secrets"),
      rotationPeriod: `${90 * 24 * 3600}s`,
      labels: this.labels,
      lifecycle: { preventDestroy: true },
    });
    const project = new DataGoogleProject(this, "Project", { projectId: this.projectId });
    const grant = new KmsCryptoKeyIamMember(this, "SecretsKeyGkeAgent", {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:service-${project.number}@container-engine-robot.iam.gserviceaccount.com`,
      // The agent is created when container.googleapis.com is enabled (GA provider 6.50 has no
      // google_project_service_identity to create it explicitly), so the grant waits for the APIs.
      dependsOn,
    });
    return [key, grant];
  }

  private createCluster(
    props: AiGatewayClusterProps,
    network: ExistingNetwork,
    masterCidr: string,
    secretsKeyId: string | undefined,
    dependsOn: ITerraformDependable[],
  ): ContainerCluster {
    const window = props.maintenanceWindow ?? CLUSTER_DEFAULTS.maintenanceWindow;
    return new ContainerCluster(this, "Cluster", {
      project: this.projectId,
      location: this.location,
      name: this.clusterName,
      network: network.network,
      subnetwork: network.subnetwork,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: network.podsRangeName,
        servicesSecondaryRangeName: network.servicesRangeName,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: props.enablePrivateEndpoint ?? false,
        masterIpv4CidrBlock: masterCidr,
        masterGlobalAccessConfig: { enabled: true },
      },
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: { allowExternalTraffic: props.allowDnsEndpointExternalTraffic ?? true },
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.masterAuthorizedNetworks ?? [],
        gcpPublicCidrsAccessEnabled: false,
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      // The default pool cannot be hardened in place; it is created and removed at once.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      // Without this the cluster resource itself reports the legacy metadata server and an
      // unshielded default account to scanners (checkov CKV_GCP_69), even though the pool is removed.
      nodeConfig: this.hardenedNodeConfig(),
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      datapathProvider: "ADVANCED_DATAPATH",
      // Dataplane V2 enforces NetworkPolicy itself; the explicit disabled Calico block is what
      // checkov CKV_GCP_12 reads (it fails when the block is absent).
      networkPolicy: { enabled: false },
      enableIntranodeVisibility: true,
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      enableKubernetesAlpha: false,
      releaseChannel: { channel: props.releaseChannel ?? CLUSTER_DEFAULTS.releaseChannel },
      maintenancePolicy: { recurringWindow: { ...window } },
      loggingService: "logging.googleapis.com/kubernetes",
      monitoringService: "monitoring.googleapis.com/kubernetes",
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
      monitoringConfig: {
        enableComponents: ["SYSTEM_COMPONENTS"],
        // Metrics are scraped by the gateway's own Prometheus; the managed one would bill twice.
        managedPrometheus: { enabled: false },
      },
      // BASIC keeps configuration auditing. Workload vulnerability scanning is off: its standard
      // tier (VULNERABILITY_BASIC) was retired on 2025-07-31 and VULNERABILITY_ENTERPRISE needs
      // GKE Enterprise; scan gateway-app's images in Artifact Registry instead.
      securityPostureConfig: { mode: "BASIC", vulnerabilityMode: "VULNERABILITY_DISABLED" },
      secretManagerConfig: { enabled: true },
      addonsConfig: {
        httpLoadBalancing: { disabled: false },
        horizontalPodAutoscaling: { disabled: false },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
      },
      databaseEncryption: secretsKeyId ? { state: "ENCRYPTED", keyName: secretsKeyId } : { state: "DECRYPTED" },
      binaryAuthorization: {
        evaluationMode: props.binaryAuthorization ? "PROJECT_SINGLETON_POLICY_ENFORCE" : "DISABLED",
      },
      resourceLabels: this.labels,
      deletionProtection: !(props.allowClusterDeletion ?? false),
      dependsOn,
      lifecycle: { ignoreChanges: ["node_config"] },
    });
  }

  private validateRegion(region: string): void {
    if (isUnresolved(region) || isKnownRegion(region)) return;
    throw new InvalidPropsError(
      this,
      "region",
      `is not a known GCP region ${received(region)}`,
      'use a region name such as "europe-west4" or "us-central1" (zones like "us-central1-a" are not accepted: the cluster is regional)',
    );
  }

  private validateAuthorizedNetworks(networks: AuthorizedNetwork[]): void {
    const ranges = networks.flatMap((network, index) => {
      const field = `masterAuthorizedNetworks[${index}].cidrBlock`;
      if (isUnresolved(network.cidrBlock)) return [];
      const parsed = parseIpv4Cidr(network.cidrBlock);
      if (typeof parsed === "string") {
        throw new InvalidPropsError(
          this,
          field,
          `${parsed} ${received(network.cidrBlock)}`,
          "give a canonical IPv4 CIDR block such as 203.0.113.0/24",
        );
      }
      return [parsed];
    });
    const publicAddresses = publicAddressCount(ranges);
    if (publicAddresses > MAX_AUTHORIZED_PUBLIC_ADDRESSES) {
      const cidrs = ranges.map((r) => r.cidr);
      throw new InvalidPropsError(
        this,
        "masterAuthorizedNetworks",
        `together open the control plane to ${publicAddresses} public addresses, ` +
          `more than a /8 (${MAX_AUTHORIZED_PUBLIC_ADDRESSES}) ${received(cidrs)}`,
        "list the ranges of your operators and self-hosted runners; GitHub-hosted runners reach the control " +
          "plane through its DNS endpoint, which needs no address range",
      );
    }
  }

  private validateMaintenanceWindow(window: MaintenanceWindow): void {
    if ([window.startTime, window.endTime, window.recurrence].some(isUnresolved)) return;
    const { minimumAvailabilityHours: required, rollingWindowDays, minimumContiguousHours } = GKE_FACTS.maintenanceWindow;
    const hours = minimumAvailabilityHours(window);
    if (typeof hours === "string") {
      throw new InvalidPropsError(
        this,
        "maintenanceWindow",
        hours,
        'give RFC 3339 times and a recurrence such as "FREQ=DAILY" or "FREQ=WEEKLY;BYDAY=SA,SU"',
      );
    }
    if (hours < required) {
      throw new InvalidPropsError(
        this,
        "maintenanceWindow",
        `leaves ${formatHours(hours)} h of maintenance in the worst ${rollingWindowDays} days; GKE requires at least ${required} h, ` +
          `counting only stretches of ${minimumContiguousHours} h or more ${received(window)}`,
        `lengthen the window or add days (for example 4 h every day: recurrence "FREQ=DAILY")`,
      );
    }
  }

  private validateRanges(props: AiGatewayClusterProps): ValidatedRanges {
    const parse = (field: string, cidr: string, prefixRange: [number, number]): Ipv4Range => {
      const parsed = parseIpv4Cidr(cidr);
      if (typeof parsed === "string") {
        throw new InvalidPropsError(this, field, `${parsed} ${received(cidr)}`, "give a canonical IPv4 CIDR block such as 10.10.0.0/20");
      }
      const [shortest, longest] = prefixRange;
      if (parsed.prefixLength < shortest || parsed.prefixLength > longest) {
        throw new InvalidPropsError(
          this,
          field,
          `must have a prefix length from /${shortest} to /${longest} ${received(cidr)}`,
          `choose a /${shortest} to /${longest} block`,
        );
      }
      return parsed;
    };
    const ranges: ValidatedRanges = {
      subnet: parse("subnetCidr", props.subnetCidr ?? CLUSTER_DEFAULTS.subnetCidr, [8, 29]),
      pods: parse("podsCidr", props.podsCidr ?? CLUSTER_DEFAULTS.podsCidr, [8, 24]),
      services: parse("servicesCidr", props.servicesCidr ?? CLUSTER_DEFAULTS.servicesCidr, [8, 27]),
      // GKE requires exactly a /28 for the control plane's private range.
      master: parse("masterCidr", props.masterCidr ?? CLUSTER_DEFAULTS.masterCidr, [28, 28]),
    };
    // With an existing network only the master range is ours, so there is nothing to compare.
    const checked = props.existingNetwork ? [] : (Object.keys(ranges) as (keyof ValidatedRanges)[]);
    checked.forEach((a, index) => {
      for (const b of checked.slice(index + 1)) {
        if (rangesOverlap(ranges[a], ranges[b])) {
          throw new InvalidPropsError(
            this,
            `${a}Cidr`,
            `overlaps ${b}Cidr (${ranges[a].cidr} and ${ranges[b].cidr})`,
            "give every range its own address space",
          );
        }
      }
    });
    return ranges;
  }

  private validateNodePool(path: string, poolName: string, options: NodePoolOptions): void {
    const min = options.minNodes ?? NODE_POOL_DEFAULTS.minNodes;
    const max = options.maxNodes ?? NODE_POOL_DEFAULTS.maxNodes;
    if (!Number.isInteger(min) || min < 0) {
      throw new InvalidPropsError(path, "minNodes", `must be a whole number of at least 0 ${received(min)}`, "set minNodes to 0 or more");
    }
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidPropsError(path, "maxNodes", `must be a whole number of at least 1 ${received(max)}`, "set maxNodes to 1 or more");
    }
    if (min > max) {
      throw new InvalidPropsError(path, "minNodes", `(${min}) is greater than maxNodes (${max})`, "make minNodes at most maxNodes");
    }
    validatePhysicalName(path, "google_container_node_pool", poolName);
    if (this.nodePoolNames.has(poolName)) {
      throw new InvalidPropsError(path, "name", `"${poolName}" is already used by another node pool`, "give each node pool its own name");
    }
  }
}

interface ValidatedRanges {
  readonly subnet: Ipv4Range;
  readonly pods: Ipv4Range;
  readonly services: Ipv4Range;
  readonly master: Ipv4Range;
}

function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(2);
}

function kebabCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
