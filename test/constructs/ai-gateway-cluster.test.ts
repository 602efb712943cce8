import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AiGatewayCluster, NODE_SERVICE_ACCOUNT_ROLES, type AiGatewayClusterProps } from "../../constructs/ai-gateway-cluster";
import { onlyResource, resourcesOf, synthJson } from "../support/terraform";
import { minimumAvailabilityHours } from "../../lib/maintenance-window";
import { GKE_FACTS, GOOGLE_PROVIDER_FACTS } from "../../lib/upstream-facts";

const BASE: AiGatewayClusterProps = { projectId: "acme-ai-prod", region: "europe-west4", prefix: "gw" };

function build(props: Partial<AiGatewayClusterProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const cluster = new AiGatewayCluster(stack, "Gateway", { ...BASE, ...props });
  return { stack, cluster, json: () => synthJson(stack) };
}

function clusterOf(props: Partial<AiGatewayClusterProps> = {}) {
  return onlyResource(build(props).json(), "google_container_cluster");
}

function poolsOf(props: Partial<AiGatewayClusterProps> = {}) {
  return resourcesOf(build(props).json(), "google_container_node_pool");
}

describe("AiGatewayCluster defaults", () => {
  const json = build().json();
  const cluster = onlyResource(json, "google_container_cluster");
  const [pool] = resourcesOf(json, "google_container_node_pool");

  it("is a regional cluster named from the prefix, with deletion protection", () => {
    expect(cluster.name).toBe("gw-gke");
    expect(cluster.location).toBe("europe-west4");
    expect(cluster.project).toBe("acme-ai-prod");
    expect(cluster.deletion_protection).toBe(true);
  });

  it("has private nodes, a /28 master range, global access and no public CIDR access", () => {
    expect(cluster.private_cluster_config).toEqual({
      enable_private_nodes: true,
      enable_private_endpoint: false,
      master_ipv4_cidr_block: "172.16.0.0/28",
      master_global_access_config: { enabled: true },
    });
    expect(cluster.master_authorized_networks_config).toEqual({ cidr_blocks: [], gcp_public_cidrs_access_enabled: false });
  });

  it("turns off client certificates, legacy ABAC and alpha features", () => {
    expect(cluster.master_auth.client_certificate_config.issue_client_certificate).toBe(false);
    expect(cluster.enable_legacy_abac).toBe(false);
    expect(cluster.enable_kubernetes_alpha).toBe(false);
  });

  it("is VPC-native on the subnet's pods and services ranges", () => {
    expect(cluster.networking_mode).toBe("VPC_NATIVE");
    expect(cluster.ip_allocation_policy).toEqual({ cluster_secondary_range_name: "pods", services_secondary_range_name: "services" });
    const subnet = onlyResource(json, "google_compute_subnetwork");
    expect(subnet.secondary_ip_range).toEqual([
      { range_name: "pods", ip_cidr_range: "10.20.0.0/14" },
      { range_name: "services", ip_cidr_range: "10.24.0.0/20" },
    ]);
    expect(subnet.ip_cidr_range).toBe("10.10.0.0/20");
  });

  it("creates a custom-mode VPC whose subnet has Private Google Access and flow logs", () => {
    expect(onlyResource(json, "google_compute_network")).toMatchObject({ name: "gw-vpc", auto_create_subnetworks: false });
    const subnet = onlyResource(json, "google_compute_subnetwork");
    expect(subnet.private_ip_google_access).toBe(true);
    expect(subnet.log_config).toMatchObject({ aggregation_interval: "INTERVAL_5_SEC", metadata: "INCLUDE_ALL_METADATA" });
    expect(subnet.log_config.flow_sampling).toBeGreaterThan(0);
  });

  it("gives private nodes egress through Cloud NAT on the cluster's router", () => {
    const router = onlyResource(json, "google_compute_router");
    const nat = onlyResource(json, "google_compute_router_nat");
    expect(router.network).toMatch(/^\$\{google_compute_network\.\w+\.id\}$/);
    expect(nat.router).toMatch(/^\$\{google_compute_router\.\w+\.name\}$/);
    expect(nat.region).toBe("europe-west4");
    expect(nat.source_subnetwork_ip_ranges_to_nat).toBe("LIST_OF_SUBNETWORKS");
    expect(nat.subnetwork).toEqual([
      { name: expect.stringMatching(/^\$\{google_compute_subnetwork\.\w+\.id\}$/), source_ip_ranges_to_nat: ["ALL_IP_RANGES"] },
    ]);
    expect(nat.log_config).toEqual({ enable: true, filter: "ERRORS_ONLY" });
  });

  it("enables Workload Identity on the project's pool", () => {
    expect(cluster.workload_identity_config).toEqual({ workload_pool: "acme-ai-prod.svc.id.goog" });
  });

  it("uses Dataplane V2 for network policy and intranode visibility", () => {
    expect(cluster.datapath_provider).toBe("ADVANCED_DATAPATH");
    expect(cluster.enable_intranode_visibility).toBe(true);
  });

  it("writes the disabled Calico block beside Dataplane V2, which checkov CKV_GCP_12 requires", () => {
    expect(cluster.network_policy).toEqual({ enabled: false });
  });

  it("audits configuration but does not ask for a retired vulnerability scanning tier", () => {
    expect(cluster.security_posture_config).toEqual({ mode: "BASIC", vulnerability_mode: "VULNERABILITY_DISABLED" });
    expect(GOOGLE_PROVIDER_FACTS.vulnerabilityModes.values).toContain(cluster.security_posture_config.vulnerability_mode);
    expect(GKE_FACTS.vulnerabilityScanning.retired).not.toContain(cluster.security_posture_config.vulnerability_mode);
  });

  it("removes the default pool but hardens the cluster-level node config", () => {
    expect(cluster.remove_default_node_pool).toBe(true);
    expect(cluster.node_pool).toBeUndefined();
    expect(cluster.node_config.workload_metadata_config).toEqual({ mode: "GKE_METADATA" });
    expect(cluster.node_config.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_integrity_monitoring: true });
    expect(cluster.node_config.service_account).toMatch(/^\$\{google_service_account\.\w+\.email\}$/);
  });

  it("uses shielded nodes, release channel REGULAR and a daily 4-hour maintenance window", () => {
    expect(cluster.enable_shielded_nodes).toBe(true);
    expect(cluster.release_channel).toEqual({ channel: "REGULAR" });
    expect(cluster.maintenance_policy.recurring_window).toEqual({
      start_time: "2025-01-04T02:00:00Z",
      end_time: "2025-01-04T06:00:00Z",
      recurrence: "FREQ=DAILY",
    });
  });

  it("has a default maintenance window GKE accepts (at least 48 h in any 32 days)", () => {
    const window = cluster.maintenance_policy.recurring_window;
    const hours = minimumAvailabilityHours({ startTime: window.start_time, endTime: window.end_time, recurrence: window.recurrence });
    expect(hours).toBe(128);
    expect(hours).toBeGreaterThanOrEqual(GKE_FACTS.maintenanceWindow.minimumAvailabilityHours);
  });

  it("logs and monitors system components and workloads", () => {
    expect(cluster.logging_service).toBe("logging.googleapis.com/kubernetes");
    expect(cluster.monitoring_service).toBe("monitoring.googleapis.com/kubernetes");
    expect(cluster.logging_config.enable_components).toEqual(["SYSTEM_COMPONENTS", "WORKLOADS"]);
    expect(cluster.monitoring_config.enable_components).toContain("SYSTEM_COMPONENTS");
  });

  it("leaves secrets encryption and Binary Authorization off", () => {
    expect(cluster.database_encryption).toEqual({ state: "DECRYPTED" });
    expect(cluster.binary_authorization).toEqual({ evaluation_mode: "DISABLED" });
    expect(resourcesOf(json, "google_kms_crypto_key")).toHaveLength(0);
  });

  it("labels the cluster, the node pool and its nodes", () => {
    const expected = { managed_by: "cdktf", part_of: "ai-gateway" };
    expect(cluster.resource_labels).toEqual(expected);
    expect(pool.node_config.resource_labels).toEqual(expected);
  });

  it("has one managed, autoscaled, on-demand pool of 1 to 10 nodes", () => {
    expect(resourcesOf(json, "google_container_node_pool")).toHaveLength(1);
    expect(pool.name).toBe("gw-primary");
    expect(pool.cluster).toMatch(/^\$\{google_container_cluster\.\w+\.name\}$/);
    expect(pool.autoscaling).toEqual({ total_min_node_count: 1, total_max_node_count: 10, location_policy: "BALANCED" });
    expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
    expect(pool.upgrade_settings).toEqual({ strategy: "SURGE", max_surge: 1, max_unavailable: 0 });
    expect(pool.node_config).toMatchObject({
      machine_type: "e2-standard-4",
      disk_size_gb: 100,
      disk_type: "pd-balanced",
      image_type: "COS_CONTAINERD",
      spot: false,
    });
  });

  it("runs every pool with the GKE metadata server, shielded VMs and the dedicated node account", () => {
    expect(pool.node_config.workload_metadata_config).toEqual({ mode: "GKE_METADATA" });
    expect(pool.node_config.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_integrity_monitoring: true });
    expect(pool.node_config.metadata).toEqual({ "disable-legacy-endpoints": "true" });
    expect(pool.node_config.oauth_scopes).toEqual(["https://www.googleapis.com/auth/cloud-platform"]);
    expect(pool.node_config.service_account).toMatch(/^\$\{google_service_account\.\w+\.email\}$/);
  });

  it("grants the node account only the node roles, never a primitive role", () => {
    const account = onlyResource(json, "google_service_account");
    expect(account.account_id).toBe("gw-gke-nodes");
    const grants = resourcesOf(json, "google_project_iam_member");
    expect(grants.map((g) => g.role).sort()).toEqual([...NODE_SERVICE_ACCOUNT_ROLES].sort());
    for (const grant of grants) {
      expect(grant.member).toMatch(/^\$\{google_service_account\.\w+\.member\}$/);
      expect(grant.role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
    }
  });

  it("exposes plain names for other stacks", () => {
    const { cluster: construct } = build();
    expect(construct.clusterName).toBe("gw-gke");
    expect(construct.location).toBe("europe-west4");
    expect(construct.projectId).toBe("acme-ai-prod");
    expect(construct.workloadPool).toBe("acme-ai-prod.svc.id.goog");
  });
});

