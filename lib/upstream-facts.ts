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
} as const;

/** The GKE API's own rules, which the provider does not check at plan time. */
export const GKE_FACTS = {
} as const;

/** checkov's Terraform checks that POLICIES.md maps rules to. */
export const CHECKOV_FACTS = {
} as const;

/** cdktf-cli 0.21, the final release. */
export const CDKTF_CLI_FACTS = {
  version: "0.21.0",
} as const;
