import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Tabs,
  Text,
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, type MouseEvent, type ReactNode } from "react";
import { withFollowUp } from "../admin/follow-up.server";
import {
  actOnItems,
  itemAction,
  itemQuery,
  listItemsPage,
  type ItemView,
  type PriceContextInfo,
} from "../admin/items.server";
import { ListErrorBoundary } from "../admin/list-error";
import { FormField, ListPage, ListTable, RowAction, Wrapped } from "../admin/list-ui";
import {
  actOnPictures,
  fromForm,
  PICTURE_INTENTS,
  pictureAction,
  pictureQuery,
  pictureSection,
  pictureSummaries,
} from "../admin/pictures.server";
import { PictureCell, PicturesSection } from "../admin/pictures-ui";
import { parseInput, Refusal, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { MAX_PICTURE_BYTES } from "../backoffice/backoffice.server";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const params = new URL(request.url).searchParams;
    const query = parseInput(itemQuery, params);
    // The section of the item whose pictures are open (?pictures=), refused before anything
    // is read; then a summary of its pictures on each row.
    const open = parseInput(pictureQuery, params).pictures;
    const section = open ? await pictureSection(prisma, shop, open) : null;
    const list = await listItemsPage(prisma, shop, query);
    const pictures = await pictureSummaries(
      prisma,
      shop,
      list.rows.map((row) => row.no),
    );
    return { ...list, pictures, section };
  } catch (error) {
    refusedPage(error);
  }
};

/** Room for the form's other fields besides the picture itself. */
const UPLOAD_OVERHEAD = 64 * 1024;

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    // An upload larger than a picture may be is refused before it is read.
    if (Number(request.headers.get("content-length") ?? 0) > MAX_PICTURE_BYTES + UPLOAD_OVERHEAD)
      throw new Refusal("A picture is at most 20 MB (Shopify's limit for an image).", 400, {
        file: "at most 20 MB",
      });
    const form = await request.formData();
    if ((PICTURE_INTENTS as readonly unknown[]).includes(form.get("intent"))) {
      const outcome = await actOnPictures(prisma, shop, fromForm(parseInput(pictureAction, form)));
      return { ok: true as const, message: withFollowUp(outcome) };
    }
    const outcome = await actOnItems(prisma, shop, parseInput(itemAction, form));
    return { ok: true as const, message: withFollowUp(outcome) };
  } catch (error) {
    return refused(error);
  }
};

const TABS: { id: ItemView; content: string }[] = [
  { id: "all", content: "All" },
  { id: "error", content: "In error" },
  { id: "pending", content: "Waiting" },
  { id: "synced", content: "Synced" },
  { id: "not_added", content: "Not added" },
];

const EMPTY: Record<ItemView, string> = {
  all: "No item matches.",
  error: "No item failed to reach Shopify.",
  pending: "No item is waiting to be sent.",
  synced: "No item is synced yet.",
  not_added: "Every item is added to Shopify.",
};

/** The state filter's tabs: a tab keeps the search, and starts at the first page. */
function StateTabs({ state, q }: { state: ItemView; q: string }) {
  const navigate = useNavigate();
  return (
    <Tabs
      tabs={TABS}
      selected={Math.max(
        TABS.findIndex((tab) => tab.id === state),
        0,
      )}
      onSelect={(index) => {
        const params = new URLSearchParams({ state: TABS[index]?.id ?? "all" });
        if (q) params.set("q", q);
        navigate(`?${params.toString()}`);
      }}
    />
  );
}

/** Keeps a click inside a selectable row (a link, a button) from choosing the row instead. */
function Interactive({ children }: { children: ReactNode }) {
  return <div onClick={(event: MouseEvent) => event.stopPropagation()}>{children}</div>;
}

function contextWords(context: PriceContextInfo): string {
  const parts = [
    context.priceGroup ? `price group ${context.priceGroup}` : "no price group",
    context.discountGroup ? `discount group ${context.discountGroup}` : "no discount group",
    context.pricesIncludingTax ? "prices including tax" : "prices excluding tax",
  ];
  const sent = context.syncPrices
    ? "Prices are those the products sync sends: the best price for quantity one in the shop card's context"
    : `"Send prices with the products" is off, so Shopify keeps its own prices; the prices shown are those the products sync would send, in the shop card's context`;
  return `${sent} (${parts.join(", ")}). The compare-at price is the undiscounted price when it is higher.`;
}

const SETTING_WORDS: Record<string, string> = { off: "Off", from_shopify: "From Shopify" };

/** This page of the list (its search, state and page) with an item's pictures open, or none. */
function pageUrl(list: { q: string; state: ItemView; page: number }, pictures: string | null): string {
  const params = new URLSearchParams({ state: list.state, page: String(list.page) });
  if (list.q) params.set("q", list.q);
  if (pictures) params.set("pictures", pictures);
  return `?${params.toString()}`;
}

