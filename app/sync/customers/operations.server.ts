import { operation } from "../../shopify/admin-client.server";
import { bulkQuery } from "../../shopify/bulk.server";

/**
 * The customers sync's GraphQL operations (Admin API 2026-07), each checked against the schema
 * and priced by test/contract/operations.test.ts.
 * customers: https://shopify.dev/docs/api/admin-graphql/2026-07/queries/customers
 * customerCreate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerCreate
 * customerUpdate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerUpdate
 * customerAddressCreate / customerAddressUpdate:
 *   https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerAddressUpdate
 *   (CustomerInput.addresses is deprecated in 2026-07: addresses are written on their own)
 */

export interface AddressNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  province: string | null;
  provinceCode: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}

export interface CustomerNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  updatedAt: string;
  defaultAddress: AddressNode | null;
  /** The address book's first addresses (for a customer without a default address). */
  addressesV2: { nodes: AddressNode[] };
}

const ADDRESS = `id firstName lastName company address1 address2 city zip province provinceCode countryCodeV2 phone`;
const CUSTOMER = `id firstName lastName email phone tags updatedAt
  defaultAddress { ${ADDRESS} }
  addressesV2(first: 1) { nodes { ${ADDRESS} } }`;

/** Customers read at a time: a few points each (the customer, its default and first address). */
export const CUSTOMERS_PER_PAGE = 100;

export const CUSTOMERS_COUNT = operation<
  { customersCount: { count: number; precision: string } },
  { query: string }
>(
  "SyncCustomersCount",
  `query SyncCustomersCount($query: String) { customersCount(query: $query, limit: 10000) { count precision } }`,
);

export const CUSTOMERS_PAGE = operation<
  {
    customers: { nodes: CustomerNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  },
  { first: number; after: string | null; query: string }
>(
  "SyncCustomers",
  `query SyncCustomers($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { ${CUSTOMER} }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  { largest: { first: CUSTOMERS_PER_PAGE } },
);

/** Customers read again by id (those in error). */
export const CUSTOMERS_BY_ID = operation<{ nodes: (CustomerNode | null)[] }, { ids: string[] }>(
  "SyncCustomersById",
  `query SyncCustomersById($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${CUSTOMER} } } }`,
  { largest: { ids: CUSTOMERS_PER_PAGE } },
);

/** Every customer (of the search) by bulk query: the first run of a large store. */
export const customersBulkQuery = (search: string) =>
  bulkQuery(
    "SyncCustomersBulk",
    `query SyncCustomersBulk {
      customers(query: ${JSON.stringify(search)}) { edges { node {
        id firstName lastName email phone tags updatedAt
        defaultAddress { ${ADDRESS} }
        addressesV2 { edges { node { ${ADDRESS} } } }
      } } }
    }`,
  );

/** The first run's bulk query (checked by the contract test). */
export const SYNC_CUSTOMERS_BULK = customersBulkQuery("");

export interface CustomerUserError {
  field: string[] | null;
  message: string;
}

export interface MailingAddressInput {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

export interface CustomerInput {
  id?: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

const WRITTEN = `id firstName lastName email phone tags updatedAt defaultAddress { ${ADDRESS} }
  addressesV2(first: 1) { nodes { ${ADDRESS} } }`;

export const CUSTOMER_CREATE = operation<
  { customerCreate: { customer: CustomerNode | null; userErrors: CustomerUserError[] } },
  { input: CustomerInput }
>(
  "SyncCustomerCreate",
  `mutation SyncCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) { customer { ${WRITTEN} } userErrors { field message } }
  }`,
);

export const CUSTOMER_UPDATE = operation<
  { customerUpdate: { customer: CustomerNode | null; userErrors: CustomerUserError[] } },
  { input: CustomerInput }
>(
  "SyncCustomerUpdate",
  `mutation SyncCustomerUpdate($input: CustomerInput!) {
    customerUpdate(input: $input) { customer { ${WRITTEN} } userErrors { field message } }
  }`,
);

export const CUSTOMER_ADDRESS_CREATE = operation<
  { customerAddressCreate: { address: AddressNode | null; userErrors: CustomerUserError[] } },
  { customerId: string; address: MailingAddressInput }
>(
  "SyncCustomerAddressCreate",
  `mutation SyncCustomerAddressCreate($customerId: ID!, $address: MailingAddressInput!) {
    customerAddressCreate(customerId: $customerId, address: $address, setAsDefault: true) {
      address { ${ADDRESS} } userErrors { field message }
    }
  }`,
);

export const CUSTOMER_ADDRESS_UPDATE = operation<
  { customerAddressUpdate: { address: AddressNode | null; userErrors: CustomerUserError[] } },
  { customerId: string; addressId: string; address: MailingAddressInput }
>(
  "SyncCustomerAddressUpdate",
  `mutation SyncCustomerAddressUpdate($customerId: ID!, $addressId: ID!, $address: MailingAddressInput!) {
    customerAddressUpdate(customerId: $customerId, addressId: $addressId, address: $address, setAsDefault: true) {
      address { ${ADDRESS} } userErrors { field message }
    }
  }`,
);
