import type { Store } from "../support/store";
import { ADDRESS } from "./place-order";

/**
 * A company in the simulated shop (companyCreate with its first location and main contact, whose
 * customer places its orders) and orders placed for one of its locations (orderCreate's
 * `companyLocationId`, with a PO number), as simulator/README.md "Customers and companies" has
 * them: Order.purchasingEntity is the location's PurchasingCompany, and a location with a payment
 * terms template gives its orders payment terms.
 */

/** Shopify's fixed payment terms templates the tests use (simulator/resolvers/b2b-payment-terms). */
export const NET_30 = "gid://shopify/PaymentTermsTemplate/4";
export const DUE_ON_FULFILLMENT = "gid://shopify/PaymentTermsTemplate/9";

export const OTTAWA = {
  address1: "1 Bank St",
  city: "Ottawa",
  zoneCode: "ON",
  countryCode: "CA",
  zip: "K1P 5J2",
  recipient: "Jo Buyer",
};

export interface Company {
  id: string;
  name: string;
  location: { id: string; name: string };
  buyer: { id: string };
}

export async function createCompany(
  store: Store,
  options: { name: string; location: string; email: string; paymentTermsTemplateId?: string | null },
): Promise<Company> {
  const data = await store.graphql<{
    companyCreate: {
      company: {
        id: string;
        name: string;
        mainContact: { customer: { id: string } };
        locations: { nodes: { id: string; name: string }[] };
      } | null;
      userErrors: { message: string }[];
    };
  }>(
    `mutation TestCompanyCreate($input: CompanyCreateInput!) { companyCreate(input: $input) {
      company { id name mainContact { customer { id } } locations(first: 1) { nodes { id name } } }
      userErrors { field message } } }`,
    {
      input: {
        company: { name: options.name },
        companyLocation: {
          name: options.location,
          shippingAddress: OTTAWA,
          billingSameAsShipping: true,
          buyerExperienceConfiguration: {
            paymentTermsTemplateId:
              options.paymentTermsTemplateId === undefined ? NET_30 : options.paymentTermsTemplateId,
          },
        },
        companyContact: { email: options.email, firstName: "Jo", lastName: "Buyer" },
      },
    },
  );
  const company = data.companyCreate.company;
  if (!company) throw new Error(data.companyCreate.userErrors.map((e) => e.message).join("; "));
  return {
    id: company.id,
    name: company.name,
    location: company.locations.nodes[0]!,
    buyer: company.mainContact.customer,
  };
}

/** An order the company's buyer placed for its location, shipped there; returns id and name. */
export async function placeB2bOrder(
  store: Store,
  company: Company,
  options: { variantId: string; quantity: number; poNumber?: string },
): Promise<{ id: string; name: string }> {
  const shipTo = {
    firstName: "Jo",
    lastName: "Buyer",
    company: company.name,
    address1: OTTAWA.address1,
    city: OTTAWA.city,
    zip: OTTAWA.zip,
    countryCode: OTTAWA.countryCode,
  };
  const data = await store.graphql<{
    orderCreate: { order: { id: string; name: string } | null; userErrors: { message: string }[] };
  }>(
    `mutation TestB2bOrderCreate($order: OrderCreateOrderInput!) {
      orderCreate(order: $order) { order { id name } userErrors { field message } }
    }`,
    {
      order: {
        companyLocationId: company.location.id,
        ...(options.poNumber ? { poNumber: options.poNumber } : {}),
        customer: { toAssociate: { id: company.buyer.id } },
        billingAddress: { ...ADDRESS, ...shipTo },
        shippingAddress: shipTo,
        financialStatus: "PENDING",
        lineItems: [{ variantId: options.variantId, quantity: options.quantity, requiresShipping: true }],
      },
    },
  );
  if (!data.orderCreate.order) throw new Error(data.orderCreate.userErrors.map((e) => e.message).join("; "));
  return data.orderCreate.order;
}

/** Shopify's own figures of the order: its PO number and the first payment schedule's due date. */
export async function shopifyTerms(store: Store, orderId: string) {
  const data = await store.graphql<{
    order: {
      poNumber: string | null;
      processedAt: string;
      paymentTerms: { paymentSchedules: { nodes: { dueAt: string | null }[] } } | null;
    };
  }>(
    `query TestOrderTerms($id: ID!) { order(id: $id) { poNumber processedAt
      paymentTerms { paymentSchedules(first: 1) { nodes { dueAt } } } } }`,
    { id: orderId },
  );
  return {
    poNumber: data.order.poNumber,
    processedAt: new Date(data.order.processedAt),
    dueAt: data.order.paymentTerms?.paymentSchedules.nodes[0]?.dueAt ?? null,
  };
}
