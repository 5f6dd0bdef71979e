import { numericId, type ShopState } from "../state/shop-state.server";
import type {
  CustomerRecord,
  DiscountApplication,
  FulfillmentOrderRecord,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TransactionRecord,
} from "../state/records.server";
import { userError, type UserError } from "./context.server";
import { addressFromInput } from "./addresses.server";
import { orderAgreement } from "./orders-agreements.server";
import {
  amountOf,
  applyDiscount,
  locationFor,
  taxLine,
  type LineItemInput,
  type MoneyBagInput,
  type OrderCreateInput,
} from "./orders-create-input.server";
import { convertCents, hasRate, presentmentTwin } from "./orders-currency.server";
import { financialStatusFor } from "./orders-money.server";
import { newOrderPaymentTerms } from "./b2b-payment-terms.server";
import { allocate, fromCents, sumCents, taxAt, toCents } from "./money.server";

export type { LineItemInput, OrderCreateInput } from "./orders-create-input.server";

/**
 * Builds the records of `orderCreate` (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/orderCreate)
 * from its input without touching the shop, so a rejected input changes nothing. Facts taken
 * from the input fields' descriptions in the 2026-07 schema:
 * - the financial status, unless given, is derived from the transactions;
 * - order-level tax lines are split across the taxable line items;
 * - one discount code per order; the order's email defaults to the customer's;
 * - `presentmentCurrency` "must be specified if any presentment currencies are used in the
 *   order"; each MoneyBagInput's presentmentMoney is that currency's amount, and where it is
 *   absent the simulator converts the shop amount at its fixed rate (orders-currency);
 * - `giftCard: true` makes the line a gift card sale (LineItem.isGiftCard): not taxable
 *   (gift cards are never taxed) and never discounted by the code;
 * - `companyLocationId` ("The ID of the purchasing company's location for the order") makes the
 *   order a B2B one: Order.purchasingEntity is that location's PurchasingCompany (its contact is
 *   the order's customer when that customer is one of the company's contacts, orders-place), and
 *   the location's payment terms template gives the order its PaymentTerms; `poNumber` is
 *   Order.poNumber. The simulator's choices, not documented: an unknown location is refused
 *   (["order", "companyLocationId"], INVALID) and no contact is chosen for an order without one.
 */

/** The two currencies of the order being built. */
interface Currencies {
  currencyCode: string;
  presentmentCurrencyCode?: string;
}

/** Extras a checkout adds that orderCreate's input cannot express (the /_sim checkout). */
export interface CheckoutExtras {
  /** The customer's tip (Order.totalTipReceivedSet), a line item outside the subtotal. */
  tip?: MoneyBagInput | null;
}

export interface CustomerChoice {
  existing: CustomerRecord | null;
  /** Attributes to create or update a customer with (toUpsert). */
  upsert: Record<string, unknown> | null;
}

