import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeAddress } from "@cdktf/provider-google/lib/compute-address";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import type { IAiGatewayCluster } from "./ai-gateway-cluster";
import type { GatewayTier } from "../lib/gateway-spec";
import { InvalidPropsError, received } from "../lib/errors";
import { gcpLabels } from "../lib/labels";
import { checkedName, validatePhysicalName, validatePrefix } from "../lib/naming";
import { gatewayNames, KONG_SERVICE_ACCOUNT } from "../lib/gateway-names";
import { guardRenderedValues } from "../lib/synth-guard";
import { OTEL_COLLECTOR_FACTS } from "../lib/upstream-facts";
import { TRACE_COLLECTOR_NAME } from "./trace-collector";

export interface GatewayInfrastructureProps {
  readonly cluster: IAiGatewayCluster;
  /** Same prefix as the cluster's. */
  readonly prefix: string;
  /**
   * The namespaces Kong, gateway-app and LiteLLM run in: their Workload Identity bindings name them.
   * Give the `namespaces` of the same {@link GatewaySpec} as the platform stack's.
   */
  readonly namespaces: Readonly<Pick<Record<GatewayTier, string>, "edge" | "app" | "router">> & { readonly observability?: string };
  /**
   * Providers besides Vertex AI whose API keys get a Secret Manager secret.
   * @default []
   */
  readonly providerKeys?: ("openai" | "anthropic")[];
  /**
   * Memorystore size.
   * @default 1
   */
  readonly redisMemoryGb?: number;
  /**
   * Memorystore tier: STANDARD_HA replicates across zones.
   * @default "STANDARD_HA"
   */
  readonly redisTier?: "BASIC" | "STANDARD_HA";
  /**
   * The /16 (or smaller) range reserved for private service access (Memorystore).
   * @default - a /16 Google allocates in the VPC
   */
  readonly privateServiceRangePrefixLength?: number;
  /**
   * gateway-app reads Memorystore's AUTH string too (governance: tenants with limits, budgets or
   * API keys); InfrastructureStack sets it from `spec.tenants`.
   * @default false
   */
  readonly appReadsRedisAuth?: boolean;
  /**
   * A Workload Identity account `<prefix>-otel` with roles/cloudtrace.agent for the trace
   * collector (TraceCollector) in `namespaces.observability`; InfrastructureStack sets it from
   * `spec.tracing`.
   * @default false
   */
  readonly traceCollector?: boolean;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Google side of the request path, in the infrastructure stack: Workload Identity service
 * accounts for LiteLLM and gateway-app (Vertex AI access, no JSON keys), Secret Manager
 * secrets whose values are added out of band, Memorystore Redis on private service access
 * with AUTH and in-transit encryption, the Artifact Registry repository for gateway-app, and
 * the edge's static IP.
 */
export class GatewayInfrastructure extends Construct {
  public readonly routerServiceAccount: ServiceAccount;
  public readonly appServiceAccount: ServiceAccount;
  /** Kong's Workload Identity account: reads the edge certificate's secrets, nothing else. */
  public readonly edgeServiceAccount: ServiceAccount;
  /** The trace collector's Workload Identity account, when `traceCollector` is set: writes spans, nothing else. */
  public readonly traceServiceAccount?: ServiceAccount;
  public readonly secrets: Readonly<Record<string, SecretManagerSecret>>;
  public readonly redis: RedisInstance;
  /** Memorystore's AUTH string in the `<prefix>-redis-auth` secret, which LiteLLM mounts. */
  public readonly redisAuthVersion: SecretManagerSecretVersion;
  public readonly repository: ArtifactRegistryRepository;
  public readonly edgeAddress: ComputeAddress;

