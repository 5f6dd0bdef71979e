import type { BalanceTransactionRecord, PayoutRecord } from "../state/records.server";
import { gid, type ShopState } from "../state/shop-state.server";
import { connection, type ConnectionArgs } from "./connection.server";
import { iso, money, type FieldMap, type ResolverContext } from "./context.server";
import { decimal, fromCents, toCents } from "./money.server";
import { disputesConnection, settlePayments } from "./payments-ledger.server";
import { search, type SearchFields } from "./search.server";
import { shopNumericId } from "./shop-query.server";

/**
 * Shopify Payments: `shopifyPaymentsAccount` with its payouts and balance transactions
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/objects/ShopifyPaymentsAccount,
 * .../ShopifyPaymentsPayout, .../ShopifyPaymentsBalanceTransaction). Payouts sort by ISSUED_AT and
 * balance transactions by PROCESSED_AT unless asked otherwise, as the schema's defaults say.
 * IDs, BigInt and UnsignedInt64 values are strings, as Shopify serialises them.
 */

type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };

function transactionType(payout: PayoutRecord): "DEPOSIT" | "WITHDRAWAL" {
  return toCents(payout.net) < 0 ? "WITHDRAWAL" : "DEPOSIT";
}

const PAYOUT_SEARCH: SearchFields<PayoutRecord> = {
  fields: {
    id: (p) => p.id,
    status: (p) => p.status.toLowerCase(),
    issued_at: (p) => p.issuedAt,
    amount: (p) => toCents(p.net) / 100,
    currency: (p) => p.currencyCode,
    transaction_type: (p) => transactionType(p).toLowerCase(),
  },
  defaultFields: [],
};

function payoutGross(payout: PayoutRecord): number {
  const s = payout.summary;
  return toCents(s.chargesGross) + toCents(s.refundsGross) + toCents(s.adjustmentsGross);
}

const PAYOUT_SORT: Record<string, (p: PayoutRecord) => number> = {
  ID: (p) => p.id,
  ISSUED_AT: (p) => p.issuedAt.getTime(),
  AMOUNT: (p) => toCents(p.net),
  CHARGE_GROSS: (p) => toCents(p.summary.chargesGross),
  REFUND_GROSS: (p) => toCents(p.summary.refundsGross),
  ADJUSTMENT_GROSS: (p) => toCents(p.summary.adjustmentsGross),
  FEE_AMOUNT: (p) =>
    toCents(p.summary.chargesFee) + toCents(p.summary.refundsFee) + toCents(p.summary.adjustmentsFee),
  STATUS: (p) => ["SCHEDULED", "IN_TRANSIT", "PAID", "FAILED", "CANCELED"].indexOf(p.status),
};

export function payoutView(payout: PayoutRecord) {
  const m = (amount: string) => money(decimal(amount), payout.currencyCode);
  const s = payout.summary;
  const zero = m("0");
  return {
    __typename: "ShopifyPaymentsPayout",
    id: gid("ShopifyPaymentsPayout", payout.id),
    legacyResourceId: String(payout.id),
    status: payout.status,
    issuedAt: iso(payout.issuedAt),
    net: m(payout.net),
    gross: m(fromCents(payoutGross(payout))),
    transactionType: transactionType(payout),
    externalTraceId: null,
    bankAccount: null,
    summary: {
      chargesGross: m(s.chargesGross),
      chargesFee: m(s.chargesFee),
      refundsFeeGross: m(s.refundsGross),
      refundsFee: m(s.refundsFee),
      adjustmentsGross: m(s.adjustmentsGross),
      adjustmentsFee: m(s.adjustmentsFee),
      advanceGross: zero,
      advanceFees: zero,
      reservedFundsGross: zero,
      reservedFundsFee: zero,
      retriedPayoutsGross: zero,
      retriedPayoutsFee: zero,
      usdcRebateCreditAmount: zero,
    },
  };
}

/** Our ledger kinds as the API's transaction and source types. */
const TYPES: Record<BalanceTransactionRecord["type"], { type: string; sourceType: string }> = {
  CHARGE: { type: "CHARGE", sourceType: "CHARGE" },
  REFUND: { type: "REFUND", sourceType: "REFUND" },
  ADJUSTMENT: { type: "ADJUSTMENT", sourceType: "ADJUSTMENT" },
  PAYOUT: { type: "TRANSFER", sourceType: "TRANSFER" },
  DISPUTE: { type: "DISPUTE_WITHDRAWAL", sourceType: "DISPUTE" },
  RESERVED_FUNDS: { type: "RESERVED_FUNDS", sourceType: "SYSTEM_ADJUSTMENT" },
};

function payoutOf(shop: ShopState, transaction: BalanceTransactionRecord): PayoutRecord | undefined {
  return transaction.payoutId === null ? undefined : shop.payouts.get(transaction.payoutId);
}

function balanceSearch(shop: ShopState): SearchFields<BalanceTransactionRecord> {
  return {
    fields: {
      id: (t) => t.id,
      payout_id: (t) => t.payoutId,
      // A date without time, so `payout_date:2026-07-01` matches the day.
      payout_date: (t) => payoutOf(shop, t)?.issuedAt.toISOString().slice(0, 10) ?? null,
      payout_status: (t) => (payoutOf(shop, t)?.status ?? "PENDING").toLowerCase(),
      processed_at: (t) => t.transactionDate,
      transaction_type: (t) => TYPES[t.type].type.toLowerCase(),
      test: (t) => t.test,
      order_id: (t) => t.orderId,
      amount: (t) => toCents(t.amount) / 100,
    },
    defaultFields: [],
  };
}

