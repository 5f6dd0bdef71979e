import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { ListErrorBoundary } from "../admin/list-error";
import { ListPage } from "../admin/list-ui";
import { actOnLocations, listLocations, locationAction, type LocationRow } from "../admin/locations.server";
import { STOCK_CALCULATION_WORDS, STOCK_CALCULATIONS } from "../admin/location-words";
import { parseInput, refused } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import prisma from "../db.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  return listLocations(prisma, shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const message = await actOnLocations(prisma, shop, parseInput(locationAction, await request.formData()));
    return { ok: true as const, message };
  } catch (error) {
    return refused(error);
  }
};

type Answer = ReturnType<typeof useActionData<typeof action>>;

function LocationCard({
  location,
  backOffice,
  answer,
}: {
  location: LocationRow;
  backOffice: { code: string; name: string }[];
  answer: Answer;
}) {
  const [calculation, setCalculation] = useState<string>(location.stockCalculation);
  const [sources, setSources] = useState<string[]>(location.sources);
  const [salesLocation, setSalesLocation] = useState(location.salesLocationCode ?? "");
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formData?.get("id") === location.id;
  const fields =
    answer && !answer.ok && "fields" in answer && answer.fields.id === undefined ? answer.fields : {};
  const mine = navigation.formData === undefined && answer !== undefined;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="id" value={location.id} />
        <input type="hidden" name="sources" value={sources.join(",")} />
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {location.name}
            </Text>
            {location.isPrimary ? <Badge tone="info">Primary</Badge> : null}
            {location.deleted ? (
              <Badge tone="critical">Deleted in Shopify</Badge>
            ) : !location.isActive ? (
              <Badge>Deactivated</Badge>
            ) : null}
          </InlineStack>
          {location.address ? (
            <Text as="p" tone="subdued">
              {location.address}
            </Text>
          ) : null}
          <Select
            label="Stock calculation"
            name="stockCalculation"
            options={STOCK_CALCULATIONS.map((value) => ({ value, label: STOCK_CALCULATION_WORDS[value] }))}
            value={calculation}
            onChange={setCalculation}
            error={mine ? fields.stockCalculation : undefined}
          />
          <BlockStack gap="100">
            <Text as="span">Back-office locations whose stock feeds it</Text>
            {backOffice.length === 0 ? (
              <Text as="p" tone="subdued">
                The back office has no locations yet.
              </Text>
            ) : (
              backOffice.map((bo) => (
                <Checkbox
                  key={bo.code}
                  label={`${bo.code} · ${bo.name}`}
                  checked={sources.includes(bo.code)}
                  onChange={(checked) =>
                    setSources((now) =>
                      checked ? [...now, bo.code] : now.filter((code) => code !== bo.code),
                    )
                  }
                />
              ))
            )}
            {mine && fields.sources ? (
              <Text as="p" tone="critical">
                {fields.sources}
              </Text>
            ) : null}
          </BlockStack>
          <Select
            label="Back-office location on sales lines fulfilled from it"
            name="salesLocationCode"
            options={[
              { value: "", label: "The back office's first location" },
              ...backOffice.map((bo) => ({ value: bo.code, label: `${bo.code} · ${bo.name}` })),
            ]}
            value={salesLocation}
            onChange={setSalesLocation}
            error={mine ? fields.salesLocationCode : undefined}
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Locations() {
  const { locations, backOffice } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const submit = useSubmit();
  return (
    <ListPage
      title="Locations"
      subtitle="Each Shopify location, and the back-office stock that feeds it"
      primaryAction={{
        content: "Read locations from Shopify",
        onAction: () => submit({ intent: "refresh" }, { method: "post" }),
      }}
      result={answer}
      notice={
        locations.length === 0 ? "No Shopify location is known yet: read them from Shopify." : undefined
      }
    >
      <Layout.Section>
        <BlockStack gap="400">
          {locations.map((location) => (
            <LocationCard key={location.id} location={location} backOffice={backOffice} answer={answer} />
          ))}
        </BlockStack>
      </Layout.Section>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
