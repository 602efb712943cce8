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
   * The container env: `env.<key>` becomes `KONG_<KEY>`, `customEnv.<key>` becomes `<KEY>` (no
   * prefix), map values (valueFrom) are rendered as given, and the whole list is sorted by name,
   * so a `$(VAR)` in a value expands only when VAR sorts before it (the kubelet expands references
   * to variables defined earlier in the list; kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables).
   * Kong/charts@kong-3.4.1:charts/kong/templates/_helpers.tpl:1226-1254, 1261-1283
   */
  env: { userPrefix: "KONG_", customPrefix: "", sortedByName: true },
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
      "image.repository": 150,
      "image.tag": 151,
      env: 108,
      "ingressController.enabled": 578,
      "dblessConfig.config": 553,
      "admin.enabled": 171,
      "admin.http.enabled": 186,
      "manager.enabled": 1212,
      "status.enabled": 236,
      "status.http.enabled": 239,
      "status.http.containerPort": 240,
      "proxy.enabled": 304,
      "proxy.type": 305,
      "proxy.loadBalancerSourceRanges": 311,
      "proxy.annotations": 316,
      "proxy.http.enabled": 328,
      "proxy.http.servicePort": 332,
      "proxy.http.containerPort": 333,
      "proxy.tls.enabled": 341,
      "proxy.tls.servicePort": 342,
      "proxy.tls.containerPort": 343,
      "proxy.tls.parameters": 349,
      "certificates.enabled": 837,
      "certificates.clusterIssuer": 847,
      "certificates.proxy.enabled": 851,
      "certificates.proxy.commonName": 858,
      "certificates.proxy.dnsNames": 860,
      "certificates.admin.enabled": 867,
      "certificates.manager.enabled": 882,
      "certificates.portal.enabled": 895,
      "certificates.cluster.enabled": 909,
      secretVolumes: 496,
      "deployment.serviceAccount.create": 45,
      "deployment.serviceAccount.automountServiceAccountToken": 49,
      securityContext: 1105,
      containerSecurityContext: 1112,
      resources: 943,
      "autoscaling.enabled": 1048,
      "autoscaling.minReplicas": 1049,
      "autoscaling.maxReplicas": 1050,
      "autoscaling.metrics": 1056,
      replicaCount: 1039,
      "podDisruptionBudget.enabled": 1066,
      podLabels: 1035,
      deploymentAnnotations: 1042,
      podAnnotations: 1030,
      lifecycle: 999,
      terminationGracePeriodSeconds: 1011,
      "serviceMonitor.enabled": 1143,
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
      "deployment.serviceAccount.name": "values.yaml:51 (commented), templates/_helpers.tpl:59-65",
      "deployment.serviceAccount.annotations": "values.yaml:52 (commented), templates/service-account.yaml:6-11",
    },
    /** Rendered whole (`toYaml` or a `range` over the map), so any key below them reaches the manifest. */
    passThrough: [
      "env",
      "customEnv",
      "podLabels",
      "deploymentAnnotations",
      "proxy.annotations",
      "securityContext",
      "containerSecurityContext",
      "resources",
      "lifecycle",
      "autoscaling.metrics",
      "topologySpreadConstraints",
      "deployment.userDefinedVolumes",
      "deployment.userDefinedVolumeMounts",
      "podAnnotations",
      "deployment.serviceAccount.annotations",
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
   * Kong keeps an idle upstream (gateway-app) connection open up to `upstream_keepalive_idle_timeout`
   * seconds and reuses it within that time, so the upstream's own keep-alive must last longer; we
   * do not set the key, so the default applies. Kong/kong@3.9.1:kong/templates/kong_defaults.lua:77,
   * kong/init.lua:1432-1440 (balancer enable_keepalive), kong.conf.default:1006-1016
   */
  upstreamKeepalive: { idleTimeoutSeconds: 60 },
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
  /**
   * request-size-limiting counts a megabyte as 2^20 bytes, as nginx's `m` suffix does.
   * Kong/kong@3.9.1:kong/plugins/request-size-limiting/handler.lua:23-27
   */
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
    "correlation-id": 100001,
    cors: 2000,
    jwt: 1450,
    "request-size-limiting": 951,
    "rate-limiting": 910,
    "request-transformer": 801,
    "response-transformer": 800,
    prometheus: 13,
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
   * The jwt plugin with `anonymous` set (a consumer UUID or username, schema.lua:33, resolved by
   * kong/pdk/client.lua:184-211): every failed authentication, whether no token, a token that is no
   * JWT (an API key), a bad signature or an expired JWT, lets the request on as that consumer
   * (handler.lua:283-293, 312-316); without it, each is a 401 (handler.lua:298-303). set_consumer
   * sets or clears X-Consumer-ID, -Custom-ID, -Username and X-Credential-Identifier, and sets
   * X-Anonymous-Consumer: true for the anonymous consumer, clearing it for a real credential
   * (handler.lua:110-147, kong/constants.lua:116-127). The plugin never removes the Authorization
   * header, so the backend receives the key. Kong/kong@3.9.1:kong/plugins/jwt/
   */
  jwtAnonymous: {
    continuesOnFailure: ["no token", "not a JWT", "bad signature", "expired"],
    setHeaders: { "X-Anonymous-Consumer": "true" },
    clearedHeaders: ["X-Credential-Identifier"],
    keepsAuthorizationHeader: true,
  },
  /**
   * A plugin's instance is looked up when the access phase reaches it, with the consumer that an
   * earlier (higher-priority) auth plugin set: consumer-scoped instances win over global ones.
   * rate-limiting may be scoped to a consumer (its schema has no `no_consumer`, unlike jwt's).
   * Kong/kong@3.9.1:kong/runloop/plugins_iterator.lua:215-267 (lookup order), 283-290, 372-411;
   * kong/plugins/rate-limiting/schema.lua:75-76, kong/plugins/jwt/schema.lua:7
   */
  pluginScoping: {
    lookupOrder: ["route+service+consumer", "route+consumer", "service+consumer", "route+service", "consumer", "route", "service", "global"],
    rateLimitingTakesConsumerScope: true,
  },
  /**
   * What a rate-limiting counter is keyed on: `consumer` the consumer's id, `ip` the client
   * address nginx saw (remote_addr, which trusted_ips alone could replace with X-Forwarded-For),
   * `header` the header's raw value, written into the Redis key `ratelimit:<route>:<service>:<identifier>:<date>:<period>`.
   * Kong/kong@3.9.1:kong/plugins/rate-limiting/handler.lua:60-86, kong/pdk/client.lua:92-96,
   * kong/plugins/rate-limiting/policies/init.lua:68-73
   */
  rateLimitingIdentifier: {
    consumer: "consumer id",
    ip: "remote_addr",
    header: "raw header value",
    redisKey: "ratelimit:%s:%s:%s:%s:%s",
  },
  /**
   * The answer headers rate-limiting sets unless `hide_client_headers`: per period
   * X-RateLimit-Limit-<Period> and X-RateLimit-Remaining-<Period>, for the limit closest to
   * running out RateLimit-Limit, -Remaining and -Reset, and Retry-After on its own 429 only. It
   * sets them in the access phase, before the upstream answers, and nginx then adds an upstream's
   * headers of the same names beside them rather than replacing them (Kong/kong#14353, reported on 3.9.0).
   * Kong/kong@3.9.1:kong/plugins/rate-limiting/handler.lua:28-49, 155-204; kong/pdk/private/rate_limiting.lua:97-107
   */
  rateLimitingAnswerHeaders: {
    closestLimit: ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    perPeriodPrefixes: ["X-RateLimit-Limit-", "X-RateLimit-Remaining-"],
    onItsOwnRefusal: ["Retry-After"],
    setInPhase: "access",
  },
  /**
   * How a secret header can reach the backend. request-transformer has no referenceable field
   * (no `referenceable = true` in its schema), so a vault reference in `add.headers` is sent as
   * written; kong.conf values, by contrast, are dereferenced at start. `nginx_location_*` keys
   * become directives of the proxy's `location /` (the one buffered routes proxy from; routes with
   * request or response buffering off go through `@unbuffered*` locations, which get none).
   * Kong/kong@3.9.1:kong/plugins/request-transformer/schema.lua:49-140, kong/conf_loader/init.lua:401-430,
   * kong/conf_loader/constants.lua:145-149, kong/templates/nginx_kong.lua:162-213
   */
  edgeToken: {
    requestTransformerReferenceableFields: [],
    locationDirectivePrefix: "nginx_location_",
    injectedInto: "location /",
  },
  /**
   * correlation-id: the generators the schema accepts (its default, "uuid#counter", makes
   * `<worker uuid>#<counter>`), and a request that already carries the header keeps its value,
   * the client's included; only an absent or empty header gets a generated id.
   * Kong/kong@3.9.1:kong/plugins/correlation-id/schema.lua:11-14, handler.lua:20-37 (generators), 56-64
   */
  correlationId: {
    generators: ["uuid", "uuid#counter", "tracker"],
    defaultGenerator: "uuid#counter",
    defaultHeaderName: "Kong-Request-ID",
    keepsIncomingValue: true,
  },
  /**
   * Config fields of each plugin we enable, nested records as objects.
   * Kong/kong@3.9.1:kong/plugins/jwt/schema.lua:12-47, rate-limiting/schema.lua:80-98 (redis:
   * kong/tools/redis/schema.lua:9-33), correlation-id/schema.lua:11-14,
   * request-size-limiting/schema.lua:15-17, request-transformer/schema.lua:65-136,
   * response-transformer/schema.lua:40-93, prometheus/schema.lua:19-24, cors/schema.lua:34-50
   */
  pluginConfigFields: {
    jwt: [
      "uri_param_names",
      "cookie_names",
      "key_claim_name",
      "secret_is_base64",
      "claims_to_verify",
      "anonymous",
      "run_on_preflight",
      "maximum_expiration",
      "header_names",
      "realm",
    ],
    "rate-limiting": [
      "second",
      "minute",
      "hour",
      "day",
      "month",
      "year",
      "limit_by",
      "header_name",
      "path",
      "policy",
      "fault_tolerant",
      { redis: ["host", "port", "timeout", "username", "password", "database", "ssl", "ssl_verify", "server_name"] },
      "hide_client_headers",
      "error_code",
      "error_message",
      "sync_rate",
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
    /** Kong/kong@3.9.1:kong/plugins/opentelemetry/schema.lua:31-117; propagation: kong/observability/tracing/propagation/schema.lua:19-62 */
    opentelemetry: [
      "traces_endpoint",
      "logs_endpoint",
      "headers",
      "resource_attributes",
      "queue",
      "batch_span_count",
      "batch_flush_delay",
      "connect_timeout",
      "send_timeout",
      "read_timeout",
      "http_response_header_for_traceid",
      "header_type",
      "sampling_rate",
      { propagation: ["extract", "clear", "inject", "default_format"] },
    ],
  },
  /**
   * kong.conf's tracing keys (set through the chart's `env` as KONG_*). With `tracing_instrumentations`
   * off (its default) the opentelemetry plugin creates a propagation-only root span and never samples
   * (kong/plugins/opentelemetry/traces.lua:25-37, kong/pdk/tracing.lua:601-622); `request` is the
   * request-level span. The plugin's `sampling_rate` supersedes `tracing_sampling_rate` (default 0.01).
   * Propagation formats: w3c among kong/observability/tracing/propagation/utils.lua FORMATS.
   * Kong/kong@3.9.1:kong.conf.default:91-115, kong/plugins/opentelemetry/schema.lua:82-88
   */
  tracing: {
    confKeys: ["tracing_instrumentations", "tracing_sampling_rate"],
    instrumentations: "request",
    instrumentationValues: [
      "off",
      "request",
      "all",
      "db_query",
      "dns_query",
      "router",
      "http_client",
      "balancer",
      "plugin_rewrite",
      "plugin_access",
      "plugin_header_filter",
    ],
    defaultSamplingRate: 0.01,
    propagationFormat: "w3c",
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
      fields: [
        "id",
        "created_at",
        "updated_at",
        "name",
        "retries",
        "protocol",
        "host",
        "port",
        "path",
        "connect_timeout",
        "write_timeout",
        "read_timeout",
        "tags",
        "client_certificate",
        "tls_verify",
        "tls_verify_depth",
        "ca_certificates",
        "enabled",
        "url",
        "routes",
        "plugins",
      ],
      unique: [["name"]],
    },
    routes: {
      fields: [
        "id",
        "created_at",
        "updated_at",
        "name",
        "protocols",
        "https_redirect_status_code",
        "strip_path",
        "preserve_host",
        "request_buffering",
        "response_buffering",
        "tags",
        "service",
        "snis",
        "sources",
        "destinations",
        "methods",
        "hosts",
        "paths",
        "headers",
        "regex_priority",
        "path_handling",
        "plugins",
      ],
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

/**
 * LiteLLM at `VERSIONS.liteLlmImage`. Read from CartoDB/litellm (a fork carrying BerriAI's history, without tags) at
 * dd24252a9f, the "bump: version 1.80.11 → 1.80.12" commit; none of the files cited changed before the bump to 1.80.13
 * (3e066db0b5) except `proxy/_types.py` (+6 lines after the ones cited).
 */
export const LITELLM_FACTS = {
  version: "1.80.12",
  source: "CartoDB/litellm@dd24252a9f2dd991372f682636f27c091ab2780a",
  /** Keys of the proxy's config.yaml, per section: a key outside these is silently dropped or never read. */
  configKeys: {
    /** Router.__init__ parameters; the proxy passes on only these and drops every other key without a word. */
    routerSettings: {
      source:
        "CartoDB/litellm@dd24252a9f:litellm/router.py:209-291 (Router.__init__), litellm/proxy/proxy_server.py:2684-2699 " +
        "(inspect.getfullargspec filter)",
      keys: [
        "assistants_config",
        "guardrail_list",
        "redis_url",
        "redis_host",
        "redis_port",
        "redis_password",
        "cache_responses",
        "cache_kwargs",
        "caching_groups",
        "client_ttl",
        "polling_interval",
        "default_priority",
        "num_retries",
        "max_fallbacks",
        "timeout",
        "stream_timeout",
        "default_litellm_params",
        "default_max_parallel_requests",
        "set_verbose",
        "debug_level",
        "default_fallbacks",
        "fallbacks",
        "context_window_fallbacks",
        "content_policy_fallbacks",
        "model_group_alias",
        "enable_pre_call_checks",
        "enable_tag_filtering",
        "retry_after",
        "retry_policy",
        "model_group_retry_policy",
        "allowed_fails",
        "allowed_fails_policy",
        "cooldown_time",
        "disable_cooldowns",
        "routing_strategy",
        "optional_pre_call_checks",
        "routing_strategy_args",
        "provider_budget_config",
        "alerting_config",
        "router_general_settings",
        "ignore_invalid_deployments",
      ],
    },
    /**
     * The proxy special-cases a few keys and `setattr(litellm, key, value)`s every other one, so a key is only
     * meaningful when it names a module attribute of `litellm` (assignments and the constants it imports).
     */
    litellmSettings: {
      source: "CartoDB/litellm@dd24252a9f:litellm/proxy/proxy_server.py:2202-2465 (load_config), litellm/__init__.py (module attributes)",
      keys: [
        "aclient_session",
        "adapters",
        "add_function_to_prompt",
        "add_user_information_to_llm_headers",
        "ai21_chat_models",
        "ai21_key",
        "ai21_models",
        "aiml_models",
        "aiohttp_trust_env",
        "aleph_alpha_key",
        "aleph_alpha_models",
        "all_embedding_models",
        "allow_dynamic_callback_disabling",
        "allowed_fails",
        "amazon_nova_api_key",
        "amazon_nova_models",
        "anthropic_key",
        "anthropic_models",
        "anyscale_models",
        "api_base",
        "api_key",
        "api_version",
        "argilla_batch_size",
        "argilla_transformation_object",
        "assemblyai_models",
        "aws_polly_models",
        "aws_sqs_callback_params",
        "azure_ai_models",
        "azure_anthropic_models",
        "azure_embedding_models",
        "azure_key",
        "azure_llms",
        "azure_models",
        "azure_text_models",
        "banned_keywords_list",
        "baseten_key",
        "baseten_models",
        "bedrock_converse_models",
        "bedrock_embedding_models",
        "bedrock_models",
        "blocked_user_list",
        "budget_duration",
        "bytez_key",
        "cache",
        "cache_params",
        "caching",
        "caching_with_models",
        "callback_settings",
        "callbacks",
        "cerebras_models",
        "check_provider_endpoint",
        "clarifai_key",
        "clarifai_models",
        "client_session",
        "cloudflare_api_key",
        "cloudflare_models",
        "codestral_models",
        "cohere_chat_models",
        "cohere_embedding_models",
        "cohere_key",
        "cohere_models",
        "cold_storage_custom_logger",
        "cometapi_key",
        "cometapi_models",
        "common_cloud_provider_auth_params",
        "config_path",
        "content_policy_fallbacks",
        "context_window_fallbacks",
        "cost_discount_config",
        "cost_margin_config",
        "credential_list",
        "custom_prometheus_metadata_labels",
        "custom_prometheus_tags",
        "custom_prompt_dict",
        "custom_provider_map",
        "dashscope_models",
        "databricks_key",
        "databricks_models",
        "datadog_llm_observability_params",
        "datadog_params",
        "datadog_use_v1",
        "datarobot_key",
        "datarobot_models",
        "deepgram_models",
        "deepinfra_models",
        "deepseek_models",
        "default_fallbacks",
        "default_in_memory_ttl",
        "default_internal_user_params",
        "default_key_generate_params",
        "default_max_internal_user_budget",
        "default_redis_batch_cache_expiry",
        "default_redis_ttl",
        "default_soft_budget",
        "default_team_params",
        "default_team_settings",
        "disable_add_prefix_to_prompt",
        "disable_add_transform_inline_image_block",
        "disable_add_user_agent_to_request_tags",
        "disable_aiohttp_transport",
        "disable_aiohttp_trust_env",
        "disable_copilot_system_to_assistant",
        "disable_end_user_cost_tracking",
        "disable_end_user_cost_tracking_prometheus_only",
        "disable_hf_tokenizer_download",
        "disable_streaming_logging",
        "disable_token_counter",
        "docker_model_runner_models",
        "drop_params",
        "dynamodb_table_name",
        "elevenlabs_models",
        "email",
        "empower_models",
        "enable_azure_ad_token_refresh",
        "enable_caching_on_provider_specific_optional_params",
        "enable_end_user_cost_tracking_prometheus_only",
        "enable_json_schema_validation",
        "enable_loadbalancing_on_batch_endpoints",
        "enable_preview_features",
        "error_logs",
        "extra_spend_tag_headers",
        "failure_callback",
        "fal_ai_models",
        "fallbacks",
        "featherless_ai_models",
        "filter_invalid_headers",
        "fireworks_ai_embedding_models",
        "fireworks_ai_models",
        "force_ipv4",
        "forward_traceparent_to_llm_provider",
        "friendliai_models",
        "galadriel_models",
        "gcs_pub_sub_use_v1",
        "gemini_models",
        "generic_api_use_v1",
        "generic_logger_headers",
        "gigachat_key",
        "gigachat_models",
        "github_copilot_models",
        "global_bitbucket_config",
        "global_disable_no_log_param",
        "global_gitlab_config",
        "global_prompt_directory",
        "google_moderation_confidence_threshold",
        "gradient_ai_api_key",
        "gradient_ai_models",
        "groq_key",
        "groq_models",
        "guardrail_name_config_map",
        "guardrails",
        "headers",
        "heroku_key",
        "heroku_models",
        "huggingface_key",
        "huggingface_models",
        "hyperbolic_models",
        "in_memory_llm_clients_cache",
        "include_cost_in_streaming_usage",
        "infinity_key",
        "infinity_models",
        "initialized_langfuse_clients",
        "input_callback",
        "internal_user_budget_duration",
        "jina_ai_models",
        "key_generation_settings",
        "known_tokenizer_config",
        "lambda_ai_models",
        "langfuse_default_tags",
        "langsmith_batch_size",
        "lemonade_key",
        "lemonade_models",
        "litellm_mode",
        "llama_api_key",
        "llama_models",
        "llamagate_models",
        "llamaguard_model_name",
        "llamaguard_unsafe_content_categories",
        "llm_guard_mode",
        "log_raw_request_response",
        "logged_real_time_event_types",
        "logging",
        "longer_context_model_fallback_dict",
        "maritalk_key",
        "maritalk_models",
        "max_budget",
        "max_end_user_budget",
        "max_end_user_budget_id",
        "max_fallbacks",
        "max_internal_user_budget",
        "max_tokens",
        "max_ui_session_budget",
        "max_user_budget",
        "minimax_models",
        "mistral_chat_models",
        "model_alias_map",
        "model_cost",
        "model_cost_map_url",
        "model_fallbacks",
        "model_group_settings",
        "model_list",
        "model_list_set",
        "models_by_provider",
        "modify_params",
        "moonshot_models",
        "morph_models",
        "nebius_embedding_models",
        "nebius_key",
        "nebius_models",
        "nlp_cloud_key",
        "nlp_cloud_models",
        "novita_api_key",
        "novita_models",
        "nscale_models",
        "num_retries",
        "num_retries_per_request",
        "nvidia_nim_models",
        "oci_models",
        "ollama_key",
        "ollama_models",
        "open_ai_chat_completion_models",
        "open_ai_embedding_models",
        "open_ai_text_completion_models",
        "openai_compatible_endpoints",
        "openai_compatible_providers",
        "openai_image_generation_models",
        "openai_key",
        "openai_like_key",
        "openai_moderations_model_name",
        "openai_text_completion_compatible_providers",
        "openai_video_generation_models",
        "openrouter_key",
        "openrouter_models",
        "organization",
        "output_parse_pii",
        "ovhcloud_embedding_models",
        "ovhcloud_key",
        "ovhcloud_models",
        "palm_models",
        "perplexity_models",
        "petals_models",
        "post_call_rules",
        "pre_call_rules",
        "predibase_key",
        "predibase_tenant_id",
        "presidio_ad_hoc_recognizers",
        "priority_reservation",
        "priority_reservation_settings",
        "project",
        "prometheus_initialize_budget_metrics",
        "prometheus_metrics_config",
        "prompt_name_config_map",
        "public_agent_groups",
        "public_mcp_servers",
        "public_model_groups",
        "public_model_groups_links",
        "publicai_models",
        "reasoning_auto_summary",
        "recraft_models",
        "redact_messages_in_exceptions",
        "redact_user_api_key_info",
        "replicate_key",
        "replicate_models",
        "request_timeout",
        "require_auth_for_metrics_endpoint",
        "responses",
        "retry",
        "return_response_headers",
        "runwayml_models",
        "s3_callback_params",
        "safe_memory_mode",
        "sambanova_embedding_models",
        "sambanova_models",
        "sap_service_key",
        "secret_manager_client",
        "service_callback",
        "snowflake_key",
        "snowflake_models",
        "ssl_certificate",
        "ssl_ecdh_curve",
        "ssl_security_level",
        "ssl_verify",
        "stability_models",
        "store_audit_logs",
        "success_callback",
        "suppress_debug_info",
        "tag_budget_config",
        "telemetry",
        "text_completion_codestral_models",
        "together_ai_models",
        "togetherai_api_key",
        "token",
        "turn_off_message_logging",
        "upperbound_key_generate_params",
        "use_aiohttp_transport",
        "use_client",
        "use_litellm_proxy",
        "v0_models",
        "vector_store_index_registry",
        "vector_store_registry",
        "vercel_ai_gateway_key",
        "vercel_ai_gateway_models",
        "vertex_ai_ai21_models",
        "vertex_ai_image_models",
        "vertex_ai_safety_settings",
        "vertex_ai_video_models",
        "vertex_anthropic_models",
        "vertex_chat_models",
        "vertex_code_chat_models",
        "vertex_code_text_models",
        "vertex_deepseek_models",
        "vertex_embedding_models",
        "vertex_language_models",
        "vertex_llama3_models",
        "vertex_location",
        "vertex_minimax_models",
        "vertex_mistral_models",
        "vertex_moonshot_models",
        "vertex_openai_models",
        "vertex_project",
        "vertex_text_models",
        "vertex_vision_models",
        "volcengine_models",
        "voyage_models",
        "wandb_key",
        "wandb_models",
        "watsonx_models",
        "xai_models",
        "zai_models",
      ],
    },
    /** Keys the proxy reads from general_settings (`general_settings.get/[…]`, `… in general_settings`) plus ConfigGeneralSettings. */
    generalSettings: {
      source: "CartoDB/litellm@dd24252a9f:litellm/proxy/**/*.py (general_settings reads), litellm/proxy/_types.py:1915-2035 (ConfigGeneralSettings)",
      keys: [
        "admin_only_routes",
        "alert_to_webhook_url",
        "alert_types",
        "alerting",
        "alerting_args",
        "alerting_threshold",
        "allow_client_side_credentials",
        "allow_requests_on_db_unavailable",
        "allow_user_auth",
        "allowed_ips",
        "allowed_routes",
        "background_health_checks",
        "completion_model",
        "custom_auth",
        "custom_key_generate",
        "custom_sso",
        "custom_ui_sso_sign_in_handler",
        "database_args",
        "database_connection_pool_limit",
        "database_connection_pool_timeout",
        "database_connection_timeout",
        "database_type",
        "database_url",
        "default_team_disabled",
        "disable_adding_master_key_hash_to_db",
        "disable_error_logs",
        "disable_master_key_return",
        "disable_prisma_schema_update",
        "disable_reset_budget",
        "disable_responses_id_security",
        "disable_retry_on_max_parallel_request_limit_error",
        "disable_spend_logs",
        "disable_spend_updates",
        "enable_jwt_auth",
        "enable_public_model_hub",
        "enforce_rbac",
        "enforce_user_param",
        "enforced_params",
        "forward_client_headers_to_llm_api",
        "forward_openai_org_id",
        "global_max_parallel_requests",
        "health_check_details",
        "health_check_interval",
        "image_generation_model",
        "infer_model_from_keys",
        "key_management_settings",
        "key_management_system",
        "litellm_jwtauth",
        "litellm_key_header_name",
        "litellm_license",
        "litellm_settings",
        "master_key",
        "max_parallel_requests",
        "max_request_size_mb",
        "max_response_size_mb",
        "maximum_spend_logs_retention_interval",
        "maximum_spend_logs_retention_period",
        "mcp_client_side_auth_header_name",
        "moderation_model",
        "otel",
        "pass_through_endpoints",
        "proxy_batch_polling_interval",
        "proxy_batch_write_at",
        "proxy_budget_rescheduler_max_time",
        "proxy_budget_rescheduler_min_time",
        "public_routes",
        "reject_clientside_metadata_tags",
        "role_permissions",
        "service_account_settings",
        "spend_report_frequency",
        "store_model_in_db",
        "store_prompts_in_spend_logs",
        "supported_db_objects",
        "token_rate_limit_type",
        "ui_access_mode",
        "use_azure_key_vault",
        "use_google_kms",
        "use_redis_transaction_buffer",
        "use_shared_health_check",
        "use_x_forwarded_for",
        "user_api_key_cache_ttl",
        "user_header_mappings",
        "user_header_name",
        "user_mcp_management_mode",
      ],
    },
    /** litellm.Cache(**cache_params): its parameters, RedisCache's, and redis.Redis' (kwargs pass through to the client). */
    cacheParams: {
      source:
        "CartoDB/litellm@dd24252a9f:litellm/caching/caching.py:56-113, 155-172; litellm/caching/redis_cache.py:91-132; " +
        "redis/redis-py@v5.2.1:redis/client.py:169-216",
      keys: [
        "azure_account_url",
        "azure_blob_container",
        "cache",
        "cache_config",
        "charset",
        "client_name",
        "credential_provider",
        "db",
        "decode_responses",
        "default_in_memory_ttl",
        "default_in_redis_ttl",
        "disk_cache_dir",
        "encoding",
        "encoding_errors",
        "errors",
        "gcp_service_account",
        "gcp_ssl_ca_certs",
        "gcs_bucket_name",
        "gcs_path",
        "gcs_path_service_account",
        "health_check_interval",
        "host",
        "lib_name",
        "lib_version",
        "max_connections",
        "mode",
        "namespace",
        "password",
        "port",
        "protocol",
        "qdrant_api_base",
        "qdrant_api_key",
        "qdrant_collection_name",
        "qdrant_quantization_config",
        "qdrant_semantic_cache_embedding_model",
        "redis_connect_func",
        "redis_flush_size",
        "redis_semantic_cache_embedding_model",
        "redis_semantic_cache_index_name",
        "redis_startup_nodes",
        "retry_on_error",
        "retry_on_timeout",
        "s3_api_version",
        "s3_aws_access_key_id",
        "s3_aws_secret_access_key",
        "s3_aws_session_token",
        "s3_bucket_name",
        "s3_config",
        "s3_endpoint_url",
        "s3_path",
        "s3_region_name",
        "s3_use_ssl",
        "s3_verify",
        "similarity_threshold",
        "single_connection_client",
        "socket_connect_timeout",
        "socket_keepalive",
        "socket_keepalive_options",
        "socket_timeout",
        "ssl",
        "ssl_ca_certs",
        "ssl_ca_data",
        "ssl_ca_path",
        "ssl_cert_reqs",
        "ssl_certfile",
        "ssl_check_hostname",
        "ssl_ciphers",
        "ssl_keyfile",
        "ssl_min_version",
        "ssl_ocsp_context",
        "ssl_ocsp_expected_cert",
        "ssl_password",
        "ssl_validate_ocsp",
        "ssl_validate_ocsp_stapled",
        "startup_nodes",
        "supported_call_types",
        "ttl",
        "type",
        "unix_socket_path",
        "username",
      ],
    },
    /** model_list[].litellm_params: LiteLLM_Params and the models it extends. */
    litellmParams: {
      source: "CartoDB/litellm@dd24252a9f:litellm/types/router.py:147-164, 167-298, 301-363; litellm/types/utils.py:2705-2758",
      keys: [
        "api_base",
        "api_key",
        "api_version",
        "auto_router_config",
        "auto_router_config_path",
        "auto_router_default_model",
        "auto_router_embedding_model",
        "aws_access_key_id",
        "aws_bedrock_runtime_endpoint",
        "aws_region_name",
        "aws_secret_access_key",
        "budget_duration",
        "cache_creation_input_audio_token_cost",
        "cache_creation_input_token_cost",
        "cache_creation_input_token_cost_above_1hr",
        "cache_creation_input_token_cost_above_200k_tokens",
        "cache_read_input_audio_token_cost",
        "cache_read_input_token_cost",
        "cache_read_input_token_cost_above_200k_tokens",
        "cache_read_input_token_cost_flex",
        "cache_read_input_token_cost_priority",
        "citation_cost_per_token",
        "configurable_clientside_auth_params",
        "custom_llm_provider",
        "gcs_bucket_name",
        "input_cost_per_audio_per_second",
        "input_cost_per_audio_per_second_above_128k_tokens",
        "input_cost_per_audio_token",
        "input_cost_per_character",
        "input_cost_per_character_above_128k_tokens",
        "input_cost_per_image",
        "input_cost_per_image_above_128k_tokens",
        "input_cost_per_pixel",
        "input_cost_per_query",
        "input_cost_per_second",
        "input_cost_per_token",
        "input_cost_per_token_above_128k_tokens",
        "input_cost_per_token_above_200k_tokens",
        "input_cost_per_token_batches",
        "input_cost_per_token_cache_hit",
        "input_cost_per_token_flex",
        "input_cost_per_token_priority",
        "input_cost_per_video_per_second",
        "input_cost_per_video_per_second_above_128k_tokens",
        "input_cost_per_video_per_second_above_15s_interval",
        "input_cost_per_video_per_second_above_8s_interval",
        "litellm_credential_name",
        "litellm_trace_id",
        "max_budget",
        "max_file_size_mb",
        "max_retries",
        "merge_reasoning_content_in_choices",
        "milvus_text_field",
        "mock_response",
        "model",
        "model_info",
        "organization",
        "output_cost_per_audio_per_second",
        "output_cost_per_audio_token",
        "output_cost_per_character",
        "output_cost_per_character_above_128k_tokens",
        "output_cost_per_image",
        "output_cost_per_image_token",
        "output_cost_per_pixel",
        "output_cost_per_reasoning_token",
        "output_cost_per_second",
        "output_cost_per_token",
        "output_cost_per_token_above_128k_tokens",
        "output_cost_per_token_above_200k_tokens",
        "output_cost_per_token_batches",
        "output_cost_per_token_flex",
        "output_cost_per_token_priority",
        "output_cost_per_video_per_second",
        "region_name",
        "rpm",
        "s3_bucket_name",
        "s3_encryption_key_id",
        "search_context_cost_per_query",
        "stream_timeout",
        "tiered_pricing",
        "timeout",
        "tpm",
        "use_in_pass_through",
        "use_litellm_proxy",
        "vector_store_id",
        "vertex_credentials",
        "vertex_location",
        "vertex_project",
        "watsonx_region_name",
      ],
    },
  },
  /**
   * The Router's own Redis client: built from redis_host/port/password plus `cache_kwargs` only, handed to RedisCache,
   * whose extra kwargs go to redis.Redis. TLS therefore needs `cache_kwargs: { ssl, ssl_ca_certs }`.
   */
  routerRedis: {
    source: "CartoDB/litellm@dd24252a9f:litellm/router.py:394-411; litellm/caching/redis_cache.py:91-132; litellm/_redis.py:199-277, 459-475",
    /** redis.Redis kwargs that `cache_kwargs` may carry. */
    clientKwargs: [
      "cache",
      "cache_config",
      "charset",
      "client_name",
      "credential_provider",
      "db",
      "decode_responses",
      "encoding",
      "encoding_errors",
      "errors",
      "health_check_interval",
      "host",
      "lib_name",
      "lib_version",
      "max_connections",
      "namespace",
      "password",
      "port",
      "protocol",
      "redis_connect_func",
      "redis_flush_size",
      "retry_on_error",
      "retry_on_timeout",
      "single_connection_client",
      "socket_connect_timeout",
      "socket_keepalive",
      "socket_keepalive_options",
      "socket_timeout",
      "ssl",
      "ssl_ca_certs",
      "ssl_ca_data",
      "ssl_ca_path",
      "ssl_cert_reqs",
      "ssl_certfile",
      "ssl_check_hostname",
      "ssl_ciphers",
      "ssl_keyfile",
      "ssl_min_version",
      "ssl_ocsp_context",
      "ssl_ocsp_expected_cert",
      "ssl_password",
      "ssl_validate_ocsp",
      "ssl_validate_ocsp_stapled",
      "startup_nodes",
      "unix_socket_path",
      "username",
    ],
    tlsKwargs: ["ssl", "ssl_ca_certs"],
  },
  /** redis-py pinned by the image (requirements.txt:14) and its TLS defaults: the CA is verified, the hostname is not. */
  redisPy: {
    version: "5.2.1",
    source:
      "CartoDB/litellm@dd24252a9f:requirements.txt:14; redis/redis-py@v5.2.1 (a74fa6a3dc):redis/connection.py:943-1013 (SSLConnection.__init__)",
    sslDefaults: { ssl: false, ssl_cert_reqs: "required", ssl_check_hostname: false },
  },
  /** What retries or re-routes a request inside LiteLLM, and the defaults when a key is not set. */
  retries: {
    source: "CartoDB/litellm@dd24252a9f:litellm/router.py:472-477, 491-512, 536, 4600-4680; litellm/__init__.py:394-405",
    /** Router.num_retries: router_settings.num_retries, else litellm.num_retries, else openai.DEFAULT_MAX_RETRIES. */
    routerNumRetriesDefault: 2,
    /** default_litellm_params.max_retries: the provider client's own retries under the Router. */
    providerClientMaxRetries: 0,
    /** router_settings keys that make more provider calls for one request. */
    routerSettings: [
      "num_retries",
      "retry_policy",
      "model_group_retry_policy",
      "fallbacks",
      "default_fallbacks",
      "context_window_fallbacks",
      "content_policy_fallbacks",
      "max_fallbacks",
    ],
    /** litellm_settings keys the Router falls back to when its own are unset. */
    litellmSettings: [
      "num_retries",
      "num_retries_per_request",
      "fallbacks",
      "default_fallbacks",
      "context_window_fallbacks",
      "content_policy_fallbacks",
      "max_fallbacks",
    ],
    /** litellm_params keys that override retries per deployment. */
    litellmParams: ["num_retries", "max_retries"],
  },
  /** Only keys with this prefix (and JWTs) are hashed; any other key is exported verbatim as hashed_api_key on /metrics. */
  hashedKeyPrefix: { prefix: "sk-", source: "CartoDB/litellm@dd24252a9f:litellm/proxy/_types.py:2196-2210 (_safe_hash_litellm_api_key)" },
  /**
   * `litellm` (our container's command, no --run_gunicorn/--run_hypercorn) serves with uvicorn.run,
   * passing `timeout_keep_alive` only when --keepalive_timeout / KEEPALIVE_TIMEOUT is set (we set
   * neither), so uvicorn's default closes idle client connections after 5 s; a client must drop
   * pooled connections sooner. CartoDB/litellm@dd24252a9f:litellm/proxy/proxy_cli.py:119-145, 488-494,
   * 828-852, requirements.txt:9 (uvicorn==0.31.1); encode/uvicorn@0.31.1:uvicorn/main.py:498,
   * uvicorn/config.py:212, uvicorn/protocols/http/httptools_impl.py:320-352
   */
  serverKeepAlive: { server: "uvicorn", version: "0.31.1", idleTimeoutSeconds: 5, option: "--keepalive_timeout", envvar: "KEEPALIVE_TIMEOUT" },
  /** `litellm --port` is a click option with an integer default (so an integer type) and envvar PORT. */
  portOption: { flag: "--port", type: "integer", envvar: "PORT", source: "CartoDB/litellm@dd24252a9f:litellm/proxy/proxy_cli.py:316" },
  /** Without it every import of litellm fetches the cost map from GitHub (5 s timeout, then the bundled copy). */
  localCostMap: {
    env: "LITELLM_LOCAL_MODEL_COST_MAP",
    value: "True",
    source: "CartoDB/litellm@dd24252a9f:litellm/litellm_core_utils/get_model_cost_map.py:16-40; litellm/__init__.py:421",
  },
  /**
   * simple-shuffle picks at random, weighted by the first of these the first healthy deployment sets (others count
   * as 0); nothing counts requests or tokens, so rpm/tpm limit nothing.
   */
  simpleShuffleWeights: { fields: ["weight", "rpm", "tpm"], source: "CartoDB/litellm@dd24252a9f:litellm/router_strategy/simple_shuffle.py:42-59" },
  /** The strategy that enforces rpm per deployment per minute in the Router's (Redis) cache and routes by tpm. */
  rpmEnforcingStrategy: {
    strategy: "usage-based-routing-v2",
    source: "CartoDB/litellm@dd24252a9f:litellm/router_strategy/lowest_tpm_rpm_v2.py:143-225, 384-444",
  },
  /**
   * The proxy takes `litellm_call_id` from this request header (a fresh uuid4 without it), sets it on the
   * logging object its callbacks and logs read, uses it as the spend log's id when the answer has none, and
   * returns it in the same response header.
   */
  callIdHeader: {
    request: "x-litellm-call-id",
    response: "x-litellm-call-id",
    source:
      "CartoDB/litellm@dd24252a9f:litellm/proxy/common_request_processing.py:423-425 (read), 248 (returned); " +
      "litellm/proxy/spend_tracking/spend_tracking_utils.py:149-151; litellm/litellm_core_utils/litellm_logging.py:4967",
  },
  /**
   * The response cache, per request. The key is a SHA-256 of the call's model parameters, nothing
   * of the caller; a body `cache` object steers each call: `namespace` prefixes the key (before
   * `metadata.redis_namespace` and the configured namespace), `no-cache` skips the lookup,
   * `no-store` the write, `ttl` sets the entry's lifetime, `s-maxage` bounds the age of an entry
   * served. `caching: false` skips only the lookup. A body `cache_key` is used as the key as is,
   * namespace and all. RedisCache prefixes the configured namespace to a key not starting with it.
   * The proxy passes body fields into the call after the router's own `caching`, which it turns on
   * when a cache is configured.
   */
  responseCache: {
    perRequestControls: ["ttl", "namespace", "s-maxage", "s-max-age", "no-cache", "no-store", "use-cache"],
    /**
     * `cache_params.mode: default_off`: every get and add asks should_use_cache, which is true only
     * for a call whose `cache` has `use-cache: true` (caching.py:56-61, 250, 496, 533, 603, 619,
     * 702, 735-751). The embedding lookup calls async_get_cache with the key alone
     * (caching_handler.py:594-607), so in this mode embeddings are never read back; the Responses
     * API is not among the supported call types (caching.py:70-81).
     */
    optInMode: "default_off",
    optInControl: "use-cache",
    readsEmbeddingsInOptInMode: false,
    namespaceOrder: ["cache.namespace", "metadata.redis_namespace", "cache_params.namespace"],
    keyOverride: "cache_key",
    lookupSkippedBy: ["caching: false", "cache.no-cache"],
    writeSkippedBy: ["cache.no-store"],
    redisKey: "<cache_params.namespace>:<namespace>:<sha256 of the parameters>",
    source:
      "CartoDB/litellm@dd24252a9f:litellm/types/caching.py:53-68 (DynamicCacheControl); litellm/caching/caching.py:264-306 " +
      "(get_cache_key), 408-428 (_add_namespace_to_cache_key), 499-502, 537-540 (cache_key kwarg), 575-583 (ttl); " +
      "litellm/caching/caching_handler.py:141-147 (lookup), 880-894 (write); litellm/caching/redis_cache.py:255-262; " +
      "litellm/router.py:1557-1563; litellm/proxy/proxy_server.py:2631-2634 (cache_responses)",
  },
  /**
   * Who LiteLLM's proxy attributes a call's spend to (its end user: LiteLLM_EndUserTable, the
   * end_user of spend logs): a header only when general_settings names one (user_header_name or
   * user_header_mappings, neither rendered), else the body's `user`, then `litellm_metadata.user`,
   * then `metadata.user_id`. gateway-app sets `user` to the tenant, which outranks the other two.
   */
  endUser: {
    bodyField: "user",
    lowerPriorityFields: ["litellm_metadata.user", "metadata.user_id"],
    source:
      "CartoDB/litellm@dd24252a9f:litellm/proxy/auth/auth_utils.py:537-596 (get_end_user_id_from_request_body; body `user` at 577-580); " +
      "litellm/proxy/auth/user_api_key_auth.py:1263-1267 (end_user_id); litellm/proxy/db/db_spend_update_writer.py:288-295 (END_USER spend)",
  },
  /**
   * The `otel` callback (litellm_settings.callbacks). Its exporter comes from OTEL_EXPORTER_OTLP_PROTOCOL
   * (or OTEL_EXPORTER), one of `protocols`; its URL from OTEL_EXPORTER_OTLP_ENDPOINT, to which it appends
   * /v1/traces unless there; its service name from OTEL_SERVICE_NAME. The TracerProvider is built with no
   * sampler, so the OpenTelemetry SDK takes OTEL_TRACES_SAMPLER/_ARG. A request's `traceparent` header
   * becomes the parent of its spans (so LiteLLM's spans are children of gateway-app's). Prompts and
   * completions are span attributes unless litellm_settings.turn_off_message_logging is true. The proxy
   * image installs requirements.txt, which pins the OpenTelemetry packages.
   */
  otel: {
    callback: "otel",
    env: { protocol: "OTEL_EXPORTER_OTLP_PROTOCOL", endpoint: "OTEL_EXPORTER_OTLP_ENDPOINT", serviceName: "OTEL_SERVICE_NAME" },
    protocols: ["otlp_http", "http/protobuf", "http/json", "otlp_grpc", "grpc"],
    continuesTraceparent: true,
    messageLoggingOff: "turn_off_message_logging",
    packages: { "opentelemetry-api": "1.25.0", "opentelemetry-sdk": "1.25.0", "opentelemetry-exporter-otlp": "1.25.0" },
    source:
      "CartoDB/litellm@dd24252a9f:litellm/integrations/opentelemetry.py:91-108 (env), 266-274 (TracerProvider without sampler), " +
      "725-731 and 1513-1516 (turn_off_message_logging; litellm/proxy/proxy_server.py:2209, 2447 set litellm_settings on the module), " +
      "1693-1719 (traceparent as parent), 1786-1808 (exporters), " +
      '1963-2000 (endpoint normalised to /v1/traces); litellm/litellm_core_utils/litellm_logging.py:3728-3740 ("otel"); ' +
      "requirements.txt:40-42; Dockerfile:35,61 (requirements installed into the image)",
  },
  /** OpenAI routes the proxy serves (each under /v1/, bare, and for responses /openai/v1/ too). */
  proxyRoutes: {
    responses: ["/v1/responses", "/responses", "/openai/v1/responses"],
    source: "CartoDB/litellm@dd24252a9f:litellm/proxy/response_api_endpoints/endpoints.py:19-37 (POST, streaming when the body says stream)",
  },
} as const;

/**
 * kube-prometheus-stack at `VERSIONS.kubePrometheusStackChart`: commit ea930baee of
 * prometheus-community/helm-charts; paths below are under `charts/kube-prometheus-stack/`.
 * Alertmanager facts are read from prometheus/alertmanager@v0.34.0 (the image the chart deploys)
 * and prometheus-operator/prometheus-operator@v0.93.0 (the chart's operator is v0.93.1; v0.93.0
 * is the nearest tag in the snapshot), which parses the configuration Secret with
 * `yaml.UnmarshalStrict` (pkg/alertmanager/amcfg.go:61): a field its types lack is an error.
 */
export const KUBE_PROMETHEUS_STACK_FACTS = {
  version: "88.5.3",
  /** prometheus-community/helm-charts@ea930baee:charts/kube-prometheus-stack/values.yaml:1020-1021, 4346-4347, Chart.yaml appVersion */
  images: { alertmanager: "v0.34.0", prometheus: "v3.14.0", operator: "v0.93.1" },
  /** Release `kube-prometheus-stack` names its objects without a second prefix (templates/_helpers.tpl "kube-prometheus-stack.fullname"). */
  releaseName: "kube-prometheus-stack",
  /**
   * `kubeDns.enabled` makes a Service in kube-system selecting GKE's kube-dns pods, scraped on
   * dnsmasq's 10054 and kubedns' 10055. values.yaml:2222-2236, templates/exporters/kube-dns/service.yaml
   */
  kubeDns: { podLabels: { "k8s-app": "kube-dns" }, metricsPorts: [10054, 10055] },
  /**
   * The operator's pod label (templates/prometheus-operator/deployment.yaml) and its webhook port,
   * `prometheusOperator.tls.internalPort`, which the API server calls (values.yaml, rendered by helm template).
   */
  operator: { podLabels: { app: "kube-prometheus-stack-operator" }, webhookPort: 10250 },
  /**
   * Where each component's container resources are set, and the value that turns the component
   * on (absent: always on). Every one defaults to `{}` (no requests, no limits):
   * values.yaml:62 (crds.upgradeJob), 1165 (alertmanagerSpec), 3055/3135 (admissionWebhooks
   * deployment/patch), 3412 (prometheusOperator), 3561 (prometheusConfigReloader), 4668
   * (prometheusSpec); grafana-community/helm-charts@grafana-12.11.1:charts/grafana/values.yaml
   * `resources`, `sidecar.resources`; prometheus-community/helm-charts@ea930baee:charts/kube-state-metrics/values.yaml
   * and charts/prometheus-node-exporter/values.yaml `resources`. Checked by rendering with
   * helm template: with these set, every container of every workload has requests and limits.
   */
  resourcePaths: [
    { path: "prometheus.prometheusSpec.resources" },
    { path: "alertmanager.alertmanagerSpec.resources", enabledBy: "alertmanager.enabled" },
    { path: "prometheusOperator.resources" },
    { path: "prometheusOperator.prometheusConfigReloader.resources" },
    { path: "prometheusOperator.admissionWebhooks.patch.resources" },
    { path: "grafana.resources", enabledBy: "grafana.enabled" },
    { path: "grafana.sidecar.resources", enabledBy: "grafana.enabled" },
    { path: "kube-state-metrics.resources", enabledBy: "kubeStateMetrics.enabled" },
    { path: "prometheus-node-exporter.resources", enabledBy: "nodeExporter.enabled" },
    { path: "crds.upgradeJob.resources", enabledBy: "crds.upgradeJob.enabled", enabledDefault: false },
  ],
  alertmanager: {
    /** The Alertmanager pod runs as this ServiceAccount (rendered by helm template, templates/alertmanager/serviceaccount.yaml). */
    serviceAccount: "kube-prometheus-stack-alertmanager",
    /**
     * `alertmanager.config` is deep-merged by Helm into this default (maps merge, lists are
     * replaced), then written as `toYaml` into Secret `alertmanager-<name>` unless `tplConfig`.
     * values.yaml:553-589, templates/alertmanager/secret.yaml:14-24
     */
    defaultConfig: {
      global: { resolve_timeout: "5m" },
      inhibit_rules: [
        { source_matchers: ["severity = critical"], target_matchers: ["severity =~ warning|info"], equal: ["namespace", "alertname"] },
        { source_matchers: ["severity = warning"], target_matchers: ["severity = info"], equal: ["namespace", "alertname"] },
        { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: ["namespace"] },
        { target_matchers: ["alertname = InfoInhibitor"] },
      ],
      route: {
        group_by: ["namespace"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "12h",
        receiver: "null",
        routes: [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }],
      },
      receivers: [{ name: "null" }],
      templates: ["/etc/alertmanager/config/*.tmpl"],
    },
    /** `alertmanagerSpec.volumes`/`volumeMounts` go to the Alertmanager container (templates/alertmanager/alertmanager.yaml:179-186). */
    specKeys: ["volumes", "volumeMounts", "resources", "retention"],
    /** The integrations our receivers render. */
    receiverKinds: ["slack", "pagerduty", "email", "webhook"],
    /**
     * Fields of each configuration block, present both in Alertmanager v0.34.0 and in the
     * operator's strict types; `minVersion` is the Alertmanager release below which the operator
     * drops a credential file field (its `sanitize`).
     */
    fields: {
      top: {
        keys: ["global", "route", "inhibit_rules", "receivers", "mute_time_intervals", "time_intervals", "templates"],
        source: "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:29-37",
      },
      route: {
        keys: [
          "receiver",
          "group_by",
          "matchers",
          "continue",
          "routes",
          "group_wait",
          "group_interval",
          "repeat_interval",
          "mute_time_intervals",
          "active_time_intervals",
        ],
        source: "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:90-104",
      },
      inhibit_rules: {
        keys: ["target_matchers", "source_matchers", "equal"],
        source: "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:105-114",
      },
      receiver: {
        keys: ["name", "pagerduty_configs", "slack_configs", "webhook_configs", "email_configs"],
        source: "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:115-136",
      },
      slack_configs: {
        keys: ["send_resolved", "http_config", "api_url_file", "channel", "title", "text"],
        credentialFile: { field: "api_url_file", minVersion: "0.22.0" },
        source:
          "prometheus/alertmanager@v0.34.0:config/notifiers.go:315-330; " +
          "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:203-234, amcfg.go:2933-2937",
      },
      pagerduty_configs: {
        keys: ["send_resolved", "http_config", "routing_key_file", "severity", "description"],
        credentialFile: { field: "routing_key_file", minVersion: "0.25.0" },
        source:
          "prometheus/alertmanager@v0.34.0:notify/pagerduty/config.go:46-69, 90-98; " +
          "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:147-168, amcfg.go:2757-2761",
      },
      email_configs: {
        keys: ["send_resolved", "to", "from", "smarthost", "auth_username", "auth_password_file", "require_tls", "headers"],
        credentialFile: { field: "auth_password_file", minVersion: "0.25.0" },
        source:
          "prometheus/alertmanager@v0.34.0:config/notifiers.go:160-178; " +
          "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:330-350, amcfg.go:2644-2648",
      },
      webhook_configs: {
        keys: ["send_resolved", "http_config", "url_file", "max_alerts", "timeout"],
        credentialFile: { field: "url_file", minVersion: "0.26.0" },
        source:
          "prometheus/alertmanager@v0.34.0:notify/webhook/config.go:33-48, 62-75; " +
          "prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/types.go:137-146, amcfg.go:2979-2983",
      },
    },
  },
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
      field: "account_id",
      minLength: 6,
      maxLength: 30,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source:
        "hashicorp/terraform-provider-google@v6.50.0:google/services/resourcemanager/resource_google_service_account.go:73 " +
        "(ValidateRFC1035Name(6, 30))",
    },
    google_container_cluster: {
      field: "name",
      minLength: 1,
      maxLength: 40,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:277-297",
    },
    google_container_node_pool: {
      field: "name",
      minLength: 1,
      maxLength: 40,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source:
        "not checked by the provider " +
        "(hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_node_pool.go:339-345); the GKE API " +
        "refuses names outside (?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)",
    },
    google_compute_network: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source:
        "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_network.go:65 (ValidateGCEName, " +
        "google/verify/validation.go:103-106)",
    },
    google_compute_subnetwork: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_subnetwork.go:132 (ValidateGCEName)",
    },
    google_compute_router: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_router.go:83 (ValidateGCEName)",
    },
    google_compute_router_nat: {
      field: "name",
      minLength: 2,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_router_nat.go:222 (ValidateRFC1035Name(2, 63))",
    },
    google_compute_address: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_address.go:64",
    },
    google_compute_global_address: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source:
        "not checked by the provider; its description " +
        "(hashicorp/terraform-provider-google@v6.50.0:google/services/compute/resource_compute_global_address.go:60-70) states RFC 1035, " +
        "1-63 characters",
    },
    google_redis_instance: {
      field: "name",
      minLength: 2,
      maxLength: 41,
      pattern: "^[a-z][a-z0-9-]{0,39}[a-z0-9]$",
      source: "hashicorp/terraform-provider-google@v6.50.0:google/services/redis/resource_redis_instance.go:113",
    },
    google_secret_manager_secret: {
      field: "secret_id",
      minLength: 1,
      maxLength: 255,
      pattern: "^[a-zA-Z0-9_-]+$",
      source:
        "not checked by the provider; " +
        "googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/secretmanager/v1/service.proto:367-372",
    },
    google_artifact_registry_repository: {
      field: "repository_id",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z](?:[-a-z0-9]*[a-z0-9])?$",
      source:
        "not checked by the provider " +
        "(hashicorp/terraform-provider-google@v6.50.0:google/services/artifactregistry/resource_artifact_registry_repository.go:216-222); " +
        "https://cloud.google.com/artifact-registry/docs/repositories/create-repos (lowercase letters, digits, hyphens; start with a letter; " +
        "at most 63)",
    },
    google_kms_key_ring: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-zA-Z0-9_-]+$",
      source: "not checked by the provider; googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/kms/v1/service.proto:920-922",
    },
    google_kms_crypto_key: {
      field: "name",
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-zA-Z0-9_-]+$",
      source: "not checked by the provider; googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/cloud/kms/v1/service.proto:941-943",
    },
  },
  /** `security_posture_config.vulnerability_mode` values the provider accepts (it does not know which GKE still serves). */
  vulnerabilityModes: {
    values: ["VULNERABILITY_DISABLED", "VULNERABILITY_BASIC", "VULNERABILITY_ENTERPRISE", "VULNERABILITY_MODE_UNSPECIFIED"],
    source: "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:1170-1177",
  },
  /**
   * `control_plane_endpoints_config.dns_endpoint_config { endpoint (computed), allow_external_traffic }`; the data source copies the
   * resource schema.
   */
  dnsEndpointConfig: {
    source:
      "hashicorp/terraform-provider-google@v6.50.0:google/services/container/resource_container_cluster.go:1709-1737; " +
      "data_source_google_container_cluster.go:27-29",
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
    source:
      "hashicorp/terraform-provider-google@v6.50.0:google/services/resourcemanager/resource_project_service_identity.go; " +
      "website/docs/r/project_service_identity.html.markdown:21-22",
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
    source:
      'https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window#considerations ("You must allow at least 48 hours of ' +
      'maintenance availability in a 32-day rolling window. Only contiguous availability windows of at least four hours are considered."); ' +
      "googleapis/googleapis@f8291d2b89f0017ab078a4c7378069bae5686f6f:google/container/v1/cluster_service.proto:5659-5697",
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
    CKV_GCP_1: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEClusterLogging.py:10,11",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_7: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEDisableLegacyAuth.py:8,9",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_8: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMonitoringEnabled.py:8,9",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_9: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENodePoolAutoRepairEnabled.py:8,9",
      resourceTypes: ["google_container_node_pool"],
    },
    CKV_GCP_10: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENodePoolAutoUpgradeEnabled.py:8,9",
      resourceTypes: ["google_container_node_pool"],
    },
    CKV_GCP_12: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKENetworkPolicyEnabled.py:8,9",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_13: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEClientCertificateDisabled.py:8,9",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_18: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPublicControlPlane.py:8,9",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_20: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMasterAuthorizedNetworksEnabled.py:9,10",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_21: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEHasLabels.py:9,10",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_23: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEAliasIpEnabled.py:9,10",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_25: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPrivateClusterConfig.py:11,12",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_64: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEPrivateNodes.py:9,10",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_68: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKESecureBootforShieldedNodes.py:8,9",
      resourceTypes: ["google_container_cluster", "google_container_node_pool"],
    },
    CKV_GCP_69: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEMetadataServerIsEnabled.py:9,10",
      resourceTypes: ["google_container_cluster", "google_container_node_pool"],
    },
    CKV_GCP_70: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEReleaseChannel.py:9,10",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_71: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEEnableShieldedNodes.py:12,13",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_GCP_72: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEEnsureIntegrityMonitoring.py:10,11",
      resourceTypes: ["google_container_cluster", "google_container_node_pool"],
    },
    CKV_GCP_123: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/gcp/GKEDontUseNodePools.py:21,22",
      resourceTypes: ["google_container_cluster"],
    },
    CKV_K8S_8: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/LivenessProbe.py:11,12",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_9: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ReadinessProbe.py:11,12",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_10: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/CPURequests.py:8,9",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_11: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/CPULimits.py:12,13",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_12: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MemoryLimits.py:8,9",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_13: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MemoryRequests.py:8,9",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_14: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ImageTagFixed.py:14,15",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_16: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/PrivilegedContainer.py:11,13",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_20: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/AllowPrivilegeEscalation.py:16,17",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_21: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/DefaultNamespace.py:9,10",
      resourceTypes: [
        "kubernetes_pod",
        "kubernetes_pod_v1",
        "kubernetes_deployment",
        "kubernetes_deployment_v1",
        "kubernetes_daemonset",
        "kubernetes_daemon_set_v1",
        "kubernetes_stateful_set",
        "kubernetes_stateful_set_v1",
        "kubernetes_replication_controller",
        "kubernetes_replication_controller_v1",
        "kubernetes_job",
        "kubernetes_job_v1",
        "kubernetes_cron_job",
        "kubernetes_cron_job_v1",
        "kubernetes_service",
        "kubernetes_service_v1",
        "kubernetes_secret",
        "kubernetes_secret_v1",
        "kubernetes_service_account",
        "kubernetes_service_account_v1",
        "kubernetes_role_binding",
        "kubernetes_role_binding_v1",
        "kubernetes_config_map",
        "kubernetes_config_map_v1",
        "kubernetes_ingress",
        "kubernetes_ingress_v1",
      ],
    },
    CKV_K8S_22: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ReadonlyRootFilesystem.py:9,11",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_25: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/AllowedCapabilities.py:13,15",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_28: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/DropCapabilities.py:12,14",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_35: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/Secrets.py:10,12",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_37: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/MinimiseCapabilities.py:10,12",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV_K8S_43: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/resource/kubernetes/ImageDigest.py:17,18",
      resourceTypes: TF_POD_AND_DEPLOYMENT,
    },
    CKV2_GCP_1: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/graph_checks/gcp/GKEClustersAreNotUsingDefaultServiceAccount.yaml:2,7-23",
      resourceTypes: ["google_project_default_service_accounts", "google_container_node_pool", "google_container_cluster"],
    },
    CKV2_GCP_19: {
      file: "bridgecrewio/checkov@3.3.13:checkov/terraform/checks/graph_checks/gcp/GCPdisableAlphaClusterFeatureInKubernetesEngineClusters.yaml:2,8",
      resourceTypes: ["google_container_cluster"],
    },
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
/** `node_config` (google/services/container/node_config.go `schemaNodeConfig`), shared by clusters and node pools. */
const NODE_CONFIG_FORCE_NEW = {
  node_config: "google/services/container/node_config.go:141",
  "node_config.advanced_machine_features": "google/services/container/node_config.go:869",
  "node_config.advanced_machine_features.enable_nested_virtualization": "google/services/container/node_config.go:881",
  "node_config.advanced_machine_features.threads_per_core": "google/services/container/node_config.go:875",
  "node_config.boot_disk_kms_key": "google/services/container/node_config.go:569",
  "node_config.confidential_nodes.confidential_instance_type": "google/services/container/node_config.go:973",
  "node_config.enable_confidential_storage": "google/services/container/node_config.go:1004",
  "node_config.ephemeral_storage_local_ssd_config": "google/services/container/node_config.go:278",
  "node_config.ephemeral_storage_local_ssd_config.data_cache_count": "google/services/container/node_config.go:291",
  "node_config.ephemeral_storage_local_ssd_config.local_ssd_count": "google/services/container/node_config.go:284",
  "node_config.flex_start": "google/services/container/node_config.go:1023",
  "node_config.guest_accelerator": "google/services/container/node_config.go:168",
  "node_config.guest_accelerator.count": "google/services/container/node_config.go:175",
  "node_config.guest_accelerator.gpu_driver_installation_config": "google/services/container/node_config.go:190",
  "node_config.guest_accelerator.gpu_driver_installation_config.gpu_driver_version": "google/services/container/node_config.go:197",
  "node_config.guest_accelerator.gpu_partition_size": "google/services/container/node_config.go:207",
  "node_config.guest_accelerator.gpu_sharing_config": "google/services/container/node_config.go:214",
  "node_config.guest_accelerator.gpu_sharing_config.gpu_sharing_strategy": "google/services/container/node_config.go:221",
  "node_config.guest_accelerator.gpu_sharing_config.max_shared_clients_per_gpu": "google/services/container/node_config.go:227",
  "node_config.guest_accelerator.type": "google/services/container/node_config.go:181",
  "node_config.host_maintenance_policy": "google/services/container/node_config.go:943",
  "node_config.host_maintenance_policy.maintenance_interval": "google/services/container/node_config.go:950",
  "node_config.local_nvme_ssd_block_config": "google/services/container/node_config.go:304",
  "node_config.local_nvme_ssd_block_config.local_ssd_count": "google/services/container/node_config.go:310",
  "node_config.local_ssd_count": "google/services/container/node_config.go:266",
  "node_config.local_ssd_encryption_mode": "google/services/container/node_config.go:1010",
  "node_config.max_run_duration": "google/services/container/node_config.go:1017",
  "node_config.metadata": "google/services/container/node_config.go:371",
  "node_config.min_cpu_platform": "google/services/container/node_config.go:380",
  "node_config.node_group": "google/services/container/node_config.go:860",
  "node_config.oauth_scopes": "google/services/container/node_config.go:388",
  "node_config.preemptible": "google/services/container/node_config.go:403",
  "node_config.reservation_affinity": "google/services/container/node_config.go:412",
  "node_config.reservation_affinity.consume_reservation_type": "google/services/container/node_config.go:418",
  "node_config.reservation_affinity.key": "google/services/container/node_config.go:425",
  "node_config.reservation_affinity.values": "google/services/container/node_config.go:431",
  "node_config.secondary_boot_disks": "google/services/container/node_config.go:323",
  "node_config.secondary_boot_disks.disk_image": "google/services/container/node_config.go:329",
  "node_config.secondary_boot_disks.mode": "google/services/container/node_config.go:335",
  "node_config.service_account": "google/services/container/node_config.go:452",
  "node_config.shielded_instance_config": "google/services/container/node_config.go:474",
  "node_config.shielded_instance_config.enable_integrity_monitoring": "google/services/container/node_config.go:489",
  "node_config.shielded_instance_config.enable_secure_boot": "google/services/container/node_config.go:482",
  "node_config.sole_tenant_config": "google/services/container/node_config.go:897",
  "node_config.sole_tenant_config.node_affinity": "google/services/container/node_config.go:904",
  "node_config.sole_tenant_config.node_affinity.key": "google/services/container/node_config.go:911",
  "node_config.sole_tenant_config.node_affinity.operator": "google/services/container/node_config.go:917",
  "node_config.sole_tenant_config.node_affinity.values": "google/services/container/node_config.go:924",
  "node_config.spot": "google/services/container/node_config.go:443",
} as const;

