import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { Refusal, refused, refusedPage, type Refused } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { DEFAULT_CRON, describeSchedule, formOf, SCHEDULE_PRESETS } from "../admin/task-catalog";
import { shopTimeZone } from "../admin/time-zone";
import { filterFormValues, getTask, runNow, saveSchedule } from "../admin/tasks.server";
import { describeFilterValues } from "../sync/kit/filters";
import { formatTime, RunOutcome, RunStatusBadge, toRunView, type RunView } from "../components/runs";
import { usePolled } from "../components/polling";
import { TimesIn } from "../components/time-zone";
import prisma from "../db.server";
import type { LiveRuns } from "./app.runs.live";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  let row;
  try {
    row = await getTask(prisma, shop, params.task ?? "");
  } catch (error) {
    refusedPage(error);
  }
  if (!row.info.available) throw new Response(`${row.info.title} is not available yet.`, { status: 404 });
  const [settings, runs] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shopId: shop.id } }),
    prisma.syncRun.findMany({
      where: { shopId: shop.id, task: row.info.name },
      orderBy: { queuedAt: "desc" },
      take: 5,
    }),
  ]);
  const cron = row.schedule?.cron ?? DEFAULT_CRON;
  const timeZone = shopTimeZone(shop);
  // A task without a schedule row yet: saving one gives it the shop's zone.
  const schedule = { cron, timeZone: row.schedule?.timeZone ?? timeZone };
  return {
    task: { name: row.info.name, title: row.info.title, description: row.info.description },
    background: settings?.allowBackgroundSyncs ?? true,
    schedule: {
      enabled: row.schedule?.enabled ?? false,
      cron,
      ...formOf(schedule, timeZone),
      summary: describeSchedule(schedule, timeZone),
      nextRunAt: row.nextRunAt?.toISOString() ?? null,
      idle: row.idle,
    },
    category: row.category,
    timeZone,
    hasFilters: row.info.filters.length > 0,
    filters: describeFilterValues(
      row.info.filters,
      Object.fromEntries(
        Object.entries(filterFormValues(row.info.filters, row.schedule?.filters)).filter(
          ([, value]) => value !== "",
        ),
      ),
    ),
    runs: runs.map(toRunView),
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  const form = Object.fromEntries(await request.formData());
  const { intent, ...fields } = form;
  try {
    if (intent === "run") {
      const result = await runNow(prisma, shop, params.task ?? "", { signal: request.signal });
      return { ok: true as const, intent: "run" as const, mode: result.mode, run: toRunView(result.run) };
    }
    if (intent === "schedule") {
      await saveSchedule(prisma, shop, params.task ?? "", fields);
      return { ok: true as const, intent: "schedule" as const };
    }
    throw new Refusal("Unknown action.", 400, { intent: "run or schedule" });
  } catch (error) {
    return refused(error);
  }
};

type RunResult = { ok: true; intent: "run"; mode: "background" | "foreground"; run: RunView } | Refused;
type ScheduleResult = { ok: true; intent: "schedule" } | Refused;

/**
 * The run of this task in progress, polled while a foreground run is under way (one poll at a
 * time: a slow answer is not cut short by the next poll, see usePolled).
 */
function useLiveRun(task: string, active: boolean) {
  const polled = usePolled<LiveRuns>(
    `/app/runs/live?task=${task}&status=running&trigger=manual`,
    500,
    active,
    {
      immediate: true,
    },
  );
  return active ? polled?.data.runs[0] : undefined;
}