export interface BuiltOrder {
  order: OrderRecord;
  customer: CustomerChoice;
  fulfillmentOrders: FulfillmentOrderRecord[];
  fulfillmentLocationId: number | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function chooseCustomer(shop: ShopState, input: OrderCreateInput, errors: UserError[]): CustomerChoice {
  const associate = input.customer?.toAssociate ?? null;
  const upsert = input.customer?.toUpsert ?? null;
  if ((associate && upsert) || (input.customerId && input.customer)) {
    errors.push(
      userError(
        ["order", "customer"],
        "Only one of toAssociate or toUpsert can be provided.",
        "REDUNDANT_CUSTOMER_FIELDS",
      ),
    );
    return { existing: null, upsert: null };
  }
  const byEmail = (email: string | null | undefined) =>
    email
      ? [...shop.customers.values()].find((c) => c.email?.toLowerCase() === email.trim().toLowerCase())
      : undefined;
  if (associate || input.customerId) {
    const id = numericId(associate?.id ?? input.customerId, "Customer");
    const found = id !== null ? shop.customers.get(id) : byEmail(associate?.email);
    if (!found)
      errors.push(userError(["order", "customer", "toAssociate"], "Customer does not exist.", "INVALID"));
    return { existing: found ?? null, upsert: null };
  }
  if (upsert) {
    const id = numericId(upsert.id, "Customer");
    if (upsert.id && (id === null || !shop.customers.has(id))) {
      errors.push(userError(["order", "customer", "toUpsert", "id"], "Customer does not exist.", "INVALID"));
      return { existing: null, upsert: null };
    }
    const existing = (id !== null ? shop.customers.get(id) : undefined) ?? byEmail(upsert.email) ?? null;
    return { existing, upsert };
  }
  return { existing: null, upsert: null };
}

function buildLine(
  shop: ShopState,
  input: LineItemInput,
  index: number,
  errors: UserError[],
  currencies: Currencies,
): LineItemRecord | null {
  const field = ["order", "lineItems", String(index)];
  if (!Number.isInteger(input.quantity) || input.quantity < 1) {
    errors.push(userError([...field, "quantity"], "Quantity must be greater than or equal to 1", "INVALID"));
    return null;
  }
  const variantId = input.variantId ? numericId(input.variantId, "ProductVariant") : null;
  const variant = variantId === null ? undefined : shop.variants.get(variantId);
  if (input.variantId && !variant) {
    errors.push(userError([...field, "variantId"], "Variant does not exist", "INVALID"));
    return null;
  }
  if (!variant && !input.title?.trim()) {
    errors.push(userError([...field, "title"], "Title can't be blank", "INVALID"));
    return null;
  }
  const giftCard = input.giftCard === true;
  if (giftCard && input.taxLines?.length) {
    errors.push(userError([...field, "taxLines"], "Gift cards can't be taxed", "INVALID"));
    return null;
  }
  const product = variant ? shop.products.get(variant.productId) : undefined;
  const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
  const price = input.priceSet ? amountOf(input.priceSet) : toCents(variant?.price ?? 0);
  const presentmentMoney = input.priceSet?.presentmentMoney;
  return {
    id: shop.newId(),
    variantId: variant?.id ?? null,
    productId: product?.id ?? null,
    title: variant ? (product?.title ?? input.title ?? variant.title) : input.title!.trim(),
    variantTitle: variant
      ? variant.title === "Default Title"
        ? null
        : variant.title
      : (input.variantTitle ?? null),
    sku: input.sku ?? variant?.sku ?? null,
    vendor: input.vendor ?? product?.vendor ?? null,
    quantity: input.quantity,
    currentQuantity: input.quantity,
    price: fromCents(price),
    presentmentPrice: presentmentTwin(
      currencies,
      price,
      presentmentMoney ? toCents(presentmentMoney.amount) : null,
    ),
    requiresShipping: input.requiresShipping ?? item?.requiresShipping ?? true,
    taxable: giftCard ? false : (input.taxable ?? variant?.taxable ?? true),
    ...(giftCard ? { giftCard: true } : {}),
    taxLines: [],
    discountAllocations: [],
  };
}

/** Every MoneyBagInput of the input, with where it is (for userErrors). */
function moneyBags(value: unknown, path: string[], found: { path: string[]; bag: MoneyBagInput }[]) {
  if (Array.isArray(value)) value.forEach((item, i) => moneyBags(item, [...path, String(i)], found));
  else if (value && typeof value === "object") {
    if ("shopMoney" in value) found.push({ path, bag: value as MoneyBagInput });
    else for (const [key, item] of Object.entries(value)) moneyBags(item, [...path, key], found);
  }
  return found;
}

/** The input's amounts are in the currencies it names: shop money in `currency`, presentment money in `presentmentCurrency`. */
function checkCurrencies(
  inputs: { value: unknown; path: string[] }[],
  currencies: Currencies,
  errors: UserError[],
) {
  const presentment = currencies.presentmentCurrencyCode ?? currencies.currencyCode;
  if (!hasRate(currencies.currencyCode, presentment))
    errors.push(
      userError(
        ["order", "presentmentCurrency"],
        `The simulator has no exchange rate from ${currencies.currencyCode} to ${presentment}`,
        "INVALID",
      ),
    );
  const bags = inputs.flatMap((input) => moneyBags(input.value, input.path, []));
  for (const { path, bag } of bags) {
    if (bag.shopMoney.currencyCode !== currencies.currencyCode)
      errors.push(
        userError(
          [...path, "shopMoney", "currencyCode"],
          `Shop money must be in the order's currency (${currencies.currencyCode})`,
          "INVALID",
        ),
      );
    if (bag.presentmentMoney && bag.presentmentMoney.currencyCode !== presentment)
      errors.push(
        userError(
          [...path, "presentmentMoney", "currencyCode"],
          `Presentment money must be in the order's presentment currency (${presentment}); presentmentCurrency must be specified if any presentment currencies are used in the order`,
          "INVALID",
        ),
      );
  }
}

/** The input with every amount in the presentment currency (given, or converted), for pricing the order again in it. */
function presentmentInput(input: OrderCreateInput, currencies: Currencies): OrderCreateInput {
  const presentment = currencies.presentmentCurrencyCode ?? currencies.currencyCode;
  const map = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(map);
    if (!value || typeof value !== "object") return value;
    if ("shopMoney" in value) {
      const bag = value as MoneyBagInput;
      const cents = bag.presentmentMoney
        ? toCents(bag.presentmentMoney.amount)
        : convertCents(toCents(bag.shopMoney.amount), currencies.currencyCode, presentment);
      return { shopMoney: { amount: fromCents(cents), currencyCode: presentment } };
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)]));
  };
  return map(input) as OrderCreateInput;
}

