import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  Logger as GraphileLogger,
  run,
  runMigrations,
  type Runner,
  type Task,
  type TaskList,
} from "graphile-worker";
import { log } from "../log.server";
import { SYSTEM_QUEUE } from "./queues.server";

export const TASKS_DIR = path.resolve(import.meta.dirname, "../../tasks");

/** Fixed schedules. Per-shop schedules live in the Schedule table and fan out from the tick. */
export const CRONTAB = [`* * * * * schedule_tick ?max=1&queue=${SYSTEM_QUEUE}&jobKey=schedule_tick`].join(
  "\n",
);

/** Loads tasks/<name>.ts: the file name is the task name, the default export the task. */
export async function loadTasks(dir = TASKS_DIR): Promise<TaskList> {
  const tasks: TaskList = {};
  for (const file of readdirSync(dir)
    .filter((name) => /^[a-z][a-z0-9_]*\.ts$/.test(name))
    .sort()) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Task };
    if (typeof module.default !== "function") throw new Error(`tasks/${file} has no default export task`);
    tasks[file.replace(/\.ts$/, "")] = module.default;
  }
  return tasks;
}

const graphileLogger = new GraphileLogger((scope) => (level, message, meta) => {
  const fields = { component: "graphile-worker", ...scope, ...meta };
  if (level === "error") log.error(fields, message);
  else if (level === "warning") log.warn(fields, message);
  else if (level === "info" && !message.startsWith("Completed task")) log.info(fields, message);
  else log.debug(fields, message);
});

/** Installs or upgrades graphile-worker's own schema. */
export async function migrateWorkerSchema(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: graphileLogger });
}

export interface WorkerOptions {
  connectionString: string;
  concurrency?: number;
  taskList?: TaskList;
  crontab?: string;
  pollInterval?: number;
  /** Leave signal handling to the caller (tests, launchers that run several things). */
  noHandleSignals?: boolean;
}

export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const taskList = options.taskList ?? (await loadTasks());
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? Number(process.env.WORKER_CONCURRENCY ?? 5),
    pollInterval: options.pollInterval ?? 1000,
    taskList,
    crontab: options.crontab ?? CRONTAB,
    noHandleSignals: options.noHandleSignals ?? false,
    logger: graphileLogger,
  });
  log.info({ tasks: Object.keys(taskList) }, "worker started");
  return runner;
}
