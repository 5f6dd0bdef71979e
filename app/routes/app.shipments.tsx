import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, IndexTable, Layout, Link, Text } from "@shopify/polaris";
import { ListErrorBoundary } from "../admin/list-error";
import { ListPage, ListTable, RowAction, ViewTabs, Wrapped } from "../admin/list-ui";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { formatInZone, shopTimeZone } from "../admin/time-zone";
import { TimesIn } from "../components/time-zone";
import { actOnShipments, listShipments, shipmentAction, shipmentQuery } from "../admin/shipments.server";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { view, page } = parseInput(shipmentQuery, new URL(request.url).searchParams);
    return { ...(await listShipments(prisma, shop, view, page)), timeZone: shopTimeZone(shop) };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
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
  const navigation = useNavigation();
  const submit = useSubmit();
  const failed = list.view === "error";
  const busy = navigation.state === "submitting";
  return (
    <ListPage
      title={failed ? "Shipment errors" : "Unprocessed shipments"}
      subtitle={`${list.total} posted ${list.total === 1 ? "shipment" : "shipments"}`}
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
      result={result}
    >
      <Layout.Section>
        <Text as="p" tone="subdued">
          {failed
            ? "Posted shipments Shopify refused, with its message. Fix the cause (for example in Shopify admin), then retry: the shipment goes back to waiting and the shipment sync starts."
            : "Posted shipments of Shopify orders not yet sent to Shopify as fulfillments. The scheduled shipment sync sends them; Send to Shopify now does it at once."}
        </Text>
        <TimesIn timeZone={list.timeZone} />
      </Layout.Section>
      <ListTable
        tabs={<ViewTabs views={TABS} view={list.view} />}
        resourceName={{ singular: "shipment", plural: "shipments" }}
        headings={[
          { title: "Shipment" },
          { title: "Order" },
          { title: "Tracking and lines" },
          { title: failed ? "Error" : "Last attempt" },
          { title: "" },
        ]}
        empty={failed ? "No shipment has failed." : "Every posted shipment has been sent to Shopify."}
        shown={list.rows.length}
        paging={list}
        oldest
      >
        {list.rows.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {row.no}
                </Text>
                <Text as="span" tone="subdued">
                  posted {formatInZone(new Date(row.postedAt), list.timeZone)}
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
                <RowAction fields={{ intent: "retry", shipmentId: row.id }} busy={busy} label="Retry" />
              ) : null}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
