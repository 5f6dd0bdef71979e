import type { Db } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { taskInfo, type AnySyncTask } from "../sync/index.server";
import { runNow } from "./tasks.server";

/**
 * What a list page starts after a person acted (processing orders after a mapping, sending
 * shipments after a retry): queued when the shop allows background syncs, run here and now
 * when it does not, so the person sees the outcome at once. Runs use the filters stored on
 * the task's request page, like every other run of the task, unless the action names its own.
 */

export type FollowUp =
  | { mode: "background"; task: string; runId: string; coalesced: boolean }
  | {
      mode: "foreground";
      task: string;
      runId: string;
      status: string;
      error: string | null;
      counts: Record<string, number>;
    };

export async function startFollowUp(
  db: Db,
  shop: Shop,
  task: AnySyncTask,
  options: { filters?: unknown } = {},
): Promise<FollowUp> {
  // One waiting run per shop and task: a second mapping while it waits adds nothing. A run with
  // filters of its own (these orders only) is a run of its own: a waiting one may not cover them.
  const result = await runNow(
    db,
    shop,
    task.name,
    options.filters === undefined ? { coalesce: true } : { filters: options.filters },
  );
  if (result.mode === "background")
    return { mode: "background", task: task.name, runId: result.run.id, coalesced: result.coalesced };
  return {
    mode: "foreground",
    task: task.name,
    runId: result.run.id,
    status: result.run.status,
    error: result.run.error,
    counts: result.run.counts as Record<string, number>,
  };
}

const words = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();

/** The follow-up in a sentence for the page's banner. */
export function describeFollowUp(followUp: FollowUp): string {
  const title = taskInfo(followUp.task)?.activity ?? followUp.task;
  if (followUp.mode === "background")
    return followUp.coalesced
      ? `${title} was already queued and will include this; the job list shows its progress.`
      : `${title} is queued and starts at once; the job list shows its progress.`;
  if (followUp.status !== "succeeded") return `${title} failed: ${followUp.error ?? "no reason given"}`;
  const counts = Object.entries(followUp.counts)
    .map(([key, value]) => `${words(key)}: ${value}`)
    .join(", ");
  return `${title} finished${counts ? ` (${counts})` : ""}.`;
}

/** What an action did, then what the follow-up it started does, for the page's banner. */
export function withFollowUp(outcome: { message: string; followUp: FollowUp | null }): string {
  return outcome.followUp ? `${outcome.message} ${describeFollowUp(outcome.followUp)}` : outcome.message;
}
