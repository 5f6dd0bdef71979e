import { coerceInputValue, isInputType, type GraphQLInputType } from "graphql";
import { loadAdminSchema } from "../graphql/schema.server";
import type { ShopState } from "../state/shop-state.server";
import { gid } from "../state/shop-state.server";
import type { MoneyBagInput, OrderCreateInput } from "./orders-create-input.server";
import { placeOrder, type InventoryBehaviour } from "./orders-place.server";
import type { MutationEnv } from "./context.server";

/**
 * A storefront checkout completing (control API, `POST /_sim/shops/<shop>/checkouts`): the
 * order is placed as orderCreate places it, with what a checkout adds that orderCreate's input
 * cannot express. Today that is a tip: OrderCreateOrderInput has no tip field, while a checkout
 * records the customer's tip as a line item (TipSale.lineItem) counted in
 * Order.totalTipReceivedSet. Nothing here exists on Shopify; the order it makes does.
 *
 * Unlike orderCreate, a checkout claims inventory by default, obeying each variant's inventory
 * policy as a storefront does: the units move from available to committed at the fulfillment
 * order's location, and a DENY variant without enough available cannot be bought (the checkout
 * answers INVENTORY_CLAIM_FAILED and places nothing); a CONTINUE variant sells past its stock.
 * orderCreate keeps its documented default, BYPASS (OrderCreateOptionsInput.inventoryBehaviour
 * "Default: BYPASS", shopify.dev admin-graphql 2026-07); `options.inventoryBehaviour` still
 * says otherwise for a checkout when a test needs it.
 *
 * Body: `{ "order": <OrderCreateOrderInput>, "tip"?: <MoneyBagInput>, "options"?: <OrderCreateOptionsInput> }`.
 * The order and tip are checked against the 2026-07 schema's input types, as a GraphQL
 * request's variables are.
 */

/** How a storefront checkout claims inventory: by each variant's inventory policy. */
export const STOREFRONT_INVENTORY_BEHAVIOUR: InventoryBehaviour = "DECREMENT_OBEYING_POLICY";

/** Input a checkout cannot take; the control API answers it with 400. */
export class CheckoutInputError extends Error {}

function inputType(name: string): GraphQLInputType {
  const type = loadAdminSchema().getType(name);
  if (!type || !isInputType(type)) throw new Error(`no input type ${name}`);
  return type;
}

/** A control API body checked against one of the schema's input types, as variables are (the location routes use it too). */
export function coerce<T>(value: unknown, typeName: string, field: string): T {
  const problems: string[] = [];
  const coerced = coerceInputValue(value, inputType(typeName), (path, _invalid, error) => {
    problems.push(`${[field, ...path].join(".")}: ${error.message}`);
  }) as T;
  if (problems.length > 0) throw new CheckoutInputError(problems.join("; "));
  return coerced;
}

export function checkout(shop: ShopState, body: unknown, env: MutationEnv) {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new CheckoutInputError("body: expected an object with `order`");
  const { order, tip, options, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new CheckoutInputError(`body: unknown keys ${unknown.join(", ")}`);
  if (order === undefined) throw new CheckoutInputError("order: required");
  const input = coerce<OrderCreateInput>(order, "OrderCreateOrderInput", "order");
  const tipInput =
    tip === undefined || tip === null ? null : coerce<MoneyBagInput>(tip, "MoneyBagInput", "tip");
  const createOptions =
    options === undefined || options === null
      ? {}
      : coerce<{ inventoryBehaviour?: InventoryBehaviour | null }>(
          options,
          "OrderCreateOptionsInput",
          "options",
        );
  // Coercion fills in the input type's default (BYPASS), which is orderCreate's: only a
  // behaviour the body names overrides a storefront's.
  const named = (options as { inventoryBehaviour?: unknown } | null | undefined)?.inventoryBehaviour;
  const inventoryBehaviour =
    named === undefined || named === null
      ? STOREFRONT_INVENTORY_BEHAVIOUR
      : (createOptions.inventoryBehaviour ?? STOREFRONT_INVENTORY_BEHAVIOUR);
  const { errors, order: placed } = placeOrder(shop, input, { ...createOptions, inventoryBehaviour }, env, {
    tip: tipInput,
  });
  if (!placed) return { order: null, userErrors: errors };
  return {
    order: { id: gid("Order", placed.id), legacyResourceId: String(placed.id), name: placed.name },
    userErrors: [],
  };
}
