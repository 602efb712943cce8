import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { DEFAULT_NAMESPACES, GATEWAY_TIERS, validateNamespaceName, type GatewayTier } from "../lib/gateway-spec";
import { KUBERNETES_COMMON_LABELS } from "../lib/labels";
import { guardRenderedValues } from "../lib/synth-guard";

export { DEFAULT_NAMESPACES, type GatewayTier };

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
    const tiers = GATEWAY_TIERS;
    for (const tier of tiers) validateNamespaceName(this, `names.${tier}`, this.names[tier]);
    this.namespaces = Object.fromEntries(tiers.map((tier) => [tier, this.createNamespace(tier)])) as Record<GatewayTier, NamespaceV1>;
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
