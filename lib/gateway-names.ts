import { physicalName } from "./naming";

/** Kong's Kubernetes service account (the chart's `deployment.serviceAccount.name`), named so Workload Identity can bind it. */
export const KONG_SERVICE_ACCOUNT = "kong";

/**
 * Physical names both stacks derive from the prefix, so the platform stack can refer to what
 * the infrastructure stack created (service account emails, secrets, Redis, the image
 * repository, the edge address) without cross-stack references.
 */
export function gatewayNames(prefix: string, projectId: string) {
  const routerServiceAccountId = physicalName(prefix, "litellm");
  const appServiceAccountId = physicalName(prefix, "gateway-app");
  const edgeServiceAccountId = physicalName(prefix, "kong");
  const traceServiceAccountId = physicalName(prefix, "otel");
  const email = (accountId: string) => `${accountId}@${projectId}.iam.gserviceaccount.com`;
  return {
    /** The GKE cluster the infrastructure stack creates and the platform stack connects to. */
    cluster: physicalName(prefix, "gke"),
    routerServiceAccountId,
    appServiceAccountId,
    routerServiceAccountEmail: email(routerServiceAccountId),
    appServiceAccountEmail: email(appServiceAccountId),
    /** Kong's Google identity: it reads only the edge certificate's two secrets. */
    edgeServiceAccountId,
    edgeServiceAccountEmail: email(edgeServiceAccountId),
    /** The trace collector's Google identity: it writes spans to Cloud Trace, nothing else. */
    traceServiceAccountId,
    traceServiceAccountEmail: email(traceServiceAccountId),
    redisInstance: physicalName(prefix, "redis"),
    repository: physicalName(prefix, "images"),
    edgeAddress: physicalName(prefix, "edge"),
    secrets: {
      /** LiteLLM's master key; gateway-app presents it to LiteLLM. */
      masterKey: physicalName(prefix, "litellm-master-key"),
      /** Memorystore's AUTH string, which the infrastructure stack copies in from the instance. */
      redisAuth: physicalName(prefix, "redis-auth"),
      /** The edge's PEM certificate chain and private key, which you add (`gcloud secrets versions add`). */
      edgeTlsCertificate: physicalName(prefix, "edge-tls-cert"),
      edgeTlsKey: physicalName(prefix, "edge-tls-key"),
      /** The token Kong adds to every request and gateway-app requires, which you add (`openssl rand -hex 32`). */
      edgeToken: physicalName(prefix, "edge-token"),
      providerKey: (provider: string) => physicalName(prefix, `${provider}-api-key`),
    },
  };
}
