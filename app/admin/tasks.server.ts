import { z } from "zod";
import { fieldMessages, Refusal } from "./refusal.server";
import type { Db } from "../db.server";
import type { Schedule, Shop, ShopSettings, SyncRun } from "../generated/prisma/client";
import { enqueueSync } from "../jobs/enqueue.server";
import { describeError } from "../errors.server";
import { CategoryBusy, type CategoryHolder } from "../jobs/category-lock.server";
import { runInForeground } from "../jobs/foreground.server";
import { findSyncTask, TASK_CATALOG, taskInfo } from "../sync/index.server";
import { CATEGORY_PATTERN, upsertSchedule, validateCron } from "../jobs/schedules.server";
import type { FilterField } from "../sync/kit/filters";
import type { TaskInfo } from "../sync/kit/manifest.server";
import { categoryWords, DEFAULT_CRON, SCHEDULE_PRESETS } from "./task-catalog";
import { formatInZone, shopTimeZone } from "./time-zone";

/**
 * Tasks and schedules for the admin: each task's schedule, category and filters (one
 * Schedule row per shop and task), its last and next run, and Run now in the background or
 * the foreground as the shop's settings say. Everything takes the shop from the session.
 */

export interface TaskRow {
  info: TaskInfo;
  schedule: Schedule | null;
  category: string;
  lastRun: SyncRun | null;
  nextRunAt: Date | null;
  /** Why its schedule queues no run for this shop's settings (the manifest's idleWhen), or null. */
  idle: string | null;
}

function requireTask(name: string) {
  const info = taskInfo(name);
  if (!info) throw new Refusal(`There is no task called "${name}".`, 404);
  const task = info.available ? findSyncTask(name) : undefined;
  return { info, task };
}

function requireRunnable(name: string) {
  const { info, task } = requireTask(name);
  if (!task) throw new Refusal(`${info.title} is not available yet.`, 400);
  return { info, task };
}

async function lastRuns(db: Db, shopId: string): Promise<Map<string, SyncRun>> {
  const runs = await db.$queryRaw<SyncRun[]>`
    select distinct on (task) * from "SyncRun"
     where "shopId" = ${shopId}::uuid
     order by task, "queuedAt" desc`;
  return new Map(runs.map((run) => [run.task, run]));
}

function taskRow(
  shop: Shop,
  settings: ShopSettings | null,
  info: TaskInfo,
  schedule: Schedule | null,
  lastRun: SyncRun | null,
): TaskRow {
  const task = info.available ? findSyncTask(info.name) : undefined;
  const idle = settings && task && "manifest" in task ? (task.manifest.idleWhen?.(settings) ?? null) : null;
  return {
    info,
    schedule,
    category: schedule?.category ?? info.category ?? "",
    lastRun,
    nextRunAt: schedule?.enabled && !shop.uninstalledAt && !idle ? schedule.nextRunAt : null,
    idle,
  };
}

export async function listTasks(db: Db, shop: Shop): Promise<TaskRow[]> {
  const [schedules, last, settings] = await Promise.all([
    db.schedule.findMany({ where: { shopId: shop.id } }),
    lastRuns(db, shop.id),
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
  ]);
  return TASK_CATALOG.map((info) =>
    taskRow(
      shop,
      settings,
      info,
      schedules.find((row) => row.task === info.name) ?? null,
      last.get(info.name) ?? null,
    ),
  );
}

export async function getTask(db: Db, shop: Shop, name: string): Promise<TaskRow> {
  const { info } = requireTask(name);
  const [schedule, lastRun, settings] = await Promise.all([
    db.schedule.findUnique({ where: { shopId_task: { shopId: shop.id, task: info.name } } }),
    db.syncRun.findFirst({ where: { shopId: shop.id, task: info.name }, orderBy: { queuedAt: "desc" } }),
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
  ]);
  return taskRow(shop, settings, info, schedule, lastRun);
}

/** What an HTML checkbox sends: "on" (or "true") when ticked; nothing, "" or "false" when not. */
const CHECKBOX_VALUES = ["on", "true", "false", ""] as const;

const scheduleForm = z
  .object({
    enabled: z
      .enum(CHECKBOX_VALUES, { message: "on or off" })
      .optional()
      .transform((value) => value === "on" || value === "true"),
    preset: z.enum([...SCHEDULE_PRESETS.map((preset) => preset.value), "daily", "cron"], {
      message: "choose how often",
    }),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "give the time as HH:MM (24 hours, shop time)")
      .optional(),
    cron: z.string().trim().optional(),
    category: z
      .string()
      .trim()
      .regex(CATEGORY_PATTERN, "up to 40 lowercase letters, digits, - or _; starts with a letter or digit"),
  })
  .superRefine((form, ctx) => {
    if (form.preset === "daily" && !form.time)
      ctx.addIssue({ code: "custom", path: ["time"], message: "give the time of day" });
    if (form.preset === "cron") {
      const error = form.cron ? validateCron(form.cron) : "give a cron expression";
      if (error) ctx.addIssue({ code: "custom", path: ["cron"], message: error });
    }
  });

function cronOf(form: z.output<typeof scheduleForm>): string {
  if (form.preset === "daily") {
    const [hour, minute] = (form.time ?? "02:00").split(":").map(Number);
    return `${minute} ${hour} * * *`;
  }
  if (form.preset === "cron") return form.cron ?? "";
  return SCHEDULE_PRESETS.find((preset) => preset.value === form.preset)!.cron;
}

