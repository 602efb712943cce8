import type { App } from "cdktf";
import type { AuthorizedNetwork } from "../constructs/ai-gateway-cluster";
import { InfrastructureStack } from "../constructs/infrastructure-stack";
import { PlatformStack } from "../constructs/platform-stack";
import type { GatewaySpec } from "./gateway-spec";
import { PolicyPack } from "./policy/pack";

/** What the example app reads from cdktf context or the environment. */
export interface ExampleConfig {
  readonly projectId: string;
  readonly region: string;
  readonly prefix: string;
  readonly stateBucket?: string;
  readonly authorizedNetworks: AuthorizedNetwork[];
}

/**
 * Each setting: its cdktf context key, its environment variable, and the default that lets
 * a fresh clone synthesize offline. Context wins over the environment.
 */
export const EXAMPLE_SETTINGS = {
  projectId: { context: "projectId", env: "AI_GATEWAY_PROJECT_ID", default: "ai-gateway-example" },
  region: { context: "region", env: "AI_GATEWAY_REGION", default: "europe-west4" },
  prefix: { context: "prefix", env: "AI_GATEWAY_PREFIX", default: "ai-gw" },
  stateBucket: { context: "stateBucket", env: "AI_GATEWAY_STATE_BUCKET", default: undefined },
  authorizedNetworks: { context: "authorizedNetworks", env: "AI_GATEWAY_AUTHORIZED_NETWORKS", default: "" },
} as const;

export const INFRASTRUCTURE_STACK_ID = "ai-gateway-infrastructure";
export const PLATFORM_STACK_ID = "ai-gateway-platform";

type Lookup = (key: string) => unknown;

/** Reads the example's settings; `context` is the app's cdktf context lookup. */
export function readExampleConfig(context: Lookup, env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const setting = (name: keyof typeof EXAMPLE_SETTINGS): string | undefined => {
    const spec = EXAMPLE_SETTINGS[name];
    const fromContext = context(spec.context);
    const value = fromContext ?? env[spec.env] ?? spec.default;
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
  const spec: GatewaySpec = { projectId: config.projectId, region: config.region, prefix: config.prefix };
  const infrastructure = new InfrastructureStack(app, INFRASTRUCTURE_STACK_ID, {
    spec,
    stateBackend,
    cluster: { masterAuthorizedNetworks: config.authorizedNetworks, secretsEncryption: {} },
  });
  const platform = new PlatformStack(app, PLATFORM_STACK_ID, {
    spec,
    stateBackend,
    dependsOnStacks: [infrastructure],
  });
  return { infrastructure, platform, policy: PolicyPack.applyTo(app) };
}
