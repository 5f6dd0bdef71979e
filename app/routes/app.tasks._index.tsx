import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { Wrapped } from "../admin/list-ui";
import { parseInput, refused } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { categoryWords, describeSchedule } from "../admin/task-catalog";
import { shopTimeZone } from "../admin/time-zone";
import { listTasks, runNow } from "../admin/tasks.server";
import { formatTime, RunStatusBadge, toRunView, type RunView } from "../components/runs";
import { TimesIn } from "../components/time-zone";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  const [rows, settings] = await Promise.all([
    listTasks(prisma, shop),
    prisma.shopSettings.findUnique({ where: { shopId: shop.id } }),
  ]);
  const timeZone = shopTimeZone(shop);
  return {
    background: settings?.allowBackgroundSyncs ?? true,
    timeZone,
    tasks: rows.map((row) => ({
      name: row.info.name,
      title: row.info.title,
      direction: row.info.direction,
      available: row.info.available,
      category: row.category,
      schedule: row.schedule
        ? {
            enabled: row.schedule.enabled,
            summary: describeSchedule(row.schedule, timeZone),
          }
        : null,
      lastRun: row.lastRun ? toRunView(row.lastRun) : null,
      nextRunAt: row.nextRunAt?.toISOString() ?? null,
      idle: row.idle,
    })),
  };
};

const runForm = z.object({
  task: z.string({ message: "say which task to run" }).min(1, "say which task to run"),
});

/** Run now from the list (the task page has the same action, with the foreground view). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { task } = parseInput(runForm, await request.formData());
    const result = await runNow(prisma, shop, task, { signal: request.signal });
    return { ok: true as const, mode: result.mode, run: toRunView(result.run) };
  } catch (error) {
    return refused(error);
  }
};

type ActionResult =
  { ok: true; mode: "background" | "foreground"; run: RunView } | { ok: false; error: string };

function RunNowButton({ task, title }: { task: string; title: string }) {
  const fetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state !== "idle") return;
    if (!result.ok) shopify.toast.show(result.error, { isError: true });
    else if (result.mode === "background") shopify.toast.show(`${title}: queued`);
    else
      shopify.toast.show(
        `${title}: ${result.run.status}${result.run.error ? ` (${result.run.error})` : ""}`,
        {
          isError: result.run.status === "failed",
        },
      );
  }, [fetcher.data, fetcher.state, shopify, title]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="task" value={task} />
      <Button submit size="slim" loading={fetcher.state !== "idle"} accessibilityLabel={`Run ${title} now`}>
        Run now
      </Button>
    </fetcher.Form>
  );
}

export default function Tasks() {
  const { tasks, background, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Tasks and schedules"
      subtitle={
        background
          ? "Run now queues the task; the job list shows its progress."
          : "Background syncs are off: Run now runs the task here and waits for it."
      }
      backAction={{ content: "Home", url: "/app" }}
      secondaryActions={[{ content: "Job list", url: "/app/runs" }]}
    >
      <BlockStack gap="200">
        <TimesIn timeZone={timeZone} />
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "task", plural: "tasks" }}
            itemCount={tasks.length}
            selectable={false}
            headings={[
              { title: "Task" },
              { title: "Last run" },
              { title: "Next run" },
              { title: "Schedule" },
              { title: "Job category" },
              { title: "" },
            ]}
          >
            {tasks.map((task, index) => (
              <IndexTable.Row id={task.name} key={task.name} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    {task.available ? (
                      <Link to={`/app/tasks/${task.name}`}>
                        <Text as="span" fontWeight="semibold">
                          {task.title}
                        </Text>
                      </Link>
                    ) : (
                      <Text as="span" fontWeight="semibold" tone="subdued">
                        {task.title}
                      </Text>
                    )}
                    <Text as="span" variant="bodySm" tone="subdued">
                      {task.direction}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {task.lastRun ? (
                    <InlineStack gap="200" blockAlign="center">
                      <RunStatusBadge run={task.lastRun} />
                      <Text as="span" variant="bodySm">
                        {formatTime(
                          task.lastRun.finishedAt ?? task.lastRun.startedAt ?? task.lastRun.queuedAt,
                          timeZone,
                        )}
                      </Text>
                    </InlineStack>
                  ) : (
                    "—"
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {task.idle && task.schedule?.enabled ? (
                    <Wrapped width="18rem">
                      <Text as="span" tone="subdued">
                        No run: {task.idle}
                      </Text>
                    </Wrapped>
                  ) : (
                    formatTime(task.nextRunAt, timeZone)
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {!task.available ? (
                    <Badge>Not available yet</Badge>
                  ) : task.schedule?.enabled ? (
                    <Wrapped width="16rem">{task.schedule.summary}</Wrapped>
                  ) : (
                    <Text as="span" tone="subdued">
                      Not scheduled
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>{task.available ? categoryWords(task.category) : ""}</IndexTable.Cell>
                <IndexTable.Cell>
                  {task.available && (
                    <InlineStack gap="200" wrap={false}>
                      <RunNowButton task={task.name} title={task.title} />
                      <Button size="slim" url={`/app/tasks/${task.name}`}>
                        Edit
                      </Button>
                    </InlineStack>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