/** `IamMemberBaseSchema` (google/tpgiamresource/resource_iam_member.go), shared by every `*_iam_member`. */
const IAM_MEMBER_FORCE_NEW = {
  condition: "google/tpgiamresource/resource_iam_member.go:79",
  "condition.description": "google/tpgiamresource/resource_iam_member.go:95",
  "condition.expression": "google/tpgiamresource/resource_iam_member.go:85",
  "condition.title": "google/tpgiamresource/resource_iam_member.go:90",
  member: "google/tpgiamresource/resource_iam_member.go:71",
  role: "google/tpgiamresource/resource_iam_member.go:66",
} as const;

/**
 * Attributes whose change makes Terraform destroy and re-create the resource, per resource type we
 * synthesize, read from the providers @cdktf/provider-* bind: schema fields with `ForceNew: true`
 * (SDKv2, nested blocks as dotted paths without list indexes; a block flagged itself forces
 * replacement when it is added or removed) and `RequiresReplace` (plugin framework, manifest).
 * Read with a schema walker over the Go sources at the tags below (helpers such as `schemaNodeConfig`,
 * `metadataFields`, `IamMemberBaseSchema` inlined where the resource uses them). `conditional`: replacement
 * decided by CustomizeDiff for some changes only. Value = `path:line` in that provider's repository.
 */
