import type { ShopState } from "../state/shop-state.server";
import type {
  CustomerRecord,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  OrderRecord,
} from "../state/records.server";
import { emitWebhook } from "../webhooks/emit.server";
import { userError, type ResolverContext, type UserError } from "./context.server";
import {
  applyCustomerFields,
  checkCustomerFields,
  newCustomer,
  type CustomerFields,
} from "./customers-resolvers.server";
import { CatalogChanges } from "./catalog-events.server";
import { applyFulfillment, trackingEntries } from "./fulfillments-mutations.server";
import { commitUnits, trackedItemId } from "./orders-inventory.server";
import { addressFromInput } from "./addresses.server";
import {
  buildOrder,
  type BuiltOrder,
  type CheckoutExtras,
  type OrderCreateInput,
} from "./orders-create.server";
import type { MutationEnv } from "./context.server";
import { orderView } from "./orders-views.server";

/**
 * `orderCreate`: checks and builds the order (orders-create), then commits it with its
 * customer, fulfillment orders, optional initial fulfillment and inventory claim, and sends
 * customers/create (for a new customer), orders/create, orders/paid (when created paid),
 * fulfillments/create (when created fulfilled) and inventory_levels/update per level the claim
 * moved (orders-inventory.server.ts). The /_sim checkout places orders through the
 * same code with what a storefront checkout adds and orderCreate cannot express (a tip).
 */

export type InventoryBehaviour = "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY";

/**
 * The inventory claims of an order: one per tracked variant line at its fulfillment order's
 * location, with the variant's inventory policy (DECREMENT_OBEYING_POLICY "Follow the
 * product's inventory policy and claim inventory, if possible": a CONTINUE variant sells past
 * its stock, a DENY one does not — OrderCreateInputsInventoryBehavior, ProductVariantInventoryPolicy).
 */
function inventoryClaims(shop: ShopState, built: BuiltOrder) {
  const claims: {
    itemId: number;
    locationId: number;
    quantity: number;
    index: number;
    line: FulfillmentOrderRecord["lineItems"][number];
    oversell: boolean;
  }[] = [];
  for (const fo of built.fulfillmentOrders)
    for (const foLine of fo.lineItems) {
      const index = built.order.lineItems.findIndex((line) => line.id === foLine.lineItemId);
      const line = built.order.lineItems[index];
      const variant = line?.variantId ? shop.variants.get(line.variantId) : undefined;
      const itemId = trackedItemId(shop, line);
      if (variant && itemId !== null)
        claims.push({
          itemId,
          locationId: fo.assignedLocationId,
          quantity: foLine.totalQuantity,
          index,
          line: foLine,
          oversell: variant.inventoryPolicy === "CONTINUE",
        });
    }
  return claims;
}

function upsertFields(upsert: Record<string, unknown>): CustomerFields {
  const pick = <T>(key: string) => (key in upsert ? (upsert[key] as T) : undefined);
  return {
    email: pick<string | null>("email"),
    phone: pick<string | null>("phone"),
    firstName: pick<string | null>("firstName"),
    lastName: pick<string | null>("lastName"),
    note: pick<string | null>("note"),
    tags: pick<string[] | null>("tags"),
    taxExempt: pick<boolean | null>("taxExempt"),
    addresses: pick<CustomerFields["addresses"]>("addresses"),
  };
}

