import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, FormLayout, IndexTable, Layout, Link, Text } from "@shopify/polaris";
import {
  customerAction,
  customerMappingPanel,
  customerQuery,
  listUnmappedCustomers,
  mapShopifyCustomer,
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
} from "../admin/list-ui";
import { withPage } from "../admin/paging";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { customer, q, page } = parseInput(customerQuery, new URL(request.url).searchParams);
    const [list, panel] = await Promise.all([
      listUnmappedCustomers(prisma, shop, page),
      customer === undefined ? null : customerMappingPanel(prisma, shop, customer, q),
    ]);
    return { ...list, panel };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const outcome = await mapShopifyCustomer(
      prisma,
      shop,
      parseInput(customerAction, await request.formData()),
    );
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

export default function Customers() {
  const list = useLoaderData<typeof loader>();
  const { total, page, rows, panel } = list;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <ListPage
      title="Unmapped customers"
      subtitle={`${total} Shopify ${total === 1 ? "customer" : "customers"} not linked to a back-office customer`}
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
      <ListTable
        resourceName={{ singular: "customer", plural: "customers" }}
        headings={[
          { title: "Shopify customer" },
          { title: "E-mail" },
          { title: "Phone" },
          { title: "Address" },
          { title: "Orders waiting" },
          { title: "" },
        ]}
        empty="Every Shopify customer in your orders is linked to a back-office customer."
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
              <OrderLinks orders={row.blockedOrders} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Button url={withPage(`/app/customers?customer=${row.id}`, page)}>Map…</Button>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
