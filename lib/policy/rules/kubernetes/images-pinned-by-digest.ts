import {
  COMPLIANT,
  NOT_APPLICABLE,
  WORKLOADS,
  containers,
  helmValues,
  isReference,
  unresolved,
  violation,
  type ResourceUnderTest,
  type Verdict,
} from "../kubernetes-helpers";
import { defineRule } from "../../rule";
import { rawOf } from "../../references";
import { isDigestPinned, isSha256Digest } from "../../../images";

/**
 * Image settings in Helm values, with where they sit: `image: "repo:tag"` strings and
 * `{ repository, tag }` (or `{ unifiedRepoTag }`) objects under a key naming an image (`image`, `sidecarImage`, …).
 */
function helmImages(values: unknown, path = ""): { path: string; value: unknown }[] {
  // Walked on the raw values, so that only the image settings are read (a reference elsewhere is not this rule's business).
  const raw = rawOf(values);
  if (raw === null || typeof raw !== "object") return [];
  return Object.keys(raw).flatMap((key) => {
    const here = path ? `${path}.${key}` : key;
    const rawValue = (raw as Record<string, unknown>)[key];
    const namesImage = /image$/i.test(key);
    const isImage =
      namesImage &&
      (typeof rawValue === "string" || (rawValue && typeof rawValue === "object" && ("repository" in rawValue || "unifiedRepoTag" in rawValue)));
    if (isImage) return [{ path: here, value: (values as Record<string, unknown>)[key] }];
    return rawValue !== null && typeof rawValue === "object" ? helmImages((values as Record<string, unknown>)[key], here) : [];
  });
}

/** A Helm image object is digest-pinned by `digest`/`sha`, or by a tag or unifiedRepoTag carrying `@sha256:`. */
function helmImagePinned(image: unknown): boolean {
  if (typeof image === "string") return isDigestPinned(image);
  const { repository, tag, digest, sha, unifiedRepoTag } = image as Record<string, unknown>;
  if (typeof unifiedRepoTag === "string" && isDigestPinned(unifiedRepoTag)) return true;
  if (isSha256Digest(digest)) return true;
  if (isSha256Digest(typeof sha === "string" && !sha.startsWith("sha256:") ? `sha256:${sha}` : sha)) return true;
  return typeof tag === "string" && isDigestPinned(`${String(repository)}:${tag}`);
}

function describeImage(image: unknown): string {
  if (typeof image === "string") return image;
  const { repository, tag, unifiedRepoTag } = image as Record<string, unknown>;
  return typeof unifiedRepoTag === "string" ? unifiedRepoTag : `${String(repository)}:${String(tag ?? "")}`;
}

function checkHelmRelease(config: Record<string, any>): Verdict {
  const values = helmValues(config);
  if (values === undefined) return unresolved("values");
  const tagOnly = helmImages(values).filter((i) => !isReference(describeImage(i.value)) && !helmImagePinned(i.value));
  return tagOnly.length === 0 ? COMPLIANT : violation(tagOnly.map((i) => `${i.path} ${describeImage(i.value)} is pinned by tag only`).join("; "));
}

function checkWorkload(resource: ResourceUnderTest): Verdict {
  const images = containers(resource).map((c) => ({ name: String(c.name), image: String(c.image ?? "") }));
  const pending = images.find((c) => isReference(c.image));
  if (pending) return unresolved(`container ${pending.name} image`);
  const tagOnly = images.filter((c) => !isDigestPinned(c.image));
  return tagOnly.length === 0 ? COMPLIANT : violation(tagOnly.map((c) => `container ${c.name}: ${c.image} is pinned by tag only`).join("; "));
}

export const rule = defineRule({
  id: "AIG-K8S-14",
  level: "warning",
  appliesTo: [...WORKLOADS, "helm_release"],
  checkov: ["CKV_K8S_43"],
  info: "Images we deploy are pinned by digest, not by tag alone.",
  explanation:
    "A tag is a pointer the registry owner can move: a re-pushed tag rolls different code onto new or " +
    "rescheduled pods without a plan change, and nodes may run different images under one name. A digest " +
    "names the content.",
  fix:
    "Pin repository@sha256:… or repository:tag@sha256:… (get it with `crane digest <image:tag>`, `docker buildx imagetools inspect " +
    "<image:tag>` or `gcloud artifacts docker images describe <image:tag>`); for Helm charts use the chart's digest field or a tag carrying " +
    "@sha256:.",
  check: (resource) => {
    if (resource.type === "helm_release") return checkHelmRelease(resource.config);
    if (!WORKLOADS.includes(resource.type)) return NOT_APPLICABLE;
    return checkWorkload(resource);
  },
});
