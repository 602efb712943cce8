import type { App } from "cdktf";
import { InvalidPropsError } from "./errors";
import type { AuthorizedNetwork } from "../constructs/ai-gateway-cluster";
import { InfrastructureStack } from "../constructs/infrastructure-stack";
import { PlatformStack } from "../constructs/platform-stack";
import type { GatewaySpec } from "./gateway-spec";
import type { TenantSpec } from "./tenants";
import { PolicyPack } from "./policy/pack";
import type { AlertingProps } from "./observability/alertmanager";

/** What the example app reads from cdktf context or the environment. */
export interface ExampleConfig {
  readonly projectId: string;
  readonly region: string;
  readonly prefix: string;
  readonly stateBucket?: string;
  readonly authorizedNetworks: AuthorizedNetwork[];
}

/**
 * Each setting: its environment variable, and the default that lets a fresh clone synthesize
 * offline. The environment is the one configuration path: `npm run synth`, `cdktf synth`,
 * `cdktf diff`/`deploy` and CI all read it, whereas cdktf context reaches the app only through
 * the CLI (from cdktf.json), so the review and the deploy could synthesize different stacks.
 * `required` settings have no default when AI_GATEWAY_STRICT=1 (the deploy job sets it).
 */
export const EXAMPLE_SETTINGS = {
  projectId: { env: "AI_GATEWAY_PROJECT_ID", default: "ai-gateway-example", required: true },
  region: { env: "AI_GATEWAY_REGION", default: "europe-west4", required: true },
  prefix: { env: "AI_GATEWAY_PREFIX", default: "ai-gw", required: true },
  stateBucket: { env: "AI_GATEWAY_STATE_BUCKET", default: undefined, required: true },
  authorizedNetworks: { env: "AI_GATEWAY_AUTHORIZED_NETWORKS", default: "", required: false },
} as const;

/** Set to 1 where a fallback to the offline defaults would deploy the wrong thing. */
export const STRICT_SETTINGS_ENV = "AI_GATEWAY_STRICT";

export const INFRASTRUCTURE_STACK_ID = "ai-gateway-infrastructure";
export const PLATFORM_STACK_ID = "ai-gateway-platform";

type Lookup = (key: string) => unknown;

/**
 * Reads the example's settings from the environment. `context` is the app's cdktf context
 * lookup: a setting given there is refused, with the variable to use instead.
 */
export function readExampleConfig(context: Lookup, env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  refuseContextSettings(context);
  const strict = env[STRICT_SETTINGS_ENV] === "1";
  const missing = Object.values(EXAMPLE_SETTINGS)
    .filter((spec) => strict && spec.required && !env[spec.env])
    .map((spec) => spec.env);
  if (missing.length > 0) {
    throw new InvalidPropsError(
      "environment",
      missing.join(", "),
      `${missing.length === 1 ? "is" : "are"} empty while ${STRICT_SETTINGS_ENV}=1`,
      "set the repository variables (Settings → Secrets and variables → Actions → Variables); strict mode " +
        "never falls back to the example project or local state",
    );
  }
  const setting = (name: keyof typeof EXAMPLE_SETTINGS): string | undefined => {
    const spec = EXAMPLE_SETTINGS[name];
    const value = env[spec.env] || spec.default;
    return value === undefined || value === "" ? undefined : String(value);
  };
  return {
    projectId: setting("projectId")!,
    region: setting("region")!,
    prefix: setting("prefix")!,
    stateBucket: setting("stateBucket"),
    authorizedNetworks: parseAuthorizedNetworks(setting("authorizedNetworks")),
  };
}

/** Context keys the example app once read: a value there would now be ignored, so it is an error. */
function refuseContextSettings(context: Lookup): void {
  for (const [name, spec] of Object.entries(EXAMPLE_SETTINGS)) {
    if (context(name) === undefined) continue;
    throw new InvalidPropsError(
      "cdktf context",
      name,
      "is not read: cdktf.json's context reaches the app through the cdktf CLI only, not through `npm run synth`",
      `remove it from cdktf.json (or --context) and set ${spec.env} instead`,
    );
  }
}

/** "203.0.113.0/24,198.51.100.7/32" → authorized networks named after their position. */
function parseAuthorizedNetworks(list: string | undefined): AuthorizedNetwork[] {
  if (!list) return [];
  return list
    .split(",")
    .map((cidr) => cidr.trim())
    .filter((cidr) => cidr.length > 0)
    .map((cidrBlock, index) => ({ cidrBlock, displayName: `authorized-${index + 1}` }));
}

export interface ExampleStacks {
  readonly infrastructure: InfrastructureStack;
  readonly platform: PlatformStack;
  /** The policy pack checking both stacks; its report fills at synth. */
  readonly policy: PolicyPack;
}

