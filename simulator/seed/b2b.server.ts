import type {
  Address,
  BalanceTransactionRecord,
  CompanyLocationRecord,
  CompanyRecord,
  OrderRecord,
  PayoutRecord,
} from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import { adjustedPrice } from "../resolvers/b2b-catalog-views.server";
import { addressFromInput } from "../resolvers/addresses.server";
import { fromCents, toCents } from "../resolvers/money.server";

/**
 * Deterministic B2B and Shopify Payments data for a seeded shop: companies with one or two
 * locations, each company with a catalog and a price list (a percentage off, plus fixed prices
 * for a few of the shop's variants when it has any), and daily payouts of the days before `now`,
 * each settling several balance transactions (charges of the shop's paid orders when there are
 * any, some refunds and adjustments). The same sizes, random source and `now` give the same
 * records and ids. No webhooks are sent.
 */

const DAY = 86_400_000;
const NAMES = [
  "Northwind",
  "Maple Leaf",
  "Harbour",
  "Summit",
  "Bluewater",
  "Granite",
  "Cedar",
  "Lakeside",
  "Prairie",
  "Aurora",
];
const KINDS = ["Supply", "Traders", "Outfitters", "Wholesale", "Distribution", "Goods", "Provisions"];
const PLACES = [
  { city: "Ottawa", zoneCode: "ON", countryCode: "CA", zip: "K1P 5J2" },
  { city: "Toronto", zoneCode: "ON", countryCode: "CA", zip: "M5H 2N2" },
  { city: "Montreal", zoneCode: "QC", countryCode: "CA", zip: "H3B 4W8" },
  { city: "Chicago", zoneCode: "IL", countryCode: "US", zip: "60601" },
  { city: "Denver", zoneCode: "CO", countryCode: "US", zip: "80202" },
  { city: "Seattle", zoneCode: "WA", countryCode: "US", zip: "98101" },
];
const STREETS = ["Industrial Pkwy", "Commerce St", "Dock Rd", "Market St", "Warehouse Ave"];
const BUYERS = ["Jordan Lee", "Sam Patel", "Alex Martin", "Robin Chen", "Casey Roy", "Morgan Diaz"];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function companyAddress(random: () => number, company: string): Address {
  const place = pick(random, PLACES);
  return {
    ...addressFromInput({
      company,
      address1: `${10 + Math.floor(random() * 990)} ${pick(random, STREETS)}`,
      city: place.city,
      provinceCode: place.zoneCode,
      countryCode: place.countryCode,
      zip: place.zip,
      phone: `+1555${String(1_000_000 + Math.floor(random() * 8_999_999))}`,
    }),
    recipient: pick(random, BUYERS),
  };
}

function seedLocation(
  shop: ShopState,
  company: CompanyRecord,
  name: string,
  index: number,
  random: () => number,
): CompanyLocationRecord {
  const shipping = companyAddress(random, company.name);
  const sameBilling = random() < 0.6;
  const shippingAddressId = shop.newId();
  const location: CompanyLocationRecord = {
    id: shop.newId(),
    companyId: company.id,
    name,
    externalId: `${company.externalId}-L${index + 1}`,
    billingAddress: sameBilling ? shipping : companyAddress(random, company.name),
    shippingAddress: shipping,
    shippingAddressId,
    billingAddressId: sameBilling ? shippingAddressId : shop.newId(),
    phone: shipping.phone ?? null,
    note: null,
    locale: "en",
    catalogIds: [],
    createdAt: company.createdAt,
    updatedAt: company.createdAt,
  };
  shop.companyLocations.set(location.id, location);
  company.locationIds.push(location.id);
  return location;
}

