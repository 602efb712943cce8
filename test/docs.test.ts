import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withVersionsTable } from "../lib/docs";
import {
  CDKTF_CLI_FACTS,
  GOOGLE_PROVIDER_FACTS,
  KONG_CHART_FACTS,
  KONG_FACTS,
  KUBE_PROMETHEUS_STACK_FACTS,
  LITELLM_FACTS,
} from "../lib/upstream-facts";
import { VERSIONS } from "../lib/versions";

describe("README", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  it("has the current versions table (run `npm run docs` when this fails)", () => {
    expect(withVersionsTable(readme)).toBe(readme);
  });
});

// The facts in lib/upstream-facts.ts were read at a pinned version: a pin bump without
// re-reading them must fail here, before a test passes on facts of another version.
describe("pinned versions and the upstream facts read at them", () => {
  it("pin the charts and images the facts were read from", () => {
    expect(VERSIONS.kongChart.version).toBe("3.4.1");
    expect(KONG_CHART_FACTS.version).toBe(VERSIONS.kongChart.version);
    expect(VERSIONS.kongImage.tag).toBe("3.9.1");
    expect(KONG_FACTS.version).toBe(VERSIONS.kongImage.tag);
    expect(VERSIONS.liteLlmImage.tag).toBe("main-v1.80.12");
    expect(`main-v${LITELLM_FACTS.version}`).toBe(VERSIONS.liteLlmImage.tag);
    expect(VERSIONS.kubePrometheusStackChart.version).toBe("88.5.3");
    expect(KUBE_PROMETHEUS_STACK_FACTS.version).toBe(VERSIONS.kubePrometheusStackChart.version);
  });

  it("bind the provider and cdktf-cli versions the facts were read from", () => {
    const lock = JSON.parse(readFileSync(join(__dirname, "..", "package-lock.json"), "utf8"));
    const providerGoogle = JSON.parse(readFileSync(join(__dirname, "..", "node_modules", "@cdktf", "provider-google", "package.json"), "utf8"));
    expect(providerGoogle.cdktf.provider.version).toBe(GOOGLE_PROVIDER_FACTS.version);
    expect(lock.packages["node_modules/cdktf-cli"].version).toBe(CDKTF_CLI_FACTS.version);
  });
});
