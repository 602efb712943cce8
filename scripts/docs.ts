// Regenerates the generated documents: the versions table in README.md, and POLICIES.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withVersionsTable } from "../lib/docs";
import { policiesMarkdown } from "../lib/policy/docs";

const root = join(__dirname, "..");
const readme = join(root, "README.md");
writeFileSync(readme, withVersionsTable(readFileSync(readme, "utf8")));
writeFileSync(join(root, "POLICIES.md"), policiesMarkdown());
console.log("README.md versions table and POLICIES.md regenerated");
