import { z } from "zod";
import { defineSyncTask } from "../../app/jobs/sync-task.server";

/**
 * Sync tasks made for the tests of the job machinery: they do no Shopify work, only what the
 * test tells them, and report when they ran.
 */

export interface Interval {
  shop: string;
  runId: string;
  start: number;
  end: number;
}

export const intervals: Interval[] = [];

export const probeTask = defineSyncTask({
  name: "probe",
  filters: z.object({ sleepMs: z.coerce.number().int().min(0).max(5000).default(0) }).strict(),
  maxAttempts: 3,
  async run({ shop, run, filters, count, progress }) {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, filters.sleepMs));
    count("handled", 3);
    await progress(3, 3);
    intervals.push({ shop: shop.domain, runId: run.id, start, end: Date.now() });
  },
});

let flakyFailures = 0;
export const flakyTask = defineSyncTask({
  name: "flaky",
  filters: z.object({}),
  maxAttempts: 3,
  run() {
    flakyFailures += 1;
    if (flakyFailures === 1) {
      return Promise.reject(Object.assign(new Error("Shopify answered 503"), { response: { code: 503 } }));
    }
    return Promise.resolve();
  },
});

export const forbiddenTask = defineSyncTask({
  name: "forbidden",
  filters: z.object({}),
  maxAttempts: 5,
  run() {
    return Promise.reject(
      Object.assign(new Error("Shopify answered 403: access denied for orders"), { response: { code: 403 } }),
    );
  },
});

export const testTaskList = Object.fromEntries(
  [probeTask, flakyTask, forbiddenTask].map((definition) => [definition.name, definition.task]),
);
