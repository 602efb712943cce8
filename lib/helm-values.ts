import { inspectYaml } from "./yaml";

/**
 * A helm_release's values as synthesized: its YAML documents merged in order, undefined while
 * any of them is not a plain string yet. Read-only: parsed documents are shared.
 */
export function helmReleaseValues(config: { values?: unknown[] }): Record<string, any> | undefined {
  const merged: Record<string, any> = {};
  for (const doc of config.values ?? []) {
    if (typeof doc !== "string") return undefined;
    const parsed = inspectYaml(doc);
    if (parsed && typeof parsed === "object") Object.assign(merged, parsed);
  }
  return merged;
}
