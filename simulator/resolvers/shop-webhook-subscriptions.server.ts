import type { WebhookSubscriptionRecord } from "../state/records.server";
import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import { SIM_API_VERSION } from "../simulator.server";
import { connection, type ConnectionArgs, countOf } from "./connection.server";
import { iso, userError, type FieldMap, type ResolverContext, type UserError } from "./context.server";
import { search, type SearchFields } from "./search.server";

/**
 * Webhook subscriptions made through the API (https://shopify.dev/docs/api/admin-graphql/2026-07/
 * mutations/webhookSubscriptionCreate and siblings). In 2026-07 the address is `uri` (the
 * deprecated `callbackUrl` is still accepted); topics are stored in their enum form
 * (ORDERS_CREATE), which is how the simulator's dispatcher matches them. Only HTTP(S) addresses
 * are accepted: the simulator cannot deliver to Pub/Sub or EventBridge.
 */

type ListArgs = ConnectionArgs & {
  query?: string | null;
  sortKey?: string | null;
  topics?: string[] | null;
  uri?: string | null;
  callbackUrl?: string | null;
  format?: string | null;
};

interface SubscriptionInput {
  uri?: string | null;
  callbackUrl?: string | null;
  format?: "JSON" | "XML" | null;
  includeFields?: string[] | null;
  metafieldNamespaces?: string[] | null;
  filter?: string | null;
  name?: string | null;
}

const SEARCH: SearchFields<WebhookSubscriptionRecord> = {
  fields: {
    id: (s) => s.id,
    topic: (s) => s.topic,
    created_at: (s) => s.createdAt,
    updated_at: (s) => s.updatedAt,
    uri: (s) => s.callbackUrl,
  },
  defaultFields: ["topic"],
};

export function webhookSubscriptionView(subscription: WebhookSubscriptionRecord) {
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", subscription.id),
    legacyResourceId: String(subscription.id),
    topic: subscription.topic,
    uri: subscription.callbackUrl,
    callbackUrl: subscription.callbackUrl,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: subscription.callbackUrl },
    format: subscription.format,
    includeFields: subscription.includeFields,
    metafieldNamespaces: subscription.metafieldNamespaces ?? [],
    metafields: [],
    filter: subscription.filter ?? null,
    name: subscription.name ?? null,
    apiVersion: { handle: SIM_API_VERSION, displayName: SIM_API_VERSION, supported: true },
    createdAt: iso(subscription.createdAt),
    updatedAt: iso(subscription.updatedAt),
  };
}

function find(shop: ShopState, id: unknown): WebhookSubscriptionRecord | undefined {
  const numeric = parseGid(id, "WebhookSubscription");
  return numeric === null ? undefined : shop.webhookSubscriptions.get(numeric);
}

/** The address of the input and the field the client used to give it. */
function addressOf(input: SubscriptionInput): { address: string | null; field: string[] } {
  const key = input.uri != null ? "uri" : "callbackUrl";
  return {
    address: (input.uri ?? input.callbackUrl ?? "").trim() || null,
    field: ["webhookSubscription", key],
  };
}