/**
 * Prices the lines and shipping in one currency: the discount code's allocations, then the
 * taxes on what is left after discounts, shipping's included ("taxes on shipping follow a
 * shipping discount": a free-shipping code leaves no tax to charge on it).
 */
function priceOrder(
  input: OrderCreateInput,
  lineItems: LineItemRecord[],
  shippingLines: ShippingLineRecord[],
  taxesIncluded: boolean,
): DiscountApplication[] {
  const discountApplications = applyDiscount(input, lineItems, shippingLines);
  const afterDiscounts = (line: { price: string; discountAllocations: { amount: string }[] }, units = 1) =>
    toCents(line.price) * units - sumCents(line.discountAllocations.map((a) => toCents(a.amount)));
  (input.shippingLines ?? []).forEach((shippingInput, i) => {
    const line = shippingLines[i]!;
    line.taxLines = (shippingInput.taxLines ?? []).map((tax) =>
      taxLine(tax, afterDiscounts(line), taxesIncluded),
    );
  });
  (input.lineItems ?? []).forEach((lineInput, i) => {
    const line = lineItems[i]!;
    line.taxLines = (lineInput.taxLines ?? []).map((tax) =>
      taxLine(tax, afterDiscounts(line, line.quantity), taxesIncluded),
    );
  });
  const taxable = lineItems.filter((line) => line.taxable);
  for (const tax of input.taxLines ?? []) {
    // Order-level tax lines are split across the taxable lines by their discounted totals.
    const weights = taxable.map((line) => afterDiscounts(line, line.quantity));
    const amount = tax.priceSet ? amountOf(tax.priceSet) : taxAt(sumCents(weights), tax.rate, taxesIncluded);
    allocate(amount, weights).forEach((share, i) => {
      taxable[i]!.taxLines.push({ title: tax.title, rate: Number(tax.rate), price: fromCents(share) });
    });
  }
  return discountApplications;
}

/** Records the presentment figures of a second pricing beside the shop's, line for line. */
function recordPresentment(
  lines: { shop: LineItemRecord | ShippingLineRecord; presented: LineItemRecord | ShippingLineRecord }[],
) {
  for (const { shop, presented } of lines) {
    shop.taxLines.forEach((tax, i) => {
      tax.presentmentPrice = presented.taxLines[i]?.price ?? "0.00";
    });
    shop.discountAllocations.forEach((allocation) => {
      const twin = presented.discountAllocations.find(
        (candidate) => candidate.discountApplicationIndex === allocation.discountApplicationIndex,
      );
      allocation.presentmentAmount = twin?.amount ?? "0.00";
    });
  }
}

/** The tip line a checkout adds: Shopify's tips are line items, not shipped, not taxed, not discounted. */
function tipLine(shop: ShopState, tip: MoneyBagInput, currencies: Currencies): LineItemRecord {
  const cents = amountOf(tip);
  return {
    id: shop.newId(),
    variantId: null,
    productId: null,
    title: "Tip",
    variantTitle: null,
    sku: null,
    vendor: null,
    quantity: 1,
    currentQuantity: 1,
    price: fromCents(cents),
    presentmentPrice: presentmentTwin(
      currencies,
      cents,
      tip.presentmentMoney ? toCents(tip.presentmentMoney.amount) : null,
    ),
    requiresShipping: false,
    taxable: false,
    tip: true,
    taxLines: [],
    discountAllocations: [],
  };
}