function balanceSort(shop: ShopState, key: string): (t: BalanceTransactionRecord) => number | string {
  switch (key) {
    case "ID":
      return (t) => t.id;
    case "AMOUNT":
      return (t) => toCents(t.amount);
    case "FEE":
      return (t) => toCents(t.fee);
    case "NET":
      return (t) => toCents(t.net);
    case "PAYOUT_DATE":
      return (t) => payoutOf(shop, t)?.issuedAt.getTime() ?? Number.MAX_SAFE_INTEGER;
    case "PAYOUT_STATUS":
      return (t) => payoutOf(shop, t)?.status ?? "PENDING";
    case "TRANSACTION_TYPE":
      return (t) => TYPES[t.type].type;
    case "ORDER_NAME":
      return (t) => (t.orderId === null ? "" : (shop.orders.get(t.orderId)?.name ?? ""));
    default:
      return (t) => t.transactionDate.getTime();
  }
}

export function balanceTransactionView(shop: ShopState, transaction: BalanceTransactionRecord) {
  const m = (amount: string) => money(decimal(amount), transaction.currencyCode);
  const order = transaction.orderId === null ? undefined : shop.orders.get(transaction.orderId);
  const payout = payoutOf(shop, transaction);
  const kind = TYPES[transaction.type];
  return {
    __typename: "ShopifyPaymentsBalanceTransaction",
    id: gid("ShopifyPaymentsBalanceTransaction", transaction.id),
    type: kind.type,
    sourceType: kind.sourceType,
    sourceId: String(transaction.orderTransactionId ?? transaction.payoutId ?? transaction.id),
    sourceOrderTransactionId:
      transaction.orderTransactionId === null ? null : String(transaction.orderTransactionId),
    test: transaction.test,
    amount: m(transaction.amount),
    fee: m(transaction.fee),
    net: m(transaction.net),
    transactionDate: iso(transaction.transactionDate),
    adjustmentReason: transaction.type === "ADJUSTMENT" ? "adjustment" : null,
    adjustmentsOrders: [],
    associatedOrder: order ? { id: gid("Order", order.id), name: order.name } : null,
    associatedPayout: {
      id: payout ? gid("ShopifyPaymentsPayout", payout.id) : null,
      status: payout ? payout.status : "PENDING",
    },
  };
}

export function shopifyPaymentsAccountView(shop: ShopState) {
  const pending = [...shop.balanceTransactions.values()].filter((t) => t.payoutId === null);
  const balance = pending.reduce((sum, t) => sum + toCents(t.net), 0);
  const firstLocation = [...shop.locations.values()].sort((a, b) => a.id - b.id)[0];
  return {
    __typename: "ShopifyPaymentsAccount",
    id: gid("ShopifyPaymentsAccount", shopNumericId(shop)),
    activated: true,
    onboardable: false,
    accountOpenerName: null,
    country: firstLocation?.address.countryCode ?? "US",
    defaultCurrency: shop.currencyCode,
    balance: [money(decimal(fromCents(balance)), shop.currencyCode)],
    payoutSchedule: { interval: "DAILY", monthlyAnchor: null, weeklyAnchor: null },
    payoutStatementDescriptor: shop.name.slice(0, 22).toUpperCase(),
    disputes: (args: ConnectionArgs & { query?: string | null }) => disputesConnection(shop, args),
    payouts: (args: ListArgs & { transactionType?: string | null }) => {
      const found = search(shop.payouts.values(), args.query, PAYOUT_SEARCH).filter(
        (p) => !args.transactionType || transactionType(p) === args.transactionType,
      );
      return connection(
        found,
        args,
        { key: PAYOUT_SORT[args.sortKey ?? "ISSUED_AT"] ?? PAYOUT_SORT.ISSUED_AT!, id: (p) => p.id },
        payoutView,
      );
    },
    balanceTransactions: (args: ListArgs & { hideTransfers?: boolean | null }) => {
      const found = search(shop.balanceTransactions.values(), args.query, balanceSearch(shop)).filter(
        (t) => !args.hideTransfers || t.type !== "PAYOUT",
      );
      return connection(
        found,
        args,
        { key: balanceSort(shop, args.sortKey ?? "PROCESSED_AT"), id: (t) => t.id },
        (t) => balanceTransactionView(shop, t),
      );
    },
  };
}

export const paymentsQueries: FieldMap = {
  // The ledger follows the orders' payments up to now before it is read (payments-ledger.server.ts).
  shopifyPaymentsAccount: (_args: unknown, { shop, now }: ResolverContext) => {
    settlePayments(shop, now());
    return shopifyPaymentsAccountView(shop);
  },
};

/** ShopifyPaymentsPayout and ShopifyPaymentsBalanceTransaction for `node`. */
export function paymentsNode(shop: ShopState, type: string, id: number): unknown {
  if (type === "ShopifyPaymentsPayout") {
    const payout = shop.payouts.get(id);
    return payout ? payoutView(payout) : null;
  }
  if (type === "ShopifyPaymentsBalanceTransaction") {
    const transaction = shop.balanceTransactions.get(id);
    return transaction ? balanceTransactionView(shop, transaction) : null;
  }
  if (type === "ShopifyPaymentsAccount")
    return id === shopNumericId(shop) ? shopifyPaymentsAccountView(shop) : null;
  return undefined;
}
