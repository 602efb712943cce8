/**
 * Facts from the engines we deploy onto, each with the upstream source it was read from
 * (`owner/repo@version:path[:lines]`). The charts and sources cannot be fetched in CI, so these
 * are what the synth-time checks and the tests hold our output against. A pin bump in
 * `versions.ts` must re-read every fact of that pin from the new version's source.
 *
 * Plain data only: no logic here, so a reviewer can diff a pin bump line by line.
 */

/**
 * The Kong Helm chart at `VERSIONS.kongChart`: tag `kong-3.4.1` of Kong/charts (commit
 * 694d8dc4772eb1b47bb8ae674738b6b18d2fbbee); paths below are under `charts/kong/`.
 */
export const KONG_CHART_FACTS = {
  version: "3.4.1",
  /**
   * The Deployment's pod labels: `kong.metaLabels`, then `component: app`, `app`, `version`, then
   * the user's `podLabels` appended as more lines of the same map. A repeated key is a duplicate
   * YAML key; the API server keeps the last one, so a `podLabels` key overrides the chart's.
   * Kong/charts@kong-3.4.1:charts/kong/templates/deployment.yaml:60-68, templates/_helpers.tpl:28-38
   */
  podLabels: {
    /** In rendering order, with the values for release `kong` and image 3.9.1. */
    chartRendered: [
      ["app.kubernetes.io/name", "kong"],
      ["helm.sh/chart", "kong-3.4.1"],
      ["app.kubernetes.io/instance", "kong"],
      ["app.kubernetes.io/managed-by", "Helm"],
      ["app.kubernetes.io/version", "3.9"],
      ["app.kubernetes.io/component", "app"],
      ["app", "kong-kong"],
      ["version", "3.9"],
    ],
    /** `podLabels` lines follow the chart's (deployment.yaml:66-67). */
    userLabelsAppendedAfterChart: true,
  },
  /** Who selects the Kong pods, by which labels. */
  selectors: {
    /** `kong.selectorLabels` (_helpers.tpl:40-44), used by deployment.yaml:29-31 and the proxy Service (service-kong-proxy.yaml:8). */
    deployment: { "app.kubernetes.io/name": "kong", "app.kubernetes.io/component": "app", "app.kubernetes.io/instance": "kong" },
    proxyService: { "app.kubernetes.io/name": "kong", "app.kubernetes.io/component": "app", "app.kubernetes.io/instance": "kong" },
    /** `kong.metaLabels` plus `component: app` (pdb.yaml:23-26). */
    podDisruptionBudget: {
      "app.kubernetes.io/name": "kong",
      "helm.sh/chart": "kong-3.4.1",
      "app.kubernetes.io/instance": "kong",
      "app.kubernetes.io/managed-by": "Helm",
      "app.kubernetes.io/version": "3.9",
      "app.kubernetes.io/component": "app",
    },
  },
  /**
   * pdb.yaml:1-7 fails the render when a PDB is enabled and at most one pod may run: without
   * autoscaling at `replicaCount` <= 1, with autoscaling at `autoscaling.minReplicas` <= 1.
   */
  podDisruptionBudget: { smallestReplicaCount: 2, smallestAutoscalingMinReplicas: 2, maxUnavailableKey: "pdb.yaml:19-21" },
  /**
   * The chart's cert-manager Certificates, only rendered when the cluster serves
   * `cert-manager.io/v1` (certificate.yaml:1; mounts _helpers.tpl:771-794; env _helpers.tpl:1041-1053).
   */
  certManager: {
    requiredApiVersion: "cert-manager.io/v1",
    /** values.yaml:850-911: these are on unless turned off; portal and manager only with `enterprise.enabled`. */
    enabledByDefault: ["proxy", "admin", "portal", "cluster"],
    /** Each certificate's Secret is a required volume of the pod (_helpers.tpl:641-668): pods wait for it. */
    secretName: "kong-kong-<certificate>-cert",
    /** certificate.yaml:58 for release `kong`. */
    proxySecretName: "kong-kong-proxy-cert",
    /** _helpers.tpl:776-778 and 1050-1052. */
    proxyMountDir: "/etc/cert-manager/proxy/",
    /** certificate.yaml:61: `append .dnsNames .commonName`, so the common name must not be listed again. */
    commonNameAppendedToDnsNames: true,
  },
  /** `secretVolumes` entries are mounted at `/etc/secrets/<name>` (_helpers.tpl:807-810). */
  secretVolumesMountDir: "/etc/secrets/",
  /**
   * `env` is applied after the chart's own KONG_* variables and wins (`mergeOverwrite $autoEnv
   * $userEnv $customEnv`, _helpers.tpl:1252), so an `env.ssl_cert` overrides the chart's cert-manager path.
   */
  userEnvOverridesChartEnv: true,
  /** deploymentAnnotations land on the Deployment's own metadata (deployment.yaml:14-19), where Reloader reads them. */
  deploymentAnnotationsOnDeploymentMetadata: true,
  /**
   * The values keys we set, with where the chart reads them. A key outside these lists is one
   * the chart ignores (or a typo): the test fails on it.
   */
  valuesKeys: {
    /** Declared in values.yaml (line numbers at 3.4.1). */
    declared: {
      "image.repository": 150, "image.tag": 151, env: 108,
      "ingressController.enabled": 578, "dblessConfig.config": 553,
      "admin.enabled": 171, "admin.http.enabled": 186, "manager.enabled": 1212,
      "status.enabled": 236, "status.http.enabled": 239, "status.http.containerPort": 240,
      "proxy.enabled": 304, "proxy.type": 305, "proxy.loadBalancerSourceRanges": 311, "proxy.annotations": 316,
      "proxy.http.enabled": 328, "proxy.http.servicePort": 332, "proxy.http.containerPort": 333,
      "proxy.tls.enabled": 341, "proxy.tls.servicePort": 342, "proxy.tls.containerPort": 343, "proxy.tls.parameters": 349,
      "certificates.enabled": 837, "certificates.clusterIssuer": 847,
      "certificates.proxy.enabled": 851, "certificates.proxy.commonName": 858, "certificates.proxy.dnsNames": 860,
      "certificates.admin.enabled": 867, "certificates.manager.enabled": 882, "certificates.portal.enabled": 895, "certificates.cluster.enabled": 909,
      secretVolumes: 496,
      "deployment.serviceAccount.create": 45, "deployment.serviceAccount.automountServiceAccountToken": 49,
      securityContext: 1105, containerSecurityContext: 1112, resources: 943,
      "autoscaling.enabled": 1048, "autoscaling.minReplicas": 1049, "autoscaling.maxReplicas": 1050, "autoscaling.metrics": 1056,
      replicaCount: 1039, "podDisruptionBudget.enabled": 1066, podLabels: 1035, deploymentAnnotations: 1042,
      lifecycle: 999, terminationGracePeriodSeconds: 1011, "serviceMonitor.enabled": 1143,
    },
    /** Only commented out in values.yaml, read by the templates. */
    templateOnly: {
      customEnv: "templates/_helpers.tpl:1242-1246",
      "proxy.loadBalancerIP": "templates/_helpers.tpl:192-193",
      "proxy.externalTrafficPolicy": "templates/_helpers.tpl:269-270",
      "deployment.userDefinedVolumes": "templates/_helpers.tpl:593-596",
      "deployment.userDefinedVolumeMounts": "templates/_helpers.tpl:760-763",
      "podDisruptionBudget.maxUnavailable": "templates/pdb.yaml:19-21",
      topologySpreadConstraints: "templates/deployment.yaml:309-311",
    },
    /** Rendered whole (`toYaml` or a `range` over the map), so any key below them reaches the manifest. */
    passThrough: [
      "env", "customEnv", "podLabels", "deploymentAnnotations", "proxy.annotations", "securityContext",
      "containerSecurityContext", "resources", "lifecycle", "autoscaling.metrics", "topologySpreadConstraints",
      "deployment.userDefinedVolumes", "deployment.userDefinedVolumeMounts",
    ],
  },
} as const;

