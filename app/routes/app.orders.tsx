import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, IndexTable, Layout, Link, List, Text } from "@shopify/polaris";
import { z } from "zod";
import { describeFollowUp } from "../admin/follow-up.server";
import { ListErrorBoundary } from "../admin/list-error";
import { ListPage, ListTable, ViewTabs, Wrapped } from "../admin/list-ui";
import { listOrders, ORDER_VIEWS, processAgain, type OrderRow } from "../admin/orders.server";
import { pageParam } from "../admin/paging";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import prisma from "../db.server";

const query = z.object({ view: z.enum(ORDER_VIEWS).default("unprocessed"), page: pageParam });
const form = z.object({ intent: z.literal("process", { message: "the only action here is process" }) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { view, page } = parseInput(query, new URL(request.url).searchParams);
    return await listOrders(prisma, shop, view, page);
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    parseInput(form, await request.formData());
    return { ok: true as const, message: describeFollowUp(await processAgain(prisma, shop)) };
  } catch (error) {
    return refused(error);
  }
};

const TABS = [
  { id: "unprocessed", content: "Not yet processed" },
  { id: "changed", content: "Changed after processing" },
];

const STATE_TONES: Record<string, "critical" | "attention" | "info"> = {
  error: "critical",
  unprocessed: "attention",
};

function OrderLink({ row }: { row: OrderRow }) {
  return (
    <BlockStack gap="100">
      <Text as="span" fontWeight="semibold">
        {row.name}
      </Text>
      <Text as="span" tone="subdued">
        placed {new Date(row.createdAt).toLocaleString()}
      </Text>
      <Link url={row.adminUrl} target="_top">
        Open in Shopify admin
      </Link>
    </BlockStack>
  );
}

function UnprocessedRows({ rows }: { rows: OrderRow[] }) {
  return rows.map((row, index) => (
    <IndexTable.Row id={row.id} key={row.id} position={index}>
      <IndexTable.Cell>
        <OrderLink row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>{row.customer}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric>
          {row.total} {row.currencyCode}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={STATE_TONES[row.state] ?? "info"}>{row.state === "error" ? "blocked" : "waiting"}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Wrapped width="28rem">
          <Text as="p" breakWord>
            {row.reason}
          </Text>
        </Wrapped>
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
}

function ChangedRows({ rows }: { rows: OrderRow[] }) {
  return rows.map((row, index) => (
    <IndexTable.Row id={row.id} key={row.id} position={index}>
      <IndexTable.Cell>
        <OrderLink row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.documentNo
          ? `${row.documentType === "sales_invoice" ? "Sales invoice" : "Sales order"} ${row.documentNo}`
          : ""}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Wrapped width="32rem">
          <List type="bullet">
            {row.changes.map((change) => (
              <List.Item key={change}>{change}</List.Item>
            ))}
          </List>
        </Wrapped>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.cancelled ? <Badge tone="critical">cancelled</Badge> : null}</IndexTable.Cell>
    </IndexTable.Row>
  ));
}

export default function Orders() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const changed = list.view === "changed";
  const noun = list.total === 1 ? "order" : "orders";
  return (
    <ListPage
      title={changed ? "Orders changed after processing" : "Unprocessed orders"}
      subtitle={`${list.total} ${noun}`}
      primaryAction={
        changed
          ? undefined
          : {
              content: "Process again",
              disabled: list.total === 0,
              loading: navigation.state === "submitting",
              onAction: () => submit({ intent: "process" }, { method: "post" }),
            }
      }
      result={result}
    >
      <Layout.Section>
        <Text as="p" tone="subdued">
          {changed
            ? "These orders changed in Shopify after their sales document was made. The document is left as it was: adjust it in the back office if the change should count. An order leaves this list when the change is undone in Shopify."
            : "Imported orders without a sales document yet, each with the reason it waits. Process again runs order processing for all of them, after you have mapped what blocked them."}
        </Text>
      </Layout.Section>
      <ListTable
        tabs={<ViewTabs views={TABS} view={list.view} />}
        resourceName={{ singular: "order", plural: "orders" }}
        headings={
          changed
            ? [{ title: "Order" }, { title: "Document" }, { title: "What changed" }, { title: "" }]
            : [
                { title: "Order" },
                { title: "Customer" },
                { title: "Total" },
                { title: "State" },
                { title: "Reason" },
              ]
        }
        empty={
          changed
            ? "No processed order has changed in Shopify since."
            : "Every imported order has its sales document."
        }
        shown={list.rows.length}
        paging={list}
        oldest
      >
        {changed ? <ChangedRows rows={list.rows} /> : <UnprocessedRows rows={list.rows} />}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
