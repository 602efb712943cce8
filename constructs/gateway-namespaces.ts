import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { InvalidPropsError, received } from "../lib/errors";
import { KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { guardRenderedValues } from "../lib/synth-guard";

/** The tiers of the gateway; each runs in a namespace of its own. */
export type GatewayTier = "edge" | "app" | "router" | "observability";

export const DEFAULT_NAMESPACES: Readonly<Record<GatewayTier, string>> = {
  edge: "ai-gateway-edge",
  app: "ai-gateway-app",
  router: "ai-gateway-router",
  observability: "ai-gateway-observability",
};

/**
 * Pod Security Standard enforced per tier. Everything we run meets "restricted"; only the
 * observability tier needs "privileged", because node-exporter reads the host's network and
 * process namespaces.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const POD_SECURITY_LEVELS: Readonly<Record<GatewayTier, "restricted" | "privileged">> = {
  edge: "restricted",
  app: "restricted",
  router: "restricted",
  observability: "privileged",
};

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface GatewayNamespacesProps {
  /**
   * Namespace names by tier.
   * @default DEFAULT_NAMESPACES
   */
  readonly names?: Partial<Record<GatewayTier, string>>;
}

/** One namespace per tier, labelled for Pod Security admission and for NetworkPolicy selectors. */
export class GatewayNamespaces extends Construct {
  public readonly names: Readonly<Record<GatewayTier, string>>;
  /**
   * The names as references to the namespace resources: objects placed with these wait for
   * their namespace to exist.
   */
  public readonly refs: Readonly<Record<GatewayTier, string>>;
  public readonly namespaces: Readonly<Record<GatewayTier, NamespaceV1>>;

  constructor(scope: Construct, id: string, props: GatewayNamespacesProps = {}) {
    super(scope, id);
    guardRenderedValues(this);
    this.names = { ...DEFAULT_NAMESPACES, ...props.names };
    const tiers = Object.keys(DEFAULT_NAMESPACES) as GatewayTier[];
    for (const tier of tiers) validateNamespaceName(this, tier, this.names[tier]);
    this.namespaces = Object.fromEntries(
      tiers.map((tier) => [tier, this.createNamespace(tier)]),
    ) as Record<GatewayTier, NamespaceV1>;
    this.refs = Object.fromEntries(tiers.map((tier) => [tier, this.namespaces[tier].metadata.name])) as Record<GatewayTier, string>;
  }

  private createNamespace(tier: GatewayTier): NamespaceV1 {
    const level = POD_SECURITY_LEVELS[tier];
    return new NamespaceV1(this, tier, {
      metadata: {
        name: this.names[tier],
        labels: {
          ...KUBERNETES_COMMON_LABELS,
          "ai-gateway/tier": tier,
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      },
    });
  }
}

function validateNamespaceName(scope: Construct, tier: GatewayTier, name: string): void {
  if (KUBERNETES_NAME.test(name)) return;
  throw new InvalidPropsError(scope, `names.${tier}`, `is not a valid Kubernetes namespace name ${received(name)}`, "use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
}