/**
 * Kong Gateway at `VERSIONS.kongImage`: tag `3.9.1` of Kong/kong (commit
 * b724fc7154de3a9971e33490097d5ea2c1bae93b).
 */
export const KONG_FACTS = {
  version: "3.9.1",
  /**
   * `kong quit --wait=W --timeout=T`: serves on for W seconds, sends nginx QUIT, waits up to T
   * seconds (default 10, at least 1) for it to exit, then stops it with TERM, cutting whatever
   * is still streaming. Kong/kong@3.9.1:kong/cmd/quit.lua:20-53, 71-72
   */
  quit: { defaultTimeoutSeconds: 10 },
  /**
   * kong.conf keys with these prefixes become nginx directives in that block, the rest of the key
   * being the directive (KONG_NGINX_MAIN_WORKER_SHUTDOWN_TIMEOUT → `worker_shutdown_timeout` in
   * the main block). Kong/kong@3.9.1:kong/conf_loader/constants.lua:113-127, kong/conf_loader/parse.lua:944-960,
   * kong/templates/nginx.lua:9-12, kong/templates/nginx_kong.lua:41-44
   */
  injectedNginxDirectivePrefixes: { main: "nginx_main_", http: "nginx_http_", proxy: "nginx_proxy_" },
  /**
   * Kong's own defaults: no request body limit in the http block, bodies over 8k buffered to a
   * file under the prefix, and no `worker_shutdown_timeout` (nginx then waits for every stream
   * after QUIT, until `kong quit` loses patience). Kong/kong@3.9.1:kong/templates/kong_defaults.lua:89-91, 117
   */
  defaults: { nginx_http_client_max_body_size: "0", client_body_buffer_size: "8k", nginx_main_worker_shutdown_timeout: undefined },
  /** request-size-limiting counts a megabyte as 2^20 bytes, as nginx's `m` suffix does. Kong/kong@3.9.1:kong/plugins/request-size-limiting/handler.lua:23-27 */
  requestSizeLimitingBytesPerMegabyte: 1048576,
  /** `ssl_cert` is written into nginx.conf as `ssl_certificate` and read when nginx starts. Kong/kong@3.9.1:kong/templates/nginx_kong.lua:120-124 */
  sslCertReadAtStart: true,
  /**
   * `lua_ssl_trusted_certificate` files are concatenated whole into one bundle, so a file may hold
   * several CA certificates. Kong/kong@3.9.1:kong/conf_loader/parse.lua:247-279, kong/cmd/utils/prefix_handler.lua:216-228
   */
  trustedCertificateFilesReadWhole: true,
  /**
   * Plugins run in descending priority; the ones we enable. Kong/kong@3.9.1:kong/plugins/<name>/handler.lua
   * (correlation-id:45, cors:20, jwt:18, request-size-limiting:11, rate-limiting:57, request-transformer:7,
   * response-transformer:16, prometheus:10).
   */
  pluginPriorities: {
    "correlation-id": 100001, cors: 2000, jwt: 1450, "request-size-limiting": 951, "rate-limiting": 910,
    "request-transformer": 801, "response-transformer": 800, prometheus: 13,
  },
  /**
   * Preflight handling in the access phase. cors answers (200, nothing proxied) an OPTIONS request
   * carrying Origin and Access-Control-Request-Method unless `preflight_continue`
   * (kong/plugins/cors/handler.lua:193-242). jwt lets every OPTIONS request through unauthenticated
   * when `run_on_preflight` is false (kong/plugins/jwt/handler.lua:306-310; schema default true).
   */
  preflight: {
    corsAnswersWhen: { method: "OPTIONS", headers: ["origin", "access-control-request-method"], unlessConfig: "preflight_continue" },
    jwtSkipsWhen: { method: "OPTIONS", configFalse: "run_on_preflight" },
  },
  /**
   * Config fields of each plugin we enable, nested records as objects.
   * Kong/kong@3.9.1:kong/plugins/jwt/schema.lua:12-47, rate-limiting/schema.lua:80-98 (redis:
   * kong/tools/redis/schema.lua:9-33), correlation-id/schema.lua:11-14,
   * request-size-limiting/schema.lua:15-17, request-transformer/schema.lua:65-136,
   * response-transformer/schema.lua:40-93, prometheus/schema.lua:19-24, cors/schema.lua:34-50
   */
  pluginConfigFields: {
    jwt: ["uri_param_names", "cookie_names", "key_claim_name", "secret_is_base64", "claims_to_verify", "anonymous", "run_on_preflight", "maximum_expiration", "header_names", "realm"],
    "rate-limiting": [
      "second", "minute", "hour", "day", "month", "year", "limit_by", "header_name", "path", "policy", "fault_tolerant",
      { redis: ["host", "port", "timeout", "username", "password", "database", "ssl", "ssl_verify", "server_name"] },
      "hide_client_headers", "error_code", "error_message", "sync_rate",
    ],
    "correlation-id": ["header_name", "generator", "echo_downstream"],
    "request-size-limiting": ["allowed_payload_size", "size_unit", "require_content_length"],
    "request-transformer": [
      "http_method",
      { remove: ["body", "headers", "querystring"] },
      { rename: ["body", "headers", "querystring"] },
      { replace: ["body", "headers", "querystring", "uri"] },
      { add: ["body", "headers", "querystring"] },
      { append: ["body", "headers", "querystring"] },
    ],
    "response-transformer": [
      { remove: ["json", "headers"] },
      { rename: ["json", "headers"] },
      { replace: ["json", "json_types", "headers"] },
      { add: ["json", "json_types", "headers"] },
      { append: ["json", "json_types", "headers"] },
    ],
    prometheus: ["per_consumer", "status_code_metrics", "ai_metrics", "latency_metrics", "bandwidth_metrics", "upstream_health_metrics"],
    cors: ["origins", "headers", "exposed_headers", "methods", "max_age", "credentials", "private_network", "preflight_continue"],
  },
  /**
   * Entity fields (declarative config also takes children nested under their parent) and what
   * must be unique across the whole config; a violation rejects the entire configuration.
   * Kong/kong@3.9.1:kong/db/schema/entities/services.lua:29-48 (`url` shorthand 76-100),
   * routes.lua:149-202, consumers.lua:10-29, plugins.lua:8 (cache_key), 17-28,
   * kong/plugins/jwt/daos.lua:17-48, uniqueness in kong/db/schema/others/declarative_config.lua:386-430
   * (unique endpoint keys) and 576-579 (ids from cache keys).
   */
  entities: {
    services: {
      fields: ["id", "created_at", "updated_at", "name", "retries", "protocol", "host", "port", "path", "connect_timeout", "write_timeout", "read_timeout", "tags", "client_certificate", "tls_verify", "tls_verify_depth", "ca_certificates", "enabled", "url", "routes", "plugins"],
      unique: [["name"]],
    },
    routes: {
      fields: ["id", "created_at", "updated_at", "name", "protocols", "https_redirect_status_code", "strip_path", "preserve_host", "request_buffering", "response_buffering", "tags", "service", "snis", "sources", "destinations", "methods", "hosts", "paths", "headers", "regex_priority", "path_handling", "plugins"],
      unique: [["name"]],
    },
    consumers: {
      fields: ["id", "created_at", "updated_at", "username", "custom_id", "tags", "jwt_secrets", "plugins"],
      unique: [["username"], ["custom_id"]],
    },
    jwt_secrets: {
      fields: ["id", "created_at", "consumer", "key", "secret", "rsa_public_key", "algorithm", "tags"],
      unique: [["key"]],
    },
    plugins: {
      fields: ["id", "name", "instance_name", "created_at", "updated_at", "route", "service", "consumer", "config", "protocols", "enabled", "tags"],
      unique: [["instance_name"], ["name", "route", "service", "consumer"]],
    },
  },
} as const;