/** A catalog for the company's locations with a price list: a percentage off and a few fixed prices. */
function seedCatalog(shop: ShopState, company: CompanyRecord, random: () => number): void {
  const catalogId = shop.newId();
  const priceListId = shop.newId();
  const fixedPrices = new Map<number, { price: string; compareAtPrice: string | null }>();
  const variants = [...shop.variants.values()].sort((a, b) => a.id - b.id);
  const fixedCount = Math.min(variants.length, 2 + Math.floor(random() * 4));
  for (let i = 0; i < fixedCount; i++) {
    const variant = pick(random, variants);
    const percent = 70 + Math.floor(random() * 20);
    fixedPrices.set(variant.id, {
      price: adjustedPrice(variant.price, { type: "PERCENTAGE_DECREASE", value: 100 - percent }),
      compareAtPrice: null,
    });
  }
  shop.priceLists.set(priceListId, {
    id: priceListId,
    name: `${company.name} prices`,
    currency: shop.currencyCode,
    catalogId,
    adjustment: { type: "PERCENTAGE_DECREASE", value: 5 + Math.floor(random() * 16) },
    fixedPrices,
    createdAt: company.createdAt,
    updatedAt: company.createdAt,
  });
  shop.catalogs.set(catalogId, {
    id: catalogId,
    title: `${company.name} catalog`,
    status: "ACTIVE",
    companyLocationIds: [...company.locationIds],
    priceListId,
    createdAt: company.createdAt,
    updatedAt: company.createdAt,
  });
  for (const id of company.locationIds) shop.companyLocations.get(id)?.catalogIds.push(catalogId);
}

function seedCompany(
  shop: ShopState,
  index: number,
  random: () => number,
  now: Date,
  locationsPerCompany?: number,
): void {
  const name = `${pick(random, NAMES)} ${pick(random, KINDS)}${index >= NAMES.length ? ` ${index + 1}` : ""}`;
  const createdAt = new Date(now.getTime() - Math.floor((20 + random() * 200) * DAY));
  const company: CompanyRecord = {
    id: shop.newId(),
    name,
    externalId: `CO-${1001 + index}`,
    note: random() < 0.3 ? "Net 30 terms agreed" : null,
    locationIds: [],
    contactCustomerIds: [],
    contacts: [],
    mainContactId: null,
    customerSince: createdAt,
    createdAt,
    updatedAt: createdAt,
  };
  shop.companies.set(company.id, company);
  const locations = locationsPerCompany ?? 1 + (random() < 0.5 ? 1 : 0);
  for (let l = 0; l < locations; l++)
    seedLocation(shop, company, l === 0 ? "Head office" : l === 1 ? "Warehouse" : `Branch ${l}`, l, random);
  // An existing customer (from the orders seed) as the main contact, one company each.
  const customers = [...shop.customers.values()].sort((a, b) => a.id - b.id);
  const customer = customers[index];
  if (customer) {
    const contact = {
      id: shop.newId(),
      customerId: customer.id,
      title: "Purchasing",
      locale: "en",
      createdAt,
      updatedAt: createdAt,
    };
    company.contacts!.push(contact);
    company.contactCustomerIds.push(customer.id);
    company.mainContactId = contact.id;
  }
  seedCatalog(shop, company, random);
}

/** Charges of paid orders, in order, each used once: what Shopify Payments would have settled. */
function paidCharges(shop: ShopState): { order: OrderRecord; transactionId: number; amount: string }[] {
  return [...shop.orders.values()]
    .sort((a, b) => a.id - b.id)
    .flatMap((order) => {
      const sale = order.transactions.find(
        (t) =>
          (t.kind === "SALE" || t.kind === "CAPTURE") &&
          t.status === "SUCCESS" &&
          t.gateway === "shopify_payments",
      );
      return sale ? [{ order, transactionId: sale.id, amount: sale.amount }] : [];
    });
}

/** Shopify Payments' usual card fee: 2.9% + 30¢. */
function cardFee(cents: number): number {
  return Math.round(cents * 0.029) + 30;
}

