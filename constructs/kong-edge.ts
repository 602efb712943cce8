import { createPublicKey, type KeyObject } from "node:crypto";
import { Construct } from "constructs";
import { Lazy, type ITerraformDependable } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { KONG_SERVICE_ACCOUNT } from "../lib/gateway-names";
import { SecretFiles } from "../lib/secret-files";
import { toYaml } from "../lib/yaml";
import { InvalidPropsError, received } from "../lib/errors";
import { parseIpv4Cidr } from "../lib/cidr";
import { EDGE_TIER_LABELS, KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { SHUTDOWN_BUDGET } from "../lib/shutdown";
import { KONG_CHART_FACTS, KONG_FACTS } from "../lib/upstream-facts";
import { isUnresolved } from "../lib/tokens";
import { VERSIONS } from "../lib/versions";
import { guardRenderedValues } from "../lib/synth-guard";
import { API_KEY_CONSUMER } from "../lib/tenants";
import { suppressPolicy } from "../lib/policy/pack";
import type { TierTracing } from "../lib/observability/tracing";

/** A Kong service with its routes. */
export interface KongRoute {
  /** Route name, unique. */
  readonly name: string;
  /** Upstream URL, e.g. http://gateway-app.ai-gateway-app.svc.cluster.local:8080 */
  readonly url: string;
  /** Path prefixes, e.g. ["/v1"]. */
  readonly paths: string[];
  /** @default false */
  readonly stripPath?: boolean;
  /** Milliseconds Kong waits for the upstream; long enough for streamed completions. @default 600000 */
  readonly readTimeoutMs?: number;
}

/** A caller, authenticated by JWTs signed with its RS256 key. */
export interface KongConsumer {
  /** Kong username; gateway-app tenants are matched against it. */
  readonly username: string;
  /** @default - none */
  readonly customId?: string;
  /** Expected `iss` claim of the consumer's tokens. @default - the username */
  readonly issuer?: string;
  /** PEM public key (RSA, at least 2048 bits) that verifies the consumer's RS256 tokens. Public, so safe in config. */
  readonly rsaPublicKey: string;
  /**
   * More RS256 keys of the same consumer, each selected by its own `iss` (a tenant with several
   * signers, or a key rotation with the old and new key valid at once).
   * @default []
   */
  readonly additionalKeys?: readonly { readonly issuer: string; readonly rsaPublicKey: string }[];
}

/** One of a consumer's keys as Kong stores it: a jwt_secrets entry keyed by issuer. */
interface JwtKey {
  readonly field: string;
  readonly issuer: string;
  readonly rsaPublicKey: string;
}

function jwtKeys(consumer: KongConsumer): JwtKey[] {
  return [
    { field: `consumer ${consumer.username}`, issuer: consumer.issuer ?? consumer.username, rsaPublicKey: consumer.rsaPublicKey },
    ...(consumer.additionalKeys ?? []).map((key, k) => ({ field: `consumer ${consumer.username}.additionalKeys[${k}]`, ...key })),
  ];
}

/** Per-consumer limits. */
export interface RateLimits {
  /** @default 100 */
  readonly minute?: number;
  /** @default 1000 */
  readonly hour?: number;
  /** @default 10000 */
  readonly day?: number;
}

/** Where Kong keeps rate-limit counters when several replicas must share them. */
export interface RateLimitRedis {
  readonly host: string;
  readonly port: string;
  /** PEM of the server CAs (Memorystore's): one or more certificates, all trusted. */
  readonly caCertificate: string;
  /**
   * A Kubernetes Secret in Kong's namespace holding the Redis AUTH string, created out of band
   * (e.g. from `gcloud redis instances get-auth-string`); Kong reads it through its env vault.
   */
  readonly passwordSecret: { readonly name: string; readonly key: string };
  /**
   * The resource that creates `passwordSecret`, when the same stack does: Kong's release waits
   * for it like for everything else its pods read.
   * @default - none: the Secret exists beforehand
   */
  readonly passwordSecretResource?: ITerraformDependable;
}

/**
 * How a renewed certificate reaches Kong, which reads its certificate only when it starts.
 * - `"reloader"`: the Deployment is annotated for Stakater Reloader (which must run in the
 *   cluster); when the Secret changes, Reloader rolls Kong, pod by pod, honouring the PDB.
 * - `"manual"`: nothing rolls Kong; you run `kubectl rollout restart` after every renewal.
 */
export type KongCertificateRollout = "reloader" | "manual";

/** The certificate and key as Secret Manager secrets, mounted into Kong through the GKE add-on. */
export interface KongSecretManagerTls {
  /** The project of the secrets. */
  readonly projectId: string;
  /** Secret id of the PEM certificate chain, leaf first. */
  readonly certificateSecret: string;
  /** Secret id of the PEM private key. */
  readonly keySecret: string;
  /**
   * The secret version to mount. A number pins the certificate: renewing is adding a version
   * and deploying the new number, which rolls Kong pod by pod (the version is in the pod
   * template). With "latest", a renewal reaches Kong only when its pods restart.
   * @default "latest"
   */
  readonly version?: string;
}

/** How the proxy gets its TLS certificate. */
export type KongTls =
  /**
   * From Secret Manager (the default of AiGateway): nothing has to exist in the cluster before
   * the release, so a fresh project deploys in one platform apply.
   */
  | { readonly secretManager: KongSecretManagerTls }
  /** An existing `kubernetes.io/tls` Secret in Kong's namespace (from cert-manager, or created by hand). */
  | { readonly secretName: string /** @default "reloader" */; readonly rolloutOnRenewal?: KongCertificateRollout }
  /**
   * cert-manager issues it through the chart (cert-manager and its CRDs must be installed
   * before Kong: the chart renders no Certificate when the cluster lacks `cert-manager.io/v1`).
   */
  | {
      readonly certManager: { readonly clusterIssuer: string; readonly dnsNames: string[] };
      /** @default "reloader" */
      readonly rolloutOnRenewal?: KongCertificateRollout;
    };

export interface KongEdgeProps {
  readonly namespace: string;
  readonly tls: KongTls;
  /**
   * The Google service account Kong's Kubernetes service account `kong` acts as (Workload
   * Identity); required by `tls.secretManager`, whose secrets it must be allowed to read.
   * @default - none: Kong's pods have no Google identity
   */
  readonly workloadIdentityServiceAccount?: string;
  /** The reserved static IP of the load balancer. */
  readonly loadBalancerIp: string;
  /**
   * Client ranges allowed to reach the load balancer.
   * @default [] - the internet
   */
  readonly sourceRanges?: string[];
  /**
   * Browser origins allowed by CORS; without any, no CORS headers are sent and browsers cannot call the API.
   * @default []
   */
  readonly corsOrigins?: string[];
  /** @default - 100/minute, 1000/hour, 10000/day by consumer */
  readonly rateLimits?: RateLimits;
  /**
   * Let callers without a valid JWT through as the consumer `api-key-caller` (the jwt plugin's
   * `anonymous`), for gateway-app to authenticate by API key; it refuses them without one. Kong
   * limits them per client IP, since it cannot tell their tenants apart.
   * @default - none: every request needs a valid JWT
   */
  readonly apiKeyCallers?: ApiKeyCallers;
  /**
   * Shared counters. Required when more than one replica can run, because `local` counts per
   * pod and would multiply every limit by the replica count.
   * @default - none; then replicas must be { min: 1, max: 1 }
   */
  readonly rateLimitRedis?: RateLimitRedis;
  /**
   * Replicas, scaled at 70% CPU. A PodDisruptionBudget (at most one pod down) keeps at least one
   * serving, so more than one replica can run only with at least two always up; `{ min: 1, max: 1 }`
   * runs one pod with no PDB and no autoscaler.
   * @default - 2 to 10 replicas
   */
  readonly replicas?: { readonly min?: number; readonly max?: number };
  /** Largest request body in megabytes. @default 1 */
  readonly maxBodyMegabytes?: number;
  /** @default [] */
  readonly routes?: KongRoute[];
  /** @default [] */
  readonly consumers?: KongConsumer[];
  /**
   * More labels for Kong's pods (cost allocation, ownership). The chart's own pod labels and our
   * `ai-gateway/tier` are refused: the chart's selectors and our policies depend on them.
   * @default {}
   */
  readonly podLabels?: Record<string, string>;
  /**
   * How long Kong's nginx lets in-flight requests (streams) finish once it stops accepting; must
   * outlast gateway-app's drain so Kong never cuts a stream the backend is still finishing.
   * @default 310 - gateway-app's 300 s drain plus 10 s
   */
  readonly drainSeconds?: number;
  /**
   * A Kubernetes Secret in Kong's namespace holding the token Kong adds, as `X-Gateway-Edge-Token`,
   * to every request it proxies; gateway-app refuses API requests without it (EDGE_TOKEN), so that
   * only Kong speaks for a tenant even where a NetworkPolicy fails. The token must be 32 to 512
   * letters, digits, `-` or `_`.
   * @default - none: Kong adds no token (for backends that do not check one)
   */
  readonly edgeToken?: EdgeTokenSecret;
  /**
   * Kong's `opentelemetry` plugin: Kong starts each request's trace (W3C `traceparent` to
   * gateway-app) and sends its spans to the collector. A client's own trace headers are not
   * continued, so no caller can make every request a sampled one.
   * @default - none: no plugin, Kong traces nothing
   */
  readonly tracing?: TierTracing;
}

/** Callers whose API key gateway-app verifies (Kong never sees the keys). */
export interface ApiKeyCallers {
  /**
   * Kong's first-line limit for them, per client IP (`limit_by: ip`), not per key: keying on the
   * Authorization header would write raw keys into the counter names in Redis.
   * @default - the edge's `rateLimits`
   */
  readonly rateLimits?: RateLimits;
}

export { API_KEY_CONSUMER };

/** Where Kong reads the edge token from. */
export interface EdgeTokenSecret {
  readonly secret: { readonly name: string; readonly key: string };
  /**
   * The resource that creates `secret`, when the same stack does: Kong's release waits for it.
   * @default - none: the Secret exists beforehand
   */
  readonly resource?: ITerraformDependable;
}

/** The request header that carries the edge token to gateway-app (gateway-app/src/edge-auth.ts). */
export const EDGE_TOKEN_HEADER = "X-Gateway-Edge-Token";
/**
 * Kong can take these two secrets only from its environment, so AIG-K8S-12's `no-secret-env`
 * check is suppressed for exactly them, and only when they are configured.
 */
function suppressSecretEnvWhereKongNeedsIt(edge: Construct, props: Pick<KongEdgeProps, "rateLimitRedis" | "edgeToken">): void {
  const reasons = [
    props.rateLimitRedis && "the rate-limiting plugin reads the Redis password through its env vault, and open-source Kong has no file-based vault",
    props.edgeToken && "nginx's proxy_set_header can take the edge token only from Kong's configuration, which reads it from the environment",
  ].filter((reason): reason is string => Boolean(reason));
  if (reasons.length === 0) return;
  suppressPolicy(edge, [
    { id: "AIG-K8S-12", appliesTo: ["no-secret-env"], reason: `Kong must get these secrets as environment variables: ${reasons.join("; ")}.` },
  ]);
}

/** The response header that carries the request's trace id (the opentelemetry plugin's `http_response_header_for_traceid`). */
export const TRACE_ID_HEADER = "X-Trace-Id";

/** The env var the token lands in; it sorts before KONG_NGINX_* (see edgeTokenValues). */
const EDGE_TOKEN_ENV = "GATEWAY_EDGE_TOKEN";

const KONG_DEFAULTS = {
  rateLimits: { minute: 100, hour: 1000, day: 10000 },
  replicas: { min: 2, max: 10 },
  maxBodyMegabytes: 1,
  readTimeoutMs: 600_000,
  drainSeconds: SHUTDOWN_BUDGET.streamSeconds + SHUTDOWN_BUDGET.tierMarginSeconds,
} as const;

const STATUS_PORT = 8100;
/** The request id header, the one gateway-app reads and forwards (gateway-app/src/request-id.ts). */
export const REQUEST_ID_HEADER = "X-Request-ID";
const REDIS_CA_DIR = "/etc/kong-redis-ca";
const NAME = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;
/** Stakater Reloader rolls a workload whose metadata names a changed Secret here. stakater/Reloader@v1.4.21:internal/pkg/options/flags.go:22 */
const RELOADER_SECRET_ANNOTATION = "secret.reloader.stakater.com/reload";
/** Keys the chart writes into the pod labels itself; a `podLabels` key among them would replace the chart's value. */
const CHART_OWNED_POD_LABELS: ReadonlySet<string> = new Set(KONG_CHART_FACTS.podLabels.chartRendered.map(([key]) => key));
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

interface MountedVolume {
  readonly volume: Record<string, unknown>;
  readonly mount: Record<string, unknown>;
}

interface RenderedTls {
  readonly certDir: string;
  readonly secretName: string;
  readonly rollout: KongCertificateRollout;
  readonly values: Record<string, unknown>;
  readonly volumes: readonly MountedVolume[];
}

/** The chart's `deployment.userDefinedVolumes` and `…VolumeMounts`, or nothing when there are none. */
function userDefinedVolumes(volumes: readonly MountedVolume[]): Record<string, unknown> {
  if (volumes.length === 0) return {};
  return { userDefinedVolumes: volumes.map((v) => v.volume), userDefinedVolumeMounts: volumes.map((v) => v.mount) };
}

const SECRET_MANAGER_TLS_CLASS = "kong-proxy-tls";
const SECRET_MANAGER_TLS_DIR = "/etc/secrets/kong-proxy-tls";

/**
 * Kong Gateway at the edge, from its Helm chart: DB-less with a declarative configuration
 * rendered from typed routes and consumers, no ingress controller (so no CRDs), TLS at Kong,
 * HTTP redirected to HTTPS, a reserved static IP, JWT (RS256, `exp` verified), rate limits by
 * consumer, CORS for explicit origins only, request ids, size limits, security headers and
 * Prometheus metrics, with Kong's hardened pod settings, HPA, PDB and spread.
 */
export class KongEdge extends Construct {
  public readonly release: Release;
  private readonly routes: KongRoute[] = [];
  private readonly consumers: KongConsumer[] = [];
  private readonly props: KongEdgeProps;
  /** Bumped by every route or consumer added, so the rendered values are reused until then. */
  private revision = 0;
  private rendered?: { readonly revision: number; readonly yaml: string };

  constructor(scope: Construct, id: string, props: KongEdgeProps) {
    super(scope, id);
    guardRenderedValues(this);
    this.props = props;
    this.validate(props);
    for (const route of props.routes ?? []) this.addRoute(route);
    for (const consumer of props.consumers ?? []) this.addConsumer(consumer);

    // What Kong's pods mount: created before the release, whose atomic install would roll back
    // if the pods waited for them past its timeout.
    const prerequisites: ITerraformDependable[] = [];
    if (props.rateLimitRedis) {
      prerequisites.push(
        new ConfigMapV1(this, "RedisCa", {
          metadata: { name: "kong-redis-ca", namespace: props.namespace, labels: { ...KUBERNETES_COMMON_LABELS } },
          data: { "ca.pem": props.rateLimitRedis.caCertificate },
        }),
      );
      if (props.rateLimitRedis.passwordSecretResource) prerequisites.push(props.rateLimitRedis.passwordSecretResource);
    }
    if (props.edgeToken?.resource) prerequisites.push(props.edgeToken.resource);
    suppressSecretEnvWhereKongNeedsIt(this, props);
    if ("secretManager" in props.tls) {
      const tls = props.tls.secretManager;
      const version = tls.version ?? "latest";
      prerequisites.push(
        new SecretFiles(this, "ProxyTls", {
          namespace: props.namespace,
          name: SECRET_MANAGER_TLS_CLASS,
          projectId: tls.projectId,
          secrets: { "tls.crt": tls.certificateSecret, "tls.key": tls.keySecret },
          version,
        }).manifest,
      );
    }
    this.release = new Release(this, "Release", {
      name: "kong",
      namespace: props.namespace,
      repository: VERSIONS.kongChart.repository,
      chart: VERSIONS.kongChart.chart,
      version: VERSIONS.kongChart.version,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      // The chart's crds/ folder holds 12 Kong Ingress Controller CRDs (Kong/charts@kong-3.4.1:
      // charts/kong/crds/custom-resource-definitions.yaml). DB-less Kong with the controller off reads
      // its declarative config and no custom resource; Helm never upgrades or deletes crds/, so
      // installing them would only leave cluster-wide objects behind after teardown.
      skipCrds: true,
      values: [Lazy.stringValue({ produce: () => this.renderedValues() })],
      dependsOn: prerequisites,
    });
  }

  /** Routes a path prefix to a service. */
  public addRoute(route: KongRoute): void {
    if (!NAME.test(route.name))
      throw new InvalidPropsError(this, "route.name", `is not a valid Kong name ${received(route.name)}`, "use letters, digits, . _ ~ -");
    if (this.routes.some((r) => r.name === route.name))
      throw new InvalidPropsError(this, "route.name", `"${route.name}" is already used`, "give every route its own name");
    if (route.paths.length === 0 || route.paths.some((p) => !p.startsWith("/")))
      throw new InvalidPropsError(
        this,
        `route ${route.name}.paths`,
        `must be non-empty paths starting with "/" ${received(route.paths)}`,
        'use prefixes like "/v1"',
      );
    this.routes.push(route);
    this.revision++;
  }

  /** Lets a caller in with JWTs signed by its RS256 key. */
  public addConsumer(consumer: KongConsumer): void {
    if (!NAME.test(consumer.username))
      throw new InvalidPropsError(
        this,
        "consumer.username",
        `is not a valid Kong username ${received(consumer.username)}`,
        "use letters, digits, . _ ~ -",
      );
    if (consumer.username === API_KEY_CONSUMER)
      throw new InvalidPropsError(
        this,
        "consumer.username",
        `"${API_KEY_CONSUMER}" is reserved for the consumer Kong gives API-key callers`,
        "give the consumer another username",
      );
    if (this.consumers.some((c) => c.username === consumer.username))
      throw new InvalidPropsError(this, "consumer.username", `"${consumer.username}" is already used`, "give every consumer its own username");
    // Kong rejects the whole declarative config on a repeated jwt_secrets.key or custom_id
    // (unique in kong/plugins/jwt/daos.lua, kong/db/schema/entities/consumers.lua).
    const taken = new Map(this.consumers.flatMap((c) => jwtKeys(c).map((key) => [key.issuer, c.username] as const)));
    for (const key of jwtKeys(consumer)) {
      this.checkRs256Key(key);
      const owner = taken.get(key.issuer);
      if (owner !== undefined)
        throw new InvalidPropsError(
          this,
          `${key.field}.issuer`,
          `"${key.issuer}" is already the issuer of consumer "${owner}"`,
          "give every key its own issuer (the iss claim selects the key, so it must name one consumer)",
        );
      taken.set(key.issuer, consumer.username);
    }
    const sameCustomId = consumer.customId === undefined ? undefined : this.consumers.find((c) => c.customId === consumer.customId);
    if (sameCustomId)
      throw new InvalidPropsError(
        this,
        `consumer ${consumer.username}.customId`,
        `"${consumer.customId}" is already the customId of consumer "${sameCustomId.username}"`,
        "give every consumer its own customId",
      );
    this.consumers.push(consumer);
    this.revision++;
  }

  /** Kong verifies with OpenSSL when it loads the config (kong/plugins/jwt/daos.lua:4-11); we refuse what it would, and weak keys, at synth. */
  private checkRs256Key(jwtKey: JwtKey): void {
    const field = `${jwtKey.field}.rsaPublicKey`;
    if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/.test(jwtKey.rsaPublicKey.trim())) {
      throw new InvalidPropsError(
        this,
        field,
        "is not a PEM public key",
        "pass the consumer's RS256 public key (-----BEGIN PUBLIC KEY-----); never a private key or an HMAC secret",
      );
    }
    let key: KeyObject;
    try {
      key = createPublicKey(jwtKey.rsaPublicKey.trim());
    } catch (error) {
      throw new InvalidPropsError(
        this,
        field,
        `cannot be parsed as a public key (${(error as Error).message})`,
        "export the key with `openssl rsa -pubout` and pass the whole PEM",
      );
    }
    if (key.asymmetricKeyType !== "rsa")
      throw new InvalidPropsError(
        this,
        field,
        `is a ${key.asymmetricKeyType} key, and RS256 needs RSA`,
        "give the consumer an RSA key of at least 2048 bits",
      );
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048)
      throw new InvalidPropsError(this, field, `is an RSA key of ${bits} bits`, "use an RSA key of at least 2048 bits (NIST SP 800-131A)");
  }

  /** The values as YAML; cdktf resolves the release more than once per synth (the policy pack, then the output). */
  private renderedValues(): string {
    if (this.rendered?.revision !== this.revision) this.rendered = { revision: this.revision, yaml: toYaml(this.helmValues(), this) };
    return this.rendered.yaml;
  }

  /** Kong's declarative configuration (`_format_version: "3.0"`), as an object. */
  public declarativeConfig(): Record<string, unknown> {
    return {
      _format_version: "3.0",
      services: this.routes.map((route) => ({
        name: route.name,
        url: route.url,
        connect_timeout: 5000,
        write_timeout: route.readTimeoutMs ?? KONG_DEFAULTS.readTimeoutMs,
        read_timeout: route.readTimeoutMs ?? KONG_DEFAULTS.readTimeoutMs,
        routes: [
          {
            name: route.name,
            paths: route.paths,
            strip_path: route.stripPath ?? false,
            protocols: ["https"],
            // Plain HTTP requests are redirected, method and body kept.
            https_redirect_status_code: 308,
          },
        ],
      })),
      consumers: [
        ...this.consumers.map((consumer) => ({
          username: consumer.username,
          ...(consumer.customId ? { custom_id: consumer.customId } : {}),
          jwt_secrets: jwtKeys(consumer).map((key) => ({ key: key.issuer, algorithm: "RS256", rsa_public_key: key.rsaPublicKey.trim() })),
        })),
        ...this.apiKeyConsumer(),
      ],
      plugins: this.plugins(),
    };
  }

  /**
   * The anonymous consumer of API-key callers, with its own rate-limiting instance: Kong picks a
   * consumer's instance over the global one once jwt has set the consumer (KONG_FACTS.pluginScoping),
   * and counts per client IP, because every API-key caller is this one consumer to Kong.
   */
  private apiKeyConsumer(): Record<string, unknown>[] {
    const callers = this.props.apiKeyCallers;
    if (!callers) return [];
    const limits = { ...KONG_DEFAULTS.rateLimits, ...this.props.rateLimits, ...callers.rateLimits };
    return [{ username: API_KEY_CONSUMER, plugins: [{ name: "rate-limiting", config: this.rateLimitingConfig(limits, "ip") }] }];
  }

  private rateLimitingConfig(limits: Required<RateLimits>, limitBy: "consumer" | "ip"): Record<string, unknown> {
    const redis = this.props.rateLimitRedis;
    return {
      ...limits,
      limit_by: limitBy,
      policy: redis ? "redis" : "local",
      fault_tolerant: true,
      hide_client_headers: false,
      ...(redis
        ? {
            redis: {
              host: redis.host,
              port: Number(redis.port) || redis.port,
              password: "{vault://env/kong-redis-password}",
              ssl: true,
              ssl_verify: true,
              timeout: 2000,
            },
          }
        : {}),
    };
  }

  private plugins(): Record<string, unknown>[] {
    const props = this.props;
    const limits = { ...KONG_DEFAULTS.rateLimits, ...props.rateLimits };
    const plugins: Record<string, unknown>[] = [
      // Kong's jwt plugin sets or clears X-Consumer-ID, -Custom-ID, -Username and
      // X-Anonymous-Consumer itself, so a client cannot forge them. Without apiKeyCallers every
      // request needs a valid token; with them, a request without one (no token, an API key, or a
      // bad or expired JWT alike) goes on as API_KEY_CONSUMER, and gateway-app demands a valid key.
      // run_on_preflight: a CORS preflight is answered by cors (priority 2000) before jwt (1450)
      // runs, and never proxied; any other OPTIONS request needs a token like every request.
      {
        name: "jwt",
        config: {
          key_claim_name: "iss",
          claims_to_verify: ["exp"],
          maximum_expiration: 86400,
          run_on_preflight: true,
          header_names: ["authorization"],
          uri_param_names: [],
          cookie_names: [],
          ...(props.apiKeyCallers ? { anonymous: API_KEY_CONSUMER } : {}),
        },
      },
      { name: "rate-limiting", config: this.rateLimitingConfig(limits, "consumer") },
      // One id from the client to LiteLLM: gateway-app logs and forwards the id it receives, and
      // "uuid#counter" ids (the schema's default) carry a "#"; a plain uuid passes every tier as is.
      // A client's own X-Request-ID is passed on unchanged (correlation-id/handler.lua:56-64).
      { name: "correlation-id", config: { header_name: REQUEST_ID_HEADER, generator: "uuid", echo_downstream: true } },
      {
        name: "request-size-limiting",
        config: {
          allowed_payload_size: props.maxBodyMegabytes ?? KONG_DEFAULTS.maxBodyMegabytes,
          size_unit: "megabytes",
          require_content_length: false,
        },
      },
      // jwt (priority 1450) runs before request-transformer (801): removing X-Consumer-* here
      // would strip the identity jwt just set. What it removes are identity headers that no
      // enabled plugin sets, so a client cannot smuggle them to the backend.
      {
        name: "request-transformer",
        config: { remove: { headers: ["X-Authenticated-Groups", "X-Authenticated-Scope", "X-Authenticated-Userid", "X-Credential-Username"] } },
      },
      {
        name: "response-transformer",
        config: {
          remove: { headers: ["Server", "Via", "X-Kong-Upstream-Latency", "X-Kong-Proxy-Latency"] },
          add: {
            headers: [
              "Strict-Transport-Security:max-age=31536000; includeSubDomains",
              "X-Content-Type-Options:nosniff",
              "X-Frame-Options:DENY",
              "Referrer-Policy:no-referrer",
              "Content-Security-Policy:default-src 'none'; frame-ancestors 'none'",
              "Cache-Control:no-store",
            ],
          },
        },
      },
      {
        name: "prometheus",
        config: { per_consumer: true, status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true, upstream_health_metrics: true },
      },
    ];
    if (props.tracing) plugins.push(openTelemetryPlugin(props.tracing));
    if ((props.corsOrigins ?? []).length > 0) {
      plugins.push({
        name: "cors",
        config: {
          origins: props.corsOrigins,
          methods: ["GET", "POST", "OPTIONS"],
          headers: ["Authorization", "Content-Type", "X-Request-ID"],
          exposed_headers: corsExposedHeaders(props.tracing !== undefined),
          credentials: false,
          max_age: 3600,
          preflight_continue: false,
        },
      });
    }
    return plugins;
  }

  /** The chart's values, as an object. */
  public helmValues(): Record<string, unknown> {
    const props = this.props;
    const replicas = { ...KONG_DEFAULTS.replicas, ...props.replicas };
    const drainSeconds = props.drainSeconds ?? KONG_DEFAULTS.drainSeconds;
    const maxBodyMegabytes = props.maxBodyMegabytes ?? KONG_DEFAULTS.maxBodyMegabytes;
    const tls = this.renderTls();
    const shutdown = kongShutdown(drainSeconds);
    const redis = props.rateLimitRedis;
    const edgeToken = edgeTokenValues(props.edgeToken);
    const selector = { "app.kubernetes.io/name": "kong", "app.kubernetes.io/instance": "kong" };
    return {
      image: { repository: VERSIONS.kongImage.repository, tag: VERSIONS.kongImage.tag },
      env: {
        database: "off",
        router_flavor: "traditional_compatible",
        nginx_worker_processes: "2",
        proxy_access_log: "/dev/stdout",
        proxy_error_log: "/dev/stderr",
        admin_listen: "off",
        headers: "off",
        real_ip_header: "X-Forwarded-For",
        ssl_cert: `${tls.certDir}tls.crt`,
        ssl_cert_key: `${tls.certDir}tls.key`,
        // nginx refuses a larger body while reading it (413), before it is buffered to the
        // prefix volume; request-size-limiting's megabyte and nginx's `m` are both 2^20 bytes.
        nginx_http_client_max_body_size: `${maxBodyMegabytes}m`,
        // After QUIT, nginx closes what is still open at this deadline instead of waiting for
        // `kong quit` to TERM it.
        nginx_main_worker_shutdown_timeout: `${drainSeconds}s`,
        ...(redis ? { lua_ssl_trusted_certificate: `system,${REDIS_CA_DIR}/ca.pem`, vaults: "env" } : {}),
        ...edgeToken.env,
        ...(props.tracing ? tracingConf(props.tracing) : {}),
      },
      ...(redis || props.edgeToken
        ? {
            customEnv: {
              ...(redis
                ? { kong_redis_password: { valueFrom: { secretKeyRef: { name: redis.passwordSecret.name, key: redis.passwordSecret.key } } } }
                : {}),
              ...edgeToken.customEnv,
            },
          }
        : {}),
      ingressController: { enabled: false },
      dblessConfig: { config: toYaml(this.declarativeConfig(), this) },
      admin: { enabled: false, http: { enabled: false } },
      manager: { enabled: false },
      status: { enabled: true, http: { enabled: true, containerPort: STATUS_PORT } },
      proxy: {
        enabled: true,
        type: "LoadBalancer",
        loadBalancerIP: props.loadBalancerIp,
        loadBalancerSourceRanges: props.sourceRanges ?? [],
        annotations: { "cloud.google.com/l4-rbs": "enabled" },
        externalTrafficPolicy: "Local",
        http: { enabled: true, servicePort: 80, containerPort: 8000 },
        tls: { enabled: true, servicePort: 443, containerPort: 8443, parameters: ["http2"] },
      },
      ...tls.values,
      ...(tls.rollout === "reloader" ? { deploymentAnnotations: { [RELOADER_SECRET_ANNOTATION]: tls.secretName } } : {}),
      deployment: {
        serviceAccount: {
          create: true,
          automountServiceAccountToken: false,
          name: KONG_SERVICE_ACCOUNT,
          ...(props.workloadIdentityServiceAccount
            ? { annotations: { "iam.gke.io/gcp-service-account": props.workloadIdentityServiceAccount } }
            : {}),
        },
        ...userDefinedVolumes([
          ...(redis
            ? [
                {
                  volume: { name: "redis-ca", configMap: { name: "kong-redis-ca" } },
                  mount: { name: "redis-ca", mountPath: REDIS_CA_DIR, readOnly: true },
                },
              ]
            : []),
          ...tls.volumes,
        ]),
      },
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        privileged: false,
        seccompProfile: { type: "RuntimeDefault" },
        capabilities: { drop: ["ALL"] },
      },
      resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "512Mi" } },
      autoscaling: {
        enabled: replicas.max > 1,
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
      replicaCount: replicas.min,
      // The chart refuses a PDB when one pod may be all there is (pdb.yaml:1-7); one replica
      // runs without one, so a node drain may evict it.
      podDisruptionBudget: replicas.max > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
      ],
      podLabels: this.podLabels(),
      lifecycle: { preStop: { exec: { command: shutdown.preStop } } },
      terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
      serviceMonitor: { enabled: false },
    };
  }

  /**
   * Our pod labels, appended by the chart after its own (deployment.yaml:60-68): a key the chart
   * sets would replace its value and break its selectors, so only keys it never sets.
   */
  private podLabels(): Record<string, string> {
    const { "app.kubernetes.io/managed-by": _chartOwned, ...common } = KUBERNETES_COMMON_LABELS;
    const userKeys = Object.keys(this.props.podLabels ?? {});
    const owned = userKeys.filter((key) => CHART_OWNED_POD_LABELS.has(key));
    if (owned.length > 0)
      throw new InvalidPropsError(
        this,
        "podLabels",
        `would replace labels the Kong chart sets itself (${owned.join(", ")})`,
        "leave the chart's labels alone; its Deployment selector, Service and PodDisruptionBudget depend on them",
      );
    const ours = userKeys.filter((key) => key in EDGE_TIER_LABELS);
    if (ours.length > 0)
      throw new InvalidPropsError(
        this,
        "podLabels",
        `would replace ${ours.join(", ")}, which our NetworkPolicies and Prometheus select Kong by`,
        "choose another key",
      );
    const labels = { ...common, ...this.props.podLabels, ...EDGE_TIER_LABELS };
    // Ours must not collide with the chart's either (KUBERNETES_COMMON_LABELS is shared).
    const collisions = Object.keys(labels).filter((key) => CHART_OWNED_POD_LABELS.has(key));
    if (collisions.length > 0) throw new Error(`KongEdge would set chart-owned pod labels ${collisions.join(", ")}`);
    return labels;
  }

  /** Where the certificate is mounted, which Secret holds it, and the chart values that mount it. */
  private renderTls(): RenderedTls {
    const tls = this.props.tls;
    if ("secretManager" in tls) {
      const version = tls.secretManager.version ?? "latest";
      return {
        certDir: `${SECRET_MANAGER_TLS_DIR}/`,
        secretName: SECRET_MANAGER_TLS_CLASS,
        rollout: "manual",
        // The version in the pod template: a new pinned version rolls the pods.
        values: { podAnnotations: { "ai-gateway/tls-certificate-version": version } },
        volumes: [
          {
            volume: {
              name: "proxy-tls",
              csi: { driver: "secrets-store-gke.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: SECRET_MANAGER_TLS_CLASS } },
            },
            mount: { name: "proxy-tls", mountPath: SECRET_MANAGER_TLS_DIR, readOnly: true },
          },
        ],
      };
    }
    const rollout = tls.rolloutOnRenewal ?? "reloader";
    if ("secretName" in tls) {
      return {
        certDir: `${KONG_CHART_FACTS.secretVolumesMountDir}${tls.secretName}/`,
        secretName: tls.secretName,
        rollout,
        values: { secretVolumes: [tls.secretName] },
        volumes: [],
      };
    }
    const [commonName, ...otherNames] = tls.certManager.dnsNames;
    return {
      volumes: [],
      certDir: KONG_CHART_FACTS.certManager.proxyMountDir,
      secretName: KONG_CHART_FACTS.certManager.proxySecretName,
      rollout,
      values: {
        certificates: {
          enabled: true,
          clusterIssuer: tls.certManager.clusterIssuer,
          // The chart appends the common name to dnsNames itself (certificate.yaml:61).
          proxy: { enabled: true, commonName, dnsNames: otherNames },
          // On by default; their Secrets would be required volumes the issuer may never fill.
          admin: { enabled: false },
          cluster: { enabled: false },
          portal: { enabled: false },
          manager: { enabled: false },
        },
      },
    };
  }

  private validate(props: KongEdgeProps): void {
    const replicas = { ...KONG_DEFAULTS.replicas, ...props.replicas };
    if (!(Number.isInteger(replicas.min) && replicas.min >= 1 && replicas.min <= replicas.max)) {
      throw new InvalidPropsError(
        this,
        "replicas.min",
        `must be at least 1 and at most replicas.max (${replicas.max}) ${received(replicas.min)}`,
        "adjust replicas",
      );
    }
    if (replicas.max > 1 && replicas.min < KONG_CHART_FACTS.podDisruptionBudget.smallestAutoscalingMinReplicas) {
      throw new InvalidPropsError(
        this,
        "replicas.min",
        `must be at least 2 when more than one replica can run (replicas.max is ${replicas.max}): the PodDisruptionBudget needs ` +
          `a second pod serving while one is evicted, and the chart refuses to render it for 1 ${received(replicas.min)}`,
        "set replicas.min to 2 or more, or run a single pod with replicas { min: 1, max: 1 } (no PDB)",
      );
    }
    if (replicas.max > 1 && !props.rateLimitRedis) {
      throw new InvalidPropsError(
        this,
        "rateLimitRedis",
        `is required when more than one replica can run (replicas.max is ${replicas.max})`,
        "give Redis for shared counters (policy local would multiply each limit by the replica count), or " +
          "run a single pod with replicas { min: 1, max: 1 }",
      );
    }
    if (props.rateLimitRedis) this.checkCaBundle(props.rateLimitRedis.caCertificate);
    const drainSeconds = props.drainSeconds ?? KONG_DEFAULTS.drainSeconds;
    if (!(Number.isInteger(drainSeconds) && drainSeconds >= 1))
      throw new InvalidPropsError(
        this,
        "drainSeconds",
        `must be a whole number of at least 1 ${received(drainSeconds)}`,
        "give the seconds in-flight streams may take to finish",
      );
    this.podLabels();
    const limits = { ...KONG_DEFAULTS.rateLimits, ...props.rateLimits };
    this.checkRateLimits("rateLimits", limits);
    if (props.apiKeyCallers) this.checkRateLimits("apiKeyCallers.rateLimits", { ...limits, ...props.apiKeyCallers.rateLimits });
    for (const origin of props.corsOrigins ?? []) {
      // Only letters, digits, "." ":" "/" "-": anything else makes the cors plugin read the origin
      // as a regular expression (kong/plugins/cors/handler.lua:103-118).
      if (!/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(origin)) {
        throw new InvalidPropsError(
          this,
          "corsOrigins",
          `holds ${JSON.stringify(origin)}, which is not an explicit origin`,
          'list origins like "https://app.example.com"; all origins are never allowed',
        );
      }
    }
    (props.sourceRanges ?? []).forEach((range, index) => {
      if (isUnresolved(range)) return;
      const parsed = parseIpv4Cidr(range);
      if (typeof parsed === "string")
        throw new InvalidPropsError(this, `sourceRanges[${index}]`, `${parsed} ${received(range)}`, "give CIDR blocks such as 203.0.113.0/24");
    });
    if ("secretManager" in props.tls) {
      const version = props.tls.secretManager.version ?? "latest";
      if (!/^(latest|[1-9]\d*)$/.test(version))
        throw new InvalidPropsError(
          this,
          "tls.secretManager.version",
          `is not a Secret Manager version ${received(version)}`,
          'give a version number such as "3", or "latest"',
        );
      if (!props.workloadIdentityServiceAccount)
        throw new InvalidPropsError(
          this,
          "workloadIdentityServiceAccount",
          "is required with tls.secretManager",
          "give the Google service account that may read the certificate's secrets (GatewayInfrastructure creates <prefix>-kong)",
        );
    }
    if ("certManager" in props.tls && props.tls.certManager.dnsNames.length === 0) {
      throw new InvalidPropsError(this, "tls.certManager.dnsNames", "is empty", "list the hostnames the certificate is for");
    }
    const max = props.maxBodyMegabytes ?? KONG_DEFAULTS.maxBodyMegabytes;
    if (!(Number.isInteger(max) && max >= 1))
      throw new InvalidPropsError(this, "maxBodyMegabytes", `must be a whole number of at least 1 ${received(max)}`, "give a size in megabytes");
  }

  /** Kong's schema wants numbers above 0 that grow with the period (Kong/kong@3.9.1:kong/plugins/rate-limiting/schema.lua:10-23, 80-85). */
  private checkRateLimits(field: string, limits: Required<RateLimits>): void {
    for (const [period, value] of Object.entries(limits)) {
      if (!(Number.isInteger(value) && value > 0))
        throw new InvalidPropsError(this, `${field}.${period}`, `must be a whole number above 0 ${received(value)}`, "give a positive limit");
    }
    if (limits.hour < limits.minute || limits.day < limits.hour) {
      throw new InvalidPropsError(this, field, `must not shrink with a longer period ${received(limits)}`, "make hour >= minute and day >= hour");
    }
  }

  /** Memorystore hands out more than one CA while it rotates them; Kong trusts every certificate in the file. */
  private checkCaBundle(bundle: string): void {
    if (isUnresolved(bundle)) return;
    const certificates = bundle.match(PEM_CERTIFICATE) ?? [];
    const leftover = bundle.replace(PEM_CERTIFICATE, "").trim();
    if (certificates.length === 0 || leftover !== "") {
      throw new InvalidPropsError(
        this,
        "rateLimitRedis.caCertificate",
        "is not a bundle of PEM certificates",
        "pass Memorystore's server CA certificates (-----BEGIN CERTIFICATE----- blocks), one after the other",
      );
    }
  }
}

