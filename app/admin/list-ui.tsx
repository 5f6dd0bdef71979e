import { Form, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Tabs,
  Text,
  TextField,
  type IndexTableProps,
  type PageProps,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { Paging } from "./paging";

/** Small pieces the list pages share. */

/** A text field of a plain HTML form: Polaris fields are controlled, the form reads `name`. */
export function FormField(props: {
  name: string;
  label: string;
  initial: string;
  helpText?: string;
  type?: "text" | "search";
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <TextField
      name={props.name}
      label={props.label}
      value={value}
      onChange={setValue}
      autoComplete="off"
      helpText={props.helpText}
      type={props.type ?? "text"}
    />
  );
}

/**
 * Text that wraps inside an index table, whose cells do not wrap by default: reasons and
 * errors are shown in full, never cut.
 */
export function Wrapped({ children, width = "26rem" }: { children: ReactNode; width?: string }) {
  return (
    <div style={{ whiteSpace: "normal", overflowWrap: "anywhere", maxWidth: width, minWidth: "12rem" }}>
      {children}
    </div>
  );
}

type OrderLink = { id: string; name: string; adminUrl: string };

/** The orders a record holds up, each opening in Shopify admin. */
export function OrderLinks({ orders }: { orders: OrderLink[] }) {
  if (orders.length === 0)
    return (
      <Text as="span" tone="subdued">
        none waiting
      </Text>
    );
  return (
    <InlineStack gap="200" wrap>
      {orders.map((order) => (
        <Link key={order.id} url={order.adminUrl} target="_top">
          {order.name}
        </Link>
      ))}
    </InlineStack>
  );
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

/** What the last action did, or why it was refused. */
export function ResultBanner({ result }: { result: ActionResult | undefined }) {
  if (!result) return null;
  return (
    <Banner tone={result.ok ? "success" : "critical"}>
      <p>{result.ok ? result.message : result.error}</p>
    </Banner>
  );
}

/**
 * A list page: its title, the way back Home, the last action's result (or, without one, a
 * notice) above the page's own sections.
 */
export function ListPage({
  title,
  subtitle,
  primaryAction,
  result,
  notice,
  children,
}: {
  title: string;
  subtitle: string;
  primaryAction?: PageProps["primaryAction"];
  result: ActionResult | undefined;
  notice?: string;
  children: ReactNode;
}) {
  return (
    <Page
      title={title}
      subtitle={subtitle}
      backAction={{ content: "Home", url: "/app" }}
      primaryAction={primaryAction}
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <ResultBanner result={result} />
          </Layout.Section>
        ) : null}
        {notice !== undefined && !result ? (
          <Layout.Section>
            <Banner tone="info">
              <p>{notice}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {children}
      </Layout>
    </Page>
  );
}

/** Tabs that switch a list's `?view=`; the first tab is the default view. */
export function ViewTabs({ views, view }: { views: { id: string; content: string }[]; view: string }) {
  const navigate = useNavigate();
  const selected = views.findIndex((tab) => tab.id === view);
  return (
    <Tabs
      tabs={views}
      selected={Math.max(selected, 0)}
      onSelect={(index) => navigate(`?view=${views[index]?.id ?? views[0]?.id}`)}
    />
  );
}

/** Rows a person can choose, for actions on the chosen ones (Polaris's bulk actions). */
export interface ListSelection {
  /** How many rows are chosen ("All": every row on the page). */
  count: number | "All";
  onChange: NonNullable<IndexTableProps["onSelectionChange"]>;
  actions: IndexTableProps["promotedBulkActions"];
}

/**
 * A page's list: an index table in a flush card (below `tabs`, if any), what it says when
 * empty, and, when the list is longer than a page, Previous/Next (`?page=`, keeping the
 * page's other parameters) and which rows of how many are shown (`oldest` first, where the
 * list is so ordered). With `selection`, rows can be chosen for its actions. `pageKey` names the
 * page's parameter instead of `page` (a second list on the same page).
 */
export function ListTable({
  resourceName,
  headings,
  empty,
  shown,
  paging,
  oldest = false,
  tabs,
  selection,
  pageKey = "page",
  children,
}: {
  resourceName: { singular: string; plural: string };
  headings: IndexTableProps["headings"];
  /** What the list says when empty (a sentence, or one with links). */
  empty: ReactNode;
  shown: number;
  paging: Paging;
  oldest?: boolean;
  tabs?: ReactNode;
  selection?: ListSelection;
  pageKey?: string;
  children: ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  const { page, pageSize, total } = paging;
  const goTo = (target: number) => {
    const next = new URLSearchParams(params);
    next.set(pageKey, String(target));
    setParams(next);
  };
  const paged = total > pageSize;
  const from = (page - 1) * pageSize + 1;
  return (
    <Layout.Section>
      <Card padding="0">
        {tabs}
        <IndexTable
          resourceName={resourceName}
          itemCount={shown}
          selectable={selection !== undefined}
          {...(selection
            ? {
                selectedItemsCount: selection.count,
                onSelectionChange: selection.onChange,
                promotedBulkActions: selection.actions,
              }
            : {})}
          headings={headings}
          emptyState={
            <Box padding="600">
              <Text as="p" alignment="center">
                {empty}
              </Text>
            </Box>
          }
          pagination={
            paged
              ? {
                  hasPrevious: page > 1,
                  onPrevious: () => goTo(page - 1),
                  hasNext: page * pageSize < total,
                  onNext: () => goTo(page + 1),
                  label: `Page ${page} of ${Math.ceil(total / pageSize)}`,
                }
              : undefined
          }
        >
          {children}
        </IndexTable>
      </Card>
      {paged && shown > 0 ? (
        <Box paddingBlockStart="200">
          <Text as="p" tone="subdued">
            {`Showing ${from}–${from + shown - 1} of ${total}${oldest ? ", oldest first" : ""}.`}
          </Text>
        </Box>
      ) : null}
    </Layout.Section>
  );
}

/** A form that posts `fields` as hidden inputs with its content. */
export function PostForm({ fields, children }: { fields: Record<string, string>; children: ReactNode }) {
  return (
    <Form method="post">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** A row's one-button action: posts `fields`, disabled while a form is submitting. */
export function RowAction({
  fields,
  busy,
  label,
}: {
  fields: Record<string, string>;
  busy: boolean;
  label: string;
}) {
  return (
    <PostForm fields={fields}>
      <Button submit disabled={busy}>
        {label}
      </Button>
    </PostForm>
  );
}

/*
 * The mapping panels of the unmapped customers and products pages: a card to find the
 * back-office record a Shopify one maps to, and a card to create one from it.
 */

/** The find card: "Map …" with a Close link back to the list, above the card's content. */
export function MapCard({
  title,
  closeUrl,
  children,
}: {
  title: string;
  closeUrl: string;
  children: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Button url={closeUrl} variant="plain">
            Close
          </Button>
        </InlineStack>
        {children}
      </BlockStack>
    </Card>
  );
}

/** The Shopify orders the record holds up, after `label`. */
export function WaitingOrders({ label, orders }: { label: string; orders: OrderLink[] }) {
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="span">{label}</Text>
      <OrderLinks orders={orders} />
    </InlineStack>
  );
}

/** The search for candidates: reloads the page with `q`, keeping the record `keep` open. */
export function CandidateSearch({
  keep,
  label,
  query,
}: {
  keep: { name: string; value: string };
  label: string;
  query: string;
}) {
  return (
    <Form method="get">
      <input type="hidden" name={keep.name} value={keep.value} />
      <InlineStack gap="200" blockAlign="end">
        <Box minWidth="20rem">
          <FormField key={query} name="q" label={label} initial={query} type="search" />
        </Box>
        <Button submit>Search</Button>
      </InlineStack>
    </Form>
  );
}

/** The candidates the search found, or `noMatch` when there are none. */
export function CandidateTable({
  resourceName,
  headings,
  count,
  noMatch,
  children,
}: {
  resourceName: { singular: string; plural: string };
  headings: IndexTableProps["headings"];
  count: number;
  noMatch: string;
  children: ReactNode;
}) {
  return (
    <IndexTable
      resourceName={resourceName}
      itemCount={count}
      selectable={false}
      headings={headings}
      emptyState={
        <Box padding="400">
          <Text as="p">{noMatch}</Text>
        </Box>
      }
    >
      {children}
    </IndexTable>
  );
}

/** The create card: posts `fields` and the card's form fields with its primary button. */
export function CreateCard({
  title,
  fields,
  submitLabel,
  busy,
  children,
}: {
  title: string;
  fields: Record<string, string>;
  submitLabel: string;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <Card>
      <PostForm fields={fields}>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {children}
          <InlineStack>
            <Button submit variant="primary" disabled={busy}>
              {submitLabel}
            </Button>
          </InlineStack>
        </BlockStack>
      </PostForm>
    </Card>
  );
}
