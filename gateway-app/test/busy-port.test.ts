import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(appDir, "..", "node_modules", ".bin", "tsx");

describe("npm run gateway on a busy port", () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => blocker.close());

  it("prints one line naming the port and PORT=, and exits 1 without a stack trace", () => {
    const run = spawnSync(tsx, ["src/server.ts"], {
      cwd: appDir,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      `gateway-app: port ${port} on 127.0.0.1 is already in use: stop what listens there, or start on another port with PORT= (e.g. ` +
        `PORT=8081 npm run gateway)`,
    ]);
  });
});