describe("AiGatewayCluster options", () => {
  it("can configure the node pool's size and machine", () => {
    const [pool] = poolsOf({ nodePool: { minNodes: 3, maxNodes: 30, machineType: "n2-standard-8", diskSizeGb: 200 } });
    expect(pool.autoscaling).toMatchObject({ total_min_node_count: 3, total_max_node_count: 30 });
    expect(pool.node_config).toMatchObject({ machine_type: "n2-standard-8", disk_size_gb: 200 });
  });

  it("can add a tainted spot pool", () => {
    const pools = poolsOf({ spotNodePool: { maxNodes: 5 } });
    const spot = pools.find((p) => p.name === "gw-spot")!;
    expect(spot.node_config.spot).toBe(true);
    expect(spot.node_config.taint).toEqual([{ key: "cloud.google.com/gke-spot", value: "true", effect: "NO_SCHEDULE" }]);
    expect(spot.node_config.workload_metadata_config).toEqual({ mode: "GKE_METADATA" });
    expect(spot.autoscaling).toMatchObject({ total_max_node_count: 5, location_policy: "ANY" });
  });

  it("adds hardened node pools with addNodePool()", () => {
    const { cluster, json } = build();
    cluster.addNodePool("HighMem", { machineType: "n2-highmem-4", nodeLabels: { workload: "router" } });
    const pool = resourcesOf(json(), "google_container_node_pool").find((p) => p.name === "gw-high-mem")!;
    expect(pool.node_config).toMatchObject({
      machine_type: "n2-highmem-4",
      labels: { workload: "router" },
      workload_metadata_config: { mode: "GKE_METADATA" },
    });
    expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
  });

  it("can make the control plane private-endpoint only and list authorized networks", () => {
    const cluster = clusterOf({ enablePrivateEndpoint: true, masterAuthorizedNetworks: [{ cidrBlock: "203.0.113.0/24", displayName: "ci" }] });
    expect(cluster.private_cluster_config.enable_private_endpoint).toBe(true);
    expect(cluster.master_authorized_networks_config.cidr_blocks).toEqual([{ cidr_block: "203.0.113.0/24", display_name: "ci" }]);
  });

  it("can encrypt secrets with a key it creates and grants to the GKE agent", () => {
    const json = build({ secretsEncryption: {} }).json();
    const key = onlyResource(json, "google_kms_crypto_key");
    expect(key.rotation_period).toBe("7776000s");
    expect(onlyResource(json, "google_container_cluster").database_encryption).toEqual({
      state: "ENCRYPTED",
      key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\.\w+\.id\}$/),
    });
    const grant = onlyResource(json, "google_kms_crypto_key_iam_member");
    expect(grant.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    expect(grant.member).toMatch(
      /^serviceAccount:service-\$\{data\.google_project\.\w+\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/,
    );
  });

  it("can encrypt secrets with a given key", () => {
    const keyId = "projects/acme-ai-prod/locations/europe-west4/keyRings/k/cryptoKeys/gke";
    const json = build({ secretsEncryption: { kmsKeyId: keyId } }).json();
    expect(onlyResource(json, "google_container_cluster").database_encryption).toEqual({ state: "ENCRYPTED", key_name: keyId });
    expect(resourcesOf(json, "google_kms_crypto_key")).toHaveLength(0);
  });

  it("can enforce Binary Authorization", () => {
    expect(clusterOf({ binaryAuthorization: true }).binary_authorization).toEqual({ evaluation_mode: "PROJECT_SINGLETON_POLICY_ENFORCE" });
  });

  it("can allow cluster deletion explicitly", () => {
    expect(clusterOf({ allowClusterDeletion: true }).deletion_protection).toBe(false);
  });

  it("can run in an existing network without creating one", () => {
    const json = build({
      existingNetwork: {
        network: "projects/p/global/networks/shared",
        subnetwork: "projects/p/regions/europe-west4/subnetworks/gke",
        podsRangeName: "gke-pods",
        servicesRangeName: "gke-svc",
      },
    }).json();
    expect(resourcesOf(json, "google_compute_network")).toHaveLength(0);
    expect(resourcesOf(json, "google_compute_router_nat")).toHaveLength(0);
    const cluster = onlyResource(json, "google_container_cluster");
    expect(cluster.network).toBe("projects/p/global/networks/shared");
    expect(cluster.ip_allocation_policy).toEqual({ cluster_secondary_range_name: "gke-pods", services_secondary_range_name: "gke-svc" });
  });

  it("can add labels, merged over its own", () => {
    expect(clusterOf({ labels: { team: "platform" } }).resource_labels).toEqual({ managed_by: "cdktf", part_of: "ai-gateway", team: "platform" });
  });

  it("can pick another release channel", () => {
    expect(clusterOf({ releaseChannel: "STABLE" }).release_channel).toEqual({ channel: "STABLE" });
  });
});