/** LiteLLM at `VERSIONS.liteLlmImage`. */
export const LITELLM_FACTS = {
  version: "1.80.12",
} as const;

/** kube-prometheus-stack at `VERSIONS.kubePrometheusStackChart`. */
export const KUBE_PROMETHEUS_STACK_FACTS = {
  version: "88.5.3",
} as const;

/** hashicorp/terraform-provider-google at the version @cdktf/provider-google 16.12.1 binds. */
export const GOOGLE_PROVIDER_FACTS = {
  version: "6.50.0",
  /**
   * Name limits of every resource we name, as the provider (or, where the provider does not check,
   * the API) enforces them. `pattern` is anchored; `maxLength` is the longest accepted name.
   */
  names: {
    google_service_account: {
      field: "account_id", minLength: 6, maxLength: 30, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/resourcemanager/resource_google_service_account.go:73 (ValidateRFC1035Name(6, 30))",
    },
    google_container_cluster: {
      field: "name", minLength: 1, maxLength: 40, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:277-297",
    },
    google_container_node_pool: {
      field: "name", minLength: 1, maxLength: 40, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "not checked by the provider (hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_node_pool.go:339-345); the GKE API refuses names outside (?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)",
    },
    google_compute_network: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_network.go:65 (ValidateGCEName, google/verify/validation.go:103-106)",
    },
    google_compute_subnetwork: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_subnetwork.go:132 (ValidateGCEName)",
    },
    google_compute_router: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_router.go:83 (ValidateGCEName)",
    },
    google_compute_router_nat: {
      field: "name", minLength: 2, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_router_nat.go:222 (ValidateRFC1035Name(2, 63))",
    },
    google_compute_address: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_address.go:64",
    },
    google_compute_global_address: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "not checked by the provider; its description (hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_global_address.go:60-70) states RFC 1035, 1-63 characters",
    },
    google_redis_instance: {
      field: "name", minLength: 2, maxLength: 41, pattern: "^[a-z][a-z0-9-]{0,39}[a-z0-9]$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/redis/resource_redis_instance.go:113",
    },
    google_secret_manager_secret: {
      field: "secret_id", minLength: 1, maxLength: 255, pattern: "^[a-zA-Z0-9_-]+$",
      source: "not checked by the provider; googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/secretmanager/v1/service.proto:367-372",
    },
    google_artifact_registry_repository: {
      field: "repository_id", minLength: 1, maxLength: 63, pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "not checked by the provider (hashicorp/terraform-provider-google@v6.50.0:google/services/artifactregistry/resource_artifact_registry_repository.go:216-222); https://cloud.google.com/artifact-registry/docs/repositories/create-repos (lowercase letters, digits, hyphens; start with a letter; at most 63)",
    },
    google_kms_key_ring: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-zA-Z0-9_-]+$",
      source: "not checked by the provider; googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/kms/v1/service.proto:920-922",
    },
    google_kms_crypto_key: {
      field: "name", minLength: 1, maxLength: 63, pattern: "^[a-zA-Z0-9_-]+$",
      source: "not checked by the provider; googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/kms/v1/service.proto:941-943",
    },
  },
  /** `security_posture_config.vulnerability_mode` values the provider accepts (it does not know which GKE still serves). */
  vulnerabilityModes: {
    values: ["VULNERABILITY_DISABLED", "VULNERABILITY_BASIC", "VULNERABILITY_ENTERPRISE", "VULNERABILITY_MODE_UNSPECIFIED"],
    source: "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:1170-1177",
  },
  /** `control_plane_endpoints_config.dns_endpoint_config { endpoint (computed), allow_external_traffic }`; the data source copies the resource schema. */
  dnsEndpointConfig: {
    source: "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:1709-1737; data_source_google_container_cluster.go:27-29",
  },
  /** google_service_networking_connection.deletion_policy accepts "ABANDON" (or empty); ABANDON skips the delete call. */
  serviceNetworkingDeletionPolicy: {
    values: ["ABANDON", ""],
    source: "hashicorp/terraform-provider-google@v6.50.0:google/services/servicenetworking/resource_service_networking_connection.go:78-83, 294-297",
  },
  /**
   * google_project_service_identity is beta-only: the GA file is an empty package and
   * @cdktf/provider-google 16.12.1 has no binding, so the GKE service agent cannot be created explicitly.
   */
  projectServiceIdentity: {
    availableInGa: false,
    source: "hashicorp/terraform-provider-google@v6.50.0:google/services/resourcemanager/resource_project_service_identity.go; website/docs/r/project_service_identity.html.markdown:21-22",
  },
} as const;

