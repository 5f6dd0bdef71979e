import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import {
  customerAction,
  customerMappingPanel,
  customerQuery,
  listUnmappedCustomers,
  mapShopifyCustomer,
} from "../admin/customers.server";
import { describeFollowUp } from "../admin/follow-up.server";
import { ListErrorBoundary } from "../admin/list-error";
import { FormField, OrderLinks, ResultBanner } from "../admin/list-ui";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  try {
    const { customer, q } = parseInput(customerQuery, new URL(request.url).searchParams);
    const [list, panel] = await Promise.all([
      listUnmappedCustomers(prisma, shop),
      customer === undefined ? null : customerMappingPanel(prisma, shop, customer, q),
    ]);
    return { ...list, panel };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  try {
    const outcome = await mapShopifyCustomer(
      prisma,
      shop,
      parseInput(customerAction, await request.formData()),
    );
    const followUp = outcome.followUp ? ` ${describeFollowUp(outcome.followUp)}` : "";
    return { ok: true as const, message: outcome.message + followUp };
  } catch (error) {
    return refused(error);
  }
};

type Panel = Extract<
  NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["panel"]>,
  { mapped: false }
>;

function MappingPanel({ panel, busy }: { panel: Panel; busy: boolean }) {
  const { customer, proposal } = panel;
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Map {customer.name}
            </Text>
            <Button url="/app/customers" variant="plain">
              Close
            </Button>
          </InlineStack>
          <Text as="p">
            {[customer.email, customer.phone, customer.address].filter(Boolean).join(" · ") ||
              "No contact details"}
          </Text>
          <InlineStack gap="200" blockAlign="center">
            <Text as="span">Orders waiting for them:</Text>
            <OrderLinks orders={customer.blockedOrders} />
          </InlineStack>
          <Form method="get">
            <input type="hidden" name="customer" value={customer.id} />
            <InlineStack gap="200" blockAlign="end">
              <Box minWidth="20rem">
                <FormField
                  key={panel.query}
                  name="q"
                  label="Find a customer by number, name, e-mail or phone"
                  initial={panel.query}
                  type="search"
                />
              </Box>
              <Button submit>Search</Button>
            </InlineStack>
          </Form>
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={panel.candidates.length}
            selectable={false}
            headings={[
              { title: "Customer" },
              { title: "Name" },
              { title: "E-mail" },
              { title: "Phone" },
              { title: "City" },
              { title: "" },
            ]}
            emptyState={
              <Box padding="400">
                <Text as="p">
                  No customer matches “{panel.query}”. Search again, or create a customer below.
                </Text>
              </Box>
            }
          >
            {panel.candidates.map((candidate, index) => (
              <IndexTable.Row id={candidate.no} key={candidate.no} position={index}>
                <IndexTable.Cell>{candidate.no}</IndexTable.Cell>
                <IndexTable.Cell>{candidate.name}</IndexTable.Cell>
                <IndexTable.Cell>{candidate.email ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>{candidate.phone ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>{candidate.city ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Form method="post">
                    <input type="hidden" name="intent" value="map" />
                    <input type="hidden" name="customerId" value={customer.id} />
                    <input type="hidden" name="customerNo" value={candidate.no} />
                    <Button submit disabled={busy}>
                      Map to this
                    </Button>
                  </Form>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </BlockStack>
      </Card>
      <Card>
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="customerId" value={customer.id} />
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Or create a customer from it
            </Text>
            <Text as="p" tone="subdued">
              The e-mail, phone and address are copied from Shopify; the shop&apos;s customer template fills
              what they leave empty.
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
            <InlineStack>
              <Button submit variant="primary" disabled={busy}>
                Create customer and map
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </BlockStack>
  );
}

export default function Customers() {
  const { total, rows, panel } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Unmapped customers"
      subtitle={`${total} Shopify ${total === 1 ? "customer" : "customers"} not linked to a back-office customer`}
      backAction={{ content: "Home", url: "/app" }}
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <ResultBanner result={result} />
          </Layout.Section>
        ) : null}
        {panel?.mapped && !result ? (
          <Layout.Section>
            <Banner tone="info">
              <p>{panel.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {panel && !panel.mapped ? (
          <Layout.Section>
            <MappingPanel key={panel.customer.id} panel={panel} busy={busy} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "customer", plural: "customers" }}
              itemCount={rows.length}
              selectable={false}
              headings={[
                { title: "Shopify customer" },
                { title: "E-mail" },
                { title: "Phone" },
                { title: "Address" },
                { title: "Orders waiting" },
                { title: "" },
              ]}
              emptyState={
                <Box padding="600">
                  <Text as="p" alignment="center">
                    Every Shopify customer in your orders is linked to a back-office customer.
                  </Text>
                </Box>
              }
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
                    <Button url={`/app/customers?customer=${row.id}`}>Map…</Button>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
          {rows.length < total ? (
            <Box paddingBlockStart="200">
              <Text as="p" tone="subdued">
                Showing {rows.length} of {total}.
              </Text>
            </Box>
          ) : null}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = ListErrorBoundary;