export function buildOrder(
  shop: ShopState,
  input: OrderCreateInput,
  now: Date,
  extras: CheckoutExtras = {},
): { errors: UserError[]; built?: BuiltOrder } {
  const errors: UserError[] = [];
  const currencyCode = input.currency ?? shop.currencyCode;
  const currencies: Currencies = {
    currencyCode,
    ...(input.presentmentCurrency && input.presentmentCurrency !== currencyCode
      ? { presentmentCurrencyCode: input.presentmentCurrency }
      : {}),
  };
  checkCurrencies(
    [
      { value: input, path: ["order"] },
      { value: extras.tip, path: ["tip"] },
    ],
    currencies,
    errors,
  );
  if (extras.tip && amountOf(extras.tip) <= 0)
    errors.push(userError(["tip"], "A tip must be greater than 0", "INVALID"));
  const customer = chooseCustomer(shop, input, errors);
  if (!input.lineItems || input.lineItems.length === 0)
    errors.push(userError(["order", "lineItems"], "Line items must have at least one line item", "INVALID"));
  if (errors.some((error) => error.field?.includes("presentmentCurrency"))) return { errors };
  const lines = (input.lineItems ?? []).map((line, i) => buildLine(shop, line, i, errors, currencies));
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email)) errors.push(userError(["order", "email"], "Email is invalid", "INVALID"));
  const processedAt = input.processedAt ? new Date(input.processedAt) : now;
  if (Number.isNaN(processedAt.getTime()) || processedAt.getTime() > now.getTime())
    errors.push(
      userError(["order", "processedAt"], "Processed at must not be in the future", "PROCESSED_AT_INVALID"),
    );
  if (input.taxLines?.length && input.lineItems?.some((line) => line.taxLines?.length))
    errors.push(
      userError(
        ["order", "taxLines"],
        "Tax lines can be specified on the order or the line items but not both",
        "INVALID",
      ),
    );
  const fulfillmentLocationId = input.fulfillment
    ? numericId(input.fulfillment.locationId, "Location")
    : null;
  if (input.fulfillment && (fulfillmentLocationId === null || !shop.locations.has(fulfillmentLocationId)))
    errors.push(userError(["order", "fulfillment", "locationId"], "Location does not exist", "INVALID"));
  const companyLocationId = input.companyLocationId
    ? numericId(input.companyLocationId, "CompanyLocation")
    : null;
  const companyLocation =
    companyLocationId === null ? undefined : shop.companyLocations.get(companyLocationId);
  if (input.companyLocationId && !companyLocation)
    errors.push(userError(["order", "companyLocationId"], "Company location does not exist", "INVALID"));
  if (errors.length > 0) return { errors };

  const lineItems = lines as LineItemRecord[];
  const taxesIncluded = input.taxesIncluded ?? false;
  const shippingLines: ShippingLineRecord[] = (input.shippingLines ?? []).map((line) => ({
    id: shop.newId(),
    title: line.title,
    code: line.code ?? line.title,
    source: line.source ?? "shopify",
    price: fromCents(amountOf(line.priceSet)),
    presentmentPrice: presentmentTwin(
      currencies,
      amountOf(line.priceSet),
      line.priceSet.presentmentMoney ? toCents(line.priceSet.presentmentMoney.amount) : null,
    ),
    taxLines: [],
    discountAllocations: [],
  }));
  const discountApplications = priceOrder(input, lineItems, shippingLines, taxesIncluded);
  if (currencies.presentmentCurrencyCode) {
    // The same pricing in the presentment currency, from its own amounts (each rounds in its currency).
    const presentedLines = lineItems.map((line) => ({
      ...line,
      price: line.presentmentPrice!,
      taxLines: [],
      discountAllocations: [],
    }));
    const presentedShipping = shippingLines.map((line) => ({
      ...line,
      price: line.presentmentPrice!,
      taxLines: [],
      discountAllocations: [],
    }));
    const presentedApplications = priceOrder(
      presentmentInput(input, currencies),
      presentedLines,
      presentedShipping,
      taxesIncluded,
    );
    recordPresentment([
      ...lineItems.map((line, i) => ({ shop: line, presented: presentedLines[i]! })),
      ...shippingLines.map((line, i) => ({ shop: line, presented: presentedShipping[i]! })),
    ]);
    discountApplications.forEach((application, i) => {
      if (application.valueType === "FIXED_AMOUNT")
        application.presentmentValue = presentedApplications[i]?.value ?? application.value;
    });
  }
  if (extras.tip) lineItems.push(tipLine(shop, extras.tip, currencies));

  const id = shop.newId();
  const number = shop.nextOrderNumber;
  const test = input.test ?? false;
  const transactions: TransactionRecord[] = [];
  for (const transaction of input.transactions ?? []) {
    const kind = transaction.kind ?? "SALE";
    const parent =
      kind === "CAPTURE" || kind === "VOID"
        ? transactions.find((t) => t.kind === "AUTHORIZATION")
        : undefined;
    const at = transaction.processedAt ? new Date(transaction.processedAt) : processedAt;
    const presentmentMoney = transaction.amountSet.presentmentMoney;
    transactions.push({
      id: shop.newId(),
      kind,
      status: transaction.status ?? "SUCCESS",
      gateway: transaction.gateway ?? "manual",
      amount: fromCents(amountOf(transaction.amountSet)),
      presentmentAmount: presentmentTwin(
        currencies,
        amountOf(transaction.amountSet),
        presentmentMoney ? toCents(presentmentMoney.amount) : null,
      ),
      giftCardId: numericId(transaction.giftCardId, "GiftCard"),
      parentId: parent?.id ?? null,
      test: transaction.test ?? test,
      createdAt: now,
      processedAt: at,
    });
  }
  const existingEmail =
    customer.existing?.email ?? (typeof customer.upsert?.email === "string" ? customer.upsert.email : null);
  const order: OrderRecord = {
    id,
    name: input.name?.trim() || `#${number}`,
    number,
    email: email?.toLowerCase() ?? existingEmail?.toLowerCase() ?? null,
    phone: input.phone?.trim() || null,
    customerId: customer.existing?.id ?? null,
    ...currencies,
    sourceName: input.sourceName?.trim() || "api",
    tags: [
      ...new Set(
        (input.tags ?? [])
          .flatMap((tag) => tag.split(","))
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ],
    note: input.note ?? null,
    test,
    taxesIncluded,
    billingAddress: input.billingAddress ? addressFromInput(input.billingAddress) : null,
    shippingAddress: input.shippingAddress ? addressFromInput(input.shippingAddress) : null,
    lineItems,
    shippingLines,
    discountApplications,
    discountCodes: discountApplications.filter((a) => a.code).map((a) => a.code!),
    transactions,
    refunds: [],
    fulfillmentOrderIds: [],
    fulfillmentIds: [],
    displayFinancialStatus: "PENDING",
    displayFulfillmentStatus: "UNFULFILLED",
    cancelledAt: null,
    cancelReason: null,
    closedAt: input.closedAt ? new Date(input.closedAt) : null,
    processedAt,
    createdAt: now,
    updatedAt: now,
  };
  order.displayFinancialStatus = input.financialStatus ?? financialStatusFor(order);
  order.agreements = [orderAgreement(shop, order)];
  if (input.poNumber?.trim()) order.poNumber = input.poNumber.trim();
  if (companyLocation) {
    order.purchasingCompany = {
      companyId: companyLocation.companyId,
      locationId: companyLocation.id,
      contactId: null,
    };
    const templateId = companyLocation.buyerExperience?.paymentTermsTemplateId;
    if (templateId != null) order.paymentTerms = newOrderPaymentTerms(shop, templateId, processedAt);
  }

  const byLocation = new Map<number, LineItemRecord[]>();
  for (const line of lineItems) {
    if (line.tip) continue; // nothing to fulfil: nonFulfillableQuantity ("like a tip")
    const locationId = fulfillmentLocationId ?? locationFor(shop, line);
    if (locationId === null) continue; // a shop without locations cannot assign fulfillment orders
    byLocation.set(locationId, [...(byLocation.get(locationId) ?? []), line]);
  }
  const fulfillmentOrders: FulfillmentOrderRecord[] = [...byLocation].map(([locationId, assigned]) => ({
    id: shop.newId(),
    orderId: id,
    assignedLocationId: locationId,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    lineItems: assigned.map((line) => ({
      id: shop.newId(),
      lineItemId: line.id,
      totalQuantity: line.quantity,
      remainingQuantity: line.quantity,
    })),
    createdAt: now,
    updatedAt: now,
  }));
  order.fulfillmentOrderIds = fulfillmentOrders.map((fo) => fo.id);
  return { errors: [], built: { order, customer, fulfillmentOrders, fulfillmentLocationId } };
}