/** The GKE API's own rules, which the provider does not check at plan time. */
export const GKE_FACTS = {
  /** A maintenance window must leave this much availability in every rolling window of `rollingWindowDays`. */
  maintenanceWindow: {
    minimumAvailabilityHours: 48,
    rollingWindowDays: 32,
    /** Shorter contiguous windows do not count towards the 48 hours. */
    minimumContiguousHours: 4,
    /** FREQ=HOURLY, MINUTELY and SECONDLY are refused; day-of-week recurrences are evaluated in UTC. */
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window#considerations (\"You must allow at least 48 hours of maintenance availability in a 32-day rolling window. Only contiguous availability windows of at least four hours are considered.\"); googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/container/v1/cluster_service.proto:5659-5697",
  },
  /**
   * Workload vulnerability scanning: the standard tier (VULNERABILITY_BASIC) was shut down on
   * 2025-07-31 and Advanced Vulnerability Insights (VULNERABILITY_ENTERPRISE) is GKE Enterprise only
   * (deprecated for Standard 2025-06-16, results removed 2026-06-16).
   */
  vulnerabilityScanning: {
    retired: ["VULNERABILITY_BASIC"],
    enterpriseEditionOnly: ["VULNERABILITY_ENTERPRISE"],
    source: "https://cloud.google.com/kubernetes-engine/docs/deprecations/vulnerability-scanning-gkee",
  },
  /** The Workload Identity pool `<project>.svc.id.goog` is created with the project's first Workload Identity cluster. */
  workloadIdentityPool: {
    createdWith: "the first cluster with workload_identity_config",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#enable_on_clusters_and_node_pools",
  },
  /** The GKE service agent, which must hold roles/cloudkms.cryptoKeyEncrypterDecrypter on the key before the cluster uses it. */
  serviceAgent: {
    member: "serviceAccount:service-<project number>@container-engine-robot.iam.gserviceaccount.com",
    createdWith: "enabling container.googleapis.com",
    kmsRole: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets#grant_permission_to_use_the_key",
  },
  /** The DNS-based control plane endpoint is authorized by IAM, not by source address. */
  dnsEndpoint: {
    permission: "container.clusters.connect",
    source: "https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation#dns-based_endpoint",
  },
  /** GCS bucket names (for the Terraform state bucket). */
  bucketNames: {
    minLength: 3,
    maxLength: 63,
    /** With dots a name may reach 222 characters, each dot-separated part at most 63. */
    maxLengthWithDots: 222,
    pattern: "^[a-z0-9][a-z0-9._-]*[a-z0-9]$",
    forbiddenPrefix: "goog",
    forbiddenSubstring: "google",
    source: "https://cloud.google.com/storage/docs/buckets#naming",
  },
} as const;

