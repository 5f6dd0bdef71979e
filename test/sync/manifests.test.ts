import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CATEGORY_PATTERN, validateCron } from "../../app/jobs/schedules.server";
import { loadTasks, TASKS_DIR } from "../../app/jobs/worker.server";
import {
  DEFAULT_SCHEDULES,
  PLANNED_TASKS,
  SYNC_TASKS,
  TASK_CATALOG,
  taskTableRows,
  type AnySyncTask,
} from "../../app/sync/index.server";
import { installedShop } from "../support/shops";
import { declaredWebhooks, deliver, examplePayload } from "../support/webhooks";

/**
 * The agreement test: a task is declared once, by its manifest, and every other place that
 * names it (tasks/, the task index, the webhook routes, shopify.app.toml, the README's task
 * table) must agree with the manifests. Each check names what to fix when it fails.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const SYNC_DIR = path.join(ROOT, "app/sync");
/** graphile-worker tasks that are not sync tasks. */
const SYSTEM_TASKS = ["schedule_tick"];

/** The areas of app/sync that declare tasks (a task.server.ts exporting `tasks`). */
async function areaTasks(): Promise<{ area: string; tasks: AnySyncTask[] }[]> {
  const areas = readdirSync(SYNC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "kit")
    .map((entry) => entry.name)
    .filter((area) => readdirSync(path.join(SYNC_DIR, area)).includes("task.server.ts"));
  return Promise.all(
    areas.map(async (area) => {
      const module = (await import(pathToFileURL(path.join(SYNC_DIR, area, "task.server.ts")).href)) as {
        tasks?: AnySyncTask[];
      };
      return { area, tasks: module.tasks ?? [] };
    }),
  );
}

/** The README's task table (under "## Tasks"), as cells. */
function readmeTaskTable(): string[][] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Tasks\n"));
  if (!section) return [];
  return section
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|\s*-+/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("every task is declared once, by its manifest", () => {
  it("every area's tasks are in the index, and the index holds nothing else", async () => {
    const areas = await areaTasks();
    expect(areas.map((area) => area.area).sort()).toEqual(expect.arrayContaining(["orders", "shipments"]));
    for (const { area, tasks } of areas) {
      expect(tasks.length, `app/sync/${area}/task.server.ts exports no tasks`).toBeGreaterThan(0);
      for (const task of tasks)
        expect(
          SYNC_TASKS,
          `${task.name} (app/sync/${area}) is missing from app/sync/index.server.ts`,
        ).toContain(task);
    }
    expect(SYNC_TASKS).toHaveLength(areas.flatMap((area) => area.tasks).length);
  });

  it("names are unique snake_case, planned tasks are not also built, and the catalog has them all", () => {
    const names = SYNC_TASKS.map((task) => task.name);
    expect(new Set(names).size).toBe(names.length);
    for (const task of SYNC_TASKS) {
      expect(task.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(task.manifest.name).toBe(task.name);
    }
    expect(PLANNED_TASKS.filter((planned) => names.includes(planned.name))).toEqual([]);
    expect(TASK_CATALOG.map((info) => info.name)).toEqual([...names, ...PLANNED_TASKS.map((p) => p.name)]);
    expect(TASK_CATALOG.filter((info) => info.available).map((info) => info.name)).toEqual(names);
  });

  it("tasks/ has exactly one file per task, named as the task, exporting that task's job", async () => {
    const files = readdirSync(TASKS_DIR)
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.replace(/\.ts$/, ""))
      .filter((name) => !SYSTEM_TASKS.includes(name));
    expect(files.sort()).toEqual(SYNC_TASKS.map((task) => task.name).sort());
    const loaded = await loadTasks();
    for (const task of SYNC_TASKS)
      expect(loaded[task.name], `tasks/${task.name}.ts must export ${task.name}'s task`).toBe(task.task);
  });

  it("each manifest's category, schedule and filters are usable as they are", () => {
    for (const task of SYNC_TASKS) {
      expect(task.category, task.name).toMatch(CATEGORY_PATTERN);
      if (task.manifest.schedule) expect(validateCron(task.manifest.schedule.cron), task.name).toBeNull();
      // The request page's fields are the schema's keys, and no filters at all is a valid request.
      expect(() => {
        task.filters.parse({});
      }, task.name).not.toThrow();
      for (const field of task.manifest.filters.fields) {
        const blank = field.kind === "boolean" ? { [field.name]: "false" } : {};
        expect(() => {
          task.filters.parse(blank);
        }, `${task.name}.${field.name}`).not.toThrow();
      }
      expect(() => {
        task.filters.parse({ notAFilter: "x" });
      }, task.name).toThrow();
    }
    expect(DEFAULT_SCHEDULES.map(({ task }) => task.name)).toEqual([
      "sync_orders",
      "sync_products",
      "sync_images",
      "sync_inventory",
      "sync_customers",
      "sync_companies",
    ]);
  });
});

describe("doorbell webhooks agree with the manifests", () => {
  const declared = declaredWebhooks();
  const doorbells = SYNC_TASKS.flatMap((task) =>
    (task.manifest.doorbells ?? []).map((topic) => ({ topic, task })),
  );

  it("no topic rings two tasks, and every doorbell topic is subscribed in shopify.app.toml at its route", () => {
    const topics = doorbells.map((doorbell) => doorbell.topic);
    expect(new Set(topics).size).toBe(topics.length);
    for (const { topic } of doorbells)
      expect(
        declared.find((webhook) => webhook.topic === topic),
        `${topic}: add it to shopify.app.toml`,
      ).toMatchObject({ uri: `/webhooks/${topic}`, compliance: false });
  });

  it("every webhook route is subscribed in shopify.app.toml, and every subscription has its route", () => {
    const routes = readdirSync(path.join(ROOT, "app/routes"))
      .filter((file) => file.startsWith("webhooks."))
      .map((file) => `/${file.replace(/\.tsx?$/, "").replaceAll(".", "/")}`)
      .sort();
    expect(routes).toEqual([...new Set(declared.map((webhook) => webhook.uri))].sort());
  });

  it.each(doorbells.map(({ topic, task }) => ({ topic, name: task.name })))(
    "$topic queues one $name run for the shop",
    async ({ topic, name }) => {
      const shop = await installedShop();
      const payload = { ...examplePayload(topic), shop_domain: shop.domain };
      expect(await deliver({ topic, shop: shop.domain, payload })).toBe(200);
      const runs = await prisma.syncRun.findMany({ where: { shopId: shop.id } });
      expect(runs.map((run) => [run.task, run.trigger])).toEqual([[name, "webhook"]]);
    },
  );
});

describe("the README's task table", () => {
  it("is the one the manifests give (npm run cli -- tasks --markdown prints it)", () => {
    expect(readmeTaskTable()).toEqual(taskTableRows());
  });
});
