import { operation } from "../../shopify/admin-client.server";
import { bulkQuery } from "../../shopify/bulk.server";

/**
 * The companies sync's GraphQL operations (Admin API 2026-07), each checked against the schema
 * and priced by test/contract/operations.test.ts; the bulk query by test/shopify/bulk.test.ts.
 * Company: https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Company
 * CompanyLocation (taxSettings, buyerExperienceConfiguration.paymentTermsTemplate: in 2026-07
 * on the location, not the company): https://shopify.dev/docs/api/admin-graphql/2026-07/objects/CompanyLocation
 * companyCreate: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/companyCreate
 * companyLocationCreate, companyLocationAssignAddress, companyLocationTaxSettingsUpdate,
 * companyContactCreate, companyContactUpdate, companyAssignMainContact: the same reference.
 * `companiesCount` takes no query in 2026-07: it counts every company of the shop.
 */

export interface CompanyUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

export interface CompanyAddressNode {
  address1: string;
  address2: string | null;
  city: string | null;
  zip: string | null;
  province: string | null;
  zoneCode: string | null;
  countryCode: string;
  companyName: string;
}

export interface CompanyLocationNode {
  id: string;
  name: string;
  externalId: string | null;
  updatedAt: string;
  billingAddress: CompanyAddressNode | null;
  shippingAddress: CompanyAddressNode | null;
  taxSettings: { taxRegistrationId: string | null; taxExempt: boolean; taxExemptions: string[] };
  buyerExperienceConfiguration: {
    paymentTermsTemplate: {
      id: string;
      name: string;
      dueInDays: number | null;
      paymentTermsType: string;
    } | null;
  } | null;
}

export interface CompanyContactNode {
  id: string;
  isMainContact: boolean;
  title: string | null;
  updatedAt: string;
  customer: {
    id: string;
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
  } | null;
}

interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface CompanyNode {
  id: string;
  name: string;
  externalId: string | null;
  note: string | null;
  updatedAt: string;
  mainContact: { id: string } | null;
  locations: Page<CompanyLocationNode>;
  contacts: Page<CompanyContactNode>;
}

/** Locations and contacts read with a company; one with more reads the rest page by page. */
export const LOCATIONS_WITH_COMPANY = 10;
export const CONTACTS_WITH_COMPANY = 10;
/** Whole companies read in one request (about 90 points each). */
export const COMPANIES_PER_REQUEST = 10;
/** Locations or contacts of one company read at a time after the first ones. */
export const MORE_PER_PAGE = 50;
/** Stamps (id and update time) read at a time. */
export const STAMPS_PER_PAGE = 250;

// A location's address without the person's fields (firstName, lastName, recipient, phone):
// the sync keeps none of them, so it does not ask for them (read.server.ts, StoredAddress).
const ADDRESS = `address1 address2 city zip province zoneCode countryCode companyName`;

const LOCATION = `id name externalId updatedAt
  billingAddress { ${ADDRESS} }
  shippingAddress { ${ADDRESS} }
  taxSettings { taxRegistrationId taxExempt taxExemptions }
  buyerExperienceConfiguration { paymentTermsTemplate { id name dueInDays paymentTermsType } }`;

const CONTACT = `id isMainContact title updatedAt customer { id email phone firstName lastName }`;

const PAGE_INFO = `pageInfo { hasNextPage endCursor }`;

const COMPANY = `id name externalId note updatedAt mainContact { id }
  locations(first: ${LOCATIONS_WITH_COMPANY}, sortKey: ID) { nodes { ${LOCATION} } ${PAGE_INFO} }
  contacts(first: ${CONTACTS_WITH_COMPANY}, sortKey: ID) { nodes { ${CONTACT} } ${PAGE_INFO} }`;

export const COMPANIES_COUNT = operation<{ companiesCount: { count: number; precision: string } | null }>(
  "SyncCompaniesCount",
  `query SyncCompaniesCount { companiesCount { count precision } }`,
);

export interface CompanyStamp {
  id: string;
  updatedAt: string;
}

/** Companies changed since the cursor (or matching the request page's filters), oldest change first. */
export const COMPANY_STAMPS = operation<
  { companies: Page<CompanyStamp> },
  { first: number; after: string | null; query: string | null }
>(
  "SyncCompanyStamps",
  `query SyncCompanyStamps($first: Int!, $after: String, $query: String) {
    companies(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { id updatedAt }
      ${PAGE_INFO}
    }
  }`,
  { largest: { first: STAMPS_PER_PAGE } },
);

