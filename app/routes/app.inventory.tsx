import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import {
  actOnInventory,
  inventoryAction,
  inventoryQuery,
  listInventoryPage,
  type LevelRow,
} from "../admin/inventory.server";
import { LEVEL_STATE_WORDS, LEVEL_STATES, type LevelState, type LevelView } from "../admin/inventory-states";
import { ListErrorBoundary } from "../admin/list-error";
import { FormField, ListPage, ListTable, RowAction, Wrapped } from "../admin/list-ui";
import { parseInput, refused, refusedPage } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import { shopTimeZone } from "../admin/time-zone";
import { formatTime, RunStatusBadge } from "../components/runs";
import { TimesIn } from "../components/time-zone";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const page = await listInventoryPage(
      prisma,
      shop,
      parseInput(inventoryQuery, new URL(request.url).searchParams),
    );
    return { ...page, timeZone: shopTimeZone(shop) };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const message = await actOnInventory(prisma, shop, parseInput(inventoryAction, await request.formData()));
    return { ok: true as const, message };
  } catch (error) {
    return refused(error);
  }
};

const STATE_OPTIONS: { value: LevelView; label: string }[] = [
  { value: "any", label: "Any state" },
  { value: "error", label: "Error" },
  { value: "pending", label: "Waiting" },
  { value: "skipped", label: "Skipped" },
  { value: "synced", label: "In sync" },
];

const TONES: Record<LevelState, "attention" | "success" | "critical" | undefined> = {
  pending: "attention",
  synced: "success",
  error: "critical",
  skipped: undefined,
};

const EMPTY: Record<LevelView, string> = {
  any: "No level matches.",
  error: "No level is in error.",
  pending: "No level is waiting to be sent.",
  skipped: "No level is skipped.",
  synced: "No level is in sync yet.",
};

/** The search and the state and location filters: a plain GET form, starting at the first page. */
function Filters({
  q,
  state,
  location,
  locations,
}: {
  q: string;
  state: LevelView;
  location: string;
  locations: { id: string; name: string; deleted: boolean }[];
}) {
  const [chosenState, setState] = useState<string>(state);
  const [chosenLocation, setLocation] = useState(location);
  return (
    <Form method="get">
      <InlineStack gap="200" blockAlign="end">
        <Box minWidth="16rem">
          <FormField key={q} name="q" label="Find by item number" initial={q} type="search" />
        </Box>
        <Select label="State" name="state" options={STATE_OPTIONS} value={chosenState} onChange={setState} />
        <Select
          label="Shopify location"
          name="location"
          options={[
            { value: "", label: "Every location" },
            ...locations.map((each) => ({
              value: each.id,
              label: each.deleted ? `${each.name} (deleted in Shopify)` : each.name,
            })),
          ]}
          value={chosenLocation}
          onChange={setLocation}
        />
        <Button submit>Search</Button>
      </InlineStack>
    </Form>
  );
}

function Quantity({ value }: { value: number | null }) {
  return value === null ? (
    <Text as="span" tone="subdued">
      not read yet
    </Text>
  ) : (
    <>{value}</>
  );
}

function ShopifyCell({ row, timeZone }: { row: LevelRow; timeZone: string }) {
  const { onHand, committed, available } = row.shopify;
  return (
    <Wrapped width="13rem">
      <BlockStack gap="100">
        {onHand === null && committed === null && available === null ? (
          <Text as="span" tone="subdued">
            not read yet
          </Text>
        ) : (
          <Text as="span">
            on hand <Quantity value={onHand} /> · committed <Quantity value={committed} /> · available{" "}
            <Quantity value={available} />
          </Text>
        )}
        {row.missing ? (
          <Text as="p" tone="caution">
            no level at this location in Shopify yet
          </Text>
        ) : null}
        {row.shopifyReadAt ? (
          <Text as="span" variant="bodySm" tone="subdued">
            as of {formatTime(row.shopifyReadAt, timeZone)}
          </Text>
        ) : null}
      </BlockStack>
    </Wrapped>
  );
}

