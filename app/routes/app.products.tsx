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
  Page,
  Text,
} from "@shopify/polaris";
import { describeFollowUp } from "../admin/follow-up.server";
import { ListErrorBoundary } from "../admin/list-error";
import { FormField, OrderLinks, ResultBanner } from "../admin/list-ui";
import {
  listUnmappedProducts,
  mapProduct,
  productAction,
  productMappingPanel,
  productQuery,
} from "../admin/products.server";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { shopOfSession } from "../shops/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopOfSession(prisma, session);
  try {
    const { variant, q } = parseInput(productQuery, new URL(request.url).searchParams);
    const [list, panel] = await Promise.all([
      listUnmappedProducts(prisma, shop),
      variant === undefined ? null : productMappingPanel(prisma, shop, variant, q),
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
    const outcome = await mapProduct(prisma, shop, parseInput(productAction, await request.formData()));
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
  const { variant, proposal } = panel;
  const choices = panel.items.flatMap((item) => [
    { key: item.no, itemNo: item.no, variantCode: "", label: item.description, detail: item.vendorItemNo },
    ...item.variants.map((v) => ({
      key: `${item.no}/${v.code}`,
      itemNo: item.no,
      variantCode: v.code,
      label: `${item.description}, ${v.description}`,
      detail: null,
    })),
  ]);
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Map {variant.title}
            </Text>
            <Button url="/app/products" variant="plain">
              Close
            </Button>
          </InlineStack>
          <Text as="p">
            SKU {variant.sku ?? "(none)"} · barcode {variant.barcode ?? "(none)"} · last sold at{" "}
            {variant.lastUnitPrice ?? "(no order)"}
          </Text>
          <InlineStack gap="200" blockAlign="center">
            <Text as="span">Orders waiting for it:</Text>
            <OrderLinks orders={variant.blockedOrders} />
          </InlineStack>
          <Form method="get">
            <input type="hidden" name="variant" value={variant.variantId} />
            <InlineStack gap="200" blockAlign="end">
              <Box minWidth="20rem">
                <FormField
                  key={panel.query}
                  name="q"
                  label="Find an item by number, description, vendor item no. or barcode"
                  initial={panel.query}
                  type="search"
                />
              </Box>
              <Button submit>Search</Button>
            </InlineStack>
          </Form>
          <IndexTable
            resourceName={{ singular: "item", plural: "items" }}
            itemCount={choices.length}
            selectable={false}
            headings={[{ title: "Item" }, { title: "Description" }, { title: "Variant" }, { title: "" }]}
            emptyState={
              <Box padding="400">
                <Text as="p">No item matches “{panel.query}”. Search again, or create an item below.</Text>
              </Box>
            }
          >
            {choices.map((choice, index) => (
              <IndexTable.Row id={choice.key} key={choice.key} position={index}>
                <IndexTable.Cell>{choice.itemNo}</IndexTable.Cell>
                <IndexTable.Cell>{choice.label}</IndexTable.Cell>
                <IndexTable.Cell>{choice.variantCode || "(item itself)"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Form method="post">
                    <input type="hidden" name="intent" value="map" />
                    <input type="hidden" name="variantId" value={variant.variantId} />
                    <input type="hidden" name="itemNo" value={choice.itemNo} />
                    <input type="hidden" name="variantCode" value={choice.variantCode} />
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
          <input type="hidden" name="variantId" value={variant.variantId} />
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Or create an item from it
            </Text>
            <FormLayout>
              <FormLayout.Group>
                <FormField
                  name="itemNo"
                  label="Item number"
                  initial={proposal.itemNo}
                  helpText="Leave empty to take the next number of the item series."
                />
                <FormField name="description" label="Description" initial={proposal.description} />
              </FormLayout.Group>
              <FormLayout.Group>
                <FormField name="unitPrice" label="Unit price" initial={proposal.unitPrice} />
                <FormField name="barcode" label="Barcode" initial={proposal.barcode} />
                <FormField name="vendorItemNo" label="Vendor item number" initial={proposal.vendorItemNo} />
              </FormLayout.Group>
            </FormLayout>
            <InlineStack>
              <Button submit variant="primary" disabled={busy}>
                Create item and map
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </BlockStack>
  );
}

export default function Products() {
  const { total, rows, panel } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page
      title="Unmapped products"
      subtitle={`${total} ${total === 1 ? "variant" : "variants"} not linked to a back-office item`}
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
            <MappingPanel key={panel.variant.variantId} panel={panel} busy={busy} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "variant", plural: "variants" }}
              itemCount={rows.length}
              selectable={false}
              headings={[
                { title: "Shopify variant" },
                { title: "SKU" },
                { title: "Barcode" },
                { title: "Orders waiting" },
                { title: "" },
              ]}
              emptyState={
                <Box padding="600">
                  <Text as="p" alignment="center">
                    Every Shopify variant in your orders is linked to a back-office item.
                  </Text>
                </Box>
              }
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.variantId} key={row.variantId} position={index}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {row.title}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{row.sku ?? "(no SKU)"}</IndexTable.Cell>
                  <IndexTable.Cell>{row.barcode ?? ""}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <OrderLinks orders={row.blockedOrders} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Button url={`/app/products?variant=${row.variantId}`}>Map…</Button>
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
