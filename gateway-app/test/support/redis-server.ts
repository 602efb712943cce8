import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RedisSettings } from "../../src/governance/redis.js";
import { makeCertificates } from "./certificates.js";

/**
 * A real redis-server (Debian's package) on a loopback port, set up as Memorystore's in-transit
 * encryption and AUTH set it up: server-authenticated TLS with a CA the client is given (no
 * client certificates), and one password for the default user. The CA is made here with openssl.
 */
export interface TestRedis {
  readonly port: number;
  readonly password: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string;
  readonly caFile: string;
  readonly url: string;
  /** The settings a gateway-app process would read from its environment. */
  readonly settings: RedisSettings;
  /** SIGKILL: no shutdown save, as when a node is lost. */
  kill(): Promise<void>;
  /** Starts again on the same port and data directory after kill(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  /** Append-only file with fsync on every write, so a SIGKILL loses nothing that was acknowledged. @default true */
  readonly durable?: boolean;
}

export async function startRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), "gw-redis-"));
  makeCertificates(dir);
  const port = await freePort();
  const password = randomBytes(18).toString("base64url");
  const caFile = join(dir, "ca.crt");
  const args = [
    "--port",
    "0",
    "--tls-port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--tls-cert-file",
    join(dir, "server.crt"),
    "--tls-key-file",
    join(dir, "server.key"),
    "--tls-ca-cert-file",
    caFile,
    "--tls-auth-clients",
    "no",
    "--requirepass",
    password,
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.durable === false ? "no" : "yes",
    "--appendfsync",
    "always",
    "--daemonize",
    "no",
  ];
  let child = await launch(args);
  const ca = readFileSync(caFile, "utf8");
  const url = `rediss://127.0.0.1:${port}`;
  return {
    port,
    password,
    ca,
    caFile,
    url,
    settings: { url, password, ca, connectTimeoutMs: 500, commandTimeoutMs: 500 },
    async kill() {
      await terminate(child, "SIGKILL");
    },
    async restart() {
      child = await launch(args);
    },
    async stop() {
      await terminate(child, "SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server and resolves once it accepts connections. */
function launch(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.once("error", (error) => fail(new Error(`cannot run redis-server (apt-get install redis-server): ${error.message}`)));
    child.once("exit", (code) => fail(new Error(`redis-server exited with ${code}:\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("Ready to accept connections")) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      // Keep draining the pipes so the server never blocks on a full one.
      child.stdout.off("data", onData).resume();
      child.stderr.off("data", onData).resume();
      resolve(child);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
