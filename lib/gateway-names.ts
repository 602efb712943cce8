import { physicalName } from "./naming";

/**
 * Physical names both stacks derive from the prefix, so the platform stack can refer to what
 * the infrastructure stack created (service account emails, secrets, Redis, the image
 * repository, the edge address) without cross-stack references.
 */
export function gatewayNames(prefix: string, projectId: string) {
  const routerServiceAccountId = physicalName(prefix, "litellm");
  const appServiceAccountId = physicalName(prefix, "gateway-app");
  const email = (accountId: string) => `${accountId}@${projectId}.iam.gserviceaccount.com`;
  return {
    /** The GKE cluster the infrastructure stack creates and the platform stack connects to. */
    cluster: physicalName(prefix, "gke"),
    routerServiceAccountId,
    appServiceAccountId,
    routerServiceAccountEmail: email(routerServiceAccountId),
    appServiceAccountEmail: email(appServiceAccountId),
    redisInstance: physicalName(prefix, "redis"),
    repository: physicalName(prefix, "images"),
    edgeAddress: physicalName(prefix, "edge"),
    secrets: {
      /** LiteLLM's master key; gateway-app presents it to LiteLLM. */
      masterKey: physicalName(prefix, "litellm-master-key"),
      /** Memorystore's AUTH string, copied in out of band (`gcloud redis instances get-auth-string`). */
      redisAuth: physicalName(prefix, "redis-auth"),
      providerKey: (provider: string) => physicalName(prefix, `${provider}-api-key`),
    },
  };
}