export interface LocationStamp {
  id: string;
  updatedAt: string;
  company: { id: string };
}

/**
 * Company locations changed since the cursor: a location's address, tax settings or payment
 * terms change the location, not its company's update time.
 */
export const LOCATION_STAMPS = operation<
  { companyLocations: Page<LocationStamp> },
  { first: number; after: string | null; query: string }
>(
  "SyncCompanyLocationStamps",
  `query SyncCompanyLocationStamps($first: Int!, $after: String, $query: String!) {
    companyLocations(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { id updatedAt company { id } }
      ${PAGE_INFO}
    }
  }`,
  { largest: { first: STAMPS_PER_PAGE } },
);

/** Whether each of these companies still exists (null for one deleted in Shopify). */
export const COMPANIES_EXIST = operation<{ nodes: ({ id: string } | null)[] }, { ids: string[] }>(
  "SyncCompaniesExist",
  `query SyncCompaniesExist($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Company { id } }
  }`,
  { largest: { ids: STAMPS_PER_PAGE } },
);

/** Whole companies by id, with their first locations and contacts (null: deleted in Shopify). */
export const COMPANIES_BY_ID = operation<
  { nodes: (CompanyNode | Record<string, never> | null)[] },
  { ids: string[] }
>(
  "SyncCompaniesById",
  `query SyncCompaniesById($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Company { ${COMPANY} } }
  }`,
  { largest: { ids: COMPANIES_PER_REQUEST } },
);

export const COMPANY_MORE_LOCATIONS = operation<
  { company: { locations: Page<CompanyLocationNode> } | null },
  { id: string; after: string | null }
>(
  "SyncCompanyMoreLocations",
  `query SyncCompanyMoreLocations($id: ID!, $after: String) {
    company(id: $id) {
      locations(first: ${MORE_PER_PAGE}, after: $after, sortKey: ID) { nodes { ${LOCATION} } ${PAGE_INFO} }
    }
  }`,
);

export const COMPANY_MORE_CONTACTS = operation<
  { company: { contacts: Page<CompanyContactNode> } | null },
  { id: string; after: string | null }
>(
  "SyncCompanyMoreContacts",
  `query SyncCompanyMoreContacts($id: ID!, $after: String) {
    company(id: $id) {
      contacts(first: ${MORE_PER_PAGE}, after: $after, sortKey: ID) { nodes { ${CONTACT} } ${PAGE_INFO} }
    }
  }`,
);

/** A company the export created before its record knew it (a run that died): by its external id. */
export const COMPANY_BY_EXTERNAL_ID = operation<
  { companies: { nodes: { id: string }[] } },
  { query: string }
>(
  "SyncCompanyByExternalId",
  `query SyncCompanyByExternalId($query: String!) {
    companies(first: 1, query: $query) { nodes { id } }
  }`,
);

/**
 * Every company with its locations and contacts, for the first import of a large store. Nested
 * objects come as lines of their own with `__parentId` (bulk.server.ts's bulkRecords).
 */
export const COMPANIES_BULK = bulkQuery(
  "SyncCompaniesBulk",
  `query SyncCompaniesBulk {
    companies {
      edges {
        node {
          id name externalId note updatedAt mainContact { id }
          locations { edges { node { ${LOCATION} } } }
          contacts { edges { node { ${CONTACT} } } }
        }
      }
    }
  }`,
);

// --- The export's mutations ------------------------------------------------------------------

export interface CompanyAddressInput {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  zoneCode?: string | null;
  countryCode?: string | null;
  phone?: string | null;
  recipient?: string | null;
}

export interface CompanyCreateVariables {
  input: {
    company: { name: string; externalId?: string | null };
    companyLocation?: {
      name: string;
      externalId?: string | null;
      shippingAddress?: CompanyAddressInput;
      billingSameAsShipping?: boolean;
      taxRegistrationId?: string | null;
      taxExemptions?: string[];
    };
    companyContact?: { email: string; firstName?: string | null; lastName?: string | null };
  };
}

export const COMPANY_CREATE = operation<
  { companyCreate: { company: { id: string } | null; userErrors: CompanyUserError[] } },
  CompanyCreateVariables
>(
  "SyncCompanyCreate",
  `mutation SyncCompanyCreate($input: CompanyCreateInput!) {
    companyCreate(input: $input) {
      company { id }
      userErrors { field message code }
    }
  }`,
);

