import { gid, type ShopState } from "../state/shop-state.server";
import type { CustomerRecord, OrderRecord } from "../state/records.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso } from "./context.server";
import { customerAddressId, mailingAddressView } from "./addresses.server";
import { contactView } from "./b2b-company-views.server";
import { moneyV2 } from "./orders-line-views.server";
import { orderTotals } from "./orders-money.server";
import { orderSortKey, searchOrders } from "./orders-search.server";
import { orderView } from "./orders-views.server";

/** The Customer view (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Customer). */

export function customerDisplayName(customer: CustomerRecord): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name || customer.email || customer.phone || "";
}

export function ordersOfCustomer(shop: ShopState, customerId: number): OrderRecord[] {
  return [...shop.orders.values()].filter((order) => order.customerId === customerId);
}

/** Lifetime spend: what the customer's orders have been paid, net of refunds. */
export function amountSpentCents(orders: OrderRecord[]): number {
  return orders.reduce((sum, order) => sum + orderTotals(order).net, 0);
}

export function customerView(shop: ShopState, customer: CustomerRecord): Record<string, unknown> {
  const orders = () => ordersOfCustomer(shop, customer.id);
  const addresses = customer.addresses.map((address) =>
    mailingAddressView(address, customerAddressId(address.id)),
  );
  const defaultAddress = customer.addresses.find((address) => address.id === customer.defaultAddressId);
  const marketing = { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null };
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    email: customer.email,
    phone: customer.phone,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customerDisplayName(customer),
    note: customer.note,
    tags: customer.tags,
    taxExempt: customer.taxExempt,
    taxExemptions: [],
    state: customer.state,
    locale: "en",
    verifiedEmail: customer.email !== null,
    validEmailAddress: customer.email !== null,
    multipassIdentifier: null,
    dataSaleOptOut: false,
    productSubscriberStatus: "NEVER_SUBSCRIBED",
    hasTimelineComment: false,
    // The customer's contacts in B2B companies (one per company it buys for).
    companyContactProfiles: () =>
      [...shop.companies.values()].flatMap((company) =>
        (company.contacts ?? [])
          .filter((contact) => contact.customerId === customer.id)
          .map((contact) => contactView(shop, company, contact)),
      ),
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    defaultAddress: defaultAddress
      ? mailingAddressView(defaultAddress, customerAddressId(defaultAddress.id))
      : null,
    addresses: (args: { first?: number | null }) => addresses.slice(0, args.first ?? undefined),
    addressesV2: (args: ConnectionArgs) =>
      connection(
        addresses,
        args,
        (address) => address.id,
        (address) => address,
      ),
    defaultEmailAddress: customer.email
      ? {
          emailAddress: customer.email,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          validFormat: true,
          sourceLocation: null,
        }
      : null,
    defaultPhoneNumber: customer.phone ? { phoneNumber: customer.phone } : null,
    emailMarketingConsent: customer.email ? marketing : null,
    smsMarketingConsent: customer.phone ? { ...marketing, consentCollectedFrom: "OTHER" } : null,
    numberOfOrders: () => String(orders().length),
    amountSpent: () => moneyV2(amountSpentCents(orders()), shop.currencyCode),
    canDelete: () => orders().length === 0,
    lastOrder: () => {
      const list = orders().sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
      const last = list[list.length - 1];
      return last ? orderView(shop, last) : null;
    },
    orders: (args: ConnectionArgs & { query?: string | null; sortKey?: string | null }) =>
      connection(
        searchOrders(orders(), args.query),
        args,
        { key: orderSortKey(args.sortKey ?? "ID"), id: (order) => order.id },
        (order) => orderView(shop, order),
      ),
  };
}
