import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "gateway-app/test/**/*.test.ts"],
    // Minutes long (clone, npm ci, npm pack, install): `npm run test:package`, its own CI step.
    exclude: ["test/package-install/**", "**/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
