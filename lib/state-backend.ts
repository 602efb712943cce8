import { GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import { InvalidPropsError, received } from "./errors";
import { isUnresolved } from "./tokens";
import { GKE_FACTS } from "./upstream-facts";

export interface StateBackendOptions {
  /**
   * A GCS bucket for Terraform state (versioning on, see README "Bootstrap"): its name, such as
   * "acme-ai-gateway-tfstate", without `gs://`.
   * @default - local state in `terraform.<stack id>.tfstate` at the project root
   */
  readonly bucket?: string;
  /**
   * Object prefix inside the bucket; each stack's state lives under `<prefix>/<stack id>`.
   * @default "ai-gateway"
   */
  readonly prefix?: string;
}

/** GCS state when a bucket is configured, local state otherwise. */
export function configureStateBackend(stack: TerraformStack, options: StateBackendOptions): void {
  const stackId = stack.node.id;
  if (options.bucket) {
    validateBucketName(stack, options.bucket);
    new GcsBackend(stack, { bucket: options.bucket, prefix: `${options.prefix ?? "ai-gateway"}/${stackId}` });
  } else {
    // Terraform runs in cdktf.out/stacks/<stack>/; state must outlive that generated folder.
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
  }
}

/** Throws unless `bucket` is a GCS bucket name (the backend would fail at `terraform init`). */
export function validateBucketName(stack: TerraformStack, bucket: string): void {
  if (isUnresolved(bucket)) return;
  const problem = bucketNameProblem(bucket);
  if (problem) {
    throw new InvalidPropsError(
      stack,
      "stateBackend.bucket",
      `${problem} ${received(bucket)}`,
      'give the bare bucket name, such as "acme-ai-gateway-tfstate" (GCS naming rules: https://cloud.google.com/storage/docs/buckets#naming)',
    );
  }
}

function bucketNameProblem(bucket: string): string | undefined {
  const rules = GKE_FACTS.bucketNames;
  if (bucket.startsWith("gs://")) return "is a gs:// URL, not a bucket name";
  if (!new RegExp(rules.pattern).test(bucket))
    return "must be lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit";
  const limit = bucket.includes(".") ? rules.maxLengthWithDots : rules.maxLength;
  if (bucket.length < rules.minLength || bucket.length > limit) return `must be ${rules.minLength} to ${limit} characters`;
  if (bucket.split(".").some((part) => part.length === 0 || part.length > rules.maxLength))
    return `has a dot-separated part that is empty or longer than ${rules.maxLength} characters`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return "looks like an IP address";
  if (bucket.startsWith(rules.forbiddenPrefix) || bucket.includes(rules.forbiddenSubstring))
    return `must not start with "${rules.forbiddenPrefix}" or contain "${rules.forbiddenSubstring}"`;
  return undefined;
}
