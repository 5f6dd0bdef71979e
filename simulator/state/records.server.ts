/**
 * The simulated store's records. Field names follow the Admin GraphQL API so resolvers stay
 * thin; money is kept as decimal strings in the shop's currency, as Shopify states it, with
 * the same amount in the order's presentment currency beside it (`presentment*`) when the
 * customer paid in another currency (absent: the same as the shop amount).
 * Every record has Shopify's numeric id; its GID is `gid://shopify/<Type>/<id>`.
 */

export interface Address {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  country?: string | null;
  countryCode?: string | null;
  phone?: string | null;
  /** CompanyAddress only: who receives deliveries at the address. */
  recipient?: string | null;
}

export interface LocationRecord {
  id: number;
  name: string;
  address: Address;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductOption {
  id: number;
  name: string;
  values: string[];
  /** Ids of the option values (ProductOptionValue), parallel to `values`. */
  valueIds?: number[];
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  /** ProductStatus (2026-07): UNLISTED is active but reachable only by a direct link. */
  status: "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";
  tags: string[];
  options: ProductOption[];
  variantIds: number[];
  mediaIds: number[];
  /** When the product was published to the online store; null while unpublished. */
  publishedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  selectedOptions: { name: string; value: string }[];
  inventoryItemId: number;
  mediaId: number | null;
  taxable: boolean;
  /** Whether the variant sells when out of stock (CONTINUE) or not (DENY, Shopify's default). */
  inventoryPolicy?: "DENY" | "CONTINUE";
  createdAt: Date;
  updatedAt: Date;
}

export interface InventoryItemRecord {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  unitCost: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Quantity names as Shopify uses them: available, on_hand, committed, incoming, reserved... */
export type QuantityName =
  | "available"
  | "on_hand"
  | "committed"
  | "incoming"
  | "reserved"
  | "damaged"
  | "safety_stock"
  | "quality_control";

export interface InventoryLevelRecord {
  id: number;
  inventoryItemId: number;
  locationId: number;
  quantities: Record<QuantityName, number>;
  createdAt?: Date;
  updatedAt: Date;
}

/** A processing error of a media (MediaError: code, message, details). */
export interface MediaErrorRecord {
  code: string;
  message: string;
  details: string | null;
}

/**
 * A product image (MediaImage). Its bytes, when the simulator holds them (an upload, a merchant's
 * image, a generated seed image), are in `ShopState.mediaBytes` under its id; `url` is where the
 * image is served once READY: a path on the simulator ("/_sim/cdn/..."), made absolute with the
 * simulator's address when answered, or the external URL it was created from when the simulator
 * could not fetch it.
 */
export interface MediaRecord {
  id: number;
  /** The product it is attached to; null once detached (a file of the shop without a product). */
  productId: number | null;
  alt: string;
  url: string;
  /** What the media was created from (CreateMediaInput / FileSetInput `originalSource`). */
  source?: string;
  /** The file's name (FileSetInput `filename`, else the source's last path segment). */
  filename?: string;
  /** Known once processed; null before. */
  mimeType: string | null;
  width: number;
  height: number;
  status: "UPLOADED" | "PROCESSING" | "READY" | "FAILED";
  /** Why processing failed (status FAILED). */
  errors?: MediaErrorRecord[];
  /** Size of the original file in bytes, when known. */
  fileSize?: number | null;
  /** A seed image: the simulator draws it (a plain colour of this RGB) when it is fetched. */
  generated?: { rgb: [number, number, number] } | null;
  /** Bumped when the content changes, the `?v=` of its URL as on Shopify's CDN. */
  version?: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerRecord {
  id: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
  taxExempt: boolean;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  addresses: (Address & { id: number })[];
  defaultAddressId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TaxLine {
  title: string;
  rate: number;
  price: string;
  presentmentPrice?: string;
}

export interface DiscountAllocation {
  amount: string;
  presentmentAmount?: string;
  discountApplicationIndex: number;
}

export interface DiscountApplication {
  index: number;
  type: "DISCOUNT_CODE" | "MANUAL" | "AUTOMATIC" | "SCRIPT";
  code: string | null;
  title: string;
  valueType: "FIXED_AMOUNT" | "PERCENTAGE";
  value: string;
  /** A fixed amount's value in the presentment currency. */
  presentmentValue?: string;
  allocationMethod: "ACROSS" | "EACH" | "ONE";
  targetSelection: "ALL" | "ENTITLED" | "EXPLICIT";
  targetType: "LINE_ITEM" | "SHIPPING_LINE";
}

export interface LineItemRecord {
  id: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  currentQuantity: number;
  price: string;
  presentmentPrice?: string;
  requiresShipping: boolean;
  taxable: boolean;
  /** A gift card sold (LineItem.isGiftCard): never taxed, never discounted, ships nothing. */
  giftCard?: boolean;
  /** A tip added at checkout: Shopify records it as a line item (TipSale.lineItem), outside the subtotal. */
  tip?: boolean;
  taxLines: TaxLine[];
  discountAllocations: DiscountAllocation[];
}

export interface ShippingLineRecord {
  id: number;
  title: string;
  code: string;
  source: string;
  price: string;
  presentmentPrice?: string;
  taxLines: TaxLine[];
  discountAllocations: DiscountAllocation[];
}

export interface TransactionRecord {
  id: number;
  kind: "SALE" | "AUTHORIZATION" | "CAPTURE" | "REFUND" | "VOID";
  status: "SUCCESS" | "PENDING" | "FAILURE" | "ERROR";
  gateway: string;
  amount: string;
  presentmentAmount?: string;
  /** The gift card a `gift_card` transaction was paid with (OrderCreateOrderTransactionInput.giftCardId). */
  giftCardId?: number | null;
  parentId: number | null;
  test: boolean;
  createdAt: Date;
  processedAt: Date;
}

export interface RefundRecord {
  id: number;
  note: string | null;
  createdAt: Date;
  refundLineItems: {
    /** The refund line item's own id (RefundLineItem.id). */
    id?: number;
    lineItemId: number;
    quantity: number;
    subtotal: string;
    totalTax: string;
    presentmentSubtotal?: string;
    presentmentTotalTax?: string;
    restockType: string;
    /** Where the units were restocked (RefundLineItem.location); null without a restock. */
    locationId?: number | null;
  }[];
  /** Shipping given back (RefundShippingLine): its price after discounts, and its tax. */
  refundShippingLines?: {
    id: number;
    shippingLineId: number;
    subtotal: string;
    tax: string;
    presentmentSubtotal?: string;
    presentmentTax?: string;
  }[];
  transactionIds: number[];
}

/** An amount in the shop's currency and in the order's presentment currency. */
export interface MoneyPairRecord {
  shop: string;
  presentment: string;
}

/**
 * A sale record of a sales agreement (Sale, https://shopify.dev/docs/api/admin-graphql/2026-07/interfaces/Sale):
 * what one line of the order, edit or refund came to, frozen when it happened.
 */
export interface SaleRecord {
  id: number;
  lineType: "PRODUCT" | "TIP" | "GIFT_CARD" | "SHIPPING";
  actionType: "ORDER" | "UPDATE" | "RETURN";
  lineItemId: number | null;
  shippingLineId: number | null;
  /** Signed: negative for units removed or returned. */
  quantity: number;
  totalAmount: MoneyPairRecord;
  totalDiscountAmount: MoneyPairRecord;
  totalTaxAmount: MoneyPairRecord;
  taxes: { id: number; title: string; rate: number; amount: MoneyPairRecord }[];
}

/** A sales agreement (SalesAgreement): the order's placement, each committed edit, each refund. */
export interface AgreementRecord {
  id: number;
  reason: "ORDER" | "ORDER_EDIT" | "REFUND";
  happenedAt: Date;
  refundId: number | null;
  sales: SaleRecord[];
}

/**
 * An order edit session (orderEditBegin): the CalculatedOrder and the OrderEditSession share
 * its id. Staged changes are applied to the order only by orderEditCommit.
 */
export interface OrderEditRecord {
  id: number;
  orderId: number;
  createdAt: Date;
  /** Staged quantities of the order's existing lines, by line item id. */
  quantities: { lineItemId: number; quantity: number; restock: boolean }[];
  /** Variants added in the session (orderEditAddVariant), each a new line on commit. */
  added: { id: number; variantId: number; quantity: number; locationId: number | null }[];
  committedAt: Date | null;
}

export interface OrderRecord {
  id: number;
  name: string;
  number: number;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  currencyCode: string;
  /** The currency the customer paid in (Order.presentmentCurrencyCode); absent: the shop's. */
  presentmentCurrencyCode?: string;
  sourceName: string;
  tags: string[];
  note: string | null;
  /** Order.poNumber (OrderCreateOrderInput.poNumber); absent: null. */
  poNumber?: string | null;
  /** The B2B buyer (Order.purchasingEntity, a PurchasingCompany); absent: none. */
  purchasingCompany?: { companyId: number; locationId: number; contactId: number | null } | null;
  /** Order.paymentTerms, from the company location's payment terms template; absent: none. */
  paymentTerms?: OrderPaymentTerms | null;
  test: boolean;
  taxesIncluded: boolean;
  billingAddress: Address | null;
  shippingAddress: Address | null;
  lineItems: LineItemRecord[];
  shippingLines: ShippingLineRecord[];
  discountApplications: DiscountApplication[];
  discountCodes: string[];
  transactions: TransactionRecord[];
  refunds: RefundRecord[];
  /** Sales agreements in the order they happened (Order.agreements). */
  agreements?: AgreementRecord[];
  fulfillmentOrderIds: number[];
  fulfillmentIds: number[];
  displayFinancialStatus:
    | "PENDING"
    | "AUTHORIZED"
    | "PARTIALLY_PAID"
    | "PAID"
    | "PARTIALLY_REFUNDED"
    | "REFUNDED"
    | "VOIDED"
    | "EXPIRED";
  displayFulfillmentStatus:
    | "UNFULFILLED"
    | "PARTIALLY_FULFILLED"
    | "FULFILLED"
    | "RESTOCKED"
    | "PENDING_FULFILLMENT"
    | "OPEN"
    | "IN_PROGRESS"
    | "ON_HOLD"
    | "SCHEDULED"
    | "REQUEST_DECLINED";
  cancelledAt: Date | null;
  cancelReason: string | null;
  closedAt: Date | null;
  processedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Payment terms of an order, with its one payment schedule (PaymentTerms, PaymentSchedule). */
export interface OrderPaymentTerms {
  id: number;
  scheduleId: number;
  /** The PaymentTermsTemplate's numeric id (resolvers/b2b-payment-terms.server.ts). */
  templateId: number;
  issuedAt: Date | null;
  dueAt: Date | null;
}

export interface FulfillmentOrderRecord {
  id: number;
  orderId: number;
  assignedLocationId: number;
  status: "OPEN" | "IN_PROGRESS" | "CLOSED" | "CANCELLED" | "INCOMPLETE" | "ON_HOLD" | "SCHEDULED";
  requestStatus:
    | "UNSUBMITTED"
    | "SUBMITTED"
    | "ACCEPTED"
    | "REJECTED"
    | "CANCELLATION_REQUESTED"
    | "CANCELLATION_ACCEPTED"
    | "CANCELLATION_REJECTED"
    | "CLOSED";
  lineItems: {
    id: number;
    lineItemId: number;
    totalQuantity: number;
    remainingQuantity: number;
    /**
     * Units of the line the order holds in `committed` at the assigned location: claimed at
     * placement (orderCreate's inventoryBehaviour other than BYPASS), released by fulfilling,
     * cancelling, refunding or editing them away. Absent: none.
     */
    committedQuantity?: number;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface FulfillmentRecord {
  id: number;
  orderId: number;
  locationId: number;
  name: string;
  status: "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE" | "OPEN" | "PENDING";
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
  notifyCustomer: boolean;
  lineItems: { id: number; lineItemId: number; quantity: number }[];
  fulfillmentOrderIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export interface CompanyRecord {
  id: number;
  name: string;
  externalId: string | null;
  note: string | null;
  locationIds: number[];
  contactCustomerIds: number[];
  /** The company's contacts (CompanyContact), parallel to `contactCustomerIds`. */
  contacts?: CompanyContactRecord[];
  mainContactId?: number | null;
  /** When the company became a customer; Shopify defaults it to the creation date. */
  customerSince?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface CompanyContactRecord {
  id: number;
  customerId: number;
  title: string | null;
  locale: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CompanyLocationRecord {
  id: number;
  companyId: number;
  name: string;
  externalId: string | null;
  billingAddress: Address | null;
  shippingAddress: Address | null;
  /** Ids of the CompanyAddress objects; equal when billing is the same as shipping. */
  billingAddressId?: number | null;
  shippingAddressId?: number | null;
  phone?: string | null;
  note?: string | null;
  locale?: string | null;
  /** CompanyLocation.taxSettings; absent: no registration, not exempt, no exemptions. */
  taxRegistrationId?: string | null;
  taxExempt?: boolean;
  taxExemptions?: string[];
  /** CompanyLocation.buyerExperienceConfiguration; absent: nothing configured. */
  buyerExperience?: BuyerExperienceRecord | null;
  catalogIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export interface BuyerExperienceRecord {
  /** The PaymentTermsTemplate's numeric id, or null for none. */
  paymentTermsTemplateId: number | null;
  checkoutToDraft: boolean;
  editableShippingAddress: boolean;
  /** A DepositPercentage's percentage, or null for no deposit. */
  depositPercentage: number | null;
}

export interface CatalogRecord {
  id: number;
  title: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT";
  /** What the catalog is for (its GID's type): company locations (absent: the same) or markets. */
  kind?: "COMPANY_LOCATION" | "MARKET";
  companyLocationIds: number[];
  /** A market catalog's markets. */
  marketIds?: number[];
  priceListId: number | null;
  /** Its publication (catalog-records.server.ts), or none: then the sales channel decides. */
  publicationId?: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PriceListRecord {
  id: number;
  name: string;
  currency: string;
  catalogId: number | null;
  /** Percentage adjustment of the shop's prices, applied to variants without a fixed price. */
  adjustment: { type: "PERCENTAGE_DECREASE" | "PERCENTAGE_INCREASE"; value: number } | null;
  /** PriceListAdjustmentSettings.compareAtMode; absent: ADJUSTED, Shopify's default. */
  compareAtMode?: "ADJUSTED" | "NULLIFY";
  fixedPrices: Map<number, { price: string; compareAtPrice: string | null }>;
  createdAt: Date;
  updatedAt: Date;
}

export interface PayoutRecord {
  id: number;
  status: "SCHEDULED" | "IN_TRANSIT" | "PAID" | "FAILED" | "CANCELED";
  issuedAt: Date;
  net: string;
  currencyCode: string;
  summary: {
    chargesGross: string;
    chargesFee: string;
    refundsGross: string;
    refundsFee: string;
    adjustmentsGross: string;
    adjustmentsFee: string;
  };
  balanceTransactionIds: number[];
  /** A payout the ledger made from orders' transactions: PAID from this time (payments-ledger.server.ts). */
  arrivesAt?: Date;
}

export interface BalanceTransactionRecord {
  id: number;
  type: "CHARGE" | "REFUND" | "ADJUSTMENT" | "PAYOUT" | "DISPUTE" | "RESERVED_FUNDS";
  test: boolean;
  amount: string;
  fee: string;
  net: string;
  currencyCode: string;
  orderId: number | null;
  orderTransactionId: number | null;
  payoutId: number | null;
  transactionDate: Date;
  /** Made by the ledger that follows the orders (payments-ledger.server.ts), which pays it out. */
  fromLedger?: boolean;
}

export interface BulkOperationRecord {
  id: number;
  type: "QUERY" | "MUTATION";
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
  query: string;
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** The JSONL result, served at /_sim/bulk/<shop>/<id>.jsonl once completed. */
  resultJsonl: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** Whether the run asked for `groupObjects`. */
  groupObjects?: boolean;
  /** Why a FAILED operation failed (the GraphQL errors of the inner query), for debugging. */
  errorMessages?: string[];
  /**
   * Where the result is served: an absolute URL on the simulator (`<base>/_sim/bulk/<shop>/<id>.jsonl`);
   * null until completed and when there is no data. `partialDataUrl` is the same for FAILED ones.
   */
  url?: string | null;
  partialDataUrl?: string | null;
}

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  callbackUrl: string;
  format: "JSON" | "XML";
  includeFields: string[];
  filter?: string | null;
  name?: string | null;
  metafieldNamespaces?: string[];
  createdAt: Date;
  updatedAt: Date;
}
