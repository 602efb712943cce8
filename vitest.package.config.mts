import { defineConfig } from "vitest/config";

// The slow install test of the packed library: a clean clone, npm ci, npm pack, a fresh project.
export default defineConfig({
  test: {
    include: ["test/package-install/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