/**
 * Kong's stop, from the shared budget: keep serving while the load balancer takes the pod out,
 * then QUIT; nginx closes what is left at `drainSeconds` (worker_shutdown_timeout), `kong quit`
 * TERMs it a little later if it has not exited (it would otherwise after 10 s, cmd/quit.lua:71-72),
 * and the kubelet's grace period outlasts both.
 */
function kongShutdown(drainSeconds: number): { preStop: string[]; terminationGracePeriodSeconds: number } {
  const wait = SHUTDOWN_BUDGET.edgeDeregistrationSeconds;
  const quitTimeout = drainSeconds + SHUTDOWN_BUDGET.killMarginSeconds;
  return {
    preStop: ["kong", "quit", `--wait=${wait}`, `--timeout=${quitTimeout}`],
    terminationGracePeriodSeconds: wait + quitTimeout + SHUTDOWN_BUDGET.killMarginSeconds,
  };
}

/**
 * How Kong adds the edge token. request-transformer cannot take it from a vault: none of its
 * fields is referenceable in Kong 3.9.1 (KONG_FACTS.edgeToken), so a `{vault://…}` there would be
 * sent literally. Instead an `nginx_location_proxy_set_header` directive, which Kong injects into
 * the proxy's `location /`, sets the header; its value names the env var that holds the Secret,
 * and the kubelet expands `$(VAR)` from variables defined earlier in the list, which the chart
 * renders sorted (GATEWAY_… before KONG_…). The token never sits in Helm values or a ConfigMap.
 */