  constructor(scope: Construct, id: string, props: GatewayInfrastructureProps) {
    super(scope, id);
    guardRenderedValues(this);
    const { cluster, prefix } = props;
    const labels = gcpLabels(this, props.labels);
    validatePrefix(this, prefix);
    const names = gatewayNames(prefix, cluster.projectId);
    const dependsOn = props.dependsOn ?? [];
    const memory = props.redisMemoryGb ?? 1;
    if (!(Number.isInteger(memory) && memory >= 1 && memory <= 300)) {
      throw new InvalidPropsError(
        this,
        "redisMemoryGb",
        `must be a whole number from 1 to 300 ${received(memory)}`,
        "choose a Memorystore size in GB",
      );
    }

    this.routerServiceAccount = this.workloadIdentity(
      "Router",
      names.routerServiceAccountId,
      "LiteLLM router",
      cluster,
      props.namespaces.router,
      "litellm",
      dependsOn,
    );
    this.appServiceAccount = this.workloadIdentity(
      "App",
      names.appServiceAccountId,
      "gateway-app",
      cluster,
      props.namespaces.app,
      "gateway-app",
      dependsOn,
    );
    // Kong reads only its certificate: no Vertex AI role.
    this.edgeServiceAccount = this.workloadIdentity(
      "Edge",
      names.edgeServiceAccountId,
      "Kong edge",
      cluster,
      props.namespaces.edge,
      KONG_SERVICE_ACCOUNT,
      dependsOn,
      false,
    );

    if (props.traceCollector) this.traceServiceAccount = this.traceCollectorIdentity(props, cluster, names.traceServiceAccountId, dependsOn);

    const secrets: Record<string, SecretManagerSecret> = {};
    const secretIds = {
      masterKey: names.secrets.masterKey,
      redisAuth: names.secrets.redisAuth,
      edgeTlsCertificate: names.secrets.edgeTlsCertificate,
      edgeTlsKey: names.secrets.edgeTlsKey,
      edgeToken: names.secrets.edgeToken,
      ...Object.fromEntries((props.providerKeys ?? []).map((p) => [p, names.secrets.providerKey(p)])),
    };
    for (const [key, secretId] of Object.entries(secretIds)) {
      secrets[key] = new SecretManagerSecret(this, `Secret-${key}`, {
        project: cluster.projectId,
        secretId: validatePhysicalName(this, "google_secret_manager_secret", secretId, "secretId"),
        labels,
        replication: { auto: {} },
        dependsOn,
      });
    }
    this.secrets = secrets;
    // Each workload reads only the secrets it needs.
    this.grantSecret("RouterMasterKey", secrets.masterKey, this.routerServiceAccount);
    this.grantSecret("AppMasterKey", secrets.masterKey, this.appServiceAccount);
    // Kong gets its copy through the platform stack (a Kubernetes Secret), not from Secret Manager.
    this.grantSecret("AppEdgeToken", secrets.edgeToken, this.appServiceAccount);
    this.grantSecret("RouterRedisAuth", secrets.redisAuth, this.routerServiceAccount);
    if (props.appReadsRedisAuth) this.grantSecret("AppRedisAuth", secrets.redisAuth, this.appServiceAccount);
    this.grantSecret("EdgeTlsCertificate", secrets.edgeTlsCertificate, this.edgeServiceAccount);
    this.grantSecret("EdgeTlsKey", secrets.edgeTlsKey, this.edgeServiceAccount);
    for (const provider of props.providerKeys ?? []) this.grantSecret(`Router-${provider}`, secrets[provider], this.routerServiceAccount);

    // cluster.networkId is a plain string, so the wait for a VPC created in this stack is explicit.
    const network = cluster.dependables?.network;
    const peeringRange = new ComputeGlobalAddress(this, "PrivateServiceRange", {
      project: cluster.projectId,
      name: checkedName(this, "google_compute_global_address", prefix, "psa"),
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      prefixLength: props.privateServiceRangePrefixLength ?? 16,
      network: cluster.networkId,
      dependsOn: network ? [...dependsOn, network] : dependsOn,
    });
    const peering = new ServiceNetworkingConnection(this, "PrivateServiceAccess", {
      network: cluster.networkId,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [peeringRange.name],
      // Deleting the peering fails while Google still holds the producer side (Memorystore
      // deletes asynchronously); abandoning lets destroy finish.
      deletionPolicy: "ABANDON",
    });
    this.redis = new RedisInstance(this, "Redis", {
      project: cluster.projectId,
      region: cluster.location,
      name: validatePhysicalName(this, "google_redis_instance", names.redisInstance),
      tier: props.redisTier ?? "STANDARD_HA",
      memorySizeGb: memory,
      redisVersion: "REDIS_7_2",
      authorizedNetwork: cluster.networkId,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      labels,
      dependsOn: [peering],
    });

    // The AUTH string is already in this stack's state (a computed attribute of the instance),
    // so copying it into its secret adds no exposure and removes a manual step.
    this.redisAuthVersion = new SecretManagerSecretVersion(this, "RedisAuthVersion", {
      secret: secrets.redisAuth.id,
      secretData: this.redis.authString,
    });

    this.repository = new ArtifactRegistryRepository(this, "Repository", {
      project: cluster.projectId,
      location: cluster.location,
      repositoryId: validatePhysicalName(this, "google_artifact_registry_repository", names.repository, "repositoryId"),
      format: "DOCKER",
      description: "gateway-app images",
      dockerConfig: { immutableTags: true },
      labels,
      dependsOn,
    });

    // Reserved so the load balancer keeps its address across re-creations; DNS points here.
    this.edgeAddress = new ComputeAddress(this, "EdgeAddress", {
      project: cluster.projectId,
      region: cluster.location,
      name: validatePhysicalName(this, "google_compute_address", names.edgeAddress),
      addressType: "EXTERNAL",
      networkTier: "PREMIUM",
      labels,
      dependsOn,
    });
  }

