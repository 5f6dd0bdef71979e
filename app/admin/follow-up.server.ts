import type { Db } from "../db.server";
import type { Shop } from "../generated/prisma/client";
import { enqueueSync } from "../jobs/enqueue.server";
import { runInForeground } from "../jobs/foreground.server";
import type { AnySyncTask } from "../jobs/registry.server";

/**
 * What a list page starts after a person acted (processing orders after a mapping, sending
 * shipments after a retry): queued when the shop allows background syncs, run here and now
 * when it does not, so the person sees the outcome at once. Runs use the filters stored on
 * the task's request page, like every other run of the task.
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

export async function startFollowUp(db: Db, shop: Shop, task: AnySyncTask): Promise<FollowUp> {
  const [settings, schedule] = await Promise.all([
    db.shopSettings.findUnique({ where: { shopId: shop.id } }),
    db.schedule.findUnique({ where: { shopId_task: { shopId: shop.id, task: task.name } } }),
  ]);
  const request = { shop: shop.domain, trigger: "manual" as const, filters: schedule?.filters ?? {} };
  if (settings?.allowBackgroundSyncs ?? true) {
    // One waiting run per shop and task: a second mapping while it waits adds nothing.
    const { run, coalesced } = await enqueueSync(db, task, { ...request, jobKey: true });
    return { mode: "background", task: task.name, runId: run.id, coalesced };
  }
  const run = await runInForeground(db, task, request);
  return {
    mode: "foreground",
    task: task.name,
    runId: run.id,
    status: run.status,
    error: run.error,
    counts: run.counts as Record<string, number>,
  };
}

const TASK_TITLES: Record<string, string> = {
  process_orders: "Processing orders",
  sync_shipments: "Sending shipments to Shopify",
};

const words = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();

/** The follow-up in a sentence for the page's banner. */
export function describeFollowUp(followUp: FollowUp): string {
  const title = TASK_TITLES[followUp.task] ?? followUp.task;
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
