import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take longest, mostly waiting (keep-alive idles 59 s; promtool; synths in child
 * processes), measured on this 2-core machine. Vitest orders by the durations it cached, but a
 * clean clone has none and would start them last, leaving their wait as the suite's tail.
 */
const LONGEST_FIRST = [
  "gateway-app/test/keep-alive.test.ts",
  "test/observability/alerts.test.ts",
  "test/readme.test.ts",
  "gateway-app/test/upstream-connections.test.ts",
  "test/leaving-cdktf.test.ts",
  "test/observability/prometheus.integration.test.ts",
  "gateway-app/test/governance/replicas.test.ts",
  "test/artifact.test.ts",
  "gateway-app/test/memory.test.ts",
  "gateway-app/test/image.test.ts",
];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "gateway-app/test/**/*.test.ts"],
    // Minutes long (clone, npm ci, npm pack, install): `npm run test:package`, its own CI step.
    exclude: ["test/package-install/**", "**/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // Two cores, but many files mostly wait (keep-alive idles a minute, servers and Prometheus
    // scrape on loopback), so four workers keep both cores busy. Files share their worker's module
    // cache: importing cdktf and the compiled library once per worker, not once per file, took the
    // suite from 155 s to 96 s on this machine. No test relies on fresh module state: the synth-time
    // caches are per construct tree and every gateway-app runs in its own process or app instance.
    maxWorkers: 4,
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
