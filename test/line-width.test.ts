import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The formatter wraps code at biome.jsonc's lineWidth but cannot break string literals, regexes or
// comments; this keeps those within the same width.
const maxColumns = Number(/"lineWidth":\s*(\d+)/.exec(readFileSync("biome.jsonc", "utf8"))?.[1]);

function trackedTypeScriptFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "*.ts", "*.mts"], { encoding: "utf8" }).split("\0").filter(Boolean);
}

/** `file:line (columns)` for every line wider than the limit, counting characters as the formatter does, not bytes. */
function longLines(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, index) => {
      const columns = [...line].length;
      return columns > maxColumns ? [`${file}:${index + 1} (${columns} columns)`] : [];
    });
}

describe("line width", () => {
  it("is the formatter's 150 columns", () => {
    expect(maxColumns).toBe(150);
  });

  it("holds for every line of every tracked TypeScript file, literals and comments included", () => {
    expect(trackedTypeScriptFiles().flatMap(longLines)).toEqual([]);
  });
});
