import type {
  BalanceTransactionRecord,
  BulkOperationRecord,
  CatalogRecord,
  CompanyLocationRecord,
  CompanyRecord,
  CustomerRecord,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  InventoryItemRecord,
  InventoryLevelRecord,
  LocationRecord,
  MediaRecord,
  OrderEditRecord,
  OrderRecord,
  PayoutRecord,
  PriceListRecord,
  ProductRecord,
  VariantRecord,
  WebhookSubscriptionRecord,
} from "./records.server";
import type { MarketRecord, PublicationRecord } from "./catalog-records.server";
import type { DisputeRecord } from "./payments-records.server";

export type Plan = "standard" | "advanced" | "plus";

/** Shopify's GID for a record: gid://shopify/<Type>/<id>. */
export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id of a GID of the expected type, or null when it is not one. */
export function parseGid(value: unknown, type: string): number | null {
  if (typeof value !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match || match[1] !== type) return null;
  return Number(match[2]);
}

/** An id as inputs give it: a number, digits, or a GID of `type`. */
export function numericId(value: unknown, type: string): number | null {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return parseGid(value, type);
}

/**
 * Everything one simulated shop holds. Collections are keyed by numeric id; ids are allocated
 * from one counter per shop, so they are deterministic for a given sequence of operations.
 */
export class ShopState {
  readonly domain: string;
  readonly name: string;
  plan: Plan;
  currencyCode = "USD";
  ianaTimezone = "America/New_York";
  email: string;
  readonly createdAt: Date;
  private nextIdValue: number;
  nextOrderNumber = 1001;

  readonly locations = new Map<number, LocationRecord>();
  readonly products = new Map<number, ProductRecord>();
  readonly variants = new Map<number, VariantRecord>();
  readonly inventoryItems = new Map<number, InventoryItemRecord>();
  /** Keyed by `${inventoryItemId}:${locationId}`. */
  readonly inventoryLevels = new Map<string, InventoryLevelRecord>();
  readonly media = new Map<number, MediaRecord>();
  /** The bytes of media the simulator hosts, by media id (the image an upload or a merchant gave). */
  readonly mediaBytes = new Map<number, Uint8Array>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly fulfillmentOrders = new Map<number, FulfillmentOrderRecord>();
  readonly fulfillments = new Map<number, FulfillmentRecord>();
  readonly companies = new Map<number, CompanyRecord>();
  readonly companyLocations = new Map<number, CompanyLocationRecord>();
  readonly catalogs = new Map<number, CatalogRecord>();
  readonly priceLists = new Map<number, PriceListRecord>();
  readonly markets = new Map<number, MarketRecord>();
  readonly publications = new Map<number, PublicationRecord>();
  readonly payouts = new Map<number, PayoutRecord>();
  readonly balanceTransactions = new Map<number, BalanceTransactionRecord>();
  /** Shopify Payments disputes (resolvers/payments-ledger.server.ts). */
  readonly disputes = new Map<number, DisputeRecord>();
  readonly bulkOperations = new Map<number, BulkOperationRecord>();
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  /** Order edit sessions (orderEditBegin), open or committed, by id. */
  readonly orderEdits = new Map<number, OrderEditRecord>();
  /** Results of mutations sent with @idempotent(key:), by key, so a repeat returns the first result. */
  readonly idempotency = new Map<string, unknown>();

  constructor(domain: string, options: { plan: Plan; createdAt: Date; firstId?: number }) {
    this.domain = domain;
    this.name = domain.replace(/\.myshopify\.com$/, "");
    this.email = `owner@${domain}`;
    this.plan = options.plan;
    this.createdAt = options.createdAt;
    this.nextIdValue = options.firstId ?? 1_000_001;
  }

  newId(): number {
    return this.nextIdValue++;
  }

  inventoryLevel(inventoryItemId: number, locationId: number): InventoryLevelRecord | undefined {
    return this.inventoryLevels.get(`${inventoryItemId}:${locationId}`);
  }
}
