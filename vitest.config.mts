import { defineConfig } from "vitest/config";

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
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