function Summary({
  counts,
  lastRun,
  timeZone,
}: {
  counts: Record<LevelState, number>;
  lastRun: ReturnType<typeof useLoaderData<typeof loader>>["lastRun"];
  timeZone: string;
}) {
  const parts = LEVEL_STATES.map(
    (state) =>
      `${counts[state]} ${LEVEL_STATE_WORDS[state].toLowerCase()}${state === "error" && counts[state] !== 1 ? "s" : ""}`,
  );
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="p">{parts.join(" · ")}.</Text>
      {lastRun ? (
        <InlineStack gap="100" blockAlign="center">
          <Text as="span">
            Last run {formatTime(lastRun.finishedAt ?? lastRun.startedAt ?? lastRun.queuedAt, timeZone)}
          </Text>
          <RunStatusBadge run={lastRun} />
        </InlineStack>
      ) : (
        <Text as="span" tone="subdued">
          Sync inventory has not run yet.
        </Text>
      )}
      <TimesIn timeZone={timeZone} />
    </InlineStack>
  );
}

export default function Inventory() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busy = navigation.state === "submitting";
  const levels = LEVEL_STATES.reduce((sum, state) => sum + list.counts[state], 0);
  const filtered = list.q !== "" || list.state !== "any" || list.location !== "";
  const found = `${list.total} ${list.total === 1 ? "level" : "levels"}`;

  return (
    <ListPage
      title="Inventory"
      subtitle={
        filtered
          ? `${found} found`
          : `${found}: each item at each Shopify location that takes its stock from the back office`
      }
      primaryAction={{
        content: "Retry all errors",
        disabled: list.counts.error === 0,
        loading: busy,
        onAction: () => submit({ intent: "retryErrors" }, { method: "post" }),
      }}
      result={result}
    >
      <Layout.Section>
        <BlockStack gap="300">
          <Summary counts={list.counts} lastRun={list.lastRun} timeZone={list.timeZone} />
          <Filters
            key={`${list.q}|${list.state}|${list.location}`}
            q={list.q}
            state={list.state}
            location={list.location}
            locations={list.locations}
          />
        </BlockStack>
      </Layout.Section>
      <ListTable
        resourceName={{ singular: "level", plural: "levels" }}
        headings={[
          { title: "Item" },
          { title: "Shopify location" },
          { title: "Back office" },
          { title: "Shopify" },
          { title: "Last push" },
          { title: "State" },
        ]}
        empty={
          levels === 0 ? (
            <>
              No levels yet: set a Shopify location&apos;s stock calculation to &apos;From the back
              office&apos; on the <Link url="/app/locations">Locations page</Link>, then run{" "}
              <Link url="/app/tasks/sync_inventory">Sync inventory</Link>.
            </>
          ) : list.q ? (
            `No level matches “${list.q}”.`
          ) : (
            EMPTY[list.state]
          )
        }
        shown={list.rows.length}
        paging={list}
      >
        {list.rows.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {row.itemNo}
                </Text>
                {row.variantCode ? <Text as="span">variant {row.variantCode}</Text> : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span">{row.locationName ?? `location ${row.locationId}`}</Text>
                {row.locationDeleted ? (
                  <InlineStack>
                    <Badge tone="critical">Deleted in Shopify</Badge>
                  </InlineStack>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.target === null ? (
                <Text as="span" tone="subdued">
                  not worked out yet
                </Text>
              ) : (
                <BlockStack gap="100">
                  <span title={row.targetWords ?? undefined}>
                    <Text as="span" fontWeight="semibold">
                      {row.target}
                    </Text>
                  </span>
                  {row.targetWords ? (
                    <Wrapped width="13rem">
                      <Text as="p" variant="bodySm" tone="subdued">
                        {row.targetWords}
                      </Text>
                    </Wrapped>
                  ) : null}
                </BlockStack>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <ShopifyCell row={row} timeZone={list.timeZone} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.sentQuantity === null ? (
                <Text as="span" tone="subdued">
                  never
                </Text>
              ) : (
                <BlockStack gap="100">
                  <Text as="span">{row.sentQuantity}</Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    at {formatTime(row.sentAt, list.timeZone)}
                  </Text>
                </BlockStack>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Wrapped width="16rem">
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
                  {row.state === "error" ? (
                    <InlineStack>
                      <RowAction
                        fields={{
                          intent: "retry",
                          inventoryItemId: row.inventoryItemId,
                          locationId: row.locationId,
                        }}
                        busy={busy}
                        label="Retry"
                      />
                    </InlineStack>
                  ) : null}
                </BlockStack>
              </Wrapped>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
