import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Tabs,
  Text,
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, type MouseEvent, type ReactNode } from "react";
import {
  actOnCustomers,
  customerAction,
  customerMappingPanel,
  customerQuery,
  listBackOfficeCustomers,
  listUnmappedCustomers,
  type BackOfficeCustomerRow,
  type CustomerView,
} from "../admin/customers.server";
import { withFollowUp } from "../admin/follow-up.server";
import { ListErrorBoundary } from "../admin/list-error";
import {
  CandidateSearch,
  CandidateTable,
  CreateCard,
  FormField,
  ListPage,
  ListTable,
  MapCard,
  OrderLinks,
  RowAction,
  WaitingOrders,
  Wrapped,
} from "../admin/list-ui";
import { withPage } from "../admin/paging";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const query = parseInput(customerQuery, new URL(request.url).searchParams);
    // The panel first: another shop's or an unknown customer is refused before anything is read.
    const panel =
      query.customer === undefined ? null : await customerMappingPanel(prisma, shop, query.customer, query.q);
    const [list, backOffice] = await Promise.all([
      listUnmappedCustomers(prisma, shop, query.page),
      listBackOfficeCustomers(prisma, shop, {
        search: query.search,
        state: query.state,
        page: query.customersPage,
      }),
    ]);
    return { ...list, panel, backOffice };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const outcome = await actOnCustomers(prisma, shop, parseInput(customerAction, await request.formData()));
    return { ok: true as const, message: withFollowUp(outcome) };
  } catch (error) {
    return refused(error);
  }
};

type Panel = Extract<
  NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["panel"]>,
  { mapped: false }
>;

