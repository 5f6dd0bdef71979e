import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, IndexTable, InlineStack, Layout, Link, List, Text } from "@shopify/polaris";
import { z } from "zod";
import { describeFollowUp } from "../admin/follow-up.server";
import { ListErrorBoundary } from "../admin/list-error";
import { ListPage, ListTable, RowAction, ViewTabs, Wrapped } from "../admin/list-ui";
import {
  actOnOrder,
  listOrders,
  ORDER_ACTIONS,
  ORDER_VIEWS,
  processAgain,
  type OrderAction,
  type OrderRow,
} from "../admin/orders.server";
import { pageParam } from "../admin/paging";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminActor, adminShop } from "../admin/route.server";
import { shopTimeZone } from "../admin/time-zone";
import { ShopTime, ShopTimeZoneProvider, TimesIn } from "../components/time-zone";
import prisma from "../db.server";

const query = z.object({ view: z.enum(ORDER_VIEWS).default("unprocessed"), page: pageParam });
const form = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("process") }),
    z.object({ intent: z.enum(ORDER_ACTIONS), order: z.uuid({ message: "which order?" }) }),
  ],
  { message: "the actions here are process, confirm, adjust and close" },
);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { view, page } = parseInput(query, new URL(request.url).searchParams);
    return { ...(await listOrders(prisma, shop, view, page)), timeZone: shopTimeZone(shop) };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, user } = await adminActor(request);
  try {
    const input = parseInput(form, await request.formData());
    if (input.intent === "process")
      return { ok: true as const, message: describeFollowUp(await processAgain(prisma, shop)) };
    return { ok: true as const, message: await actOnOrder(prisma, shop, input.intent, input.order, user) };
  } catch (error) {
    return refused(error);
  }
};

const TABS = [
  { id: "unprocessed", content: "Not yet processed" },
  { id: "changed", content: "Changed after processing" },
  { id: "processed", content: "Processed" },
];

const ACTION_LABELS: Record<OrderAction, string> = {
  confirm: "Confirm: post as it is",
  adjust: "Adjust the document",
  close: "Close the document",
};

const SUBTITLES = {
  unprocessed:
    "Imported orders without a sales document yet, each with the reason it waits. Process again runs order processing for all of them, after you have mapped what blocked them.",
  changed:
    "These orders changed in Shopify after their sales document was made, which is left as it was and cannot be posted until you act: adjust it to the order as it stands (while nothing of it is posted), or confirm the change to post it as it is. A cancelled order's document is closed instead. An order leaves this list once confirmed, or when the change is undone in Shopify.",
  processed: "Every order with its sales document, newest first, and whether the document may be posted.",
} as const;

function DocumentCell({ row }: { row: OrderRow }) {
  if (!row.documentNo) return null;
  return (
    <BlockStack gap="100">
      <Text as="span">
        {row.documentType === "sales_invoice" ? "Sales invoice" : "Sales order"} {row.documentNo}
      </Text>
      {row.documentStatus ? (
        <Text as="span" tone="subdued">
          {row.documentStatus}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** Whether the document may be posted, and why not; who confirmed a change, and when. */
function PostingCell({ row }: { row: OrderRow }) {
  return (
    <Wrapped width="28rem">
      <BlockStack gap="100">
        {row.onHold ? (
          <Text as="p" breakWord>
            On hold: {row.onHold}
          </Text>
        ) : row.documentStatus === "closed" ? (
          <Text as="p">Closed, not to be posted.</Text>
        ) : (
          <Text as="p">May be posted.</Text>
        )}
        {row.confirmedBy ? (
          <Text as="p" tone="subdued">
            Change confirmed by {row.confirmedBy} at <ShopTime iso={row.confirmedAt!} />
          </Text>
        ) : null}
      </BlockStack>
    </Wrapped>
  );
}

function Actions({ row, busy }: { row: OrderRow; busy: boolean }) {
  if (row.actions.length === 0) return null;
  return (
    <InlineStack gap="200" wrap>
      {row.actions.map((action) => (
        <RowAction
          key={action}
          fields={{ intent: action, order: row.id }}
          busy={busy}
          label={ACTION_LABELS[action]}
        />
      ))}
    </InlineStack>
  );
}

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
        placed <ShopTime iso={row.createdAt} />
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

function ChangedRows({ rows, busy }: { rows: OrderRow[]; busy: boolean }) {
  return rows.map((row, index) => (
    <IndexTable.Row id={row.id} key={row.id} position={index}>
      <IndexTable.Cell>
        <OrderLink row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <DocumentCell row={row} />
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
      <IndexTable.Cell>
        <Actions row={row} busy={busy} />
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
}

function ProcessedRows({ rows, busy }: { rows: OrderRow[]; busy: boolean }) {
  return rows.map((row, index) => (
    <IndexTable.Row id={row.id} key={row.id} position={index}>
      <IndexTable.Cell>
        <OrderLink row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <DocumentCell row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric>
          {row.total} {row.currencyCode}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Wrapped width="20rem">
          <BlockStack gap="100">
            <Text as="span">{row.customerNo ? `${row.customerNo} (${row.customer})` : row.customer}</Text>
            {row.customerFoundBy ? (
              <Text as="span" tone="subdued">
                found {row.customerFoundBy}
              </Text>
            ) : null}
          </BlockStack>
        </Wrapped>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <PostingCell row={row} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Actions row={row} busy={busy} />
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
}

const HEADINGS = {
  unprocessed: [
    { title: "Order" },
    { title: "Customer" },
    { title: "Total" },
    { title: "State" },
    { title: "Reason" },
  ],
  changed: [
    { title: "Order" },
    { title: "Document" },
    { title: "What changed" },
    { title: "" },
    { title: "Actions" },
  ],
  processed: [
    { title: "Order" },
    { title: "Document" },
    { title: "Total" },
    { title: "Customer" },
    { title: "Posting" },
    { title: "Actions" },
  ],
} as const;

const EMPTY = {
  unprocessed: "Every imported order has its sales document.",
  changed: "No processed order has changed in Shopify since, or every change is confirmed.",
  processed: "No order has a sales document yet.",
} as const;

const TITLES = {
  unprocessed: "Unprocessed orders",
  changed: "Orders changed after processing",
  processed: "Processed orders",
} as const;

export default function Orders() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const view = list.view;
  const busy = navigation.state === "submitting";
  const noun = list.total === 1 ? "order" : "orders";
  return (
    <ListPage
      title={TITLES[view]}
      subtitle={`${list.total} ${noun}`}
      primaryAction={
        view !== "unprocessed"
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
          {SUBTITLES[view]}
        </Text>
        <TimesIn timeZone={list.timeZone} />
      </Layout.Section>
      <ListTable
        tabs={<ViewTabs views={TABS} view={list.view} />}
        resourceName={{ singular: "order", plural: "orders" }}
        headings={[...HEADINGS[view]] as [{ title: string }, ...{ title: string }[]]}
        empty={EMPTY[view]}
        shown={list.rows.length}
        paging={list}
        oldest={view !== "processed"}
      >
        <ShopTimeZoneProvider value={list.timeZone}>
          {view === "changed" ? (
            <ChangedRows rows={list.rows} busy={busy} />
          ) : view === "processed" ? (
            <ProcessedRows rows={list.rows} busy={busy} />
          ) : (
            <UnprocessedRows rows={list.rows} />
          )}
        </ShopTimeZoneProvider>
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
