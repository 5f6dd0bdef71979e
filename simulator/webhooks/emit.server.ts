import type {
  BulkOperationRecord,
  CompanyContactRecord,
  CompanyLocationRecord,
  CompanyRecord,
  CustomerRecord,
  FulfillmentRecord,
  InventoryLevelRecord,
  LocationRecord,
  OrderEditRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
} from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import { fulfilledQuantities } from "../resolvers/orders-state.server";
import { appUninstalledPayload } from "./payloads/app.server";
import { bulkOperationFinishPayload } from "./payloads/bulk-operations.server";
import { companyContactPayload, companyLocationPayload, companyPayload } from "./payloads/companies.server";
import { customerDeletePayload, customerPayload } from "./payloads/customers.server";
import { disputePayload } from "./payloads/disputes.server";
import type { DisputeRecord } from "../state/payments-records.server";
import { fulfillmentPayload } from "./payloads/fulfillments.server";
import { orderEditPayload, orderPayload, restRefund, type OrderEditChanges } from "./payloads/orders.server";
import { locationDeletePayload, locationPayload } from "./payloads/locations.server";
import { marketPayload } from "./payloads/markets.server";
import type { MarketRecord } from "../state/catalog-records.server";
import { shopUpdatePayload } from "./payloads/shop.server";
import {
  inventoryLevelDisconnectPayload,
  inventoryLevelPayload,
  productDeletePayload,
  productPayload,
} from "./payloads/products.server";

/**
 * The one way a resolver sends a webhook: `emitWebhook(context, topic, subject)`. Each topic the
 * simulator sends is listed here with what it is about (an order, a product, a refund of an
 * order...) and how its REST payload is made from that, so a topic is never sent with another
 * topic's payload and the payload is built from the state after the change. Under it,
 * `context.emit` hands the payload to `Simulator.emit`, which finds the topic's subscribers (the
 * app's declared routes, API subscriptions) and gives it to the dispatcher to sign and deliver.
 */

const order = (shop: ShopState, subject: OrderRecord) => orderPayload(shop, subject);
const product = (shop: ShopState, subject: ProductRecord) => productPayload(shop, subject);
const inventoryLevel = (shop: ShopState, subject: InventoryLevelRecord) =>
  inventoryLevelPayload(shop, subject);
const location = (shop: ShopState, subject: LocationRecord) => locationPayload(shop, subject);
const customer = (shop: ShopState, subject: CustomerRecord) => customerPayload(shop, subject);
const company = (shop: ShopState, subject: CompanyRecord) => companyPayload(shop, subject);
const companyLocation = (shop: ShopState, subject: CompanyLocationRecord) =>
  companyLocationPayload(shop, subject);
const companyContact = (
  shop: ShopState,
  subject: { company: CompanyRecord; contact: CompanyContactRecord },
) => companyContactPayload(shop, subject.company, subject.contact);
const fulfillment = (shop: ShopState, subject: { order: OrderRecord; fulfillment: FulfillmentRecord }) =>
  fulfillmentPayload(shop, subject.order, subject.fulfillment);

export const WEBHOOK_TOPICS = {
  "orders/create": order,
  "orders/updated": order,
  "orders/paid": order,
  "orders/cancelled": order,
  "orders/fulfilled": order,
  "orders/partially_fulfilled": order,
  "orders/edited": (
    shop: ShopState,
    subject: { order: OrderRecord; edit: OrderEditRecord; changes: OrderEditChanges },
  ) => orderEditPayload(shop, subject.order, subject.edit, subject.changes),
  "refunds/create": (shop: ShopState, subject: { order: OrderRecord; refund: RefundRecord }) =>
    restRefund(shop, subject.order, subject.refund, fulfilledQuantities(shop, subject.order)),
  "fulfillments/create": fulfillment,
  "fulfillments/update": fulfillment,
  "customers/create": customer,
  "customers/update": customer,
  // Sent after the customer is gone, so its subject is the id it had.
  "customers/delete": (_shop: ShopState, subject: { id: number }) => customerDeletePayload(subject.id),
  // The delete topics carry the whole record as it was (the subject is the removed record).
  "companies/create": company,
  "companies/update": company,
  "companies/delete": company,
  "company_locations/create": companyLocation,
  "company_locations/update": companyLocation,
  "company_locations/delete": companyLocation,
  "company_contacts/create": companyContact,
  "company_contacts/update": companyContact,
  "company_contacts/delete": companyContact,
  "products/create": product,
  "products/update": product,
  // Sent after the product is gone, so its subject is the id it had.
  "products/delete": (_shop: ShopState, subject: { id: number }) => productDeletePayload(subject.id),
  "inventory_levels/connect": inventoryLevel,
  "inventory_levels/update": inventoryLevel,
  // Sent after the level is gone, so its subject is the item and location it joined.
  "inventory_levels/disconnect": (
    _shop: ShopState,
    subject: { inventoryItemId: number; locationId: number },
  ) => inventoryLevelDisconnectPayload(subject),
  "locations/create": location,
  "locations/update": location,
  "locations/activate": location,
  "locations/deactivate": location,
  "locations/delete": (_shop: ShopState, subject: { id: number }) => locationDeletePayload(subject.id),
  // A merchant sets up a market in admin (the control API); catalogs, price lists and
  // publications have no topic of their own.
  "markets/create": (_shop: ShopState, subject: MarketRecord) => marketPayload(subject),
  "bulk_operations/finish": (_shop: ShopState, subject: BulkOperationRecord) =>
    bulkOperationFinishPayload(subject),
  "app/uninstalled": (shop: ShopState, _subject: null) => appUninstalledPayload(shop),
  // The shop itself changed (its time zone, ...); the subject is when.
  "shop/update": (shop: ShopState, subject: { now: Date }) => shopUpdatePayload(shop, subject.now),
  "disputes/create": (_shop: ShopState, subject: DisputeRecord) => disputePayload(subject),
  "disputes/update": (_shop: ShopState, subject: DisputeRecord) => disputePayload(subject),
};

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;

/** What a topic's payload is made from. */
export type WebhookSubject<T extends WebhookTopic> = Parameters<(typeof WEBHOOK_TOPICS)[T]>[1];

/** Where webhooks go: a ResolverContext (and so a MutationEnv made by `contextFor`) is one. */
export interface WebhookEnv {
  shop: ShopState;
  /** Hands a made payload to the shop's subscribers; resolvers call `emitWebhook` instead. */
  emit: (topic: string, payload: unknown) => void;
}

/**
 * Sends `topic` (or each of several topics about the same subject, in order, with one payload
 * made once: `["orders/paid", "orders/updated"]`) about `subject`. Call it after the change has
 * been made and has succeeded.
 */
export function emitWebhook<T extends WebhookTopic>(
  env: WebhookEnv,
  topic: T | readonly T[],
  subject: WebhookSubject<T>,
): void {
  const made = new Map<unknown, unknown>();
  for (const each of typeof topic === "string" ? [topic] : topic) {
    const build = WEBHOOK_TOPICS[each] as (shop: ShopState, subject: WebhookSubject<T>) => unknown;
    if (!made.has(build)) made.set(build, build(env.shop, subject));
    env.emit(each, made.get(build));
  }
}
