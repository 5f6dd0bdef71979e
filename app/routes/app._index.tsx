import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";
import { recentRuns, shopStatus } from "../status/status.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  const [status, runs] = await Promise.all([shopStatus(prisma, shop.id), recentRuns(prisma, shop.id, 20)]);
  return {
    status,
    runs: runs.map((run) => ({
      id: run.id,
      task: run.task,
      trigger: run.trigger,
      status: run.status,
      queuedAt: run.queuedAt.toISOString(),
      error: run.error,
    })),
  };
};

const TILES = [
  { key: "unprocessedOrders", label: "Unprocessed orders" },
  { key: "unmappedCustomers", label: "Unmapped customers" },
  { key: "unmappedProducts", label: "Unmapped products" },
  { key: "unprocessedShipments", label: "Unprocessed shipments" },
  { key: "shipmentErrors", label: "Shipment errors" },
  { key: "synchronizationErrors", label: "Synchronization errors" },
  { key: "ordersChangedAfterProcessing", label: "Orders changed after processing" },
] as const;

export default function Home() {
  const { status, runs } = useLoaderData<typeof loader>();
  return (
    <Page title="Back office sync">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            {TILES.map((tile) => (
              <Card key={tile.key}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {tile.label}
                  </Text>
                  <Text as="p" variant="heading2xl" tone={status[tile.key] > 0 ? "critical" : "success"}>
                    {status[tile.key]}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={["Task", "Trigger", "Status", "Queued", "Error"]}
              rows={runs.map((run) => [
                run.task,
                run.trigger,
                <Badge
                  key={run.id}
                  tone={
                    run.status === "failed" ? "critical" : run.status === "succeeded" ? "success" : "info"
                  }
                >
                  {run.status}
                </Badge>,
                new Date(run.queuedAt).toLocaleString(),
                run.error ?? "",
              ])}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
