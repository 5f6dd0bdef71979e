import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, FormLayout, IndexTable, Layout, Link, Text } from "@shopify/polaris";
import {
  actOnCompany,
  companyAction,
  companyMappingPanel,
  companyQuery,
  listCompanies,
  type CompanyRow,
  type CompanyView,
} from "../admin/companies.server";
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
  ViewTabs,
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
    const { view, company, q, page } = parseInput(companyQuery, new URL(request.url).searchParams);
    const [list, panel] = await Promise.all([
      listCompanies(prisma, shop, { view, page }),
      company === undefined ? null : companyMappingPanel(prisma, shop, company, q),
    ]);
    return { ...list, panel };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const outcome = await actOnCompany(prisma, shop, parseInput(companyAction, await request.formData()));
    return { ok: true as const, message: withFollowUp(outcome) };
  } catch (error) {
    return refused(error);
  }
};

const VIEWS: { id: CompanyView; content: string }[] = [
  { id: "unmapped", content: "Unmapped" },
  { id: "error", content: "In error" },
  { id: "linked", content: "Linked" },
  { id: "all", content: "All" },
];

const EMPTY: Record<CompanyView, string> = {
  unmapped: "Every Shopify company the app knows is linked to a business customer.",
  error: "No company failed to sync.",
  linked: "No company is linked to a business customer yet.",
  all: "The app knows no Shopify company yet.",
};

const TONE: Record<string, "success" | "warning" | "critical" | undefined> = {
  linked: "success",
  unmapped: "warning",
  error: "critical",
};

type Panel = Extract<
  NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["panel"]>,
  { mapped: false }
>;

function contactText(company: Pick<CompanyRow, "mainContact">): string {
  const contact = company.mainContact;
  return contact ? [contact.name, contact.email, contact.phone].filter(Boolean).join(" · ") : "";
}

function Locations({ company }: { company: CompanyRow }) {
  if (company.locations.length === 0)
    return (
      <Text as="span" tone="subdued">
        not read from Shopify yet
      </Text>
    );
  return (
    <BlockStack gap="100">
      {company.locations.map((location) => (
        <Wrapped key={location.id}>
          <Text as="p" fontWeight="semibold">
            {location.name}
          </Text>
          <Text as="p">{location.address || "no address"}</Text>
          <Text as="p" tone="subdued">
            {[
              location.taxRegistrationId && `tax id ${location.taxRegistrationId}`,
              location.taxExempt && "tax exempt",
              location.taxExemptions.length > 0 && location.taxExemptions.join(", "),
              location.paymentTerms,
              location.shipToCode
                ? `ship-to ${location.shipToCode} of ${location.customerNo}`
                : location.customerNo && `customer ${location.customerNo}`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
          {location.message ? (
            <Text as="p" tone="subdued">
              {location.message}
            </Text>
          ) : null}
        </Wrapped>
      ))}
    </BlockStack>
  );
}

function MappingPanel({ panel, busy, listUrl }: { panel: Panel; busy: boolean; listUrl: string }) {
  const { company, proposal } = panel;
  return (
    <BlockStack gap="400">
      <MapCard title={`Map ${company.name}`} closeUrl={listUrl}>
        <Text as="p">{contactText(company) || "No main contact"}</Text>
        {company.message ? <Text as="p">{company.message}</Text> : null}
        <WaitingOrders label="Orders waiting for it:" orders={company.blockedOrders} />
        <CandidateSearch
          keep={{ name: "company", value: company.id }}
          label="Find a business customer by number, name, e-mail or phone"
          query={panel.query}
        />
        <CandidateTable
          resourceName={{ singular: "customer", plural: "customers" }}
          headings={[
            { title: "Customer" },
            { title: "Name" },
            { title: "E-mail" },
            { title: "Tax id" },
            { title: "City" },
            { title: "" },
          ]}
          count={panel.candidates.length}
          noMatch={`No customer matches “${panel.query}”. Search again, or create one below.`}
        >
          {panel.candidates.map((candidate, index) => (
            <IndexTable.Row id={candidate.no} key={candidate.no} position={index}>
              <IndexTable.Cell>{candidate.no}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.name}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.email ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.taxRegistrationNo ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>{candidate.city ?? ""}</IndexTable.Cell>
              <IndexTable.Cell>
                <RowAction
                  fields={{ intent: "map", companyId: company.id, customerNo: candidate.no }}
                  busy={busy}
                  label="Map to this"
                />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </CandidateTable>
      </MapCard>
      <CreateCard
        title="Or create a business customer from it"
        fields={{ intent: "create", companyId: company.id }}
        submitLabel="Create business customer and map"
        busy={busy}
      >
        <Text as="p" tone="subdued">
          The first location&apos;s address, tax registration and payment terms and the main contact are
          copied from Shopify; the shop&apos;s company template fills what they leave empty. Its locations
          become ship-to addresses or customers of their own, as the shop card says.
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

export default function Companies() {
  const list = useLoaderData<typeof loader>();
  const { total, page, rows, panel, view } = list;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const here = (extra: string) => withPage(`/app/companies?view=${view}${extra}`, page);
  return (
    <ListPage
      title="Companies (B2B)"
      subtitle={`${total} Shopify ${total === 1 ? "company" : "companies"} ${
        view === "all" ? "the app knows" : (VIEWS.find((tab) => tab.id === view)?.content ?? "").toLowerCase()
      }`}
      result={result}
      notice={panel?.mapped ? panel.message : undefined}
    >
      {panel && !panel.mapped ? (
        <Layout.Section>
          <MappingPanel key={panel.company.id} panel={panel} busy={busy} listUrl={here("")} />
        </Layout.Section>
      ) : null}
      <ListTable
        resourceName={{ singular: "company", plural: "companies" }}
        headings={[
          { title: "Shopify company" },
          { title: "State" },
          { title: "Business customer" },
          { title: "Locations" },
          { title: "Orders waiting" },
          { title: "" },
        ]}
        empty={EMPTY[view]}
        shown={rows.length}
        paging={list}
        tabs={<ViewTabs views={VIEWS} view={view} />}
      >
        {rows.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {row.name}
                </Text>
                <Text as="span" tone="subdued">
                  {contactText(row)}
                </Text>
                <Link url={row.adminUrl} target="_top">
                  Open in Shopify admin
                </Link>
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="100">
                <Badge tone={TONE[row.state]}>{row.stateWords}</Badge>
                {row.message ? (
                  <Wrapped>
                    <Text as="p">{row.message}</Text>
                  </Wrapped>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.customerNo ? `${row.customerNo}${row.customerName ? ` (${row.customerName})` : ""}` : ""}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Locations company={row} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <OrderLinks orders={row.blockedOrders} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.deleted ? null : row.state === "error" ? (
                <RowAction fields={{ intent: "retry", companyId: row.id }} busy={busy} label="Retry" />
              ) : row.state !== "linked" ? (
                <Button url={here(`&company=${row.id}`)}>Map…</Button>
              ) : null}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
    </ListPage>
  );
}

export const ErrorBoundary = ListErrorBoundary;
