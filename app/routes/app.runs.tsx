import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import { useEffect, useMemo } from "react";
import { z } from "zod";
import { parseInput, refused, type Refused } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { categoryWords } from "../admin/task-catalog";
import { shopTimeZone } from "../admin/time-zone";
import { cancelRun, listRuns, PAGE_SIZE, retryRun, runQuery } from "../admin/runs.server";
import { TASK_CATALOG } from "../sync/index.server";
import { describeFilterValues } from "../sync/kit/filters";
import {
  formatTime,
  RunOutcome,
  RunStatusBadge,
  toRunView,
  triggerWords,
  type RunView,
} from "../components/runs";
import { usePolled } from "../components/polling";
import { TimesIn } from "../components/time-zone";
import prisma from "../db.server";
import { RUN_STATUSES } from "../jobs/sync-task.server";
import type { LiveRuns } from "./app.runs.live";

/** The job list: every run of the shop, newest first, with Retry and Cancel. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  const url = new URL(request.url);
  const query = runQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw new Response("Unknown task or status in the address.", { status: 400 });
  const at = Date.now();
  const { runs, total, active } = await listRuns(prisma, shop.id, query.data);
  return {
    runs: runs.map(toRunView),
    total,
    active,
    at,
    page: query.data.page,
    pageSize: PAGE_SIZE,
    timeZone: shopTimeZone(shop),
    statuses: [...RUN_STATUSES],
    tasks: TASK_CATALOG.map((task) => ({
      name: task.name,
      title: task.title,
      available: task.available,
      filters: task.filters,
    })),
  };
};

const runAction = z.object({
  intent: z.enum(["retry", "cancel"], { message: "retry or cancel" }),
  runId: z.string({ message: "say which run" }),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const form = parseInput(runAction, await request.formData());
    if (form.intent === "cancel") {
      const run = await cancelRun(prisma, shop.id, form.runId);
      return { ok: true as const, message: "Run cancelled", run: toRunView(run) };
    }
    const result = await retryRun(prisma, shop, form.runId);
    const message = result.mode === "background" ? "Run queued again" : `Run again: ${result.run.status}`;
    return { ok: true as const, message, run: toRunView(result.run) };
  } catch (error) {
    return refused(error);
  }
};

type ActionResult = { ok: true; message: string; run: RunView } | Refused;

function RunActions({ run }: { run: RunView }) {
  const fetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state !== "idle") return;
    shopify.toast.show(result.ok ? result.message : result.error, { isError: !result.ok });
  }, [fetcher.data, fetcher.state, shopify]);
  const intent =
    run.status === "failed" || run.status === "cancelled"
      ? "retry"
      : run.status === "queued"
        ? "cancel"
        : null;
  if (!intent) return null;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="runId" value={run.id} />
      <input type="hidden" name="intent" value={intent} />
      <Button
        submit
        size="slim"
        loading={fetcher.state !== "idle"}
        tone={intent === "cancel" ? "critical" : undefined}
      >
        {intent === "retry" ? "Retry" : "Cancel"}
      </Button>
    </fetcher.Form>
  );
}

export default function Runs() {
  const loaded = useLoaderData<typeof loader>();
  const { page, pageSize, statuses, tasks, timeZone } = loaded;
  const taskOptions = useMemo(
    () => [
      { label: "All tasks", value: "" },
      ...tasks.filter((task) => task.available).map((task) => ({ label: task.title, value: task.name })),
    ],
    [tasks],
  );
  const titles = useMemo(() => new Map(tasks.map((task) => [task.name, task.title])), [tasks]);
  const filterFields = useMemo(() => new Map(tasks.map((task) => [task.name, task.filters])), [tasks]);
  const [params, setParams] = useSearchParams();

  // Live refresh while anything of the shop is queued or running: the same rows as JSON, shown
  // when newer than the loader's (an action's revalidation brings newer loader data).
  const liveUrl = `/app/runs/live?${params.toString()}`;
  const newer = (last: LiveRuns | undefined) => (last && last.at > loaded.at ? last : loaded);
  const polled = usePolled<LiveRuns>(liveUrl, 1500, (last) => newer(last).active > 0);
  const { runs, total, active } = newer(polled?.url === liveUrl ? polled.data : undefined);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    setParams(next);
  };

  return (
    <Page
      title="Job list"
      subtitle={
        active > 0
          ? `${active} run${active === 1 ? "" : "s"} waiting or running; refreshing`
          : `${total} runs`
      }
      fullWidth
      backAction={{ content: "Home", url: "/app" }}
      secondaryActions={[{ content: "Tasks and schedules", url: "/app/tasks" }]}
    >
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="400">
              <Select
                label="Task"
                options={taskOptions}
                value={params.get("task") ?? ""}
                onChange={(value) => setFilter("task", value)}
              />
              <Select
                label="Status"
                options={[
                  { label: "Any status", value: "" },
                  ...statuses.map((status) => ({ label: status, value: status })),
                ]}
                value={params.get("status") ?? ""}
                onChange={(value) => setFilter("status", value)}
              />
            </InlineStack>
            <TimesIn timeZone={timeZone} />
          </BlockStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "run", plural: "runs" }}
            itemCount={runs.length}
            selectable={false}
            emptyState={
              <BlockStack inlineAlign="center" gap="200">
                <Text as="p">No runs match.</Text>
              </BlockStack>
            }
            headings={[
              { title: "Task" },
              { title: "Trigger" },
              { title: "Status" },
              { title: "Attempts" },
              { title: "Started · ended" },
              { title: "Result" },
              { title: "" },
            ]}
          >
            {runs.map((run, index) => (
              <IndexTable.Row id={run.id} key={run.id} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span" fontWeight="semibold">
                      {titles.get(run.task) ?? run.task}
                    </Text>
                    <div style={{ maxWidth: 280, whiteSpace: "normal" }}>
                      <Text as="span" variant="bodySm" tone="subdued">
                        Filters: {describeFilterValues(filterFields.get(run.task) ?? [], run.filters)} · Job
                        category: {categoryWords(run.category)}
                      </Text>
                    </div>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{triggerWords(run.trigger)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <RunStatusBadge run={run} />
                </IndexTable.Cell>
                <IndexTable.Cell>{run.attempts}</IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span" variant="bodySm">
                      {formatTime(run.startedAt ?? run.queuedAt, timeZone)}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {run.finishedAt ? formatTime(run.finishedAt, timeZone) : "—"}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ maxWidth: 360, whiteSpace: "normal" }}>
                    <RunOutcome run={run} />
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <RunActions run={run} />
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
            <Pagination
              hasPrevious={page > 1}
              onPrevious={() => setFilter("page", String(page - 1))}
              hasNext={page * pageSize < total}
              onNext={() => setFilter("page", String(page + 1))}
            />
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