export function placeOrder(
  shop: ShopState,
  input: OrderCreateInput,
  options: { inventoryBehaviour?: InventoryBehaviour | null },
  env: MutationEnv,
  extras: CheckoutExtras = {},
): { errors: UserError[]; order?: OrderRecord } {
  const now = env.now();
  const { errors, built } = buildOrder(shop, input, now, extras);
  if (!built) return { errors };
  const { order } = built;

  // Check everything before changing anything.
  const upsert = built.customer.upsert ? upsertFields(built.customer.upsert) : null;
  const existing = built.customer.existing;
  if (upsert) {
    // An existing customer found by email keeps it; only new attributes are checked.
    const checked = checkCustomerFields(shop, upsert, existing, ["order", "customer", "toUpsert"]);
    if (checked.errors.length > 0)
      return { errors: checked.errors.map((error) => ({ ...error, code: "INVALID" })) };
  }
  const behaviour = options.inventoryBehaviour ?? "BYPASS";
  const claims = behaviour === "BYPASS" ? [] : inventoryClaims(shop, built);
  if (behaviour === "DECREMENT_OBEYING_POLICY") {
    // Several lines of one item at one location draw on the same available units.
    const wanted = new Map<string, number>();
    const short = claims.find((claim) => {
      const key = `${claim.itemId}:${claim.locationId}`;
      wanted.set(key, (wanted.get(key) ?? 0) + claim.quantity);
      const available = shop.inventoryLevel(claim.itemId, claim.locationId)?.quantities.available ?? 0;
      return !claim.oversell && available < wanted.get(key)!;
    });
    if (short)
      return {
        errors: [
          userError(
            ["order", "lineItems", String(short.index)],
            "Unable to claim inventory for the line item.",
            "INVENTORY_CLAIM_FAILED",
          ),
        ],
      };
  }

  let customer: CustomerRecord | null = existing;
  let createdCustomer = false;
  if (upsert) {
    const checked = checkCustomerFields(shop, upsert, existing, ["order", "customer", "toUpsert"]);
    if (!customer) {
      customer = newCustomer(shop, now);
      createdCustomer = true;
      applyCustomerFields(shop, customer, upsert, checked);
      shop.customers.set(customer.id, customer);
    } else {
      const { addresses, ...scalars } = upsert;
      applyCustomerFields(shop, customer, scalars, checked);
      for (const address of addresses ?? []) {
        customer.addresses.push({ id: shop.newId(), ...addressFromInput(address) });
        customer.defaultAddressId ??= customer.addresses[0]?.id ?? null;
      }
      customer.updatedAt = now;
    }
  }
  if (customer) {
    order.customerId = customer.id;
    order.email ??= customer.email;
  }
  if (order.purchasingCompany && customer) {
    // The buyer of a B2B order is the company's contact that is the order's customer.
    const contact = shop.companies
      .get(order.purchasingCompany.companyId)
      ?.contacts?.find((candidate) => candidate.customerId === customer.id);
    order.purchasingCompany.contactId = contact?.id ?? null;
  }
  shop.nextOrderNumber = Math.max(shop.nextOrderNumber, order.number) + 1;
  shop.orders.set(order.id, order);
  for (const fo of built.fulfillmentOrders) shop.fulfillmentOrders.set(fo.id, fo);
  const inventory = new CatalogChanges();
  for (const claim of claims) {
    const level = shop.inventoryLevel(claim.itemId, claim.locationId);
    if (level) commitUnits(level, claim.line, claim.quantity, now, inventory);
  }

  const fulfillments: FulfillmentRecord[] = [];
  if (input.fulfillmentStatus === "FULFILLED") {
    for (const fo of built.fulfillmentOrders) {
      const picks = fo.lineItems.map((line) => ({
        fulfillmentOrder: fo,
        lineId: line.id,
        quantity: line.remainingQuantity,
      }));
      fulfillments.push(
        applyFulfillment(shop, order, picks, {
          tracking: trackingEntries({
            company: input.fulfillment?.trackingCompany,
            number: input.fulfillment?.trackingNumber,
          }),
          notifyCustomer: input.fulfillment?.notifyCustomer ?? false,
          now,
          inventory,
        }),
      );
    }
    order.updatedAt = now;
  }

  if (customer && createdCustomer) emitWebhook(env, "customers/create", customer);
  else if (customer && upsert) emitWebhook(env, "customers/update", customer);
  emitWebhook(
    env,
    order.displayFinancialStatus === "PAID" ? ["orders/create", "orders/paid"] : "orders/create",
    order,
  );
  for (const fulfillment of fulfillments) emitWebhook(env, "fulfillments/create", { order, fulfillment });
  if (fulfillments.length > 0) emitWebhook(env, "orders/fulfilled", order);
  inventory.emit(env);
  return { errors: [], order };
}

export function orderCreateResolver(
  args: { order: OrderCreateInput; options?: { inventoryBehaviour?: InventoryBehaviour | null } | null },
  context: ResolverContext,
) {
  const { errors, order } = placeOrder(context.shop, args.order, args.options ?? {}, context);
  if (!order) return { order: null, userErrors: errors };
  return { order: orderView(context.shop, order), userErrors: [] };
}
