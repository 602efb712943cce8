import { GcsBackend, LocalBackend, TerraformStack } from "cdktf";

export interface StateBackendOptions {
  /**
   * A GCS bucket for Terraform state (versioning on, see README "Bootstrap").
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
    new GcsBackend(stack, { bucket: options.bucket, prefix: `${options.prefix ?? "ai-gateway"}/${stackId}` });
  } else {
    // Terraform runs in cdktf.out/stacks/<stack>/; state must outlive that generated folder.
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
  }
}