export const PROVIDER_FORCE_NEW_FACTS = {
  providers: {
    google: "hashicorp/terraform-provider-google@v6.50.0",
    kubernetes: "hashicorp/terraform-provider-kubernetes@v2.38.0",
    helm: "hashicorp/terraform-provider-helm@v3.1.1",
  },
  resources: {
    google_artifact_registry_repository: {
      provider: "google",
      forceNew: {
        format: "google/services/artifactregistry/resource_artifact_registry_repository.go:209",
        kms_key_name: "google/services/artifactregistry/resource_artifact_registry_repository.go:352",
        location: "google/services/artifactregistry/resource_artifact_registry_repository.go:376",
        "maven_config.allow_snapshot_overwrites": "google/services/artifactregistry/resource_artifact_registry_repository.go:397",
        "maven_config.version_policy": "google/services/artifactregistry/resource_artifact_registry_repository.go:404",
        mode: "google/services/artifactregistry/resource_artifact_registry_repository.go:415",
        project: "google/services/artifactregistry/resource_artifact_registry_repository.go:827",
        remote_repository_config: "google/services/artifactregistry/resource_artifact_registry_repository.go:423",
        "remote_repository_config.apt_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:431",
        "remote_repository_config.apt_repository.public_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:439",
        "remote_repository_config.apt_repository.public_repository.repository_base":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:447",
        "remote_repository_config.apt_repository.public_repository.repository_path":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:454",
        "remote_repository_config.common_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:467",
        "remote_repository_config.common_repository.uri": "google/services/artifactregistry/resource_artifact_registry_repository.go:475",
        "remote_repository_config.description": "google/services/artifactregistry/resource_artifact_registry_repository.go:488",
        "remote_repository_config.docker_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:500",
        "remote_repository_config.docker_repository.custom_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:508",
        "remote_repository_config.docker_repository.custom_repository.uri":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:516",
        "remote_repository_config.docker_repository.public_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:526",
        "remote_repository_config.maven_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:539",
        "remote_repository_config.maven_repository.custom_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:547",
        "remote_repository_config.maven_repository.custom_repository.uri":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:555",
        "remote_repository_config.maven_repository.public_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:565",
        "remote_repository_config.npm_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:578",
        "remote_repository_config.npm_repository.custom_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:586",
        "remote_repository_config.npm_repository.custom_repository.uri":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:594",
        "remote_repository_config.npm_repository.public_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:604",
        "remote_repository_config.python_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:617",
        "remote_repository_config.python_repository.custom_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:625",
        "remote_repository_config.python_repository.custom_repository.uri":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:633",
        "remote_repository_config.python_repository.public_repository":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:643",
        "remote_repository_config.upstream_credentials": "google/services/artifactregistry/resource_artifact_registry_repository.go:656",
        "remote_repository_config.upstream_credentials.username_password_credentials":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:664",
        "remote_repository_config.upstream_credentials.username_password_credentials.password_secret_version":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:672",
        "remote_repository_config.upstream_credentials.username_password_credentials.username":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:680",
        "remote_repository_config.yum_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:692",
        "remote_repository_config.yum_repository.public_repository": "google/services/artifactregistry/resource_artifact_registry_repository.go:700",
        "remote_repository_config.yum_repository.public_repository.repository_base":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:708",
        "remote_repository_config.yum_repository.public_repository.repository_path":
          "google/services/artifactregistry/resource_artifact_registry_repository.go:715",
        repository_id: "google/services/artifactregistry/resource_artifact_registry_repository.go:219",
      },
    },
    google_compute_address: {
      provider: "google",
      forceNew: {
        address: "google/services/compute/resource_compute_address.go:76",
        address_type: "google/services/compute/resource_compute_address.go:84",
        description: "google/services/compute/resource_compute_address.go:93",
        ip_version: "google/services/compute/resource_compute_address.go:99",
        ipv6_endpoint_type: "google/services/compute/resource_compute_address.go:107",
        name: "google/services/compute/resource_compute_address.go:63",
        network: "google/services/compute/resource_compute_address.go:126",
        network_tier: "google/services/compute/resource_compute_address.go:136",
        prefix_length: "google/services/compute/resource_compute_address.go:146",
        project: "google/services/compute/resource_compute_address.go:230",
        purpose: "google/services/compute/resource_compute_address.go:153",
        region: "google/services/compute/resource_compute_address.go:178",
        subnetwork: "google/services/compute/resource_compute_address.go:187",
      },
    },
    google_compute_global_address: {
      provider: "google",
      forceNew: {
        address: "google/services/compute/resource_compute_global_address.go:76",
        address_type: "google/services/compute/resource_compute_global_address.go:84",
        description: "google/services/compute/resource_compute_global_address.go:96",
        ip_version: "google/services/compute/resource_compute_global_address.go:102",
        name: "google/services/compute/resource_compute_global_address.go:63",
        network: "google/services/compute/resource_compute_global_address.go:120",
        prefix_length: "google/services/compute/resource_compute_global_address.go:132",
        project: "google/services/compute/resource_compute_global_address.go:177",
        purpose: "google/services/compute/resource_compute_global_address.go:142",
      },
    },
    google_compute_network: {
      provider: "google",
      forceNew: {
        auto_create_subnetworks: "google/services/compute/resource_compute_network.go:77",
        description: "google/services/compute/resource_compute_network.go:89",
        enable_ula_internal_ipv6: "google/services/compute/resource_compute_network.go:96",
        internal_ipv6_range: "google/services/compute/resource_compute_network.go:104",
        name: "google/services/compute/resource_compute_network.go:64",
        network_profile: "google/services/compute/resource_compute_network.go:131",
        params: "google/services/compute/resource_compute_network.go:142",
        "params.resource_manager_tags": "google/services/compute/resource_compute_network.go:150",
        project: "google/services/compute/resource_compute_network.go:220",
      },
    },
    google_compute_router: {
      provider: "google",
      forceNew: {
        encrypted_interconnect_router: "google/services/compute/resource_compute_router.go:195",
        name: "google/services/compute/resource_compute_router.go:82",
        network: "google/services/compute/resource_compute_router.go:94",
        project: "google/services/compute/resource_compute_router.go:237",
        region: "google/services/compute/resource_compute_router.go:224",
      },
    },
    google_compute_router_nat: {
      provider: "google",
      forceNew: {
        endpoint_types: "google/services/compute/resource_compute_router_nat.go:292",
        initial_nat_ips: "google/services/compute/resource_compute_router_nat.go:311",
        name: "google/services/compute/resource_compute_router_nat.go:221",
        project: "google/services/compute/resource_compute_router_nat.go:460",
        region: "google/services/compute/resource_compute_router_nat.go:389",
        router: "google/services/compute/resource_compute_router_nat.go:229",
        type: "google/services/compute/resource_compute_router_nat.go:442",
      },
    },
    google_compute_subnetwork: {
      provider: "google",
      forceNew: {
        description: "google/services/compute/resource_compute_subnetwork.go:152",
        enable_flow_logs: "google/services/compute/resource_compute_subnetwork.go:162",
        external_ipv6_prefix: "google/services/compute/resource_compute_subnetwork.go:172",
        ip_collection: "google/services/compute/resource_compute_subnetwork.go:189",
        name: "google/services/compute/resource_compute_subnetwork.go:131",
        network: "google/services/compute/resource_compute_subnetwork.go:144",
        params: "google/services/compute/resource_compute_subnetwork.go:276",
        "params.resource_manager_tags": "google/services/compute/resource_compute_subnetwork.go:284",
        project: "google/services/compute/resource_compute_subnetwork.go:463",
        region: "google/services/compute/resource_compute_subnetwork.go:326",
        reserved_internal_range: "google/services/compute/resource_compute_subnetwork.go:333",
      },
      conditional: {
        ip_cidr_range: {
          when: "when the range shrinks (customdiff.ForceNewIfChange IsShrinkageIpCidr)",
          source: "google/services/compute/resource_compute_subnetwork.go:122",
        },
      },
    },
    google_container_cluster: {
      provider: "google",
      forceNew: {
        ...NODE_CONFIG_FORCE_NEW,
        "cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key": "google/services/container/resource_container_cluster.go:708",
        cluster_ipv4_cidr: "google/services/container/resource_container_cluster.go:896",
        confidential_nodes: "google/services/container/resource_container_cluster.go:1311",
        "confidential_nodes.confidential_instance_type": "google/services/container/resource_container_cluster.go:1325",
        "confidential_nodes.enabled": "google/services/container/resource_container_cluster.go:1319",
        datapath_provider: "google/services/container/resource_container_cluster.go:2055",
        default_max_pods_per_node: "google/services/container/resource_container_cluster.go:1872",
        description: "google/services/container/resource_container_cluster.go:905",
        enable_autopilot: "google/services/container/resource_container_cluster.go:986",
        enable_kubernetes_alpha: "google/services/container/resource_container_cluster.go:939",
        enable_tpu: "google/services/container/resource_container_cluster.go:964",
        initial_node_count: "google/services/container/resource_container_cluster.go:1017",
        ip_allocation_policy: "google/services/container/resource_container_cluster.go:1580",
        "ip_allocation_policy.cluster_ipv4_cidr_block": "google/services/container/resource_container_cluster.go:1592",
        "ip_allocation_policy.cluster_secondary_range_name": "google/services/container/resource_container_cluster.go:1613",
        "ip_allocation_policy.pod_cidr_overprovision_config": "google/services/container/resource_container_cluster.go:1638",
        "ip_allocation_policy.services_ipv4_cidr_block": "google/services/container/resource_container_cluster.go:1602",
        "ip_allocation_policy.services_secondary_range_name": "google/services/container/resource_container_cluster.go:1622",
        location: "google/services/container/resource_container_cluster.go:309",
        "master_auth.client_certificate_config": "google/services/container/resource_container_cluster.go:1346",
        "master_auth.client_certificate_config.issue_client_certificate": "google/services/container/resource_container_cluster.go:1353",
        name: "google/services/container/resource_container_cluster.go:275",
        network: "google/services/container/resource_container_cluster.go:1409",
        networking_mode: "google/services/container/resource_container_cluster.go:1697",
        node_pool: "google/services/container/resource_container_cluster.go:1445",
        "node_pool.initial_node_count": "google/services/container/resource_container_node_pool.go:295",
        "node_pool.max_pods_per_node": "google/services/container/resource_container_node_pool.go:242",
        "node_pool.name": "google/services/container/resource_container_node_pool.go:343",
        "node_pool.name_prefix": "google/services/container/resource_container_node_pool.go:351",
        "node_pool.network_config.additional_node_network_configs": "google/services/container/resource_container_node_pool.go:410",
        "node_pool.network_config.additional_node_network_configs.network": "google/services/container/resource_container_node_pool.go:417",
        "node_pool.network_config.additional_node_network_configs.subnetwork": "google/services/container/resource_container_node_pool.go:423",
        "node_pool.network_config.additional_pod_network_configs": "google/services/container/resource_container_node_pool.go:432",
        "node_pool.network_config.additional_pod_network_configs.max_pods_per_node": "google/services/container/resource_container_node_pool.go:451",
        "node_pool.network_config.additional_pod_network_configs.secondary_pod_range":
          "google/services/container/resource_container_node_pool.go:445",
        "node_pool.network_config.additional_pod_network_configs.subnetwork": "google/services/container/resource_container_node_pool.go:439",
        "node_pool.network_config.create_pod_range": "google/services/container/resource_container_node_pool.go:383",
        "node_pool.network_config.pod_cidr_overprovision_config": "google/services/container/resource_container_node_pool.go:462",
        "node_pool.network_config.pod_ipv4_cidr_block": "google/services/container/resource_container_node_pool.go:402",
        "node_pool.network_config.pod_range": "google/services/container/resource_container_node_pool.go:395",
        "node_pool.node_config": "google/services/container/node_config.go:141",
        "node_pool.node_config.advanced_machine_features": "google/services/container/node_config.go:869",
        "node_pool.node_config.advanced_machine_features.enable_nested_virtualization": "google/services/container/node_config.go:881",
        "node_pool.node_config.advanced_machine_features.threads_per_core": "google/services/container/node_config.go:875",
        "node_pool.node_config.boot_disk_kms_key": "google/services/container/node_config.go:569",
        "node_pool.node_config.confidential_nodes.confidential_instance_type": "google/services/container/node_config.go:973",
        "node_pool.node_config.enable_confidential_storage": "google/services/container/node_config.go:1004",
        "node_pool.node_config.ephemeral_storage_local_ssd_config": "google/services/container/node_config.go:278",
        "node_pool.node_config.ephemeral_storage_local_ssd_config.data_cache_count": "google/services/container/node_config.go:291",
        "node_pool.node_config.ephemeral_storage_local_ssd_config.local_ssd_count": "google/services/container/node_config.go:284",
        "node_pool.node_config.flex_start": "google/services/container/node_config.go:1023",
        "node_pool.node_config.guest_accelerator": "google/services/container/node_config.go:168",
        "node_pool.node_config.guest_accelerator.count": "google/services/container/node_config.go:175",
        "node_pool.node_config.guest_accelerator.gpu_driver_installation_config": "google/services/container/node_config.go:190",
        "node_pool.node_config.guest_accelerator.gpu_driver_installation_config.gpu_driver_version": "google/services/container/node_config.go:197",
        "node_pool.node_config.guest_accelerator.gpu_partition_size": "google/services/container/node_config.go:207",
        "node_pool.node_config.guest_accelerator.gpu_sharing_config": "google/services/container/node_config.go:214",
        "node_pool.node_config.guest_accelerator.gpu_sharing_config.gpu_sharing_strategy": "google/services/container/node_config.go:221",
        "node_pool.node_config.guest_accelerator.gpu_sharing_config.max_shared_clients_per_gpu": "google/services/container/node_config.go:227",
        "node_pool.node_config.guest_accelerator.type": "google/services/container/node_config.go:181",
        "node_pool.node_config.host_maintenance_policy": "google/services/container/node_config.go:943",
        "node_pool.node_config.host_maintenance_policy.maintenance_interval": "google/services/container/node_config.go:950",
        "node_pool.node_config.local_nvme_ssd_block_config": "google/services/container/node_config.go:304",
        "node_pool.node_config.local_nvme_ssd_block_config.local_ssd_count": "google/services/container/node_config.go:310",
        "node_pool.node_config.local_ssd_count": "google/services/container/node_config.go:266",
        "node_pool.node_config.local_ssd_encryption_mode": "google/services/container/node_config.go:1010",
        "node_pool.node_config.max_run_duration": "google/services/container/node_config.go:1017",
        "node_pool.node_config.metadata": "google/services/container/node_config.go:371",
        "node_pool.node_config.min_cpu_platform": "google/services/container/node_config.go:380",
        "node_pool.node_config.node_group": "google/services/container/node_config.go:860",
        "node_pool.node_config.oauth_scopes": "google/services/container/node_config.go:388",
        "node_pool.node_config.preemptible": "google/services/container/node_config.go:403",
        "node_pool.node_config.reservation_affinity": "google/services/container/node_config.go:412",
        "node_pool.node_config.reservation_affinity.consume_reservation_type": "google/services/container/node_config.go:418",
        "node_pool.node_config.reservation_affinity.key": "google/services/container/node_config.go:425",
        "node_pool.node_config.reservation_affinity.values": "google/services/container/node_config.go:431",
        "node_pool.node_config.secondary_boot_disks": "google/services/container/node_config.go:323",
        "node_pool.node_config.secondary_boot_disks.disk_image": "google/services/container/node_config.go:329",
        "node_pool.node_config.secondary_boot_disks.mode": "google/services/container/node_config.go:335",
        "node_pool.node_config.service_account": "google/services/container/node_config.go:452",
        "node_pool.node_config.shielded_instance_config": "google/services/container/node_config.go:474",
        "node_pool.node_config.shielded_instance_config.enable_integrity_monitoring": "google/services/container/node_config.go:489",
        "node_pool.node_config.shielded_instance_config.enable_secure_boot": "google/services/container/node_config.go:482",
        "node_pool.node_config.sole_tenant_config": "google/services/container/node_config.go:897",
        "node_pool.node_config.sole_tenant_config.node_affinity": "google/services/container/node_config.go:904",
        "node_pool.node_config.sole_tenant_config.node_affinity.key": "google/services/container/node_config.go:911",
        "node_pool.node_config.sole_tenant_config.node_affinity.operator": "google/services/container/node_config.go:917",
        "node_pool.node_config.sole_tenant_config.node_affinity.values": "google/services/container/node_config.go:924",
        "node_pool.node_config.spot": "google/services/container/node_config.go:443",
        "node_pool.placement_policy": "google/services/container/resource_container_node_pool.go:198",
        "node_pool.placement_policy.policy_name": "google/services/container/resource_container_node_pool.go:209",
        "node_pool.queued_provisioning": "google/services/container/resource_container_node_pool.go:226",
        "node_pool.queued_provisioning.enabled": "google/services/container/resource_container_node_pool.go:232",
        "private_cluster_config.enable_private_nodes": "google/services/container/resource_container_cluster.go:1783",
        "private_cluster_config.master_ipv4_cidr_block": "google/services/container/resource_container_cluster.go:1792",
        "private_cluster_config.private_endpoint_subnetwork": "google/services/container/resource_container_cluster.go:1810",
        project: "google/services/container/resource_container_cluster.go:1540",
        subnetwork: "google/services/container/resource_container_cluster.go:1548",
        "user_managed_keys_config.aggregation_ca": "google/services/container/resource_container_cluster.go:2275",
        "user_managed_keys_config.cluster_ca": "google/services/container/resource_container_cluster.go:2257",
        "user_managed_keys_config.etcd_api_ca": "google/services/container/resource_container_cluster.go:2263",
        "user_managed_keys_config.etcd_peer_ca": "google/services/container/resource_container_cluster.go:2269",
      },
      conditional: {
        "dns_config.additive_vpc_scope_dns_domain": {
          when: "when it changes once set (CustomizeDiff d.ForceNew)",
          source: "google/services/container/resource_container_cluster.go:7359",
        },
        enable_fqdn_network_policy: {
          when: "when it turns on (ForceNewIfChange isBeenEnabled)",
          source: "google/services/container/resource_container_cluster.go:240",
        },
        "enable_k8s_beta_apis.enabled_apis": {
          when: "when an API is removed (CustomizeDiff d.ForceNew)",
          source: "google/services/container/resource_container_cluster.go:7479",
        },
        enable_l4_ilb_subsetting: {
          when: "when it turns on (ForceNewIfChange isBeenEnabled)",
          source: "google/services/container/resource_container_cluster.go:239",
        },
      },
    },
    google_container_node_pool: {
      provider: "google",
      forceNew: {
        ...NODE_CONFIG_FORCE_NEW,
        cluster: "google/services/container/resource_container_node_pool.go:81",
        initial_node_count: "google/services/container/resource_container_node_pool.go:295",
        location: "google/services/container/resource_container_node_pool.go:88",
        max_pods_per_node: "google/services/container/resource_container_node_pool.go:242",
        name: "google/services/container/resource_container_node_pool.go:343",
        name_prefix: "google/services/container/resource_container_node_pool.go:351",
        "network_config.additional_node_network_configs": "google/services/container/resource_container_node_pool.go:410",
        "network_config.additional_node_network_configs.network": "google/services/container/resource_container_node_pool.go:417",
        "network_config.additional_node_network_configs.subnetwork": "google/services/container/resource_container_node_pool.go:423",
        "network_config.additional_pod_network_configs": "google/services/container/resource_container_node_pool.go:432",
        "network_config.additional_pod_network_configs.max_pods_per_node": "google/services/container/resource_container_node_pool.go:451",
        "network_config.additional_pod_network_configs.secondary_pod_range": "google/services/container/resource_container_node_pool.go:445",
        "network_config.additional_pod_network_configs.subnetwork": "google/services/container/resource_container_node_pool.go:439",
        "network_config.create_pod_range": "google/services/container/resource_container_node_pool.go:383",
        "network_config.pod_cidr_overprovision_config": "google/services/container/resource_container_node_pool.go:462",
        "network_config.pod_ipv4_cidr_block": "google/services/container/resource_container_node_pool.go:402",
        "network_config.pod_range": "google/services/container/resource_container_node_pool.go:395",
        placement_policy: "google/services/container/resource_container_node_pool.go:198",
        "placement_policy.policy_name": "google/services/container/resource_container_node_pool.go:209",
        project: "google/services/container/resource_container_node_pool.go:75",
        queued_provisioning: "google/services/container/resource_container_node_pool.go:226",
        "queued_provisioning.enabled": "google/services/container/resource_container_node_pool.go:232",
      },
    },
    google_kms_crypto_key: {
      provider: "google",
      forceNew: {
        crypto_key_backend: "google/services/kms/resource_kms_crypto_key.go:89",
        destroy_scheduled_duration: "google/services/kms/resource_kms_crypto_key.go:97",
        import_only: "google/services/kms/resource_kms_crypto_key.go:105",
        key_ring: "google/services/kms/resource_kms_crypto_key.go:74",
        name: "google/services/kms/resource_kms_crypto_key.go:82",
        purpose: "google/services/kms/resource_kms_crypto_key.go:121",
        "version_template.protection_level": "google/services/kms/resource_kms_crypto_key.go:162",
      },
    },
    google_kms_crypto_key_iam_member: {
      provider: "google",
      forceNew: {
        ...IAM_MEMBER_FORCE_NEW,
        crypto_key_id: "google/services/kms/iam_kms_crypto_key.go:35",
      },
    },
    google_kms_key_ring: {
      provider: "google",
      forceNew: {
        location: "google/services/kms/resource_kms_key_ring.go:59",
        name: "google/services/kms/resource_kms_key_ring.go:66",
        project: "google/services/kms/resource_kms_key_ring.go:73",
      },
    },
    google_project_iam_member: {
      provider: "google",
      forceNew: {
        ...IAM_MEMBER_FORCE_NEW,
        project: "google/services/resourcemanager/iam_project.go:34",
      },
    },
    google_project_service: {
      provider: "google",
      forceNew: {
        project: "google/services/resourcemanager/resource_google_project_service.go:123",
        service: "google/services/resourcemanager/resource_google_project_service.go:116",
      },
    },
    google_redis_instance: {
      provider: "google",
      forceNew: {
        alternative_location_id: "google/services/redis/resource_redis_instance.go:120",
        authorized_network: "google/services/redis/resource_redis_instance.go:138",
        connect_mode: "google/services/redis/resource_redis_instance.go:147",
        customer_managed_key: "google/services/redis/resource_redis_instance.go:155",
        location_id: "google/services/redis/resource_redis_instance.go:177",
        name: "google/services/redis/resource_redis_instance.go:112",
        project: "google/services/redis/resource_redis_instance.go:591",
        region: "google/services/redis/resource_redis_instance.go:374",
        reserved_ip_range: "google/services/redis/resource_redis_instance.go:390",
        tier: "google/services/redis/resource_redis_instance.go:410",
        transit_encryption_mode: "google/services/redis/resource_redis_instance.go:421",
      },
      conditional: {
        redis_version: {
          when: "when the version decreases (ForceNewIfChange isRedisVersionDecreasing)",
          source: "google/services/redis/resource_redis_instance.go:98",
        },
      },
    },
    google_secret_manager_secret: {
      provider: "google",
      forceNew: {
        project: "google/services/secretmanager/resource_secret_manager_secret.go:352",
        replication: "google/services/secretmanager/resource_secret_manager_secret.go:92",
        "replication.auto": "google/services/secretmanager/resource_secret_manager_secret.go:101",
        "replication.user_managed": "google/services/secretmanager/resource_secret_manager_secret.go:130",
        "replication.user_managed.replicas": "google/services/secretmanager/resource_secret_manager_secret.go:138",
        "replication.user_managed.replicas.location": "google/services/secretmanager/resource_secret_manager_secret.go:146",
        secret_id: "google/services/secretmanager/resource_secret_manager_secret.go:177",
        tags: "google/services/secretmanager/resource_secret_manager_secret.go:259",
      },
      conditional: {
        "replication.auto": {
          when: "when replication switches between auto and user_managed (CustomizeDiff diff.ForceNew)",
          source: "google/services/secretmanager/resource_secret_manager_secret.go:56",
        },
        "replication.user_managed": {
          when: "when replication switches between auto and user_managed (CustomizeDiff diff.ForceNew)",
          source: "google/services/secretmanager/resource_secret_manager_secret.go:50",
        },
      },
    },
    google_secret_manager_secret_iam_member: {
      provider: "google",
      forceNew: {
        ...IAM_MEMBER_FORCE_NEW,
        project: "google/services/secretmanager/iam_secret_manager_secret.go:39",
        secret_id: "google/services/secretmanager/iam_secret_manager_secret.go:44",
      },
    },
    google_secret_manager_secret_version: {
      provider: "google",
      forceNew: {
        is_secret_data_base64: "google/services/secretmanager/resource_secret_manager_secret_version.go:165",
        secret: "google/services/secretmanager/resource_secret_manager_secret_version.go:120",
        secret_data: "google/services/secretmanager/resource_secret_manager_secret_version.go:103",
        secret_data_wo_version: "google/services/secretmanager/resource_secret_manager_secret_version.go:96",
      },
    },
    google_service_account: {
      provider: "google",
      forceNew: {
        account_id: "google/services/resourcemanager/resource_google_service_account.go:72",
        project: "google/services/resourcemanager/resource_google_service_account.go:97",
      },
    },
    google_service_account_iam_member: {
      provider: "google",
      forceNew: {
        ...IAM_MEMBER_FORCE_NEW,
        service_account_id: "google/services/resourcemanager/iam_service_account.go:37",
      },
    },
    google_service_networking_connection: {
      provider: "google",
      forceNew: {
        network: "google/services/servicenetworking/resource_service_networking_connection.go:56",
        service: "google/services/servicenetworking/resource_service_networking_connection.go:69",
      },
    },
    helm_release: {
      provider: "helm",
      forceNew: {
        name: "helm/resource_helm_release.go:414",
        namespace: "helm/resource_helm_release.go:424",
      },
    },
    kubernetes_config_map_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
      },
    },
    kubernetes_deployment_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
        "spec.selector": "kubernetes/resource_kubernetes_deployment_v1.go:104",
        "spec.selector.match_expressions": "kubernetes/resource_kubernetes_deployment_v1.go:112",
        "spec.selector.match_expressions.key": "kubernetes/resource_kubernetes_deployment_v1.go:119",
        "spec.selector.match_expressions.operator": "kubernetes/resource_kubernetes_deployment_v1.go:125",
        "spec.selector.match_expressions.values": "kubernetes/resource_kubernetes_deployment_v1.go:131",
        "spec.selector.match_labels": "kubernetes/resource_kubernetes_deployment_v1.go:142",
        "spec.template.metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "spec.template.metadata.name": "kubernetes/schema_metadata.go:37",
        "spec.template.metadata.namespace": "kubernetes/schema_metadata.go:95",
        "spec.template.spec.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference.match_fields":
          "kubernetes/schema_affinity_spec.go:130",
        "spec.template.spec.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference.match_fields.key":
          "kubernetes/schema_node_selector_term.go:16",
        "spec.template.spec.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference.match_fields.operator":
          "kubernetes/schema_node_selector_term.go:22",
        "spec.template.spec.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference.match_fields.values":
          "kubernetes/schema_node_selector_term.go:28",
        "spec.template.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term.match_fields":
          "kubernetes/schema_affinity_spec.go:130",
        "spec.template.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term.match_fields.key":
          "kubernetes/schema_node_selector_term.go:16",
        "spec.template.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term.match_fields.operator":
          "kubernetes/schema_node_selector_term.go:22",
        "spec.template.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term.match_fields.values":
          "kubernetes/schema_node_selector_term.go:28",
        "spec.template.spec.volume.azure_file.secret_namespace": "kubernetes/schema_volume_source.go:190",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.access_modes": "kubernetes/schema_persistent_volume_claim.go:33",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.resources.limits": "kubernetes/schema_persistent_volume_claim.go:56",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.selector": "kubernetes/schema_persistent_volume_claim.go:73",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.storage_class_name": "kubernetes/schema_persistent_volume_claim.go:91",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.volume_mode": "kubernetes/schema_persistent_volume_claim.go:98",
        "spec.template.spec.volume.ephemeral.volume_claim_template.spec.volume_name": "kubernetes/schema_persistent_volume_claim.go:83",
      },
    },
    kubernetes_horizontal_pod_autoscaler_v2: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
      },
    },
    kubernetes_manifest: {
      provider: "kubernetes",
      forceNew: {
        "manifest.apiVersion": "manifest/provider/plan.go:186",
        "manifest.kind": "manifest/provider/plan.go:187",
        "manifest.metadata.name": "manifest/provider/plan.go:188",
        "manifest.metadata.namespace": "manifest/provider/plan.go:332",
      },
      conditional: {
        manifest: {
          when: "the API server publishes no OpenAPI schema for the kind (a CRD without one): then every change replaces",
          source: "manifest/provider/plan.go:373-376",
        },
      },
    },
    kubernetes_namespace_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:62",
        "metadata.name": "kubernetes/schema_metadata.go:37",
      },
    },
    kubernetes_network_policy_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
      },
    },
    kubernetes_pod_disruption_budget_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
        spec: "kubernetes/resource_kubernetes_pod_disruption_budget_v1.go:47",
        "spec.max_unavailable": "kubernetes/resource_kubernetes_pod_disruption_budget_v1.go:55",
        "spec.min_available": "kubernetes/resource_kubernetes_pod_disruption_budget_v1.go:62",
        "spec.selector": "kubernetes/resource_kubernetes_pod_disruption_budget_v1.go:69",
      },
    },
    kubernetes_secret_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
        type: "kubernetes/resource_kubernetes_secret_v1.go:123",
      },
    },
    kubernetes_service_account_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
      },
    },
    kubernetes_service_v1: {
      provider: "kubernetes",
      forceNew: {
        "metadata.generate_name": "kubernetes/schema_metadata.go:103",
        "metadata.name": "kubernetes/schema_metadata.go:37",
        "metadata.namespace": "kubernetes/schema_metadata.go:95",
        "spec.cluster_ip": "kubernetes/resource_kubernetes_service_v1.go:69",
        "spec.cluster_ips": "kubernetes/resource_kubernetes_service_v1.go:80",
        "spec.health_check_node_port": "kubernetes/resource_kubernetes_service_v1.go:288",
        "spec.load_balancer_class": "kubernetes/resource_kubernetes_service_v1.go:154",
      },
    },
  },
} as const;

