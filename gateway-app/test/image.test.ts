import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Docker cannot run here, so this checks what it can: the Dockerfile's sources exist, and the
// build output runs with nothing but the runtime dependencies the image installs.
const ROOT = resolve(__dirname, "../..");
const dockerfile = readFileSync(join(ROOT, "gateway-app/Dockerfile"), "utf8");

interface Stage {
  name: string;
  base: string;
  lines: string[];
}

function stages(): Stage[] {
  const result: Stage[] = [];
  for (const line of dockerfile.split("\n").map((l) => l.trim())) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ base: from[1], name: from[2] ?? "final", lines: [] });
    else if (line && !line.startsWith("#")) result.at(-1)!.lines.push(line);
  }
  return result;
}

const runOf = (stage: Stage) => stage.lines.filter((l) => l.startsWith("RUN ")).map((l) => l.slice(4));

/** The Node major of a base image: `node:24.22-bookworm-slim` or `gcr.io/distroless/nodejs24-debian12:nonroot`. */
function nodeMajor(base: string): number {
  const match = /^node:(\d+)[.-]/.exec(base) ?? /\/distroless\/nodejs(\d+)-/.exec(base);
  if (!match) throw new Error(`no Node major in base image ${base}`);
  return Number(match[1]);
}

const imageMajor = nodeMajor(stages().at(-1)!.base);
const runningMajor = Number(process.versions.node.split(".")[0]);

describe("gateway-app Dockerfile", () => {
  it("copies only paths that exist in the repository", () => {
    const sources = dockerfile
      .split("\n")
      .filter((l) => /^COPY\s/.test(l) && !l.includes("--from="))
      .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
  });

  it("builds in separate stages and runs the final one as a non-root user without build tools", () => {
    const all = stages();
    expect(all.map((s) => s.name)).toEqual(["build", "runtime-deps", "final"]);
    const final = all.at(-1)!;
    expect(final.base).toBe("gcr.io/distroless/nodejs24-debian12:nonroot");
    expect(runOf(final)).toEqual([]);
    const user = final.lines.find((l) => l.startsWith("USER "))!;
    expect(Number(user.split(/\s+/)[1].split(":")[0])).toBeGreaterThanOrEqual(10000);
    expect(final.lines.filter((l) => l.startsWith("COPY --from=")).map((l) => l.split(/\s+/)[1])).toEqual([
      "--from=runtime-deps",
      "--from=runtime-deps",
      "--from=build",
    ]);
    expect(runOf(all[1])).toEqual([expect.stringMatching(/^npm ci --workspace gateway-app --omit=dev/)]);
  });

  it("starts node with the measured memory flags: a 256 MiB heap and 8 MiB semi-spaces, Maglev left on", () => {
    const cmd = stages()
      .at(-1)!
      .lines.find((l) => l.startsWith("CMD "))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(["--max-old-space-size=256", "--max-semi-space-size=8", "gateway-app/dist/server.js"]);
  });

  it("builds and runs on one supported Node major, the one CI tests with", () => {
    expect(stages().map((s) => nodeMajor(s.base))).toEqual([24, 24, 24]);
    const ciNode = /^NODE_VERSION=(\d+)\./m.exec(readFileSync(join(ROOT, ".ci/run"), "utf8"));
    expect(Number(ciNode?.[1])).toBe(imageMajor);
    for (const manifest of ["package.json", "gateway-app/package.json"]) {
      expect(JSON.parse(readFileSync(join(ROOT, manifest), "utf8")).engines, manifest).toEqual({ node: `>=${imageMajor}` });
    }
    // CI puts that Node first on PATH; a developer machine may run another one.
    if (process.env.CI) expect(runningMajor).toBe(imageMajor);
  });

  // Booting on another major would prove nothing about the image, so off CI it needs the image's Node.
  it.runIf(runningMajor === imageMajor || process.env.CI)(
    "starts from the build output with only the runtime dependencies installed, and answers /healthz",
    async () => {
      const app = mkdtempSync(join(tmpdir(), "gateway-image-"));
      // The runtime-deps stage, as written in the Dockerfile, against the same lockfile.
      cpSync(join(ROOT, "package.json"), join(app, "package.json"));
      cpSync(join(ROOT, "package-lock.json"), join(app, "package-lock.json"));
      mkdirSync(join(app, "gateway-app"));
      cpSync(join(ROOT, "gateway-app/package.json"), join(app, "gateway-app/package.json"));
      const [install] = runOf(stages()[1]);
      execFileSync("sh", ["-c", `${install} --prefer-offline --ignore-scripts`], { cwd: app, stdio: "pipe" });
      // The build stage: compile the sources into gateway-app/dist.
      execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "gateway-app/tsconfig.json"), "--outDir", join(app, "gateway-app/dist")], {
        stdio: "pipe",
      });

      const installed = readdirSync(join(app, "node_modules")).concat(
        existsSync(join(app, "gateway-app/node_modules")) ? readdirSync(join(app, "gateway-app/node_modules")) : [],
      );
      expect(installed).toEqual(expect.arrayContaining(["hono", "prom-client", "zod"]));
      for (const forbidden of ["cdktf", "@cdktf", "@hono", "typescript", "vitest", "openai", "autocannon", "tsx", "yaml"])
        expect(installed).not.toContain(forbidden);

      const child = spawn(process.execPath, ["gateway-app/dist/server.js"], {
        cwd: app,
        env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        const port = await new Promise<number>((res, rej) => {
          let out = "";
          child.stdout.on("data", (d) => {
            out += d;
            const m = /"port":(\d+)/.exec(out);
            if (m) res(Number(m[1]));
          });
          child.on("exit", (code) => rej(new Error(`exited ${code}`)));
        });
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: "ok" });
      } finally {
        child.kill("SIGTERM");
      }
    },
    120_000,
  );
});
