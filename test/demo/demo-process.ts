import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort, runningPort } from "../../app/db/embedded.server";

/**
 * `npm run demo` as a person runs it in a terminal, for tests: its own process group (as the
 * terminal's foreground job), the local Postgres in a data folder of the test's, free ports,
 * and Ctrl-C as the terminal sends it: SIGINT to every process of the group.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The environment of a shell: none of the test run's database, Shopify settings or NODE_ENV. */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "info" };
  for (const name of Object.keys(env))
    if (
      /^(DATABASE_URL|APP_DATA_DIR|NODE_ENV|SCOPES|SHOPIFY_|APP_BRIDGE_URL|VITEST|TEST$|WORKER_)/.test(name)
    )
      delete env[name];
  return env;
}

export class DemoProcess {
  readonly child: ChildProcess;
  readonly dataDir: string;
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(child: ChildProcess, dataDir: string) {
    this.child = child;
    this.dataDir = dataDir;
    child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  static async start(dataDir: string): Promise<DemoProcess> {
    const [port, simPort] = [await freePort(), await freePort()];
    // What `npm run demo` runs (npm itself, on Ctrl-C, waits for it and then ends by the same
    // SIGINT, whatever its exit code: so the demo's own exit code is looked at here).
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/demo.ts",
        "--no-traffic",
        "--data",
        dataDir,
        "--port",
        String(port),
        "--sim-port",
        String(simPort),
      ],
      { cwd: ROOT, env: shellEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    return new DemoProcess(child, dataDir);
  }

  /** The end of what it wrote, for a failing assertion's message. */
  output(): string {
    const tail = (text: string) => (text.length > 6000 ? `…${text.slice(-6000)}` : text);
    return `--- stdout\n${tail(this.stdout)}\n--- stderr\n${tail(this.stderr)}`;
  }

  /** Waits until its output has a line matching `pattern`; fails at once if it exits first. */
  async line(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    for (;;) {
      const found = `${this.stdout}\n${this.stderr}`.split("\n").find((line) => pattern.test(line));
      if (found) return found;
      if (ended) throw new Error(`the demo exited before printing ${pattern}:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ctrl-C in its terminal: SIGINT to the whole foreground process group. */
  interrupt(): void {
    process.kill(-this.child.pid!, "SIGINT");
  }

  /** Ends it and everything it started, whatever state it is in (for a test's clean-up). */
  async kill(): Promise<void> {
    for (const pid of descendants(this.child.pid!).reverse()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}

/** A process and all its descendants (Linux /proc), parents first. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

/** Connects to the app's database of the demo's running local Postgres. */
export async function demoDatabase(dataDir: string): Promise<pg.Client> {
  const port = runningPort(path.join(dataDir, "pg"));
  if (!port) throw new Error(`no Postgres runs in ${dataDir}`);
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/app` });
  await client.connect();
  return client;
}
