import {
  COMPLIANT,
  NOT_APPLICABLE,
  at,
  expectValue,
  isReference,
  unresolved,
  violation,
  type PolicyRule,
  type ResourceUnderTest,
  type Verdict,
} from "../rule";
import { inspectYaml } from "../../yaml";

export const PRIMITIVE_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);
export const IAM_GRANTS = [
  "google_project_iam_member",
  "google_project_iam_binding",
  "google_project_iam_policy",
  "google_service_account_iam_member",
  "google_service_account_iam_binding",
  "google_secret_manager_secret_iam_member",
  "google_kms_crypto_key_iam_member",
  "google_storage_bucket_iam_member",
  "google_artifact_registry_repository_iam_member",
];

/** Keys whose literal values are credentials. */
export const SECRET_KEY = new RegExp(
  `^(secret|client_secret|token|api_?key|apikey|access_key|private_key|auth_string|master_key|secret_data)$|(password|passwd)$|` +
    `(_secret|_token|Token|ClientSecret)$`,
  "i",
);
/** Values that look like credentials wherever they appear. */
export const SECRET_VALUE_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/, "a private key"],
  [/\bsk-(proj-)?[A-Za-z0-9_-]{20,}/, "an OpenAI-style API key"],
  [/\bsk-ant-[A-Za-z0-9_-]{20,}/, "an Anthropic API key"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/"type":\s*"service_account"[\s\S]*"private_key"/, "a service-account key file"],
];
/** References that point at a secret instead of holding it. */
export const SECRET_REFERENCE = /^(\$\{.*\}|\{vault:\/\/.+\}|os\.environ\/.+|\$\(cat .+\))$/;

/** Walks a value (and YAML documents inside strings) for credentials; returns where it found one. */
export function findSecretLiteral(value: unknown, path: string): string | undefined {
  if (typeof value === "string") {
    for (const [pattern, what] of SECRET_VALUE_PATTERNS) if (pattern.test(value)) return `${path || "value"} holds ${what}`;
    if (value.includes("\n") && /^[\w"'-]+:/m.test(value)) {
      try {
        const nested = inspectYaml(value);
        if (nested && typeof nested === "object") return findSecretLiteral(nested, `${path}(yaml)`);
      } catch {
        // Not YAML after all.
      }
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretLiteral(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "//") continue;
      const childPath = path ? `${path}.${key}` : key;
      if (SECRET_KEY.test(key) && typeof child === "string" && child.length > 0 && !SECRET_REFERENCE.test(child.trim()))
        return `${childPath} is a literal credential`;
      const found = findSecretLiteral(child, childPath);
      if (found) return found;
    }
  }
  return undefined;
}

export { COMPLIANT, NOT_APPLICABLE, at, expectValue, isReference, unresolved, violation };
export type { PolicyRule, ResourceUnderTest, Verdict };