function addressErrors(
  shop: ShopState,
  topic: string,
  input: SubscriptionInput,
  exceptId?: number,
): { address: string; errors: UserError[] } {
  const { address, field } = addressOf(input);
  if (!address) return { address: "", errors: [userError(field, "Address can't be blank")] };
  let url: URL | null = null;
  try {
    url = new URL(address);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    return { address, errors: [userError(field, "Address is invalid")] };
  const taken = [...shop.webhookSubscriptions.values()].some(
    (s) =>
      s.id !== exceptId &&
      s.topic === topic &&
      s.callbackUrl === address &&
      (s.filter ?? null) === (input.filter ?? null),
  );
  if (taken) return { address, errors: [userError(field, "Address for this topic has already been taken")] };
  return { address, errors: [] };
}

function webhookSubscriptionCreate(
  args: { topic: string; webhookSubscription: SubscriptionInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const input = args.webhookSubscription;
  const { address, errors } = addressErrors(shop, args.topic, input);
  if (errors.length > 0) return { webhookSubscription: null, userErrors: errors };
  const now = context.now();
  const subscription: WebhookSubscriptionRecord = {
    id: shop.newId(),
    topic: args.topic,
    callbackUrl: address,
    format: input.format ?? "JSON",
    includeFields: input.includeFields ?? [],
    metafieldNamespaces: input.metafieldNamespaces ?? [],
    filter: input.filter ?? null,
    name: input.name ?? null,
    createdAt: now,
    updatedAt: now,
  };
  shop.webhookSubscriptions.set(subscription.id, subscription);
  return { webhookSubscription: webhookSubscriptionView(subscription), userErrors: [] };
}

function webhookSubscriptionUpdate(
  args: { id: string; webhookSubscription: SubscriptionInput },
  context: ResolverContext,
) {
  const { shop } = context;
  const subscription = find(shop, args.id);
  if (!subscription)
    return {
      webhookSubscription: null,
      userErrors: [userError(["id"], "Webhook subscription does not exist")],
    };
  const input = args.webhookSubscription;
  const given = addressOf(input).address !== null;
  const merged: SubscriptionInput = {
    ...input,
    uri: given ? addressOf(input).address : subscription.callbackUrl,
  };
  if (input.filter === undefined) merged.filter = subscription.filter ?? null;
  const { address, errors } = addressErrors(shop, subscription.topic, merged, subscription.id);
  if (errors.length > 0) return { webhookSubscription: null, userErrors: errors };
  subscription.callbackUrl = address;
  if (input.format != null) subscription.format = input.format;
  if (input.includeFields != null) subscription.includeFields = input.includeFields;
  if (input.metafieldNamespaces != null) subscription.metafieldNamespaces = input.metafieldNamespaces;
  if (input.filter !== undefined) subscription.filter = input.filter;
  if (input.name !== undefined) subscription.name = input.name;
  subscription.updatedAt = context.now();
  return { webhookSubscription: webhookSubscriptionView(subscription), userErrors: [] };
}

function webhookSubscriptionDelete(args: { id: string }, context: ResolverContext) {
  const subscription = find(context.shop, args.id);
  if (!subscription)
    return {
      deletedWebhookSubscriptionId: null,
      userErrors: [userError(["id"], "Webhook subscription does not exist")],
    };
  context.shop.webhookSubscriptions.delete(subscription.id);
  return { deletedWebhookSubscriptionId: gid("WebhookSubscription", subscription.id), userErrors: [] };
}

function listed(shop: ShopState, args: ListArgs): WebhookSubscriptionRecord[] {
  const address = args.uri ?? args.callbackUrl ?? null;
  return search(shop.webhookSubscriptions.values(), args.query, SEARCH)
    .filter((s) => !args.topics || args.topics.length === 0 || args.topics.includes(s.topic))
    .filter((s) => address === null || s.callbackUrl === address)
    .filter((s) => !args.format || s.format === args.format);
}

export const webhookQueries: FieldMap = {
  webhookSubscriptions: (args: ListArgs, { shop }: ResolverContext) =>
    connection(
      listed(shop, args),
      args,
      { key: args.sortKey === "ID" ? (s) => s.id : (s) => s.createdAt.getTime(), id: (s) => s.id },
      webhookSubscriptionView,
    ),
  webhookSubscriptionsCount: (
    args: { query?: string | null; limit?: number | null },
    { shop }: ResolverContext,
  ) => {
    return countOf(listed(shop, args).length, args.limit);
  },
  webhookSubscription: (args: { id: string }, { shop }: ResolverContext) => {
    const subscription = find(shop, args.id);
    return subscription ? webhookSubscriptionView(subscription) : null;
  },
};

export const webhookMutations: FieldMap = {
  webhookSubscriptionCreate,
  webhookSubscriptionUpdate,
  webhookSubscriptionDelete,
};
