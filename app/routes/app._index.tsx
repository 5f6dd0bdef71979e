import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { adminShop } from "../admin/route.server";
import { shopTimeZone } from "../admin/time-zone";
import { textTone, TILES, tileTone, type TileTone } from "../admin/tiles";
import prisma from "../db.server";
import { recentRuns, shopStatus } from "../status/status.server";
import { taskInfo } from "../sync/index.server";
import { formatTime, RunStatusBadge, triggerWords } from "../components/runs";
import { TimesIn } from "../components/time-zone";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  const [status, runs] = await Promise.all([shopStatus(prisma, shop.id), recentRuns(prisma, shop.id, 20)]);
  return {
    status,
    timeZone: shopTimeZone(shop),
    runs: runs.map((run) => ({
      id: run.id,
      task: taskInfo(run.task)?.title ?? run.task,
      trigger: run.trigger,
      status: run.status,
      queuedAt: run.queuedAt.toISOString(),
      error: run.error,
    })),
  };
};

const TONE_LABELS: Record<TileTone, string> = {
  critical: "Error",
  warning: "Needs you",
  attention: "Waiting",
  success: "All clear",
};

export default function Home() {
  const { status, runs, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page title="Back office sync">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            {TILES.map((tile) => {
              const count = status[tile.key];
              const tone = tileTone(tile, count);
              return (
                <Card key={tile.key}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <Text as="h2" variant="headingSm">
                        {tile.label}
                      </Text>
                      <Badge tone={tone}>{TONE_LABELS[tone]}</Badge>
                    </InlineStack>
                    <Text as="p" variant="heading2xl" tone={textTone(tone)}>
                      {count}
                    </Text>
                    <Link url={tile.href} accessibilityLabel={`Open the list of ${tile.label.toLowerCase()}`}>
                      {count > 0 ? "Open the list" : "View the list"}
                    </Link>
                  </BlockStack>
                </Card>
              );
            })}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Recent runs
                </Text>
                <Link url="/app/runs">All runs</Link>
              </InlineStack>
              <TimesIn timeZone={timeZone} />
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text"]}
                headings={["Task", "Trigger", "Status", "Queued", "Error"]}
                rows={runs.map((run) => [
                  run.task,
                  triggerWords(run.trigger),
                  <RunStatusBadge key={run.id} run={run} />,
                  formatTime(run.queuedAt, timeZone),
                  run.error ?? "",
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
