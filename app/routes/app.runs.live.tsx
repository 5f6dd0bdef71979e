import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminShop } from "../admin/route.server";
import { listRuns, runQuery } from "../admin/runs.server";
import { toRunView, type RunView } from "../components/runs";
import prisma from "../db.server";

/**
 * The job list's rows as JSON, for the pages that follow runs while they wait and run (the job
 * list, a task's Run now in the foreground): the same query as the job list (`task`, `status`,
 * `trigger`, `page`), and `at`, the server's time of the answer, so that a page can tell it from
 * older loader data. A resource route: only this loader runs.
 */
export interface LiveRuns {
  runs: RunView[];
  total: number;
  active: number;
  at: number;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  const query = runQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success)
    return Response.json({ error: "Unknown task or status in the address." }, { status: 400 });
  const at = Date.now();
  const { runs, total, active } = await listRuns(prisma, shop.id, query.data);
  const body: LiveRuns = { runs: runs.map(toRunView), total, active, at };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
};
