import type { ChangeEntity } from "../backoffice/backoffice.server";
import type { ShopSettings } from "../generated/prisma/client";
import { planned, taskInfoOf, type SyncTask, type TaskInfo } from "./kit/manifest.server";
import { tasks as companyTasks } from "./companies/task.server";
import { tasks as customerTasks } from "./customers/task.server";
import { tasks as imageTasks } from "./images/task.server";
import { tasks as inventoryTasks } from "./inventory/task.server";
import { tasks as orderTasks } from "./orders/task.server";
import { tasks as postingTasks } from "./posting/task.server";
import { tasks as productTasks } from "./products/task.server";
import { tasks as shipmentTasks } from "./shipments/task.server";

/**
 * Every sync task the app has, from each area's manifests (app/sync/<area>/task.server.ts,
 * which exports its `tasks`). The worker's registry, schedules, the CLI, the doorbells and the
 * admin read tasks from here; a new area adds its line below, a new task in an area adds
 * nothing here. `test/sync/manifests.test.ts` fails when an area, a tasks/ file, a webhook
 * route or shopify.app.toml disagrees with this list.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySyncTask = SyncTask<any>;

export const SYNC_TASKS: readonly AnySyncTask[] = [
  ...orderTasks,
  ...shipmentTasks,
  ...postingTasks,
  ...productTasks,
  ...imageTasks,
  ...inventoryTasks,
  ...customerTasks,
  ...companyTasks,
];

/**
 * The mission's tasks that are not built yet, in the order the admin lists them: shown as
 * "Not available yet" so the merchant sees the whole picture. A task's manifest replaces its
 * line here when it lands (the agreement test refuses a name in both).
 */
export const PLANNED_TASKS: readonly TaskInfo[] = [
  planned(
    "sync_payments",
    "Sync payments",
    "from_shopify",
    "Imports Shopify Payments payouts and balance transactions.",
  ),
  planned("sync_catalogs", "Sync catalogs (B2B)", "from_shopify", "Company catalogs and their price lists."),
  planned(
    "sync_catalog_prices",
    "Sync catalog prices (B2B)",
    "to_shopify",
    "Pushes each catalog's prices from customer price groups.",
  ),
];

/** Every task of the mission as the admin shows it: the built ones first. */
export const TASK_CATALOG: readonly TaskInfo[] = [
  ...SYNC_TASKS.map((task) => taskInfoOf(task.manifest)),
  ...PLANNED_TASKS,
];

export function findSyncTask(
  name: string,
  tasks: readonly AnySyncTask[] = SYNC_TASKS,
): AnySyncTask | undefined {
  return tasks.find((task) => task.name === name);
}

export function taskInfo(name: string): TaskInfo | undefined {
  return TASK_CATALOG.find((task) => task.name === name);
}

/** The task a webhook topic rings, if any. */
export function doorbellTask(topic: string): AnySyncTask | undefined {
  return SYNC_TASKS.find((task) => task.manifest.doorbells?.includes(topic));
}

/** The tasks a change of this back-office entity rings, for a shop with these settings. */
export function backOfficeDoorbellTasks(entity: ChangeEntity, settings: ShopSettings): AnySyncTask[] {
  return SYNC_TASKS.filter((task) => {
    const bell = task.manifest.backOfficeDoorbell;
    return bell !== undefined && bell.entities.includes(entity) && bell.wants(settings);
  });
}

/** The schedules every shop starts with. */
export const DEFAULT_SCHEDULES = SYNC_TASKS.flatMap((task) =>
  task.manifest.schedule ? [{ task, cron: task.manifest.schedule.cron }] : [],
);

/**
 * The task table of the README (and of `npm run cli -- tasks`), one row per task of the
 * mission. The agreement test compares the README's with this one, cell by cell.
 */
export function taskTableRows(): string[][] {
  const code = (text: string) => `\`${text}\``;
  const header = [
    "task",
    "title",
    "direction",
    "category",
    "doorbell webhooks",
    "default schedule",
    "filters",
  ];
  const rows = TASK_CATALOG.map((info) => [
    code(info.name),
    info.available ? info.title : `${info.title} (not available yet)`,
    info.direction,
    info.category ? code(info.category) : "",
    info.doorbells.map(code).join(", "),
    info.schedule ? code(info.schedule) : "",
    info.filters.map((field) => code(field.name)).join(", "),
  ]);
  return [header, ...rows];
}

export function taskTableMarkdown(): string {
  const [header, ...rows] = taskTableRows();
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header!), line(header!.map(() => "---")), ...rows.map(line)].join("\n");
}
