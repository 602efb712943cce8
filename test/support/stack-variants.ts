// Apps built only through the public API, so that the compiled library (dist/, what `npm run synth`,
// cdktf.json's `app` and consumers run) and the TypeScript sources can be synthesized from this same
// file and compared byte for byte. tsconfig.build.json compiles it to dist/test/support/, where
// "../../constructs" resolves to the compiled library.
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import {
  ClusterAccess,
  InfrastructureStack,
  KongEdge,
  PlatformStack,
  type GatewaySpec,
  type InfrastructureStackProps,
  type PlatformStackProps,
} from "../../constructs";
import { buildExampleApp, readExampleConfig } from "../../lib/example-app";

// A fixed 2048-bit RSA key: both sides of the byte comparison must render the same consumer.
const PUBLIC_KEY =
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAhYOrvQ37jR1DLggGsDIZ\n" +
  "S1SMm3KCiBv4QNZgwFv+qIv0sX2WDR1rczonTESSQ2Nw9LpN0A46FLdiXqseZzYB\niEpTgskIRcxYvBq4w2rEEA4ACt6FXBdKBVimt068D9Yaff9IZNZnqPfwif3uIlyd\n" +
  "XEcSIiILRKunj/4IzbhWeikehP20iPHX9rdIcbRd40i0qfheAlFVpq3LNnPQSypc\n0pFteBJ7UHVlN0+slxXj0AZeUQIuI8JZuNkz+ltuwhaYYllxhqtvoV3GaiYayRCa\n" +
  "IfRJ1XuFTyosJ7BlatSRKGxCJIhr4K1LPhqTDh3hsD5WJrO8bD3hwMIssBmhXyrB\nxQIDAQAB\n-----END PUBLIC KEY-----";
const LOCATION = { projectId: "variant-project", region: "us-central1", prefix: "variant" } as const;

/** The two stacks of a deployment from one spec, each side overridable. */
function gatewayApp(
  app: App,
  overrides: {
    spec?: Partial<GatewaySpec>;
    infrastructure?: Omit<Partial<InfrastructureStackProps>, "spec">;
    platform?: Omit<Partial<PlatformStackProps>, "spec">;
  },
): void {
  const spec: GatewaySpec = { ...LOCATION, ...overrides.spec };
  const infrastructure = new InfrastructureStack(app, "infrastructure", { spec, ...overrides.infrastructure });
  new PlatformStack(app, "platform", { spec, dependsOnStacks: [infrastructure], ...overrides.platform });
}

/** Kong alone with a single replica and no Redis, the only shape KongEdge accepts without shared counters. */
function singleReplicaEdge(app: App): void {
  const stack = new TerraformStack(app, "edge");
  new GoogleProvider(stack, "google", { project: LOCATION.projectId });
  new ClusterAccess(stack, "access", { cluster: { projectId: LOCATION.projectId, location: LOCATION.region, clusterName: "variant-gke" } });
  new KongEdge(stack, "edge", {
    namespace: "edge",
    tls: { secretName: "edge-tls" },
    loadBalancerIp: "203.0.113.10",
    replicas: { min: 1, max: 1 },
    routes: [{ name: "api", url: "http://gateway-app.app.svc.cluster.local:8080", paths: ["/v1"] }],
    consumers: [{ username: "team-a", rsaPublicKey: PUBLIC_KEY }],
  });
}

/** Every variant by name; each builds one app. */
export const STACK_VARIANTS: Readonly<Record<string, (app: App) => void>> = {
  example: (app) =>
    buildExampleApp(
      app,
      readExampleConfig(() => undefined, {}),
    ),
  "custom-namespaces": (app) =>
    gatewayApp(app, { spec: { namespaces: { edge: "team-edge", app: "team-app", router: "team-router", observability: "team-obs" } } }),
  "cert-manager-tls": (app) =>
    gatewayApp(app, { platform: { gateway: { tls: { certManager: { clusterIssuer: "letsencrypt", dnsNames: ["api.example.com"] } } } } }),
  "single-replica-edge": singleReplicaEdge,
  "consumers-and-cors": (app) =>
    gatewayApp(app, {
      platform: {
        gateway: {
          consumers: [
            { username: "team-a", customId: "tenant-a", rsaPublicKey: PUBLIC_KEY },
            { username: "team-b", issuer: "https://issuer.example.com", rsaPublicKey: PUBLIC_KEY },
          ],
          corsOrigins: ["https://app.example.com"],
          sourceRanges: ["203.0.113.0/24"],
        },
      },
    }),
  "spot-node-pool": (app) => gatewayApp(app, { infrastructure: { cluster: { spotNodePool: { maxNodes: 3 } } } }),
  "secrets-encryption-created-key": (app) => gatewayApp(app, { infrastructure: { cluster: { secretsEncryption: {} } } }),
  "secrets-encryption-own-key": (app) =>
    gatewayApp(app, {
      infrastructure: {
        cluster: { secretsEncryption: { kmsKeyId: "projects/variant-project/locations/us-central1/keyRings/gke/cryptoKeys/secrets" } },
      },
    }),
  "secrets-encryption-off": (app) => gatewayApp(app, { infrastructure: { cluster: {} } }),
};

/** Synthesizes every variant into `<root>/<variant>/`. */
export function synthesizeVariants(root: string): void {
  for (const [name, build] of Object.entries(STACK_VARIANTS)) {
    const app = new App({ outdir: join(root, name), skipValidation: false });
    build(app);
    app.synth();
  }
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) throw new Error("usage: stack-variants <output root>");
  synthesizeVariants(root);
}
