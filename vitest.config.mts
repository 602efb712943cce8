import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "gateway-app/test/**/*.test.ts"],
    // Minutes long (clone, npm ci, npm pack, install): `npm run test:package`, its own CI step.
    exclude: ["test/package-install/**", "**/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // Two cores, but many files mostly wait (keep-alive idles a minute, servers and Prometheus
    // scrape on loopback): one worker per core plus one keeps both cores busy.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
