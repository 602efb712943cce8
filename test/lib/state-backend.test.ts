import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { configureStateBackend } from "../../lib/state-backend";
import { synthJson } from "../support/terraform";

function backendOf(bucket: string) {
  const stack = new TerraformStack(Testing.app(), "infra");
  configureStateBackend(stack, { bucket });
  return synthJson(stack).terraform?.backend;
}

describe("state backend", () => {
  it("keeps each stack's state under <prefix>/<stack id> in the bucket", () => {
    expect(backendOf("acme-ai-gateway-tfstate")).toEqual({ gcs: { bucket: "acme-ai-gateway-tfstate", prefix: "ai-gateway/infra" } });
  });

  it("accepts names at GCS's limits: 3 and 63 characters, dotted names up to 222", () => {
    expect(backendOf("abc").gcs.bucket).toBe("abc");
    expect(backendOf("a".repeat(63)).gcs.bucket).toHaveLength(63);
    expect(backendOf(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(30)}`).gcs.bucket).toHaveLength(222);
  });

  it.each([
    [
      "gs://acme-tfstate",
      /stateBackend\.bucket is a gs:\/\/ URL, not a bucket name \(received "gs:\/\/acme-tfstate"\)\. Fix: give the bare bucket name/,
    ],
    ["Acme-TFState", /must be lowercase letters, digits, dashes, underscores and dots/],
    ["acme-tfstate-", /starting and ending with a letter or digit/],
    ["ab", /must be 3 to 63 characters/],
    ["a".repeat(64), /must be 3 to 63 characters/],
    [`${"a".repeat(64)}.b`, /dot-separated part that is empty or longer than 63/],
    ["192.168.0.1", /looks like an IP address/],
    ["google-tfstate", /must not start with "goog" or contain "google"/],
    ["my-google-state", /must not start with "goog" or contain "google"/],
  ])("throws on the bucket name %s", (bucket, message) => {
    expect(() => backendOf(bucket)).toThrow(message);
  });
});