function edgeTokenValues(token: EdgeTokenSecret | undefined): { env: Record<string, string>; customEnv: Record<string, unknown> } {
  if (!token) return { env: {}, customEnv: {} };
  return {
    env: { nginx_location_proxy_set_header: `${EDGE_TOKEN_HEADER} $(${EDGE_TOKEN_ENV})` },
    customEnv: { [EDGE_TOKEN_ENV.toLowerCase()]: { valueFrom: { secretKeyRef: { name: token.secret.name, key: token.secret.key } } } },
  };
}

/**
 * Spans for each request, sent to the collector; W3C context injected towards gateway-app. Setting
 * `clear` and `inject` makes Kong use this propagation as given instead of the deprecated
 * `header_type` (default "preserve": extract every format); kong/observability/tracing/propagation/init.lua:21-58,
 * 82-117 (Kong/kong@3.9.1). No extraction: a client's `traceparent` would set the sampled flag (and so the Cloud Trace bill)
 * and graft our spans onto its trace, so Kong always starts the trace and decides at `sampling_rate`.
 */
/**
 * The answer headers a browser client may read: the request id, Kong's per-request limits
 * (its rate-limiting plugin's RateLimit-Limit/-Remaining/-Reset, KONG_FACTS), gateway-app's tenant limits
 * (RateLimit and RateLimit-Policy, README "Token rate limits") and Retry-After, a budget's
 * X-Budget-Reset, and the trace id Kong returns when tracing is on.
 */
