import { gid } from "../state/shop-state.server";
import type { Address } from "../state/records.server";

/**
 * Mailing addresses of customers and orders: the input as Shopify takes it (MailingAddressInput,
 * where `countryCode`/`provinceCode` replace the deprecated names) and the MailingAddress view.
 * Shopify fills the country and province names from the codes; we know the common ones.
 */

const COUNTRIES: Record<string, string> = {
  US: "United States",
  CA: "Canada",
  GB: "United Kingdom",
  IE: "Ireland",
  DE: "Germany",
  FR: "France",
  NL: "Netherlands",
  BE: "Belgium",
  ES: "Spain",
  IT: "Italy",
  AT: "Austria",
  CH: "Switzerland",
  SE: "Sweden",
  DK: "Denmark",
  NO: "Norway",
  FI: "Finland",
  PL: "Poland",
  PT: "Portugal",
  AU: "Australia",
  NZ: "New Zealand",
  JP: "Japan",
  MX: "Mexico",
  BR: "Brazil",
};

const PROVINCES: Record<string, Record<string, string>> = {
  US: {
    AL: "Alabama",
    AK: "Alaska",
    AZ: "Arizona",
    AR: "Arkansas",
    CA: "California",
    CO: "Colorado",
    CT: "Connecticut",
    DE: "Delaware",
    DC: "District of Columbia",
    FL: "Florida",
    GA: "Georgia",
    HI: "Hawaii",
    ID: "Idaho",
    IL: "Illinois",
    IN: "Indiana",
    IA: "Iowa",
    KS: "Kansas",
    KY: "Kentucky",
    LA: "Louisiana",
    ME: "Maine",
    MD: "Maryland",
    MA: "Massachusetts",
    MI: "Michigan",
    MN: "Minnesota",
    MS: "Mississippi",
    MO: "Missouri",
    MT: "Montana",
    NE: "Nebraska",
    NV: "Nevada",
    NH: "New Hampshire",
    NJ: "New Jersey",
    NM: "New Mexico",
    NY: "New York",
    NC: "North Carolina",
    ND: "North Dakota",
    OH: "Ohio",
    OK: "Oklahoma",
    OR: "Oregon",
    PA: "Pennsylvania",
    RI: "Rhode Island",
    SC: "South Carolina",
    SD: "South Dakota",
    TN: "Tennessee",
    TX: "Texas",
    UT: "Utah",
    VT: "Vermont",
    VA: "Virginia",
    WA: "Washington",
    WV: "West Virginia",
    WI: "Wisconsin",
    WY: "Wyoming",
  },
  CA: {
    AB: "Alberta",
    BC: "British Columbia",
    MB: "Manitoba",
    NB: "New Brunswick",
    NL: "Newfoundland and Labrador",
    NS: "Nova Scotia",
    ON: "Ontario",
    PE: "Prince Edward Island",
    QC: "Quebec",
    SK: "Saskatchewan",
    NT: "Northwest Territories",
    NU: "Nunavut",
    YT: "Yukon",
  },
};

export function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  return COUNTRIES[code.toUpperCase()] ?? code.toUpperCase();
}

/** MailingAddressInput: the address record's fields but the company address's recipient. */
export type AddressInput = Omit<Address, "recipient">;

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value.trim();
}

/** An address record from MailingAddressInput (or the customer address input of orderCreate). */
export function addressFromInput(input: AddressInput): Address {
  let countryCode = blankToNull(input.countryCode)?.toUpperCase() ?? null;
  let country = blankToNull(input.country);
  if (!countryCode && country) {
    const byName = Object.entries(COUNTRIES).find(
      ([, name]) => name.toLowerCase() === country!.toLowerCase(),
    );
    countryCode = byName ? byName[0] : country.length === 2 ? country.toUpperCase() : null;
  }
  if (countryCode) country = countryName(countryCode);
  let provinceCode = blankToNull(input.provinceCode)?.toUpperCase() ?? null;
  let province = blankToNull(input.province);
  const provinces = countryCode ? PROVINCES[countryCode] : undefined;
  if (!provinceCode && province && provinces) {
    const match = Object.entries(provinces).find(
      ([code, name]) => name.toLowerCase() === province!.toLowerCase() || code === province!.toUpperCase(),
    );
    provinceCode = match ? match[0] : null;
  }
  if (provinceCode && provinces?.[provinceCode]) province = provinces[provinceCode]!;
  else if (provinceCode && !province) province = provinceCode;
  return {
    firstName: blankToNull(input.firstName),
    lastName: blankToNull(input.lastName),
    company: blankToNull(input.company),
    address1: blankToNull(input.address1),
    address2: blankToNull(input.address2),
    city: blankToNull(input.city),
    province,
    provinceCode,
    zip: blankToNull(input.zip),
    country,
    countryCode,
    phone: blankToNull(input.phone),
  };
}

export function addressName(address: Address): string | null {
  const name = [address.firstName, address.lastName].filter(Boolean).join(" ");
  return name || null;
}

/**
 * The MailingAddress view. Order addresses have no id of their own in our records, so theirs is
 * derived from the owner (stable for the order), as Shopify's `?model_name=` ids are.
 */
export function mailingAddressView(address: Address, id: string) {
  const name = addressName(address);
  const area = [address.city, [address.provinceCode, address.zip].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" ");
  return {
    __typename: "MailingAddress",
    id,
    firstName: address.firstName ?? null,
    lastName: address.lastName ?? null,
    name,
    company: address.company ?? null,
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    province: address.province ?? null,
    provinceCode: address.provinceCode ?? null,
    zip: address.zip ?? null,
    country: address.country ?? null,
    countryCode: address.countryCode ?? null,
    countryCodeV2: address.countryCode ?? null,
    phone: address.phone ?? null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    timeZone: null,
    validationResultSummary: null,
    formattedArea: [address.city, address.province, address.country].filter(Boolean).join(", ") || null,
    formatted: (args: { withName?: boolean; withCompany?: boolean }) =>
      [
        args.withName ? name : null,
        args.withCompany !== false ? address.company : null,
        address.address1,
        address.address2,
        area || null,
        address.country,
      ].filter((line): line is string => Boolean(line)),
  };
}

export function orderAddressId(orderId: number, kind: "billing" | "shipping"): string {
  return `${gid("MailingAddress", orderId)}?model_name=Address&type=${kind}`;
}

export function customerAddressId(addressId: number): string {
  return `${gid("MailingAddress", addressId)}?model_name=CustomerAddress`;
}
