// Regenerates the generated parts of README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withVersionsTable } from "../lib/docs";

const path = join(__dirname, "..", "README.md");
writeFileSync(path, withVersionsTable(readFileSync(path, "utf8")));
console.log("README.md: versions table regenerated");
