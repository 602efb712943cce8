import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type KeyRecord, KeyStore, keyStatus } from "./keys.js";
import { createRedis, whenReady } from "./redis.js";
import { loadGovernanceSettings } from "./settings.js";

export const KEYS_USAGE = `usage: npm run keys -- <command> --tenant NAME [options]
  issue   --tenant NAME [--label TEXT] [--expires-days N]   prints the new key once
  list    --tenant NAME                                      ids, labels, status; never keys
  rotate  --tenant NAME --id ID [--grace-hours N]            new key; the old one stays valid N hours (default 24)
  revoke  --tenant NAME --id ID                              refused on every replica within 60 s
environment: GOVERNANCE_REDIS_URL (rediss://HOST:PORT), GOVERNANCE_REDIS_AUTH_FILE or GOVERNANCE_REDIS_AUTH,
             GOVERNANCE_REDIS_CA_FILE (the instance's server CA, PEM)`;

export interface CliIo {
  readonly env: Record<string, string | undefined>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile?: (path: string) => string;
  readonly now?: () => number;
}

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** `npm run keys -- …`: returns the exit code. The key is written to `out` once; everything else to `err`. */
export async function runKeysCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    io.err(`keys: ${(error as Error).message}\n${KEYS_USAGE}`);
    return 2;
  }
  const problems: string[] = [];
  const settings = loadGovernanceSettings(io.env, io.readFile ?? ((path) => readFileSync(path, "utf8")), problems);
  if (!settings.redis) problems.push("GOVERNANCE_REDIS_URL: required, the governance store's address (see README, Multi-tenant governance)");
  if (problems.length > 0) {
    io.err(`keys: ${problems.join("\n      ")}`);
    return 2;
  }
  const redis = createRedis({ ...settings.redis!, commandTimeoutMs: 5_000, connectTimeoutMs: 5_000 });
  redis.on("error", () => {});
  try {
    await whenReady(redis, 10_000);
    const now = io.now ?? Date.now;
    const store = new KeyStore(redis, now);
    await execute(parsed, store, io, now);
    return 0;
  } catch (error) {
    io.err(`keys: ${(error as Error).message}`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

type Command = {
  name: "issue" | "list" | "rotate" | "revoke";
  tenant: string;
  id?: string;
  label?: string;
  expiresDays?: number;
  graceHours: number;
};

function parseCommand(argv: readonly string[]): Command {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      id: { type: "string" },
      label: { type: "string" },
      "expires-days": { type: "string" },
      "grace-hours": { type: "string" },
    },
  });
  const name = positionals[0];
  if (name !== "issue" && name !== "list" && name !== "rotate" && name !== "revoke") throw new Error(`unknown command "${name ?? ""}"`);
  if (!values.tenant || !TENANT_PATTERN.test(values.tenant))
    throw new Error(`--tenant: must be a tenant name, 1-128 letters, digits or . _ @ - (received "${values.tenant ?? ""}")`);
  if ((name === "rotate" || name === "revoke") && !values.id)
    throw new Error(`--id: required for ${name}; see the ids with \`npm run keys -- list --tenant ${values.tenant}\``);
  const positive = (flag: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!(value > 0)) throw new Error(`--${flag}: must be a positive number (received "${raw}")`);
    return value;
  };
  return {
    name,
    tenant: values.tenant,
    id: values.id,
    label: values.label,
    expiresDays: positive("expires-days", values["expires-days"]),
    graceHours: positive("grace-hours", values["grace-hours"]) ?? 24,
  };
}

async function execute(command: Command, store: KeyStore, io: CliIo, now: () => number): Promise<void> {
  switch (command.name) {
    case "issue": {
      const expiresAt = command.expiresDays === undefined ? undefined : now() + command.expiresDays * 86_400_000;
      const issued = await store.issue(command.tenant, { label: command.label, expiresAt });
      io.err(`issued ${issued.id} for tenant ${issued.tenant}; the key is shown once, below, and cannot be read back`);
      io.out(issued.key);
      return;
    }
    case "list":
      for (const key of await store.list(command.tenant)) io.out(describe(key, now()));
      return;
    case "rotate": {
      const issued = await store.rotate(command.tenant, command.id!, command.graceHours * 3_600_000);
      io.err(`issued ${issued.id}; ${command.id} stays valid for ${command.graceHours} h. The new key is shown once, below`);
      io.out(issued.key);
      return;
    }
    case "revoke":
      await store.revoke(command.tenant, command.id!);
      io.err(`revoked ${command.id}; every replica refuses it within 60 s`);
  }
}

function describe(key: KeyRecord, now: number): string {
  const iso = (ms: number | undefined) => (ms === undefined ? "-" : new Date(ms).toISOString());
  return [key.id, keyStatus(key, now), `created=${iso(key.createdAt)}`, `expires=${iso(key.expiresAt)}`, `label=${key.label ?? "-"}`].join("\t");
}
