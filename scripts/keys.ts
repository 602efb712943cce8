// npm run keys -- issue|list|rotate|revoke --tenant NAME [...]  (README: Multi-tenant governance)
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The command lives with the key store in gateway-app (an ES module package built on its own);
// loading it by URL keeps gateway-app out of this package's compilation.
const cli = pathToFileURL(join(__dirname, "..", "gateway-app", "src", "governance", "admin-cli.ts")).href;

import(cli).then(
  async (module: { runKeysCommand: (argv: string[], io: object) => Promise<number> }) => {
    const code = await module.runKeysCommand(process.argv.slice(2), {
      env: process.env,
      out: (line: string) => process.stdout.write(`${line}\n`),
      err: (line: string) => process.stderr.write(`${line}\n`),
    });
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
