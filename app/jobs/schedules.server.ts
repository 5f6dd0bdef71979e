import { randomUUID } from "node:crypto";
import { CronExpressionParser } from "cron-parser";
import prisma, { type Db, type Tx } from "../db.server";
import { Prisma } from "../generated/prisma/client";
import { log } from "../log.server";
import { FALLBACK_TIME_ZONE, isTimeZone } from "../admin/time-zone";
import { enqueueSync } from "./enqueue.server";
import { jobKey } from "./queues.server";
import { DEFAULT_SCHEDULES, SYNC_TASKS as syncTasks } from "../sync/index.server";
import type { TaskManifest } from "../sync/kit/manifest.server";
import type { SyncTaskDefinition } from "./sync-task.server";

/** A task the tick can fire: the app's have a manifest, the job machinery's tests' need none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTask = SyncTaskDefinition<any> & { manifest?: Pick<TaskManifest<unknown>, "idleWhen"> };
const findSyncTask = (name: string, tasks: readonly AnyTask[]) => tasks.find((task) => task.name === name);

/**
 * Recurring schedules. graphile-worker's cron runs `schedule_tick` once a minute (once across
 * all workers: it records each tick in its known_crontabs table). The tick claims the due
 * schedules with FOR UPDATE SKIP LOCKED, queues one run each and moves nextRunAt forward in
 * the same transaction, so a schedule fires once even with several workers. After downtime a
 * schedule that missed several times fires once, then keeps its rhythm. Schedules of
 * uninstalled shops are not due: they resume when the shop reinstalls. A due schedule whose
 * task's manifest says a scheduled run has nothing to do for the shop's settings
 * (`idleWhen`: the product sync of a shop whose Sync items is off) moves on without a run.
 */

/**
 * The cron's next time after `after`, the expression read on the wall clock of `timeZone` (a
 * schedule's own: "0 6 * * *" in America/Toronto is 06:00 Toronto time on both sides of a
 * daylight-saving change; on the night the clocks go forward a time that does not exist then
 * comes an hour later, and one that occurs twice fires once). Schedules from before time
 * zones are in UTC.
 */
export function nextRun(cron: string, after: Date, timeZone: string): Date {
  if (!isTimeZone(timeZone)) throw new Error(`unknown time zone "${timeZone}"`);
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

export function validateCron(cron: string): string | null {
  try {
    CronExpressionParser.parse(cron, { tz: "UTC" });
    return cron.trim().split(/\s+/).length === 5 ? null : "use five fields: minute hour day month weekday";
  } catch (error) {
    return (error as Error).message;
  }
}

/** Job categories are short slugs: they become part of the shop's queue names. */
export const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * Creates or changes a task's settings row for a shop. Filters and category are kept as they
 * are when not given, so the schedule and the request page can be saved on their own.
 */
export async function upsertSchedule(
  db: Db,
  input: {
    shopId: string;
    task: string;
    cron: string;
    enabled: boolean;
    /**
     * The zone the cron is read in: the task page gives the shop's. Left out, a new schedule
     * is in UTC and an existing one keeps its zone.
     */
    timeZone?: string;
    filters?: unknown;
    category?: string;
  },
  tasks: readonly AnyTask[] = syncTasks,
) {
  const task = findSyncTask(input.task, tasks);
  if (!task) throw new Error(`unknown task ${input.task}`);
  const cronError = validateCron(input.cron);
  if (cronError) throw new Error(`invalid schedule "${input.cron}": ${cronError}`);
  if (input.category !== undefined && !CATEGORY_PATTERN.test(input.category))
    throw new Error(`invalid category "${input.category}": use up to 40 lowercase letters, digits, - or _`);
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone))
    throw new Error(`invalid time zone "${input.timeZone}"`);
  const filters =
    input.filters === undefined ? undefined : (task.filters.parse(input.filters) as Prisma.InputJsonValue);
  const timeZone =
    input.timeZone ??
    (
      await db.schedule.findUnique({
        where: { shopId_task: { shopId: input.shopId, task: input.task } },
        select: { timeZone: true },
      })
    )?.timeZone ??
    FALLBACK_TIME_ZONE;
  const nextRunAt = input.enabled ? nextRun(input.cron, new Date(), timeZone) : null;
  const common = { cron: input.cron, enabled: input.enabled, timeZone, nextRunAt };
  return db.schedule.upsert({
    where: { shopId_task: { shopId: input.shopId, task: input.task } },
    create: {
      id: randomUUID(),
      shopId: input.shopId,
      task: input.task,
      ...common,
      filters: filters ?? (task.filters.parse({}) as Prisma.InputJsonValue),
      category: input.category ?? task.category,
    },
    update: {
      ...common,
      ...(filters === undefined ? {} : { filters }),
      ...(input.category === undefined ? {} : { category: input.category }),
    },
  });
}