  private workloadIdentity(
    id: string,
    accountId: string,
    what: string,
    cluster: IAiGatewayCluster,
    namespace: string,
    ksa: string,
    dependsOn: ITerraformDependable[],
    callsVertex = true,
  ): ServiceAccount {
    const account = new ServiceAccount(this, `${id}ServiceAccount`, {
      project: cluster.projectId,
      accountId: validatePhysicalName(this, "google_service_account", accountId, "accountId"),
      displayName: `${what} (Workload Identity)`,
      dependsOn,
    });
    if (callsVertex) {
      new ProjectIamMember(this, `${id}VertexUser`, {
        project: cluster.projectId,
        role: "roles/aiplatform.user",
        member: account.member,
      });
    }
    // Exactly one Kubernetes service account may act as this Google account. The pool exists
    // only once the project's first Workload Identity cluster does, so the binding waits for it.
    const clusterResource = cluster.dependables?.cluster;
    new ServiceAccountIamMember(this, `${id}WorkloadIdentity`, {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${cluster.workloadPool}[${namespace}/${ksa}]`,
      dependsOn: clusterResource ? [clusterResource] : undefined,
    });
    return account;
  }

  private traceCollectorIdentity(
    props: GatewayInfrastructureProps,
    cluster: IAiGatewayCluster,
    accountId: string,
    dependsOn: ITerraformDependable[],
  ): ServiceAccount {
    const namespace = props.namespaces.observability;
    if (!namespace)
      throw new InvalidPropsError(
        this,
        "namespaces.observability",
        "is required with traceCollector",
        "give the observability namespace: the collector's Workload Identity binding names it",
      );
    const account = this.workloadIdentity("Trace", accountId, "Trace collector", cluster, namespace, TRACE_COLLECTOR_NAME, dependsOn, false);
    new ProjectIamMember(this, "TraceAgent", { project: cluster.projectId, role: OTEL_COLLECTOR_FACTS.exporterRole.role, member: account.member });
    return account;
  }

  private grantSecret(id: string, secret: SecretManagerSecret, account: ServiceAccount): void {
    new SecretManagerSecretIamMember(this, `Access-${id}`, {
      project: secret.project,
      secretId: secret.secretId,
      role: "roles/secretmanager.secretAccessor",
      member: account.member,
    });
  }
}
