import type { ChangeEntity } from "../../backoffice/backoffice.server";
import type { ShopSettings } from "../../generated/prisma/client";
import { defineSyncTask, type SyncContext, type SyncTaskDefinition } from "../../jobs/sync-task.server";
import type { FilterField, FilterSpec } from "./filters";

/**
 * A task's manifest: everything the rest of the app knows about a task, in one place. The
 * worker's registry, the admin's task list and request pages, follow-up banners, the CLI's
 * task list, the webhook doorbells, default schedules and the README's task table are all
 * read from here; `test/sync/manifests.test.ts` checks that `tasks/`, the webhook routes and
 * `shopify.app.toml` agree with it.
 */

export const DIRECTIONS = {
  from_shopify: "Shopify → back office",
  to_shopify: "back office → Shopify",
  both: "both, per setting",
  inside: "inside back office",
} as const;
export type Direction = keyof typeof DIRECTIONS;

export interface TaskManifest<F> {
  /** snake_case verb: the run records' task, the file name in tasks/ and the job's name. */
  name: string;
  /** As the admin lists it ("Sync orders"). */
  title: string;
  /** What it is doing, for banners ("Importing orders"). */
  activity: string;
  direction: Direction;
  /** One or two sentences in the merchant's words. */
  description: string;
  /**
   * The job category it runs in unless the merchant moves it: tasks of one category never
   * run at the same time for a shop. Tasks that write the same records share one.
   */
  category: string;
  filters: FilterSpec<F>;
  /** Webhook topics that ring this task's doorbell (queue a run; the payload is not read). */
  doorbells?: readonly string[];
  /**
   * Back-office changes that ring it (an export): a change of one of these entities in the
   * back office's feed queues a run for the shop (one waiting at most), when `wants` says
   * the shop's settings send them.
   */
  backOfficeDoorbell?: { entities: readonly ChangeEntity[]; wants: (settings: ShopSettings) => boolean };
  /**
   * The schedule every shop starts with (enabled), or none. Shops installed before a task had
   * one get it when a worker starts (`addDefaultSchedules`, app/jobs/schedules.server.ts).
   */
  schedule?: { cron: string };
  /**
   * Why a scheduled run has nothing to do for a shop with these settings, in words ("Sync items
   * is off on the shop card"), or null when it has (always, when left out). When there is a
   * reason, the schedule tick moves the due schedule on to its next time without queuing a
   * run, so a shop that does not use the task gets no empty run records, and the tasks pages
   * show the reason instead of a next run. Runs started by hand, the CLI, a webhook or the
   * back-office doorbell are not asked: the run itself still handles the settings saying there
   * is nothing to do (they may change between the tick and the run).
   */
  idleWhen?: (settings: ShopSettings) => string | null;
  /** Attempts before a run that keeps failing with retryable errors is failed (default 5). */
  maxAttempts?: number;
}

export interface SyncTask<F> extends SyncTaskDefinition<F> {
  manifest: TaskManifest<F>;
}

/** A task from its manifest and what a run does. */
export function defineTask<F>(
  manifest: TaskManifest<F>,
  run: (ctx: SyncContext<F>) => Promise<void>,
): SyncTask<F> {
  return {
    ...defineSyncTask({
      name: manifest.name,
      category: manifest.category,
      filters: manifest.filters.schema,
      maxAttempts: manifest.maxAttempts,
      run,
    }),
    manifest,
  };
}

/** What the admin shows of a task; plain data, sent to the browser. */
export interface TaskInfo {
  name: string;
  title: string;
  activity: string;
  direction: string;
  description: string;
  /** False for tasks of the mission that are not built yet. */
  available: boolean;
  category: string | null;
  filters: FilterField[];
  doorbells: string[];
  schedule: string | null;
}

export function taskInfoOf(manifest: TaskManifest<unknown>): TaskInfo {
  return {
    name: manifest.name,
    title: manifest.title,
    activity: manifest.activity,
    direction: DIRECTIONS[manifest.direction],
    description: manifest.description,
    available: true,
    category: manifest.category,
    filters: manifest.filters.fields,
    doorbells: [...(manifest.doorbells ?? [])],
    schedule: manifest.schedule?.cron ?? null,
  };
}

/** A task of the mission that is not built yet: listed as such, never runnable. */
export function planned(name: string, title: string, direction: Direction, description: string): TaskInfo {
  return {
    name,
    title,
    activity: title,
    direction: DIRECTIONS[direction],
    description,
    available: false,
    category: null,
    filters: [],
    doorbells: [],
    schedule: null,
  };
}