/** A task's default schedule: what `addDefaultSchedules` gives every shop (in UTC). */
export interface DefaultSchedule {
  task: { name: string; category: string };
  cron: string;
}

/**
 * Gives every installed shop (or just `shopId`, if installed) each default schedule (the
 * manifests' `schedule`, DEFAULT_SCHEDULES) it has no row for, enabled and due at the cron's
 * next time. A shop's existing row for the task (the merchant's schedule, turned off or not,
 * or just its filters or category) is left as it is, and running it again adds nothing: rows
 * are never deleted but with the shop, so a missing row is one the shop never had. Install
 * calls it for its shop; a worker calls it for all when it starts, so shops installed before a
 * task had a default schedule get it with the release that brings it. Returns the rows added.
 */
export async function addDefaultSchedules(
  db: Db | Tx,
  options: { shopId?: string; defaults?: readonly DefaultSchedule[]; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const onlyShop = options.shopId ? Prisma.sql`and sh.id = ${options.shopId}::uuid` : Prisma.empty;
  let added = 0;
  for (const { task, cron } of options.defaults ?? DEFAULT_SCHEDULES) {
    // One statement per task whatever the number of shops; a shop's row for the task, or one an
    // install or another worker adds meanwhile, is a conflict and stays as it is.
    added += await db.$executeRaw`
      insert into "Schedule" (id, "shopId", task, cron, enabled, filters, category, "nextRunAt", "updatedAt")
      select gen_random_uuid(), sh.id, ${task.name}, ${cron}, true, '{}'::jsonb, ${task.category},
             ${nextRun(cron, now, FALLBACK_TIME_ZONE)}, ${now}
        from "Shop" sh
       where sh."uninstalledAt" is null ${onlyShop}
      on conflict ("shopId", task) do nothing`;
  }
  return added;
}

/**
 * True when the task's manifest says a scheduled run has nothing to do for the shop's settings
 * (`idleWhen`). A shop without a settings row is left to the run.
 */
async function nothingToDo(tx: Tx, task: AnyTask, shopId: string): Promise<boolean> {
  const idle = task.manifest?.idleWhen;
  if (!idle) return false;
  const settings = await tx.shopSettings.findUnique({ where: { shopId } });
  return settings !== null && idle(settings) !== null;
}

interface DueSchedule {
  id: string;
  shopId: string;
  task: string;
  cron: string;
  timeZone: string;
  filters: unknown;
  domain: string;
}

/**
 * The schedule's zone; one this runtime does not know (saved under another version of the
 * time-zone data) is read as UTC rather than stopping the tick.
 */
function zoneOf(due: DueSchedule): string {
  if (isTimeZone(due.timeZone)) return due.timeZone;
  log.warn({ scheduleId: due.id, timeZone: due.timeZone }, "schedule's time zone unknown: read in UTC");
  return FALLBACK_TIME_ZONE;
}

/** Fires every due schedule once. Returns how many runs it queued. */
export async function tickSchedules(
  now = new Date(),
  tasks: readonly AnyTask[] = syncTasks,
): Promise<number> {
  let fired = 0;
  for (;;) {
    // One schedule per transaction: a bad one cannot hold back the others.
    const handled = await prisma.$transaction(async (tx) => {
      const [due] = await tx.$queryRaw<DueSchedule[]>`
        select s.id, s."shopId", s.task, s.cron, s."timeZone", s.filters, sh.domain
          from "Schedule" s join "Shop" sh on sh.id = s."shopId"
         where s.enabled and s."nextRunAt" <= ${now} and sh."uninstalledAt" is null
         order by s."nextRunAt"
         limit 1
         for update of s skip locked`;
      if (!due) return false;
      const task = findSyncTask(due.task, tasks);
      let skipped = false;
      try {
        if (!task) throw new Error(`no task named ${due.task}`);
        skipped = await nothingToDo(tx, task, due.shopId);
        if (skipped) {
          log.debug(
            { scheduleId: due.id, shop: due.domain, task: due.task },
            "schedule skipped: nothing to do",
          );
        } else {
          await enqueueSync(tx, task, {
            shop: due.domain,
            trigger: "schedule",
            filters: due.filters,
            jobKey: jobKey(task.name, due.domain, "schedule"),
          });
          fired += 1;
        }
      } catch (error) {
        log.error(
          { scheduleId: due.id, shop: due.domain, error: (error as Error).message },
          "schedule could not fire",
        );
      }
      // A skipped schedule did not fire (lastRunAt stays); either way the next time asks again.
      await tx.schedule.update({
        where: { id: due.id },
        data: { ...(skipped ? {} : { lastRunAt: now }), nextRunAt: nextRun(due.cron, now, zoneOf(due)) },
      });
      return true;
    });
    if (!handled) return fired;
  }
}