/** What checkov's Terraform checks for pods and deployments evaluate. */
const TF_POD_AND_DEPLOYMENT = ["kubernetes_pod", "kubernetes_pod_v1", "kubernetes_deployment", "kubernetes_deployment_v1"] as const;

/** checkov's Terraform checks that POLICIES.md maps rules to. */
export const CHECKOV_FACTS = {
  version: "3.3.13",
  commit: "0604e97b0f77c89a8c6c1fe2219c3d251cbb9789",
  /**
   * Every checkov id a policy rule cites: the check's file at `version` (`path:id line,supported_resources line`)
   * and the Terraform resource types it evaluates (graph checks: the types it connects, too).
   */
  checks: {
    CKV_GCP_1: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEClusterLogging.py:10,11", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_7: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEDisableLegacyAuth.py:8,9", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_8: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMonitoringEnabled.py:8,9", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_9: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENodePoolAutoRepairEnabled.py:8,9", resourceTypes: ["google_container_node_pool"] },
    CKV_GCP_10: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENodePoolAutoUpgradeEnabled.py:8,9", resourceTypes: ["google_container_node_pool"] },
    CKV_GCP_12: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENetworkPolicyEnabled.py:8,9", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_13: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEClientCertificateDisabled.py:8,9", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_18: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPublicControlPlane.py:8,9", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_20: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMasterAuthorizedNetworksEnabled.py:9,10", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_21: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEHasLabels.py:9,10", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_23: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEAliasIpEnabled.py:9,10", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_25: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPrivateClusterConfig.py:11,12", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_64: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPrivateNodes.py:9,10", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_68: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKESecureBootforShieldedNodes.py:8,9", resourceTypes: ["google_container_cluster", "google_container_node_pool"] },
    CKV_GCP_69: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMetadataServerIsEnabled.py:9,10", resourceTypes: ["google_container_cluster", "google_container_node_pool"] },
    CKV_GCP_70: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEReleaseChannel.py:9,10", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_71: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEEnableShieldedNodes.py:12,13", resourceTypes: ["google_container_cluster"] },
    CKV_GCP_72: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEEnsureIntegrityMonitoring.py:10,11", resourceTypes: ["google_container_cluster", "google_container_node_pool"] },
    CKV_GCP_123: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEDontUseNodePools.py:21,22", resourceTypes: ["google_container_cluster"] },
    CKV_K8S_8: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/LivenessProbe.py:11,12", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_9: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ReadinessProbe.py:11,12", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_10: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/CPURequests.py:8,9", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_11: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/CPULimits.py:12,13", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_12: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MemoryLimits.py:8,9", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_13: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MemoryRequests.py:8,9", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_14: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ImageTagFixed.py:14,15", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_16: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/PrivilegedContainer.py:11,13", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_20: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/AllowPrivilegeEscalation.py:16,17", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_21: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/DefaultNamespace.py:9,10", resourceTypes: ["kubernetes_pod", "kubernetes_pod_v1", "kubernetes_deployment", "kubernetes_deployment_v1", "kubernetes_daemonset", "kubernetes_daemon_set_v1", "kubernetes_stateful_set", "kubernetes_stateful_set_v1", "kubernetes_replication_controller", "kubernetes_replication_controller_v1", "kubernetes_job", "kubernetes_job_v1", "kubernetes_cron_job", "kubernetes_cron_job_v1", "kubernetes_service", "kubernetes_service_v1", "kubernetes_secret", "kubernetes_secret_v1", "kubernetes_service_account", "kubernetes_service_account_v1", "kubernetes_role_binding", "kubernetes_role_binding_v1", "kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_ingress", "kubernetes_ingress_v1"] },
    CKV_K8S_22: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ReadonlyRootFilesystem.py:9,11", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_25: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/AllowedCapabilities.py:13,15", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_28: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/DropCapabilities.py:12,14", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_35: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/Secrets.py:10,12", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_37: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MinimiseCapabilities.py:10,12", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV_K8S_43: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ImageDigest.py:17,18", resourceTypes: TF_POD_AND_DEPLOYMENT },
    CKV2_GCP_1: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/graph_checks/gcp/GKEClustersAreNotUsingDefaultServiceAccount.yaml:2,7-23", resourceTypes: ["google_project_default_service_accounts", "google_container_node_pool", "google_container_cluster"] },
    CKV2_GCP_19: { file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/graph_checks/gcp/GCPdisableAlphaClusterFeatureInKubernetesEngineClusters.yaml:2,8", resourceTypes: ["google_container_cluster"] },
  },
  /** Ids that exist only for Kubernetes manifests (`--framework kubernetes/helm`), never for Terraform resources; not citable. */
  manifestOnly: {
    CKV_K8S_23: "bridgecrewio/checkov@3.3.13:checkov/kubernetes/checks/resource/k8s/RootContainers.py:18",
    CKV_K8S_31: "bridgecrewio/checkov@3.3.13:checkov/kubernetes/checks/resource/k8s/Seccomp.py:16",
    CKV_K8S_38: "bridgecrewio/checkov@3.3.13:checkov/kubernetes/checks/resource/k8s/ServiceAccountTokens.py:18",
    CKV_K8S_40: "bridgecrewio/checkov@3.3.13:checkov/kubernetes/checks/resource/k8s/RootContainersHighUID.py:16",
  },
} as const;

