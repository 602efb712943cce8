import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { versionsTable, withVersionsTable } from "../lib/docs";
import { VERSIONS } from "../lib/versions";

describe("README", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  it("has the current versions table (run `npm run docs` when this fails)", () => {
    expect(withVersionsTable(readme)).toBe(readme);
  });

  it("lists every pin", () => {
    for (const pin of Object.keys(VERSIONS)) expect(versionsTable()).toContain(`\`${pin}\``);
  });
});
