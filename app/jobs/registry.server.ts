import { postSalesInvoicesTask, postSalesOrdersTask } from "../posting/task.server";
import { processOrdersTask, syncOrdersTask } from "../sync/orders/task.server";
import { syncShipmentsTask } from "../sync/shipments/task.server";
import type { SyncTaskDefinition } from "./sync-task.server";

/**
 * Every sync task the app has, by name. Schedules, the CLI and the admin pages find tasks
 * here; each sync module adds its definition as it lands.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySyncTask = SyncTaskDefinition<any>;

export const syncTasks: AnySyncTask[] = [
  syncOrdersTask,
  processOrdersTask,
  postSalesOrdersTask,
  postSalesInvoicesTask,
  syncShipmentsTask,
];

export function findSyncTask(
  name: string,
  tasks: readonly AnySyncTask[] = syncTasks,
): AnySyncTask | undefined {
  return tasks.find((task) => task.name === name);
}
