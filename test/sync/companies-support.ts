import prisma from "../../app/db.server";
import type { Prisma } from "../../app/generated/prisma/client";
import { runInForeground } from "../../app/jobs/foreground.server";
import { syncCompaniesTask } from "../../app/sync/companies/task.server";
import { installedShop } from "../support/shops";
import type { RunningSimulator } from "../support/simulator";
import { Store } from "../support/store";

/**
 * What the companies sync's tests share: a shop installed with a simulator token and its shop
 * card's company rules, companies made in the simulated Shopify the way a merchant's admin
 * makes them (companyCreate with a first location and contact, more locations and contacts),
 * runs of sync_companies in the foreground, and the app's rows to look at.
 */

export const NET_30 = "gid://shopify/PaymentTermsTemplate/4";

export interface CompanySpec {
  name: string;
  externalId?: string;
  location: {
    name: string;
    address1: string;
    city: string;
    zip?: string;
    zoneCode?: string;
    countryCode: string;
    phone?: string;
    taxRegistrationId?: string;
    taxExemptions?: string[];
    paymentTermsTemplateId?: string;
  };
  contact?: { email: string; firstName?: string; lastName?: string; phone?: string };
  moreLocations?: { name: string; address1: string; city: string; countryCode: string; zip?: string }[];
  moreContacts?: { email: string; firstName?: string; lastName?: string }[];
}

export interface MadeCompany {
  id: string;
  locationIds: string[];
  mainContactId: string | null;
}

export const numeric = (gid: string) => BigInt(gid.split("/").pop()!.split("?")[0]!);

export async function companyShop(
  simulator: RunningSimulator,
  settings: Prisma.ShopSettingsUpdateInput = {},
) {
  const shop = await installedShop();
  const store = new Store(simulator, shop.domain);
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { accessToken: store.token },
  });
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { companyImport: "all", ...settings },
  });
  const run = (
    filters: Record<string, unknown> = {},
    trigger: "manual" | "schedule" | "webhook" = "manual",
  ) => runInForeground(prisma, syncCompaniesTask, { shop: shop.domain, trigger, filters });

  async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return store.graphql<T>(query, variables);
  }

  /** A company as a merchant makes it in Shopify: its first location and main contact, then more of each. */
  async function company(spec: CompanySpec): Promise<MadeCompany> {
    const { location } = spec;
    const created = await gql<{
      companyCreate: {
        company: {
          id: string;
          locations: { nodes: { id: string }[] };
          mainContact: { id: string } | null;
        } | null;
        userErrors: { message: string }[];
      };
    }>(
      `mutation TestCompanyCreate($input: CompanyCreateInput!) { companyCreate(input: $input) {
        company { id locations(first: 5) { nodes { id } } mainContact { id } } userErrors { field message code } } }`,
      {
        input: {
          company: { name: spec.name, ...(spec.externalId ? { externalId: spec.externalId } : {}) },
          companyLocation: {
            name: location.name,
            ...(location.phone ? { phone: location.phone } : {}),
            shippingAddress: {
              address1: location.address1,
              city: location.city,
              zip: location.zip ?? null,
              zoneCode: location.zoneCode ?? null,
              countryCode: location.countryCode,
            },
            billingSameAsShipping: true,
            ...(location.taxRegistrationId ? { taxRegistrationId: location.taxRegistrationId } : {}),
            ...(location.taxExemptions ? { taxExempt: true, taxExemptions: location.taxExemptions } : {}),
            ...(location.paymentTermsTemplateId
              ? { buyerExperienceConfiguration: { paymentTermsTemplateId: location.paymentTermsTemplateId } }
              : {}),
          },
          ...(spec.contact ? { companyContact: spec.contact } : {}),
        },
      },
    );
    const made = created.companyCreate.company;
    if (!made) throw new Error(created.companyCreate.userErrors.map((e) => e.message).join("; "));
    const locationIds = made.locations.nodes.map((node) => node.id);
    for (const more of spec.moreLocations ?? []) {
      const { companyLocationCreate } = await gql<{
        companyLocationCreate: { companyLocation: { id: string } | null; userErrors: { message: string }[] };
      }>(
        `mutation TestLocationCreate($id: ID!, $input: CompanyLocationInput!) { companyLocationCreate(companyId: $id, input: $input) {
          companyLocation { id } userErrors { field message code } } }`,
        {
          id: made.id,
          input: {
            name: more.name,
            shippingAddress: {
              address1: more.address1,
              city: more.city,
              zip: more.zip ?? null,
              countryCode: more.countryCode,
            },
            billingSameAsShipping: true,
          },
        },
      );
      if (!companyLocationCreate.companyLocation)
        throw new Error(companyLocationCreate.userErrors.map((e) => e.message).join("; "));
      locationIds.push(companyLocationCreate.companyLocation.id);
    }
    for (const contact of spec.moreContacts ?? []) {
      const { companyContactCreate } = await gql<{
        companyContactCreate: { companyContact: { id: string } | null; userErrors: { message: string }[] };
      }>(
        `mutation TestContactCreate($id: ID!, $input: CompanyContactInput!) { companyContactCreate(companyId: $id, input: $input) {
          companyContact { id } userErrors { field message code } } }`,
        { id: made.id, input: contact },
      );
      if (!companyContactCreate.companyContact)
        throw new Error(companyContactCreate.userErrors.map((e) => e.message).join("; "));
    }
    return { id: made.id, locationIds, mainContactId: made.mainContact?.id ?? null };
  }

  const rows = async () => ({
    companies: await prisma.shopifyCompany.findMany({
      where: { shopId: shop.id },
      orderBy: { shopifyId: "asc" },
    }),
    locations: await prisma.shopifyCompanyLocation.findMany({
      where: { shopId: shop.id },
      orderBy: { shopifyId: "asc" },
    }),
    contacts: await prisma.shopifyCompanyContact.findMany({
      where: { shopId: shop.id },
      orderBy: { shopifyId: "asc" },
    }),
  });

  /** Everything the import writes, to compare before and after a run. */
  const snapshot = async () => ({
    ...(await rows()),
    customers: await prisma.boCustomer.findMany({ where: { shopId: shop.id }, orderBy: { no: "asc" } }),
    shipTos: await prisma.boShipToAddress.findMany({
      where: { shopId: shop.id },
      orderBy: [{ customerNo: "asc" }, { code: "asc" }],
    }),
    changes: await prisma.boChange.count({ where: { shopId: shop.id } }),
    records: await prisma.syncRecord.findMany({
      where: { shopId: shop.id, task: "sync_companies" },
      orderBy: { recordKey: "asc" },
    }),
  });

  const companyRow = (gid: string) =>
    prisma.shopifyCompany.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: numeric(gid) } },
    });

  return { shop, store, run, gql, company, rows, snapshot, companyRow };
}