function RunNow({ task, title, background }: { task: string; title: string; background: boolean }) {
  const fetcher = useFetcher<RunResult>();
  const shopify = useAppBridge();
  const running = fetcher.state !== "idle";
  const live = useLiveRun(task, running && !background);
  const result = fetcher.data;

  useEffect(() => {
    if (!result || fetcher.state !== "idle") return;
    if (result.ok && result.mode === "background") shopify.toast.show(`${title}: queued`);
    if (!result.ok) shopify.toast.show(result.error, { isError: true });
    // (Remix reloads the page's data after the action: Recent runs shows the run.)
  }, [result, fetcher.state]);

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Run now
          </Text>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="run" />
            <Button submit variant="primary" loading={running}>
              Run now
            </Button>
          </fetcher.Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          {background
            ? "Background syncs are on: the run is queued for the worker and shows in the job list."
            : "Background syncs are off: the run happens here, and this page shows it until it ends."}
        </Text>
        {running && !background && (
          <BlockStack gap="200">
            <Text as="p">Running {title}…</Text>
            {live ? <RunOutcome run={live} /> : <Text as="p">Starting…</Text>}
          </BlockStack>
        )}
        {result && !running && result.ok && result.mode === "foreground" && (
          <Banner
            tone={result.run.status === "succeeded" ? "success" : "critical"}
            title={`${title} ${result.run.status}`}
          >
            <div data-testid="foreground-result">
              <RunOutcome run={result.run} />
            </div>
          </Banner>
        )}
        {result && !running && result.ok && result.mode === "background" && (
          <Banner tone="info" title={`${title} queued`}>
            <p>
              Follow it in the <a href={`/app/runs?task=${task}`}>job list</a>.
            </p>
          </Banner>
        )}
        {result && !running && !result.ok && (
          <Banner tone="critical" title="Not run">
            <p>{result.error}</p>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}

export default function TaskPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ScheduleResult>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [enabled, setEnabled] = useState(data.schedule.enabled);
  const [preset, setPreset] = useState(data.schedule.preset);
  const [time, setTime] = useState(data.schedule.time);
  const [cron, setCron] = useState(data.schedule.cron);
  const [category, setCategory] = useState(data.category);
  const saving = navigation.state === "submitting";
  const fields = result && !result.ok ? result.fields : {};

  useEffect(() => {
    if (result?.ok && navigation.state === "idle") shopify.toast.show("Schedule saved");
  }, [result, navigation.state, shopify]);

  return (
    <Page
      title={data.task.title}
      subtitle={data.task.description}
      backAction={{ content: "Tasks", url: "/app/tasks" }}
      secondaryActions={[
        ...(data.hasFilters ? [{ content: "Filters", url: `/app/tasks/${data.task.name}/filters` }] : []),
        { content: "Job list", url: `/app/runs?task=${data.task.name}` },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <RunNow task={data.task.name} title={data.task.title} background={data.background} />
            <Card>
              <Form method="post" data-testid="schedule-form">
                <input type="hidden" name="intent" value="schedule" />
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Schedule
                  </Text>
                  <TimesIn timeZone={data.timeZone} />
                  {result && !result.ok && (
                    <Banner tone="critical" title="Nothing was saved">
                      <p>{result.error}</p>
                    </Banner>
                  )}
                  <FormLayout>
                    <Checkbox label="Run on a schedule" checked={enabled} onChange={setEnabled} />
                    <input type="hidden" name="enabled" value={enabled ? "on" : ""} />
                    <Select
                      label="How often"
                      name="preset"
                      options={[
                        ...SCHEDULE_PRESETS.map(({ label, value }) => ({ label, value })),
                        { label: "Daily at a time", value: "daily" },
                        { label: "Cron expression", value: "cron" },
                      ]}
                      value={preset}
                      onChange={setPreset}
                      error={fields.preset}
                    />
                    {preset === "daily" && (
                      <TextField
                        label="Time of day (shop time)"
                        name="time"
                        type="time"
                        value={time}
                        onChange={setTime}
                        autoComplete="off"
                        error={fields.time}
                      />
                    )}
                    {preset === "cron" && (
                      <TextField
                        label="Cron expression (shop time)"
                        name="cron"
                        value={cron}
                        onChange={setCron}
                        autoComplete="off"
                        helpText="Five fields: minute hour day month weekday."
                        error={fields.cron}
                      />
                    )}
                    <TextField
                      label="Job category"
                      name="category"
                      value={category}
                      onChange={setCategory}
                      autoComplete="off"
                      helpText="Tasks in the same category never run at the same time for this shop."
                      error={fields.category}
                    />
                  </FormLayout>
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="span" tone="subdued">
                      {!data.schedule.enabled
                        ? "Not scheduled"
                        : data.schedule.idle
                          ? `${data.schedule.summary}; no run while ${data.schedule.idle[0]!.toLowerCase()}${data.schedule.idle.slice(1)}`
                          : `${data.schedule.summary}; next run ${formatTime(data.schedule.nextRunAt, data.timeZone)}`}
                    </Text>
                    <Button submit variant="primary" loading={saving}>
                      Save schedule
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {data.hasFilters && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Filters
                  </Text>
                  <div data-testid="filters-summary">
                    <Text as="p">{data.filters}</Text>
                  </div>
                  <Button url={`/app/tasks/${data.task.name}/filters`}>Edit filters</Button>
                </BlockStack>
              </Card>
            )}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Recent runs
                </Text>
                {data.runs.length === 0 && <Text as="p">No runs yet.</Text>}
                {data.runs.map((run) => (
                  <BlockStack key={run.id} gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <RunStatusBadge run={run} />
                      <Text as="span" variant="bodySm">
                        {run.trigger} · {formatTime(run.queuedAt, data.timeZone)}
                      </Text>
                    </InlineStack>
                    <RunOutcome run={run} />
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