function seedPayouts(shop: ShopState, count: number, random: () => number, now: Date): void {
  const charges = paidCharges(shop);
  let nextCharge = 0;
  const transaction = (
    payout: PayoutRecord | null,
    type: BalanceTransactionRecord["type"],
    at: Date,
  ): BalanceTransactionRecord => {
    let amount: number;
    let orderId: number | null = null;
    let orderTransactionId: number | null = null;
    const charge = type === "CHARGE" ? charges[nextCharge++] : undefined;
    if (charge) {
      amount = toCents(charge.amount);
      orderId = charge.order.id;
      orderTransactionId = charge.transactionId;
    } else if (type === "CHARGE") amount = 1500 + Math.floor(random() * 15_000);
    else if (type === "REFUND") amount = -(500 + Math.floor(random() * 5_000));
    else amount = (random() < 0.5 ? -1 : 1) * (100 + Math.floor(random() * 2_000));
    const fee = type === "CHARGE" ? cardFee(amount) : 0;
    const record: BalanceTransactionRecord = {
      id: shop.newId(),
      type,
      test: false,
      amount: fromCents(amount),
      fee: fromCents(fee),
      net: fromCents(amount - fee),
      currencyCode: shop.currencyCode,
      orderId,
      orderTransactionId,
      payoutId: payout?.id ?? null,
      transactionDate: at,
    };
    shop.balanceTransactions.set(record.id, record);
    return record;
  };
  for (let p = 0; p < count; p++) {
    const issuedAt = new Date(now.getTime() - (count - p) * DAY);
    issuedAt.setUTCHours(12, 0, 0, 0);
    const payout: PayoutRecord = {
      id: shop.newId(),
      status: p === count - 1 ? "SCHEDULED" : random() < 0.05 ? "FAILED" : "PAID",
      issuedAt,
      net: "0.00",
      currencyCode: shop.currencyCode,
      summary: {
        chargesGross: "0.00",
        chargesFee: "0.00",
        refundsGross: "0.00",
        refundsFee: "0.00",
        adjustmentsGross: "0.00",
        adjustmentsFee: "0.00",
      },
      balanceTransactionIds: [],
    };
    shop.payouts.set(payout.id, payout);
    const size = 3 + Math.floor(random() * 4);
    const sums = { CHARGE: [0, 0], REFUND: [0, 0], ADJUSTMENT: [0, 0] } as Record<string, [number, number]>;
    let net = 0;
    for (let t = 0; t < size; t++) {
      const roll = random();
      const type = roll < 0.75 ? "CHARGE" : roll < 0.92 ? "REFUND" : "ADJUSTMENT";
      const at = new Date(issuedAt.getTime() - DAY - Math.floor(random() * DAY));
      const record = transaction(payout, type, at);
      payout.balanceTransactionIds.push(record.id);
      sums[type]![0] += toCents(record.amount);
      sums[type]![1] += toCents(record.fee);
      net += toCents(record.net);
    }
    payout.net = fromCents(net);
    payout.summary = {
      chargesGross: fromCents(sums.CHARGE![0]),
      chargesFee: fromCents(sums.CHARGE![1]),
      refundsGross: fromCents(sums.REFUND![0]),
      refundsFee: fromCents(sums.REFUND![1]),
      adjustmentsGross: fromCents(sums.ADJUSTMENT![0]),
      adjustmentsFee: fromCents(sums.ADJUSTMENT![1]),
    };
  }
  // Today's charges, not yet paid out: they make up the account's balance.
  if (count > 0)
    for (let t = 0; t < 2; t++) transaction(null, "CHARGE", new Date(now.getTime() - (t + 1) * 3_600_000));
}

export function seedB2b(
  shop: ShopState,
  /** `locationsPerCompany`: exactly that many each (else one or two). */
  sizes: { companies: number; payouts: number; locationsPerCompany?: number },
  random: () => number,
  now: Date,
): void {
  for (let i = 0; i < sizes.companies; i++) seedCompany(shop, i, random, now, sizes.locationsPerCompany);
  seedPayouts(shop, sizes.payouts, random, now);
}