/**
 * Saves a task's schedule and category; its filters stay as they are. The schedule is read in
 * the shop's time zone from then on (the daily time the merchant types is shop time).
 */
export async function saveSchedule(db: Db, shop: Shop, name: string, form: unknown): Promise<Schedule> {
  const { info } = requireRunnable(name);
  const parsed = scheduleForm.safeParse(form);
  if (!parsed.success)
    throw new Refusal(`The schedule of ${info.title} was not saved.`, 400, fieldMessages(parsed.error));
  return upsertSchedule(db, {
    shopId: shop.id,
    task: name,
    cron: cronOf(parsed.data),
    enabled: parsed.data.enabled,
    timeZone: shopTimeZone(shop),
    category: parsed.data.category,
  });
}

/** The form's text for each filter field, from stored filters. */
export function filterFormValues(fields: FilterField[], filters: unknown): Record<string, string | boolean> {
  const stored = (filters ?? {}) as Record<string, unknown>;
  const values: Record<string, string | boolean> = {};
  for (const field of fields) {
    const value = stored[field.name];
    if (field.kind === "boolean")
      values[field.name] = typeof value === "boolean" ? value : !!field.defaultValue;
    else if (field.kind === "select" && value === "any") values[field.name] = "";
    else values[field.name] = typeof value === "string" ? value : "";
  }
  return values;
}

/** A filter form as the task's filter object: blanks are left out, checkboxes are booleans. */
function filtersFromForm(fields: FilterField[], form: Record<string, unknown>): Record<string, unknown> {
  const unknownField = Object.keys(form).find((key) => !fields.some((field) => field.name === key));
  if (unknownField)
    throw new Refusal(`"${unknownField}" is not a filter of this task.`, 400, {
      [unknownField]: "not a filter of this task",
    });
  const filters: Record<string, unknown> = {};
  const wrong: Record<string, string> = {};
  for (const field of fields) {
    const raw = form[field.name];
    if (field.kind === "boolean") {
      if (raw !== undefined && !CHECKBOX_VALUES.includes(raw as never)) wrong[field.name] = "on or off";
      filters[field.name] = raw === "on" || raw === "true";
    } else if (typeof raw === "string" && raw.trim() !== "") filters[field.name] = raw.trim();
  }
  if (Object.keys(wrong).length > 0) throw new Refusal("The filters were not saved.", 400, wrong);
  return filters;
}

/** Saves a task's filters (its request page); every run the task's schedule starts uses them. */
export async function saveFilters(
  db: Db,
  shop: Shop,
  name: string,
  form: Record<string, unknown>,
): Promise<Schedule> {
  const { info, task } = requireRunnable(name);
  const parsed = task.filters.safeParse(filtersFromForm(info.filters, form));
  if (!parsed.success)
    throw new Refusal(`The filters of ${info.title} were not saved.`, 400, fieldMessages(parsed.error));
  const existing = await db.schedule.findUnique({ where: { shopId_task: { shopId: shop.id, task: name } } });
  return upsertSchedule(db, {
    shopId: shop.id,
    task: name,
    cron: existing?.cron ?? DEFAULT_CRON,
    enabled: existing?.enabled ?? false,
    // The schedule as it is, in its zone; a task's first row is in the shop's.
    timeZone: existing?.timeZone ?? shopTimeZone(shop),
    filters: parsed.data,
  });
}

/**
 * Why a run a person asked for cannot start now, in the page's words: the task that holds the
 * job category by its title, since when in the shop's time, and the category by its name.
 */
export function busyInWords(holder: CategoryHolder, shop: Shop): string {
  const title = holder.task ? (taskInfo(holder.task)?.title ?? holder.task) : "Another task";
  const since = holder.startedAt ? ` (started ${formatInZone(holder.startedAt, shopTimeZone(shop))})` : "";
  return `${title}${since} is running for this shop, and tasks of the job category "${categoryWords(holder.category)}" never run at the same time: try again when it ends`;
}

export type RunNowResult =
  { mode: "background"; run: SyncRun; coalesced: boolean } | { mode: "foreground"; run: SyncRun };

/**
 * Run now, by a person: with background syncs on, queued for the worker (the page returns at
 * once); with them off, run here and now, the caller waiting for the result. Either way with
 * the filters given, or else those stored on the task's request page.
 */
export async function runNow(
  db: Db,
  shop: Shop,
  name: string,
  options: {
    filters?: unknown;
    signal?: AbortSignal;
    /** Background only: join the task's run that is still waiting instead of adding one. */
    coalesce?: boolean;
  } = {},
): Promise<RunNowResult> {
  const { info, task } = requireRunnable(name);
  const [settings, schedule] = await Promise.all([
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
    db.schedule.findUnique({ where: { shopId_task: { shopId: shop.id, task: name } } }),
  ]);
  const filters = options.filters ?? schedule?.filters ?? {};
  try {
    if (settings?.allowBackgroundSyncs ?? true) {
      const { run, coalesced } = await enqueueSync(db, task, {
        shop: shop.domain,
        trigger: "manual",
        filters,
        ...(options.coalesce ? { jobKey: true as const } : {}),
      });
      return { mode: "background", run, coalesced };
    }
    const run = await runInForeground(
      db,
      task,
      { shop: shop.domain, trigger: "manual", filters },
      options.signal,
    );
    return { mode: "foreground", run };
  } catch (error) {
    if (error instanceof z.ZodError) throw new Refusal(describeError(error));
    if (error instanceof CategoryBusy)
      throw new Refusal(`${info.title} did not start: ${busyInWords(error.holder, shop)}.`, 409);
    throw error;
  }
}