/** The example app: the infrastructure stack, then the platform stack that deploys onto it. */
export function buildExampleApp(app: App, config: ExampleConfig): ExampleStacks {
  const stateBackend = { bucket: config.stateBucket };
  // One spec, given to both stacks, so they cannot disagree on names, namespaces or models.
  const spec: GatewaySpec = { projectId: config.projectId, region: config.region, prefix: config.prefix, tenants: EXAMPLE_TENANTS };
  // The receivers' empty secrets and Alertmanager's grant on them belong with the other IAM.
  const alerting = exampleAlerting(config.prefix);
  const infrastructure = new InfrastructureStack(app, INFRASTRUCTURE_STACK_ID, {
    spec,
    stateBackend,
    alerting,
    cluster: { masterAuthorizedNetworks: config.authorizedNetworks, secretsEncryption: {} },
  });
  const platform = new PlatformStack(app, PLATFORM_STACK_ID, {
    spec,
    stateBackend,
    dependsOnStacks: [infrastructure],
    gateway: { observability: { alerting } },
  });
  return { infrastructure, platform, policy: PolicyPack.applyTo(app) };
}

/**
 * Two tenants with different models, limits and budgets. Their keys are placeholders whose
 * private halves were never kept: nobody can sign for them, so replace each `rsaPublicKey` with
 * your tenant's own (`openssl pkey -in team-a.pem -pubout`) before you deploy.
 */
export const EXAMPLE_TENANTS: readonly TenantSpec[] = [
  {
    name: "team-a",
    models: ["gemini-2.5-flash", "gemini-2.5-flash-lite", "text-embedding-005"],
    limits: { requestsPerMinute: 300, tokensPerMinute: 100_000, maxOutputTokens: 2048 },
    budgets: { usdPerDay: 20, usdPerMonth: 400 },
    credentials: {
      jwt: [
        {
          rsaPublicKey: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2lARfNyZY9nEC1MAP5jR
pBOYDirhiSCA+zHIhIB/xXf0oCXH+yMZ5+eqYCjhxHBdK6OwninYd1Fej1TB+AMr
sWLFGPeHOjlXFlvPFdsbMQ6PwC1CNLE9i+J1xiLf3j9Mqow0yhMWm0bD3Xk/wpSs
TeDTgXqMLi6E+A+bdwR450fLt6ui3PVUpt5UexfRRwRXUxa4A5EiVZj4lb1tOX2i
mZkzF4BsyiUpl2GOGjxKs3ULk2uQF0/AZfLKNbzOdUkQ5bC5Z1qUNEfwscVi+PAC
YkbPoUy6/+NY0qYHWsaHYeVGveKgOjECxpz/i1OWPlDufkEZHAbhkVgm2KHd3Vun
JQIDAQAB
-----END PUBLIC KEY-----`,
        },
      ],
    },
  },
  {
    name: "team-b",
    models: ["*"],
    limits: { requestsPerMinute: 1200, tokensPerMinute: 1_000_000, maxOutputTokens: 8192 },
    budgets: { usdPerDay: 100, usdPerMonth: 2000, tokensPerMonth: 500_000_000, perKey: { usdPerDay: 10 } },
    credentials: {
      apiKeys: true,
      jwt: [
        {
          rsaPublicKey: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzbbCrq3fUbEmWYUoLtus
6p8VGMTStLzHzEMnU9jPzqtQ9Vs91LOXhhLpjyUydc1EsGmhxoxrsnqFh5IWy8IH
NV80fn9YnmTYvTYs3JHBK1f8B6bZrGZDfjQwyKCCNDFwMl/8xTd4oF07hNTWEPQw
2a+aC0vatk37EngZwADHb5QF8T3ccmMQk8zzycI/gsFCmzXzXXzNhBp/CXpVcA41
2P/m80Sr0dg+xlR60uHf9FbaTBIXpPIm0sYyU0SCFmnIeFL+4jPVwlC+WF+pEqPT
idV7giIpMOXP6WaV3D+ccYMDsavyGXn7txEpGlIJCOvu45qPB/fYGuSgJS1OXFuH
wQIDAQAB
-----END PUBLIC KEY-----`,
        },
      ],
    },
  },
];

/**
 * Pages go to PagerDuty and Slack, tickets to Slack. The infrastructure stack creates the two
 * secrets empty; add their values before the platform deploy:
 * `gcloud secrets versions add <prefix>-alerts-pagerduty-routing-key --data-file=-`.
 */
export function exampleAlerting(prefix: string): AlertingProps {
  return {
    receivers: {
      oncall: { kind: "pagerduty", severities: ["page"], routingKeySecret: `${prefix}-alerts-pagerduty-routing-key` },
      "team-slack": { kind: "slack", severities: ["page", "ticket"], webhookUrlSecret: `${prefix}-alerts-slack-webhook-url` },
    },
  };
}
