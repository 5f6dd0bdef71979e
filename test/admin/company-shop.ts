import prisma from "../../app/db.server";
import type { Shop } from "../../app/generated/prisma/client";
import { stampCompany, writeCompanyRows } from "../../app/sync/companies/link.server";
import type { CompanyRead } from "../../app/sync/companies/read.server";
import { shopifyId } from "../kit/staged";

/**
 * Shopify companies as the companies sync leaves them (rows read from Shopify, in a state),
 * written straight into the app's tables for tests of the Companies page, the tile and the CLI.
 * The sync itself is tested against the simulator in test/sync/companies-*.test.ts.
 */

export function companyRead(name: string, options: { email?: string; taxId?: string } = {}): CompanyRead {
  const id = shopifyId();
  const contactId = shopifyId();
  return {
    id,
    name,
    externalId: null,
    note: null,
    updatedAt: new Date("2026-11-20T10:00:00Z"),
    mainContactId: contactId,
    locations: [
      {
        id: shopifyId(),
        name: `${name} HQ`,
        externalId: null,
        updatedAt: new Date("2026-11-20T10:00:00Z"),
        address: {
          company: name,
          address1: "1 Dock St",
          address2: null,
          city: "Halifax",
          zip: "B3J 1A1",
          province: "NS",
          countryCode: "CA",
        },
        taxRegistrationId: options.taxId ?? null,
        taxExempt: false,
        taxExemptions: [],
        paymentTermsName: "Net 30",
        paymentTermsDueInDays: 30,
      },
      {
        id: shopifyId(),
        name: `${name} yard`,
        externalId: null,
        updatedAt: new Date("2026-11-20T10:00:00Z"),
        address: {
          company: name,
          address1: "9 Shore Rd",
          address2: null,
          city: "Dartmouth",
          zip: null,
          province: null,
          countryCode: "CA",
        },
        taxRegistrationId: null,
        taxExempt: false,
        taxExemptions: [],
        paymentTermsName: null,
        paymentTermsDueInDays: null,
      },
    ],
    contacts: [
      {
        id: contactId,
        customerId: shopifyId(),
        isMainContact: true,
        title: "Buyer",
        email: options.email ?? `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
        phone: null,
        firstName: "Pat",
        lastName: "Quinn",
      },
    ],
  };
}

/** A company as read, in a state: unmapped with a reason, in error with a message, or deleted. */
export async function storedCompany(
  shop: Pick<Shop, "id">,
  read: CompanyRead,
  state: {
    syncState: "unmapped" | "error" | "linked";
    message: string;
    customerNo?: string;
    deleted?: boolean;
  },
) {
  await writeCompanyRows(prisma, shop.id, read);
  await stampCompany(prisma, shop.id, read, {
    syncState: state.syncState,
    message: state.message,
    customerNo: state.customerNo ?? null,
  });
  if (state.deleted) {
    const deletedAt = new Date();
    await prisma.shopifyCompany.update({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: read.id } },
      data: { deletedAt },
    });
    await prisma.shopifyCompanyLocation.updateMany({
      where: { shopId: shop.id, companyShopifyId: read.id },
      data: { deletedAt },
    });
  }
  return prisma.shopifyCompany.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: read.id } },
  });
}

export const UNMAPPED_REASON =
  "unmapped: no back-office customer has its main contact's e-mail; map it to a business customer or create one on the Companies page, or turn on auto-create on the shop card";

/** An unmapped company (Harbour Traders, two locations), for the hostile suites and the lists. */
export async function unmappedCompany(shop: Pick<Shop, "id">) {
  return storedCompany(shop, companyRead("Harbour Traders"), {
    syncState: "unmapped",
    message: UNMAPPED_REASON,
  });
}
