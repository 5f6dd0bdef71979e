import type { GraphQLResolveInfo } from "graphql";
import type { ShopState } from "../state/shop-state.server";
import type { Simulator } from "../simulator.server";
import type { WebhookEnv } from "../webhooks/emit.server";

/**
 * What every resolver gets as GraphQL context: the simulator, the shop the request is for,
 * the clock, and the key of an `@idempotent(key:)` directive on the mutation, if any.
 *
 * Resolvers return plain objects shaped like the schema's types. A property that is a function
 * is called with (args, context, info), as graphql-js does by default, so connection fields
 * take their arguments. A field the object lacks altogether is reported as "not implemented by
 * the simulator", never a silent null; set a property to null when null is the true answer.
 * Objects of interface or union types carry `__typename`.
 */
export interface ResolverContext {
  sim: Simulator;
  shop: ShopState;
  now: () => Date;
  idempotencyKey: string | null;
  /**
   * Hands a webhook payload to the shop's subscribers (the app's declared routes and API
   * subscriptions). Resolvers send webhooks with `emitWebhook(context, topic, subject)`, which
   * makes the topic's payload and calls this.
   */
  emit: (topic: string, payload: unknown) => void;
}

/**
 * What a state change outside GraphQL needs too (the control API's checkouts and line edits):
 * the clock, and the shop and sink `emitWebhook` sends through. A ResolverContext is one.
 */
export interface MutationEnv extends WebhookEnv {
  now: () => Date;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldResolver = (args: any, context: ResolverContext, info: GraphQLResolveInfo) => unknown;

export type FieldMap = Record<string, FieldResolver>;

/** One domain's share of the root Query and Mutation types. */
export interface ResolverModule {
  query?: FieldMap;
  mutation?: FieldMap;
  /** Resolves a GID of one of the module's types for `node`/`nodes`, or undefined when not its type. */
  node?: (type: string, id: number, context: ResolverContext) => unknown;
}

/** A mutation's `userErrors` entry, as Shopify returns them. */
export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export function userError(field: string[] | null, message: string, code?: string): UserError {
  return code ? { field, message, code } : { field, message };
}

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** MoneyV2 and MoneyBag shapes from a decimal string in the shop's currency. */
export function money(amount: string, currencyCode: string) {
  return { amount, currencyCode };
}

export function moneyBag(amount: string, currencyCode: string) {
  return { shopMoney: money(amount, currencyCode), presentmentMoney: money(amount, currencyCode) };
}