describe("AiGatewayCluster validation", () => {
  const throwsWith = (props: Partial<AiGatewayClusterProps>, message: RegExp) => expect(() => build(props)).toThrow(message);
  const saturday = (end: string, recurrence = "FREQ=WEEKLY;BYDAY=SA") => ({
    maintenanceWindow: { startTime: "2025-01-04T02:00:00Z", endTime: end, recurrence },
  });

  it("accepts a maintenance window of exactly 48 h in the worst 32 days", () => {
    // Saturdays 02:00-14:00: a 32-day span starting just after one holds exactly four more.
    const window = clusterOf(saturday("2025-01-04T14:00:00Z")).maintenance_policy.recurring_window;
    expect(window.recurrence).toBe("FREQ=WEEKLY;BYDAY=SA");
  });

  it("throws if a maintenance window leaves less than 48 h in some 32 days", () => {
    throwsWith(
      saturday("2025-01-04T13:45:00Z"),
      /^test\/Gateway: maintenanceWindow leaves 47 h of maintenance in the worst 32 days; GKE requires at least 48 h/,
    );
    // The old default: weekends 02:00-06:00 give 32 h.
    throwsWith(saturday("2025-01-04T06:00:00Z", "FREQ=WEEKLY;BYDAY=SA,SU"), /leaves 32 h of maintenance/);
  });

  it("throws if the windows are shorter than 4 h, which GKE does not count", () => {
    throwsWith(saturday("2025-01-04T05:00:00Z", "FREQ=DAILY"), /leaves 0 h of maintenance .*counting only stretches of 4 h or more/);
  });

  it("throws on a maintenance window it cannot check", () => {
    throwsWith(
      saturday("2025-01-04T14:00:00Z", "FREQ=MONTHLY;BYSETPOS=1;BYDAY=SA,SU"),
      /maintenanceWindow recurrence "FREQ=MONTHLY;BYSETPOS=1;BYDAY=SA,SU" is not one we can check/,
    );
    throwsWith(saturday("2025-01-04 14:00"), /maintenanceWindow endTime is not an RFC 3339 timestamp/);
    throwsWith(saturday("2025-01-04T01:00:00Z"), /maintenanceWindow endTime is not after startTime/);
    throwsWith(saturday("2025-01-04T14:00:00Z", "FREQ=WEEKLY;BYDAY=SAT"), /BYDAY "SAT" names a day other than/);
  });

  it("throws if min nodes exceed max nodes, naming the pool", () => {
    throwsWith(
      { nodePool: { minNodes: 5, maxNodes: 2 } },
      /^test\/Gateway\/PrimaryNodePool: minNodes \(5\) is greater than maxNodes \(2\)\. Fix: make minNodes at most maxNodes$/,
    );
  });

  it("throws if a node count is negative or fractional", () => {
    throwsWith({ nodePool: { minNodes: -1 } }, /minNodes must be a whole number of at least 0 \(received -1\)/);
    throwsWith({ nodePool: { maxNodes: 2.5 } }, /maxNodes must be a whole number of at least 1 \(received 2\.5\)/);
  });

  it("throws on a malformed CIDR", () => {
    throwsWith(
      { subnetCidr: "10.10.0/20" },
      /^test\/Gateway: subnetCidr is not an IPv4 CIDR block like 10\.0\.0\.0\/20 \(received "10\.10\.0\/20"\)/,
    );
    throwsWith({ podsCidr: "10.300.0.0/14" }, /podsCidr has an octet above 255/);
    throwsWith({ servicesCidr: "10.24.0.1/20" }, /servicesCidr has host bits set; the network address is 10\.24\.0\.0\/20/);
  });

  it("throws on overlapping ranges, naming both", () => {
    throwsWith(
      { podsCidr: "10.10.0.0/16" },
      /subnetCidr overlaps podsCidr \(10\.10\.0\.0\/20 and 10\.10\.0\.0\/16\)\. Fix: give every range its own address space/,
    );
    throwsWith({ masterCidr: "10.24.0.0/28" }, /servicesCidr overlaps masterCidr \(10\.24\.0\.0\/20 and 10\.24\.0\.0\/28\)/);
  });

  it("throws if the master range is not a /28", () => {
    throwsWith({ masterCidr: "172.16.0.0/24" }, /masterCidr must have a prefix length from \/28 to \/28/);
  });

  it("throws on an unknown region or a zone", () => {
    throwsWith({ region: "europe-west99" }, /^test\/Gateway: region is not a known GCP region \(received "europe-west99"\)/);
    throwsWith({ region: "us-central1-a" }, /zones like "us-central1-a" are not accepted/);
  });

  it("throws on a prefix too long or badly formed", () => {
    throwsWith(
      { prefix: "a-very-long-gateway-prefix" },
      new RegExp(
        `prefix is 26 characters, more than 18 .*Fix: shorten it to at most 18 characters, so "<prefix>-gateway-app" fits GCP's ` +
          `30-character service account ids`,
      ),
    );
    // 20 characters passed before, and "<prefix>-gateway-app" was then 32 characters long.
    throwsWith({ prefix: "abcdefghij-klmnopqrs" }, /prefix is 20 characters, more than 18/);
    throwsWith({ prefix: "Gateway" }, /prefix must be lowercase letters, digits and single hyphens/);
    throwsWith({ prefix: "gw-" }, /prefix must be lowercase/);
  });

  it("throws on an invalid project id", () => {
    throwsWith({ projectId: "My_Project" }, /projectId is not a valid GCP project id \(received "My_Project"\)/);
  });

  const authorize = (...cidrs: string[]) => ({ masterAuthorizedNetworks: cidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `n${i}` })) });

  it("refuses to open the control plane to the internet, however the ranges are split", () => {
    throwsWith(
      authorize("0.0.0.0/0"),
      /^test\/Gateway: masterAuthorizedNetworks together open the control plane to 4277075968 public addresses, more than a \/8 \(16777216\)/,
    );
    throwsWith(authorize("0.0.0.0/1", "128.0.0.0/1"), /masterAuthorizedNetworks together open the control plane to 4277075968 public addresses/);
    throwsWith(authorize("203.0.0.0/8", "198.0.0.0/16"), /to 16842752 public addresses, more than a \/8/);
    throwsWith(authorize("not-a-cidr"), /masterAuthorizedNetworks\[0\]\.cidrBlock is not an IPv4 CIDR block/);
  });

  it("accepts up to a /8 of public addresses, overlaps counted once, private ranges not counted", () => {
    expect(clusterOf(authorize("203.0.0.0/8")).master_authorized_networks_config.cidr_blocks).toHaveLength(1);
    expect(clusterOf(authorize("203.0.0.0/9", "203.0.0.0/8", "203.128.0.0/9")).master_authorized_networks_config.cidr_blocks).toHaveLength(3);
    expect(
      clusterOf(authorize("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "198.51.100.0/24")).master_authorized_networks_config.cidr_blocks,
    ).toHaveLength(4);
  });

  it("throws on invalid labels", () => {
    throwsWith({ labels: { Team: "x" } }, /labels\.Team is not a valid GCP label key/);
    throwsWith({ labels: { team: "Platform Team" } }, /labels\.team has a value GCP rejects/);
  });

  it("throws on a duplicate or too long node pool name", () => {
    const { cluster } = build();
    expect(() => cluster.addNodePool("Again", { name: "primary" })).toThrow(
      /test\/Gateway\/Again: name "gw-primary" is already used by another node pool/,
    );
    // "gw-" + 37 is exactly 40, GKE's limit.
    expect(cluster.addNodePool("AtLimit", { name: "x".repeat(37) })).toBeDefined();
    expect(() => cluster.addNodePool("Long", { name: "x".repeat(38) })).toThrow(
      /test\/Gateway\/Long: name "gw-x{38}" is 41 characters; google_container_node_pool\.name takes 1 to 40/,
    );
    expect(() => cluster.addNodePool("Bad", { name: "Pool_1" })).toThrow(/name "gw-Pool_1" does not match/);
  });
});
