import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Box, Button, Card, IndexTable, Layout, Link, Page, Tabs, Text } from "@shopify/polaris";
import { ListErrorBoundary } from "../admin/list-error";
import { ResultBanner, Wrapped } from "../admin/list-ui";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { actOnShipments, listShipments, shipmentAction, shipmentQuery } from "../admin/shipments.server";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  try {
    const { view } = parseInput(shipmentQuery, new URL(request.url).searchParams);
    return await listShipments(prisma, shop, view);
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  try {
    const outcome = await actOnShipments(prisma, shop, parseInput(shipmentAction, await request.formData()));
    return { ok: true as const, message: outcome.message };
  } catch (error) {
    return refused(error);
  }
};

const TABS = [
  { id: "pending", content: "Waiting to be sent" },
  { id: "error", content: "Failed" },
];

export default function Shipments() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const submit = useSubmit();
  const failed = list.view === "error";
  const busy = navigation.state === "submitting";
  return (
    <Page
      title={failed ? "Shipment errors" : "Unprocessed shipments"}
      subtitle={`${list.total} posted ${list.total === 1 ? "shipment" : "shipments"}`}
      backAction={{ content: "Home", url: "/app" }}
      primaryAction={
        failed
          ? undefined
          : {
              content: "Send to Shopify now",
              disabled: list.total === 0,
              loading: busy,
              onAction: () => submit({ intent: "send" }, { method: "post" }),
            }
      }
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <ResultBanner result={result} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {failed
              ? "Posted shipments Shopify refused, with its message. Fix the cause (for example in Shopify admin), then retry: the shipment goes back to waiting and the shipment sync starts."
              : "Posted shipments of Shopify orders not yet sent to Shopify as fulfillments. The scheduled shipment sync sends them; Send to Shopify now does it at once."}
          </Text>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={TABS}
              selected={failed ? 1 : 0}
              onSelect={(index) => navigate(`?view=${TABS[index]?.id ?? "pending"}`)}
            />
            <IndexTable
              resourceName={{ singular: "shipment", plural: "shipments" }}
              itemCount={list.rows.length}
              selectable={false}
              headings={[
                { title: "Shipment" },
                { title: "Order" },
                { title: "Tracking and lines" },
                { title: failed ? "Error" : "Last attempt" },
                { title: "" },
              ]}
              emptyState={
                <Box padding="600">
                  <Text as="p" alignment="center">
                    {failed ? "No shipment has failed." : "Every posted shipment has been sent to Shopify."}
                  </Text>
                </Box>
              }
            >
              {list.rows.map((row, index) => (
                <IndexTable.Row id={row.id} key={row.id} position={index}>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      <Text as="span" fontWeight="semibold">
                        {row.no}
                      </Text>
                      <Text as="span" tone="subdued">
                        posted {new Date(row.postedAt).toLocaleString()}
                      </Text>
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      <Text as="span">{row.shopifyOrderName ?? "Shopify order"}</Text>
                      <Text as="span" tone="subdued">
                        sales order {row.orderNo}
                      </Text>
                      {row.adminUrl ? (
                        <Link url={row.adminUrl} target="_top">
                          Open in Shopify admin
                        </Link>
                      ) : null}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      <Text as="span">
                        {[row.carrier, row.trackingNo].filter(Boolean).join(" ") || "no tracking"}
                      </Text>
                      {row.lines.map((line, at) => (
                        <Text as="span" tone="subdued" key={at}>
                          {line}
                        </Text>
                      ))}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Wrapped width="24rem">
                      <Text as="p" breakWord tone={failed ? "critical" : "subdued"}>
                        {row.error ?? (row.attempts === 0 ? "not tried yet" : "")}
                        {row.attempts > 0
                          ? ` (${row.attempts} ${row.attempts === 1 ? "attempt" : "attempts"})`
                          : ""}
                      </Text>
                    </Wrapped>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {failed ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="shipmentId" value={row.id} />
                        <Button submit disabled={busy}>
                          Retry
                        </Button>
                      </Form>
                    ) : null}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
          {list.rows.length < list.total ? (
            <Box paddingBlockStart="200">
              <Text as="p" tone="subdued">
                Showing the oldest {list.rows.length} of {list.total}.
              </Text>
            </Box>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = ListErrorBoundary;
