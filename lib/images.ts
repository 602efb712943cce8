import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "./errors";
import { isUnresolved } from "./tokens";

/** An image reference split the way registries read it: `repository[:tag][@digest]`. */
export interface ImageParts {
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:` and 64 hex digits. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `sha256:` and 64 lowercase hex digits, the only digest form registries hand out for OCI images. */
export function isSha256Digest(value: unknown): boolean {
  return typeof value === "string" && DIGEST.test(value);
}
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Splits an image reference; the tag is what follows the last `:` of the last path segment. */
export function parseImage(image: string): ImageParts {
  const [name, digest] = image.split("@", 2) as [string, string | undefined];
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : undefined, digest };
}

/** What is wrong with an image reference's tag or digest, if anything. */
export function imageProblem(image: string): string | undefined {
  const { tag, digest } = parseImage(image);
  if (digest !== undefined && !DIGEST.test(digest)) return `its digest "${digest}" is not sha256: and 64 lowercase hex digits`;
  if (tag !== undefined && !TAG.test(tag)) return `its tag "${tag}" is not a valid tag`;
  if (digest === undefined && (tag === undefined || tag === "latest")) return "it has neither a digest nor a fixed tag";
  return undefined;
}

/** Refuses, naming the construct's `image` prop, a reference that is not a usable pin (see imageProblem). */
export function assertUsableImagePin(scope: IConstruct, image: string): void {
  const problem = imageProblem(image);
  if (!isUnresolved(image) && problem)
    throw new InvalidPropsError(
      scope,
      "image",
      `is not a usable pin: ${problem} ${received(image)}`,
      "use repository@sha256:<64 hex>, repository:tag@sha256:<64 hex>, or a version tag",
    );
}

/** True when an image reference is pinned: a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  if (image.includes("@sha256:")) return true;
  const tag = parseImage(image).tag;
  return Boolean(tag) && tag !== "latest";
}

/** True when the reference names content, not a tag that can be pushed again: `repo@sha256:…` or `repo:tag@sha256:…`. */
export function isDigestPinned(image: string): boolean {
  const digest = parseImage(image).digest;
  return isSha256Digest(digest);
}
