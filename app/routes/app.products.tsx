import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Text,
} from "@shopify/polaris";
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
  PostForm,
  RowAction,
  WaitingOrders,
  Wrapped,
} from "../admin/list-ui";
import { withPage } from "../admin/paging";
import {
  listDeletedProducts,
  listImportProblems,
  listUnmappedProducts,
  mapProduct,
  productAction,
  productMappingPanel,
  productQuery,
} from "../admin/products.server";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { formatInZone, shopTimeZone } from "../admin/time-zone";
import { TimesIn } from "../components/time-zone";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const { variant, q, page } = parseInput(productQuery, new URL(request.url).searchParams);
    const [list, panel, imports, deleted] = await Promise.all([
      listUnmappedProducts(prisma, shop, page),
      variant === undefined ? null : productMappingPanel(prisma, shop, variant, q),
      listImportProblems(prisma, shop),
      listDeletedProducts(prisma, shop),
    ]);
    return { ...list, panel, imports, deleted, timeZone: shopTimeZone(shop) };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const outcome = await mapProduct(prisma, shop, parseInput(productAction, await request.formData()));
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
      <MapCard title={`Map ${variant.title}`} closeUrl={listUrl}>
        <Text as="p">
          SKU {variant.sku ?? "(none)"} · barcode {variant.barcode ?? "(none)"} · last sold at{" "}
          {variant.lastUnitPrice ?? "(no order)"}
        </Text>
        <WaitingOrders label="Orders waiting for it:" orders={variant.blockedOrders} />
        <CandidateSearch
          keep={{ name: "variant", value: variant.variantId }}
          label="Find an item by number, description, vendor item no. or barcode"
          query={panel.query}
        />
        <CandidateTable
          resourceName={{ singular: "item", plural: "items" }}
          headings={[{ title: "Item" }, { title: "Description" }, { title: "Variant" }, { title: "" }]}
          count={choices.length}
          noMatch={`No item matches “${panel.query}”. Search again, or create an item below.`}
        >
          {choices.map((choice, index) => (
            <IndexTable.Row id={choice.key} key={choice.key} position={index}>
              <IndexTable.Cell>{choice.itemNo}</IndexTable.Cell>
              <IndexTable.Cell>{choice.label}</IndexTable.Cell>
              <IndexTable.Cell>{choice.variantCode || "(item itself)"}</IndexTable.Cell>
              <IndexTable.Cell>
                <RowAction
                  fields={{
                    intent: "map",
                    variantId: variant.variantId,
                    itemNo: choice.itemNo,
                    variantCode: choice.variantCode,
                  }}
                  busy={busy}
                  label="Map to this"
                />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </CandidateTable>
      </MapCard>
      <CreateCard
        title="Or create an item from it"
        fields={{ intent: "create", variantId: variant.variantId }}
        submitLabel="Create item and map"
        busy={busy}
      >
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
      </CreateCard>
    </BlockStack>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** Products the import could not make items of, with the reason and a retry. */
function ImportProblems({ imports, busy }: { imports: Loaded["imports"]; busy: boolean }) {
  if (imports.total === 0) return null;
  return (
    <Layout.Section>
      <Card padding="0">
        <BlockStack gap="200">
          <div style={{ padding: "1rem 1rem 0" }}>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {`${imports.total} ${imports.total === 1 ? "product" : "products"} from Shopify not imported as items`}
              </Text>
              <PostForm fields={{ intent: "retryAllImports" }}>
                <Button submit disabled={busy}>
                  Retry all
                </Button>
              </PostForm>
            </InlineStack>
          </div>
          <IndexTable
            resourceName={{ singular: "product", plural: "products" }}
            itemCount={imports.rows.length}
            selectable={false}
            headings={[
              { title: "Shopify product" },
              { title: "State" },
              { title: "Why" },
              { title: "Attempts" },
              { title: "" },
            ]}
          >
            {imports.rows.map((row, index) => (
              <IndexTable.Row id={row.productId} key={row.productId} position={index}>
                <IndexTable.Cell>
                  <Button variant="plain" url={row.adminUrl} target="_blank">
                    {row.title}
                  </Button>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={row.state === "error" ? "critical" : "warning"}>
                    {row.state === "error" ? "Failed" : "Unmapped"}
                  </Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Wrapped>{row.reason ?? ""}</Wrapped>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.state === "error" ? row.attempts : ""}</IndexTable.Cell>
                <IndexTable.Cell>
                  <RowAction
                    fields={{ intent: "retryImport", productId: row.productId }}
                    busy={busy}
                    label="Retry"
                  />
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          {imports.total > imports.rows.length ? (
            <div style={{ padding: "0 1rem 1rem" }}>
              <Text as="p" tone="subdued">
                {`The first ${imports.rows.length} are shown. Retry all reads every one of them again.`}
              </Text>
            </div>
          ) : null}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

/** Products deleted in Shopify: their items are kept in the back office. */
function DeletedProducts({ deleted, timeZone }: { deleted: Loaded["deleted"]; timeZone: string }) {
  if (deleted.length === 0) return null;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Deleted in Shopify
          </Text>
          <Text as="p" tone="subdued">
            Their items stay in the back office and are no longer linked to a product.
          </Text>
          <TimesIn timeZone={timeZone} />
          {deleted.map((row) => (
            <Text as="p" key={row.productId}>
              {`${row.title}${row.itemNo ? ` (item ${row.itemNo})` : ""}, deleted ${formatInZone(new Date(row.deletedAt), timeZone)}`}
            </Text>
          ))}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function Products() {
  const list = useLoaderData<typeof loader>();
  const { total, page, rows, panel, imports, deleted } = list;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <ListPage
      title="Unmapped products"
      subtitle={`${total} ${total === 1 ? "variant" : "variants"} not linked to a back-office item${imports.total > 0 ? `, ${imports.total} ${imports.total === 1 ? "product" : "products"} not imported` : ""}`}
      result={result}
      notice={panel?.mapped ? panel.message : undefined}
    >
      {panel && !panel.mapped ? (
        <Layout.Section>
          <MappingPanel
            key={panel.variant.variantId}
            panel={panel}
            busy={busy}
            listUrl={withPage("/app/products", page)}
          />
        </Layout.Section>
      ) : null}
      <ImportProblems imports={imports} busy={busy} />
      <ListTable
        resourceName={{ singular: "variant", plural: "variants" }}
        headings={[
          { title: "Shopify variant" },
          { title: "SKU" },
          { title: "Barcode" },
          { title: "Orders waiting" },
          { title: "" },
        ]}
        empty="Every Shopify variant in your orders is linked to a back-office item."
        shown={rows.length}
        paging={list}
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
              <Button url={withPage(`/app/products?variant=${row.variantId}`, page)}>Map…</Button>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
      <DeletedProducts deleted={deleted} timeZone={list.timeZone} />
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
