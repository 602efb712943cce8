import { generateKeyPairSync } from "node:crypto";
import { TerraformStack } from "cdktf";
import { InfrastructureStack } from "../../../constructs/infrastructure-stack";
import { GatewayNamespaces } from "../../../constructs/gateway-namespaces";
import { KongEdge } from "../../../constructs/kong-edge";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { PlatformStack, type PlatformStackProps } from "../../../constructs/platform-stack";
import { DEFAULT_MODELS, type CatalogueModel } from "../../../lib/catalogue";
import type { GatewaySpec } from "../../../lib/gateway-spec";
import { synthesizeExample } from "../example";
import { synthJson, tempApp, type TerraformJson } from "../terraform";
import { buildClusterModel, type ClusterModelOptions } from "./index";
import type { ClusterModel } from "./types";

/** A real RS256 public key: KongEdge may parse what it is given. */
export const PUBLIC_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

interface TwoStacks {
  platform: TerraformJson;
  infrastructure: TerraformJson;
}

/** Both stacks as a user wires them: one spec for both, and the platform stack's gateway options. */
function twoStacks(spec: Partial<GatewaySpec>, gateway: PlatformStackProps["gateway"] = {}): TwoStacks {
  const app = tempApp();
  const full: GatewaySpec = { projectId: "acme-ai-prod", region: "us-central1", prefix: "acme", ...spec };
  const infrastructure = new InfrastructureStack(app, "infra", { spec: full });
  const platformStack = new PlatformStack(app, "platform", { spec: full, gateway, dependsOnStacks: [infrastructure] });
  return { platform: synthJson(platformStack), infrastructure: synthJson(infrastructure) };
}

/**
 * Kong alone at one replica (KongEdge allows it without Redis), with its certificate in a
 * Secret the same stack creates (bring-your-own TLS); no Google side.
 */
function singleReplicaEdge(): TwoStacks {
  const app = tempApp();
  const stack = new TerraformStack(app, "edge");
  const namespaces = new GatewayNamespaces(stack, "Namespaces");
  new SecretV1(stack, "ProxyTls", {
    metadata: { name: "kong-proxy-tls", namespace: namespaces.refs.edge },
    type: "kubernetes.io/tls",
    data: { "tls.crt": "<certificate>", "tls.key": "<key>" },
  });
  new KongEdge(stack, "Edge", {
    namespace: namespaces.refs.edge,
    tls: { secretName: "kong-proxy-tls" },
    loadBalancerIp: "203.0.113.10",
    replicas: { min: 1, max: 1 },
  });
  return { platform: synthJson(stack), infrastructure: {} };
}

const OPENAI: CatalogueModel = { name: "gpt", provider: "openai", model: "gpt-4o" };

/** The deployments the invariants are checked on: the example app and construct variants. */
export const VARIANTS: Record<string, { stacks: () => TwoStacks; options?: ClusterModelOptions }> = {
  "the example app": {
    stacks: () => {
      const { platform, infrastructure } = synthesizeExample();
      return { platform, infrastructure };
    },
  },
  // Each variant joins options whose known defects break different invariants, to synthesize less.
  "custom namespaces and a provider model given only to the platform stack": {
    stacks: () =>
      twoStacks({
        namespaces: { edge: "acme-edge", app: "acme-app", router: "acme-router", observability: "acme-obs" },
        models: [...DEFAULT_MODELS, OPENAI],
      }),
  },
  "cert-manager TLS, consumers, CORS and a provider model in both stacks": {
    stacks: () =>
      twoStacks(
        { models: [...DEFAULT_MODELS, OPENAI] },
        {
          tls: { certManager: { clusterIssuer: "letsencrypt", dnsNames: ["api.example.com"] } },
          consumers: [{ username: "team-a", rsaPublicKey: PUBLIC_KEY }],
          corsOrigins: ["https://app.example.com"],
        },
      ),
    options: { apiVersions: ["cert-manager.io/v1"] },
  },
  "Kong at one replica": { stacks: singleReplicaEdge },
};

const synthesized = new Map<string, TwoStacks>();
const built = new Map<string, ClusterModel>();

/** A variant's synthesized stacks, synthesized once per test file; a copy, safe to change. */
export function variantStacks(name: string): TwoStacks {
  if (!synthesized.has(name)) synthesized.set(name, VARIANTS[name].stacks());
  return structuredClone(synthesized.get(name)!);
}

/** The cluster model of a variant, built once per test file. */
export function variantModel(name: string): ClusterModel {
  if (!built.has(name)) built.set(name, buildClusterModel(variantStacks(name), VARIANTS[name].options));
  return built.get(name)!;
}