function corsExposedHeaders(tracing: boolean): string[] {
  const headers = [
    "X-Request-ID",
    ...KONG_FACTS.rateLimitingAnswerHeaders.closestLimit,
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-Budget-Reset",
  ];
  return tracing ? [...headers, TRACE_ID_HEADER] : headers;
}

function openTelemetryPlugin(tracing: TierTracing): Record<string, unknown> {
  return {
    name: "opentelemetry",
    config: {
      traces_endpoint: tracing.tracesEndpoint,
      sampling_rate: tracing.samplingRatio,
      resource_attributes: { "service.name": "kong" },
      // Every response names its trace, so one request is found in Cloud Trace by its id.
      http_response_header_for_traceid: TRACE_ID_HEADER,
      propagation: { extract: [], clear: ["traceparent", "tracestate"], inject: ["w3c"], default_format: "w3c" },
    },
  };
}

/**
 * kong.conf through the chart's `env` (KONG_*): without request instrumentation the plugin only
 * propagates headers and samples nothing (kong/plugins/opentelemetry/traces.lua:31-37).
 */
function tracingConf(tracing: TierTracing): Record<string, string> {
  return { tracing_instrumentations: KONG_FACTS.tracing.instrumentations, tracing_sampling_rate: String(tracing.samplingRatio) };
}
