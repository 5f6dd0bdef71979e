/**
 * A Shopify Payments dispute on one of an order's charges
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/ShopifyPaymentsDispute: amount,
 * evidenceDueBy, evidenceSentOn, finalizedOn, initiatedAt, order, reasonDetails, status, type).
 * Amounts are decimal strings in the shop's currency.
 */
export interface DisputeRecord {
  id: number;
  orderId: number;
  /** The order transaction (SALE or CAPTURE) disputed. */
  orderTransactionId: number;
  type: "CHARGEBACK" | "INQUIRY";
  /** DisputeStatus: NEEDS_RESPONSE, UNDER_REVIEW, ACCEPTED, WON, LOST, CHARGE_REFUNDED, PREVENTED. */
  status: string;
  /** ShopifyPaymentsDisputeReason, e.g. FRAUDULENT, PRODUCT_NOT_RECEIVED. */
  reason: string;
  networkReasonCode: string;
  amount: string;
  currencyCode: string;
  initiatedAt: Date;
  evidenceDueBy: Date;
  evidenceSentOn: Date | null;
  finalizedOn: Date | null;
}