export default function Items() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busy = navigation.state === "submitting";
  const toShopify = list.context.syncItems === "to_shopify";
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(list.rows.map((row) => ({ id: row.no })));
  // A new page of rows (another page, search or state, or after an action): nothing chosen.
  useEffect(() => clearSelection(), [list, clearSelection]);

  const found = `${list.total} ${list.total === 1 ? "item" : "items"}`;
  return (
    <ListPage
      title="Items"
      subtitle={list.q ? `${found} matching “${list.q}”` : found}
      primaryAction={{
        content: list.q || list.state !== "all" ? `Add all ${found} to Shopify` : "Add every item to Shopify",
        disabled: list.total === 0 || !toShopify,
        loading: busy,
        onAction: () => submit({ intent: "addMatching", q: list.q, state: list.state }, { method: "post" }),
      }}
      result={result}
      notice={
        toShopify
          ? undefined
          : `The setting "Sync items" is "${SETTING_WORDS[list.context.syncItems] ?? list.context.syncItems}" on the Settings page: items are not sent to Shopify, and Add to Shopify and Retry are refused until it is "To Shopify".`
      }
    >
      {list.section ? (
        <PicturesSection section={list.section} closeUrl={pageUrl(list, null)} busy={busy} />
      ) : null}
      <Layout.Section>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            {contextWords(list.context)}
          </Text>
          <Form method="get">
            <input type="hidden" name="state" value={list.state} />
            <InlineStack gap="200" blockAlign="end">
              <Box minWidth="20rem">
                <FormField
                  key={list.q}
                  name="q"
                  label="Find items by number, description or SKU"
                  initial={list.q}
                  type="search"
                />
              </Box>
              <Button submit>Search</Button>
            </InlineStack>
          </Form>
        </BlockStack>
      </Layout.Section>
      <ListTable
        tabs={<StateTabs state={list.state} q={list.q} />}
        resourceName={{ singular: "item", plural: "items" }}
        headings={[
          { title: "Item" },
          { title: "Variants and SKUs" },
          { title: "Price (compare at)" },
          { title: "Sales prices" },
          { title: "Shopify" },
          { title: "Sync" },
          { title: "Pictures" },
          { title: "" },
        ]}
        empty={list.q ? `No item matches “${list.q}”.` : EMPTY[list.state]}
        shown={list.rows.length}
        paging={list}
        selection={{
          count: allResourcesSelected ? "All" : selectedResources.length,
          onChange: handleSelectionChange,
          actions: [
            {
              content: "Add to Shopify",
              disabled: busy || !toShopify,
              onAction: () =>
                submit({ intent: "add", itemNos: selectedResources.join(",") }, { method: "post" }),
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
                <Text as="span">{row.description}</Text>
                {row.blocked || row.salesBlocked ? (
                  <InlineStack>
                    <Badge tone="warning">{row.blocked ? "Blocked" : "Sales blocked"}</Badge>
                  </InlineStack>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                {row.variants.map((variant) => (
                  <Text as="span" key={variant.code ?? ""}>
                    {variant.code ? `${variant.code} (${variant.title})` : "no variants"} · SKU{" "}
                    {variant.sku ?? "(none)"}
                  </Text>
                ))}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                {row.priceProblem ? (
                  <Wrapped width="18rem">
                    <Text as="p" breakWord tone="critical">
                      {row.priceProblem}
                    </Text>
                  </Wrapped>
                ) : (
                  row.variants.map((variant) => (
                    <Text as="span" key={variant.code ?? ""}>
                      {variant.code && row.variants.length > 1 ? `${variant.code}: ` : ""}
                      {variant.price}
                      {variant.compareAtPrice ? ` (${variant.compareAtPrice})` : ""}
                    </Text>
                  ))
                )}
                {row.variants
                  .filter((variant) => variant.priceMessage)
                  .map((variant) => (
                    <Wrapped width="18rem" key={`message-${variant.code ?? ""}`}>
                      <Text as="p" breakWord tone="critical">
                        {variant.code ? `${variant.code}: ` : ""}
                        {variant.priceMessage}
                      </Text>
                    </Wrapped>
                  ))}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                {row.salesPrices.length === 0 ? (
                  <Text as="span" tone="subdued">
                    none (unit price {row.unitPrice})
                  </Text>
                ) : (
                  row.salesPrices.map((price) => (
                    <Text
                      as="span"
                      key={`${price.priceGroup ?? ""}/${price.variantCode ?? ""}/${price.currencyCode ?? ""}`}
                    >
                      {price.priceGroup ?? "all customers"}
                      {price.variantCode ? `, ${price.variantCode}` : ""}: {price.unitPrice}
                      {price.currencyCode ? ` ${price.currencyCode}` : ""}
                    </Text>
                  ))
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.product ? (
                <BlockStack gap="100">
                  <Interactive>
                    <Link url={row.product.adminUrl} target="_top">
                      Open in Shopify admin
                    </Link>
                  </Interactive>
                  <Text as="span" tone="subdued">
                    {row.product.status.toLowerCase()}
                  </Text>
                </BlockStack>
              ) : row.soldAs ? (
                <BlockStack gap="100">
                  {row.soldAs.adminUrl ? (
                    <Interactive>
                      <Link url={row.soldAs.adminUrl} target="_top">
                        Open in Shopify admin
                      </Link>
                    </Interactive>
                  ) : null}
                  <Text as="span" tone="subdued">
                    sold as {row.soldAs.title}
                  </Text>
                </BlockStack>
              ) : (
                <Text as="span" tone="subdued">
                  not in Shopify
                </Text>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Wrapped width="24rem">
                <BlockStack gap="100">
                  <Text as="span" fontWeight="semibold" tone={row.state === "error" ? "critical" : undefined}>
                    {row.stateWords}
                    {row.attempts > 0
                      ? ` (${row.attempts} ${row.attempts === 1 ? "attempt" : "attempts"})`
                      : ""}
                  </Text>
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
                <PictureCell summary={list.pictures[row.no]} openUrl={pageUrl(list, row.no)} />
              </Interactive>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.state === "error" ? (
                <Interactive>
                  <RowAction fields={{ intent: "retry", itemNo: row.no }} busy={busy} label="Retry" />
                </Interactive>
              ) : null}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