export const COMPANY_UPDATE = operation<
  { companyUpdate: { company: { id: string } | null; userErrors: CompanyUserError[] } },
  { companyId: string; input: { name: string } }
>(
  "SyncCompanyUpdate",
  `mutation SyncCompanyUpdate($companyId: ID!, $input: CompanyInput!) {
    companyUpdate(companyId: $companyId, input: $input) {
      company { id }
      userErrors { field message code }
    }
  }`,
);

export const COMPANY_LOCATION_CREATE = operation<
  { companyLocationCreate: { companyLocation: { id: string } | null; userErrors: CompanyUserError[] } },
  {
    companyId: string;
    input: {
      name: string;
      externalId?: string | null;
      shippingAddress?: CompanyAddressInput;
      billingSameAsShipping?: boolean;
    };
  }
>(
  "SyncCompanyLocationCreate",
  `mutation SyncCompanyLocationCreate($companyId: ID!, $input: CompanyLocationInput!) {
    companyLocationCreate(companyId: $companyId, input: $input) {
      companyLocation { id }
      userErrors { field message code }
    }
  }`,
);

export const COMPANY_LOCATION_ASSIGN_ADDRESS = operation<
  { companyLocationAssignAddress: { addresses: { id: string }[] | null; userErrors: CompanyUserError[] } },
  { locationId: string; address: CompanyAddressInput; addressTypes: ("BILLING" | "SHIPPING")[] }
>(
  "SyncCompanyLocationAssignAddress",
  `mutation SyncCompanyLocationAssignAddress($locationId: ID!, $address: CompanyAddressInput!, $addressTypes: [CompanyAddressType!]!) {
    companyLocationAssignAddress(locationId: $locationId, address: $address, addressTypes: $addressTypes) {
      addresses { id }
      userErrors { field message code }
    }
  }`,
  { largest: { addressTypes: 2 } },
);

export const COMPANY_LOCATION_TAX = operation<
  {
    companyLocationTaxSettingsUpdate: {
      companyLocation: { id: string } | null;
      userErrors: CompanyUserError[];
    };
  },
  {
    companyLocationId: string;
    taxRegistrationId: string | null;
    exemptionsToAssign: string[];
    exemptionsToRemove: string[];
  }
>(
  "SyncCompanyLocationTax",
  `mutation SyncCompanyLocationTax($companyLocationId: ID!, $taxRegistrationId: String, $exemptionsToAssign: [TaxExemption!], $exemptionsToRemove: [TaxExemption!]) {
    companyLocationTaxSettingsUpdate(companyLocationId: $companyLocationId, taxRegistrationId: $taxRegistrationId, exemptionsToAssign: $exemptionsToAssign, exemptionsToRemove: $exemptionsToRemove) {
      companyLocation { id }
      userErrors { field message code }
    }
  }`,
  { largest: { exemptionsToAssign: 100, exemptionsToRemove: 100 } },
);

export interface ContactInput {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export const COMPANY_CONTACT_CREATE = operation<
  { companyContactCreate: { companyContact: { id: string } | null; userErrors: CompanyUserError[] } },
  { companyId: string; input: ContactInput }
>(
  "SyncCompanyContactCreate",
  `mutation SyncCompanyContactCreate($companyId: ID!, $input: CompanyContactInput!) {
    companyContactCreate(companyId: $companyId, input: $input) {
      companyContact { id }
      userErrors { field message code }
    }
  }`,
);

export const COMPANY_CONTACT_UPDATE = operation<
  { companyContactUpdate: { companyContact: { id: string } | null; userErrors: CompanyUserError[] } },
  { companyContactId: string; input: ContactInput }
>(
  "SyncCompanyContactUpdate",
  `mutation SyncCompanyContactUpdate($companyContactId: ID!, $input: CompanyContactInput!) {
    companyContactUpdate(companyContactId: $companyContactId, input: $input) {
      companyContact { id }
      userErrors { field message code }
    }
  }`,
);

export const COMPANY_ASSIGN_MAIN_CONTACT = operation<
  { companyAssignMainContact: { company: { id: string } | null; userErrors: CompanyUserError[] } },
  { companyId: string; companyContactId: string }
>(
  "SyncCompanyAssignMainContact",
  `mutation SyncCompanyAssignMainContact($companyId: ID!, $companyContactId: ID!) {
    companyAssignMainContact(companyId: $companyId, companyContactId: $companyContactId) {
      company { id }
      userErrors { field message code }
    }
  }`,
);
