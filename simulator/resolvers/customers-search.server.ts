import type { CustomerRecord } from "../state/records.server";
import type { SortValue } from "./connection.server";
import { search, withTagNot, type SearchFields } from "./search.server";

/**
 * Search fields and sort keys of `customers`
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/queries/customers#arguments-query).
 */

const CUSTOMER_SEARCH: SearchFields<CustomerRecord> = {
  fields: {
    id: (customer) => customer.id,
    email: (customer) => customer.email,
    phone: (customer) => customer.phone,
    first_name: (customer) => customer.firstName,
    last_name: (customer) => customer.lastName,
    name: (customer) => [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null,
    created_at: (customer) => customer.createdAt,
    updated_at: (customer) => customer.updatedAt,
    tag: (customer) => customer.tags,
    state: (customer) => customer.state.toLowerCase(),
    country: (customer) =>
      customer.addresses.flatMap((address) => [address.country ?? null, address.countryCode ?? null]),
    tax_exempt: (customer) => customer.taxExempt,
  },
  defaultFields: ["first_name", "last_name", "email", "phone"],
};

export function searchCustomers(
  customers: Iterable<CustomerRecord>,
  query: string | null | undefined,
): CustomerRecord[] {
  return search(customers, withTagNot(query), CUSTOMER_SEARCH);
}

export function customerSortKey(sortKey: string): (customer: CustomerRecord) => SortValue {
  switch (sortKey) {
    case "CREATED_AT":
      return (customer) => customer.createdAt.getTime();
    case "UPDATED_AT":
      return (customer) => customer.updatedAt.getTime();
    case "NAME":
      return (customer) => [customer.firstName, customer.lastName].filter(Boolean).join(" ").toLowerCase();
    case "LOCATION":
      return (customer) => customer.addresses[0]?.city ?? "";
    default:
      return (customer) => customer.id;
  }
}
