// After install, the demo queues every sync task the app has, as a merchant's first
// "Run now" of each would.
import prisma from "../app/db.server";
import { enqueueSync } from "../app/jobs/enqueue.server";
import { syncTasks } from "../app/jobs/registry.server";
import { log } from "../app/log.server";

export async function queueInitialSyncs(shop: string): Promise<void> {
  for (const task of syncTasks) {
    const { run } = await enqueueSync(prisma, task, { shop, trigger: "manual", jobKey: true });
    log.info({ shop, task: task.name, runId: run.id }, "initial sync queued");
  }
}