function MappingPanel({ panel, busy, listUrl }: { panel: Panel; busy: boolean; listUrl: string }) {
  const { customer, proposal } = panel;
  return (
    <BlockStack gap="400">
      <MapCard title={`Map ${customer.name}`} closeUrl={listUrl}>
        <Text as="p">
          {[customer.email, customer.phone, customer.address].filter(Boolean).join(" · ") ||
            "No contact details"}
        </Text>
        <WaitingOrders label="Orders waiting for them:" orders={customer.blockedOrders} />
        <CandidateSearch
          keep={{ name: "customer", value: customer.id }}
          label="Find a customer by number, name, e-mail or phone"
          query={panel.query}
        />
        <CandidateTable
          resourceName={{ singular: "customer", plural: "customers" }}
          headings={[
            { title: "Customer" },
            { title: "Name" },
            { title: "E-mail" },
            { title: "Phone" },
            { title: "City" },
            { title: "" },
          ]}
          count={panel.candidates.length}
          noMatch={`No customer matches “${panel.query}”. Search again, or create a customer below.`}
        >
          {panel.candidates.map((candidate, index) => (
            <IndexTable.Row id={candidate.no} key={candidate.no} position={index}>
              <IndexTable.Cell>{candidate.no}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.name}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.email ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.phone ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.city ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>
                <RowAction
                  fields={{ intent: "map", customerId: customer.id, customerNo: candidate.no }}
                  busy={busy}
                  label="Map to this"
                />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </CandidateTable>
      </MapCard>
      <CreateCard
        title="Or create a customer from it"
        fields={{ intent: "create", customerId: customer.id }}
        submitLabel="Create customer and map"
        busy={busy}
      >
        <Text as="p" tone="subdued">
          The e-mail, phone and address are copied from Shopify; the shop&apos;s customer template fills what
          they leave empty.
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <FormField
              name="customerNo"
              label="Customer number"
              initial={proposal.customerNo}
              helpText="Leave empty to take the next number of the customer series."
            />
            <FormField name="name" label="Name" initial={proposal.name} />
          </FormLayout.Group>
        </FormLayout>
      </CreateCard>
    </BlockStack>
  );
}

const SYNC_WORDS: Record<string, string> = {
  "": "met through an order",
  unmapped: "left unmapped by Sync customers",
  error: "failed to import",
};

const TABS: { id: CustomerView; content: string }[] = [
  { id: "all", content: "All" },
  { id: "error", content: "In error" },
  { id: "pending", content: "Waiting" },
  { id: "synced", content: "Synced" },
  { id: "skipped", content: "Skipped" },
  { id: "linked", content: "Linked" },
  { id: "not_added", content: "Not added" },
];

const EMPTY: Record<CustomerView, string> = {
  all: "The back office has no customers yet.",
  error: "No customer failed to reach Shopify.",
  pending: "No customer is waiting to be sent.",
  synced: "No customer is synced yet.",
  skipped: "No customer is skipped.",
  linked: "No customer is linked without having been sent.",
  not_added: "Every customer is added to Shopify or linked to a Shopify customer.",
};

const TONES: Partial<Record<BackOfficeCustomerRow["state"], "attention" | "success" | "critical" | "info">> =
  {
    pending: "attention",
    synced: "success",
    error: "critical",
    linked: "info",
  };

/** The state filter's tabs: a tab keeps the search, and starts the list at its first page. */
function StateTabs({ state }: { state: CustomerView }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <Tabs
      tabs={TABS}
      selected={Math.max(
        TABS.findIndex((tab) => tab.id === state),
        0,
      )}
      onSelect={(index) => {
        const next = new URLSearchParams(params);
        next.set("state", TABS[index]?.id ?? "all");
        next.delete("customersPage");
        navigate(`?${next.toString()}`);
      }}
    />
  );
}

/** Keeps a click inside a selectable row (a link, a button) from choosing the row instead. */
function Interactive({ children }: { children: ReactNode }) {
  return <div onClick={(event: MouseEvent) => event.stopPropagation()}>{children}</div>;
}

function SectionTitle({ title, text }: { title: string; text: string }) {
  return (
    <Layout.Section>
      <BlockStack gap="100">
        <Text as="h2" variant="headingLg">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {text}
        </Text>
      </BlockStack>
    </Layout.Section>
  );
}

function ShopifyCell({ row }: { row: BackOfficeCustomerRow }) {
  if (!row.shopify)
    return (
      <Text as="span" tone="subdued">
        not in Shopify
      </Text>
    );
  const failed = row.shopify.importState === "error";
  return (
    <Wrapped width="16rem">
      <BlockStack gap="100">
        <Interactive>
          <Link url={row.shopify.adminUrl} target="_top">
            Open in Shopify admin
          </Link>
        </Interactive>
        {row.shopify.importMessage ? (
          <Text as="p" breakWord tone={failed ? "critical" : "subdued"}>
            {failed ? `import failed: ${row.shopify.importMessage}` : row.shopify.importMessage}
          </Text>
        ) : null}
      </BlockStack>
    </Wrapped>
  );
}

function BackOfficeCustomers({
  list,
  busy,
}: {
  list: ReturnType<typeof useLoaderData<typeof loader>>["backOffice"];
  busy: boolean;
}) {
  const submit = useSubmit();
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(list.rows.map((row) => ({ id: row.no })));
  // A new page of rows (another page, search or state, or after an action): nothing chosen.
  useEffect(() => clearSelection(), [list, clearSelection]);
  const found = `${list.total} ${list.total === 1 ? "customer" : "customers"}`;
  return (
    <>
      <SectionTitle
        title="Back-office customers"
        text={`${list.search ? `${found} matching “${list.search}”` : found}: each with its Shopify customer and where it stands with Sync customers. Add to Shopify creates the chosen customers in Shopify (or updates the linked ones, when the shop card lets the back office update Shopify's customers).`}
      />
      <Layout.Section>
        <Form method="get">
          <input type="hidden" name="state" value={list.state} />
          <InlineStack gap="200" blockAlign="end">
            <Box minWidth="20rem">
              <FormField
                key={list.search}
                name="search"
                label="Find customers by number, name, e-mail or phone"
                initial={list.search}
                type="search"
              />
            </Box>
            <Button submit>Search</Button>
          </InlineStack>
        </Form>
      </Layout.Section>
      <ListTable
        tabs={<StateTabs state={list.state} />}
        resourceName={{ singular: "customer", plural: "customers" }}
        headings={[
          { title: "Customer" },
          { title: "Contact" },
          { title: "Shopify" },
          { title: "Sync" },
          { title: "" },
        ]}
        empty={list.search ? `No customer matches “${list.search}”.` : EMPTY[list.state]}
        shown={list.rows.length}
        paging={list}
        pageKey="customersPage"
        selection={{
          count: allResourcesSelected ? "All" : selectedResources.length,
          onChange: handleSelectionChange,
          actions: [
            {
              content: "Add to Shopify",
              disabled: busy,
              onAction: () =>
                submit({ intent: "add", customerNos: selectedResources.join(",") }, { method: "post" }),
            },
          ],
        }}
      >
        {list.rows.map((row, index) => (
          <IndexTable.Row
            id={row.no}
            key={row.no}
            position={index}
            selected={selectedResources.includes(row.no)}
          >
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {row.no}
                </Text>
                <Text as="span">{row.name}</Text>
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                {[row.email, row.phone, [row.city, row.countryCode].filter(Boolean).join(", ")]
                  .filter(Boolean)
                  .map((line) => (
                    <Text as="span" key={line}>
                      {line}
                    </Text>
                  ))}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <ShopifyCell row={row} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Wrapped width="24rem">
                <BlockStack gap="100">
                  <InlineStack gap="100" blockAlign="center">
                    <Badge tone={TONES[row.state]}>{row.stateWords}</Badge>
                    {row.attempts > 0 ? (
                      <Text as="span" variant="bodySm" tone="subdued">
                        {`${row.attempts} ${row.attempts === 1 ? "attempt" : "attempts"}`}
                      </Text>
                    ) : null}
                  </InlineStack>
                  {row.message ? (
                    <Text as="p" breakWord tone={row.state === "error" ? "critical" : "subdued"}>
                      {row.state === "pending" ? `last try: ${row.message}` : row.message}
                    </Text>
                  ) : null}
                </BlockStack>
              </Wrapped>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Interactive>
                {row.state === "error" ? (
                  <RowAction fields={{ intent: "retry", customerNo: row.no }} busy={busy} label="Retry" />
                ) : row.state === "pending" ? null : (
                  <RowAction
                    fields={{ intent: "add", customerNos: row.no }}
                    busy={busy}
                    label="Add to Shopify"
                  />
                )}
              </Interactive>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </>
  );
}

export default function Customers() {
  const list = useLoaderData<typeof loader>();
  const { total, page, rows, panel, backOffice } = list;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busy = navigation.state === "submitting";
  return (
    <ListPage
      title="Customers"
      subtitle={`${total} Shopify ${total === 1 ? "customer" : "customers"} not linked to a back-office customer · ${backOffice.errors} back-office ${backOffice.errors === 1 ? "customer" : "customers"} in error`}
      primaryAction={{
        content: "Retry all errors",
        disabled: backOffice.errors === 0,
        loading: busy,
        onAction: () => submit({ intent: "retryErrors" }, { method: "post" }),
      }}
      result={result}
      notice={panel?.mapped ? panel.message : undefined}
    >
      {panel && !panel.mapped ? (
        <Layout.Section>
          <MappingPanel
            key={panel.customer.id}
            panel={panel}
            busy={busy}
            listUrl={withPage("/app/customers", page)}
          />
        </Layout.Section>
      ) : null}
      <SectionTitle
        title="Unmapped customers"
        text="Shopify customers not linked to a back-office customer: met through their orders, or left unmapped by Sync customers, with the reason. Map each to a customer, or create one from it."
      />
      <ListTable
        resourceName={{ singular: "customer", plural: "customers" }}
        headings={[
          { title: "Shopify customer" },
          { title: "E-mail" },
          { title: "Phone" },
          { title: "Address" },
          { title: "Sync" },
          { title: "Orders waiting" },
          { title: "" },
        ]}
        empty="Every Shopify customer is linked to a back-office customer."
        shown={rows.length}
        paging={list}
      >
        {rows.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {row.name}
                </Text>
                <Link url={row.adminUrl} target="_top">
                  Open in Shopify admin
                </Link>
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{row.email ?? ""}</IndexTable.Cell>
            <IndexTable.Cell>{row.phone ?? ""}</IndexTable.Cell>
            <IndexTable.Cell>{row.address}</IndexTable.Cell>
            <IndexTable.Cell>
              <Wrapped width="20rem">
                <BlockStack gap="100">
                  <Text as="span" tone={row.syncState === "error" ? "critical" : undefined}>
                    {SYNC_WORDS[row.syncState] ?? row.syncState}
                  </Text>
                  {row.message ? (
                    <Text as="p" breakWord tone={row.syncState === "error" ? "critical" : "subdued"}>
                      {row.message}
                    </Text>
                  ) : null}
                </BlockStack>
              </Wrapped>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <OrderLinks orders={row.blockedOrders} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Button url={withPage(`/app/customers?customer=${row.id}`, page)}>Map…</Button>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
      <BackOfficeCustomers list={backOffice} busy={busy} />
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