/** cdktf-cli 0.21, the final release. */
export const CDKTF_CLI_FACTS = {
  version: "0.21.0",
  deploy: {
    /**
     * `cdktf deploy <stack>` throws "The following dependencies are not included in the stacks
     * to run" unless every dependency is in the same run or this flag is given.
     * hashicorp/terraform-cdk@v0.21.0:packages/@cdktf/cli-core/src/lib/helpers/stack-helpers.ts
     * (checkIfAllDependenciesAreIncluded), called from cdktf-project.ts deploy().
     */
    ignoreDependenciesFlag: "--ignore-missing-stack-dependencies",
  },
  synth: {
    /**
     * The only options of `cdktf synth`; anything else (e.g. `--context`) is ignored.
     * hashicorp/terraform-cdk@v0.21.0:packages/cdktf-cli/src/bin/cmds/synth.ts (builder).
     */
    options: ["app", "output", "check-code-maker-output", "hcl"],
    /**
     * The CLI passes cdktf.json's `context` to the app in this variable; a plain
     * `node dist/main.js` does not get it.
     * hashicorp/terraform-cdk@v0.21.0:packages/@cdktf/cli-core/src/lib/synth-stack.ts,
     * packages/@cdktf/commons/src/config.ts (CONTEXT_ENV).
     */
    contextEnv: "CDKTF_CONTEXT_JSON",
  },
} as const;