/**
 * The images each chart version we pin deploys, rendered with `helm template` (Helm 3.17) on the
 * chart source with the values the example app synthesizes, dependencies from their own tags
 * (kube-state-metrics-8.4.0, prometheus-node-exporter-4.56.1, grafana-12.11.1). `hook`: a Helm hook
 * Job, run on install/upgrade then deleted; `test`: only `helm test` runs it, helm_release never does.
 * A values change that turns a component on or off, or overrides an image, changes this list.
 */
export const CHART_IMAGE_FACTS = {
  "kong@3.4.1": {
    source: "Kong/charts@kong-3.4.1:charts/kong/values.yaml (image.repository/tag overridden by our values with VERSIONS.kongImage)",
    images: [{ image: "kong:3.9.1", runs: "proxy Deployment (and its clear-stale-pid init container)", kind: "workload" }],
    /** crds/custom-resource-definitions.yaml: installed by Helm unless skip_crds; none is read by DB-less Kong with ingressController off. */
    crds: { count: 12, source: "Kong/charts@kong-3.4.1:charts/kong/crds/custom-resource-definitions.yaml" },
  },
  "kube-prometheus-stack@88.5.3": {
    source:
      "prometheus-community/helm-charts@kube-prometheus-stack-88.5.3:charts/kube-prometheus-stack/values.yaml:1019-1021,3130-3132,3524-3527," +
      "3551-3554,4345-4347 (empty tags = Chart.yaml:33 appVersion v0.93.1); " +
      "grafana-community/helm-charts@grafana-12.11.1:charts/grafana/values.yaml:112-114,135,1044 (Chart.yaml:5 appVersion 13.2.0); " +
      "prometheus-community/helm-charts@kube-state-metrics-8.4.0:charts/kube-state-metrics/values.yaml:5 (appVersion 2.20.0); " +
      "@prometheus-node-exporter-4.56.1:charts/prometheus-node-exporter/values.yaml:6 (appVersion 1.12.1)",
    images: [
      { image: "quay.io/prometheus-operator/prometheus-operator:v0.93.1", runs: "operator Deployment", kind: "workload" },
      {
        image: "quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1",
        runs: "sidecar the operator adds to Prometheus and Alertmanager",
        kind: "workload",
      },
      { image: "quay.io/prometheus/prometheus:v3.14.0-distroless", runs: "Prometheus StatefulSet (operator-managed)", kind: "workload" },
      { image: "quay.io/prometheus/alertmanager:v0.34.0", runs: "Alertmanager StatefulSet (operator-managed)", kind: "workload" },
      { image: "docker.io/grafana/grafana:13.2.0", runs: "Grafana Deployment", kind: "workload" },
      { image: "quay.io/kiwigrid/k8s-sidecar:2.10.1", runs: "Grafana dashboard and datasource sidecars", kind: "workload" },
      { image: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0", runs: "kube-state-metrics Deployment", kind: "workload" },
      { image: "quay.io/prometheus/node-exporter:v1.12.1-distroless", runs: "node-exporter DaemonSet (every node)", kind: "workload" },
      { image: "ghcr.io/jkroepke/kube-webhook-certgen:1.8.7", runs: "admission webhook certificate Jobs", kind: "hook" },
      { image: "docker.io/bats/bats:1.14.0", runs: "Grafana test Pod", kind: "test" },
    ],
  },
} as const;

/**
 * The OpenTelemetry Collector we run (TraceCollector): the contrib distribution `otelcol-contrib`
 * v0.159.0, whose manifest pins every component below at v0.159.0. Core components are read from
 * open-telemetry/opentelemetry-collector@v0.159.0 (69c0873044e80fe1f0647a0bc5afec6244bcad76), the
 * image from open-telemetry/opentelemetry-collector-releases@v0.159.0 (f817832365a9a2b829bc7c25feffcf8834585dea),
 * the contrib components from the stored open-telemetry/opentelemetry-collector-contrib files named
 * below (the repository is too large to snapshot whole), and the googlecloud exporter's embedded
 * config from GoogleCloudPlatform/opentelemetry-operations-go@exporter/collector/v0.59.0.
 * The collector decodes its configuration strictly: an unknown key fails start-up.
 */
export const OTEL_COLLECTOR_FACTS = {
  version: "0.159.0",
  /** The image runs as 10001:10001 from scratch (no shell, no `sleep`), config at /etc/otelcol-contrib/config.yaml. */
  image: {
    repository: "otel/opentelemetry-collector-contrib",
    tag: "0.159.0",
    user: 10001,
    binary: "/otelcol-contrib",
    ports: { otlpGrpc: 4317, otlpHttp: 4318 },
    source:
      "open-telemetry/opentelemetry-collector-releases@v0.159.0:distributions/otelcol-contrib/Dockerfile:4-15; " +
      "distributions/otelcol-contrib/manifest.yaml:5 (version), 32 (healthcheckextension), 75 (googlecloudexporter), " +
      "103-104 (batch, memory_limiter), 138 (otlpreceiver)",
  },
  /** Components the distribution ships, by the name used in the configuration. */
  components: {
    receivers: ["otlp"],
    processors: ["memory_limiter", "batch"],
    exporters: ["googlecloud"],
    extensions: ["health_check"],
  },
  /**
   * Keys each component takes (nested records as objects), restricted to the ones we may render.
   * Both OTLP listeners default to localhost (receiver/otlpreceiver/factory.go:44,49), unreachable
   * from other pods, so the endpoint must be set.
   */
  configKeys: {
    otlp: [{ protocols: [{ grpc: ["endpoint", "transport"] }, { http: ["endpoint", "traces_url_path"] }] }],
    memory_limiter: ["check_interval", "limit_mib", "spike_limit_mib", "limit_percentage", "spike_limit_percentage"],
    batch: ["timeout", "send_batch_size", "send_batch_max_size", "metadata_keys", "metadata_cardinality_limit"],
    googlecloud: ["project", "user_agent", "destination_project_quota", "timeout", "sending_queue", "retry_on_failure", "impersonate", "trace"],
    health_check: ["endpoint", "path", "response_body", "check_collector_pipeline"],
    source:
      "open-telemetry/opentelemetry-collector@v0.159.0:receiver/otlpreceiver/config.go:37-66, config/confighttp/server.go:39-43, " +
      "config/confignet/confignet.go:82-87, internal/memorylimiter/config.go:31-76, processor/batchprocessor/config.go:19-46; " +
      "GoogleCloudPlatform/opentelemetry-operations-go@exporter/collector/v0.59.0:exporter/collector/config.go:54-57 (project, trace); " +
      "open-telemetry/opentelemetry-collector-contrib@0119bf92d6:exporter/googlecloudexporter/README.md (Configuration reference), " +
      "@0ec4f86030:extension/healthcheckextension/config.go:28-38",
  },
  /**
   * memory_limiter first, then batch: the limiter must see data before batching to push back on
   * receivers; GOMEMLIMIT at 80% of the container's memory limit. limit_percentage reads the cgroup limit.
   */
  pipelineOrder: {
    processors: ["memory_limiter", "batch"],
    goMemLimitFraction: 0.8,
    source:
      "open-telemetry/opentelemetry-collector@v0.159.0:processor/memorylimiterprocessor/README.md:79-85, 97-111, 131-139; " +
      "processor/batchprocessor/README.md (after memory_limiter)",
  },
  /** Traces need roles/cloudtrace.agent on the exporter's identity, found through Application Default Credentials (Workload Identity on GKE). */
  exporterRole: {
    role: "roles/cloudtrace.agent",
    source: "open-telemetry/opentelemetry-collector-contrib@0119bf92d6:exporter/googlecloudexporter/README.md (Prerequisite: Authenticating)",
  },
} as const;
