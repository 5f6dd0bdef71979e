import type { ShopState } from "../state/shop-state.server";
import type {
  CustomerRecord,
  FulfillmentOrderRecord,
  LineItemRecord,
  OrderRecord,
  ShippingLineRecord,
  TransactionRecord,
} from "../state/records.server";
import { userError, type UserError } from "./context.server";
import { addressFromInput } from "./orders-address.server";
import { allocate, financialStatusFor, fromCents, sumCents, toCents } from "./orders-money.server";
import {
  amountOf,
  applyDiscount,
  locationFor,
  taxLine,
  type LineItemInput,
  type OrderCreateInput,
} from "./orders-create-input.server";
import { numericId } from "./orders-state.server";

export type { LineItemInput, OrderCreateInput } from "./orders-create-input.server";

/**
 * Builds the records of `orderCreate` (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/orderCreate)
 * from its input without touching the shop, so a rejected input changes nothing. Facts taken
 * from the input fields' descriptions in the 2026-07 schema:
 * - the financial status, unless given, is derived from the transactions;
 * - order-level tax lines are split across the taxable line items;
 * - one discount code per order; the order's email defaults to the customer's.
 */

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
  const product = variant ? shop.products.get(variant.productId) : undefined;
  const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
  const price = input.priceSet ? amountOf(input.priceSet) : toCents(variant?.price ?? 0);
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
    requiresShipping: input.requiresShipping ?? item?.requiresShipping ?? true,
    taxable: input.taxable ?? variant?.taxable ?? true,
    taxLines: [],
    discountAllocations: [],
  };
}

export function buildOrder(
  shop: ShopState,
  input: OrderCreateInput,
  now: Date,
): { errors: UserError[]; built?: BuiltOrder } {
  const errors: UserError[] = [];
  const customer = chooseCustomer(shop, input, errors);
  if (!input.lineItems || input.lineItems.length === 0)
    errors.push(userError(["order", "lineItems"], "Line items must have at least one line item", "INVALID"));
  const lines = (input.lineItems ?? []).map((line, i) => buildLine(shop, line, i, errors));
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
  if (errors.length > 0) return { errors };

  const lineItems = lines as LineItemRecord[];
  const shippingLines: ShippingLineRecord[] = (input.shippingLines ?? []).map((line) => ({
    id: shop.newId(),
    title: line.title,
    code: line.code ?? line.title,
    source: line.source ?? "shopify",
    price: fromCents(amountOf(line.priceSet)),
    taxLines: (line.taxLines ?? []).map((tax) => taxLine(tax, amountOf(line.priceSet))),
    discountAllocations: [],
  }));
  const discountApplications = applyDiscount(input, lineItems, shippingLines);
  const discountedTotal = (line: LineItemRecord) =>
    toCents(line.price) * line.quantity - sumCents(line.discountAllocations.map((a) => toCents(a.amount)));
  (input.lineItems ?? []).forEach((lineInput, i) => {
    lineItems[i]!.taxLines = (lineInput.taxLines ?? []).map((tax) =>
      taxLine(tax, discountedTotal(lineItems[i]!)),
    );
  });
  const taxable = lineItems.filter((line) => line.taxable);
  for (const tax of input.taxLines ?? []) {
    // Order-level tax lines are split across the taxable lines by their discounted totals.
    const weights = taxable.map(discountedTotal);
    const amount = tax.priceSet ? amountOf(tax.priceSet) : Math.round(sumCents(weights) * Number(tax.rate));
    allocate(amount, weights).forEach((share, i) => {
      taxable[i]!.taxLines.push({ title: tax.title, rate: Number(tax.rate), price: fromCents(share) });
    });
  }

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
    transactions.push({
      id: shop.newId(),
      kind,
      status: transaction.status ?? "SUCCESS",
      gateway: transaction.gateway ?? "manual",
      amount: fromCents(amountOf(transaction.amountSet)),
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
    currencyCode: input.currency ?? shop.currencyCode,
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
    taxesIncluded: input.taxesIncluded ?? false,
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

  const byLocation = new Map<number, LineItemRecord[]>();
  for (const line of lineItems) {
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
