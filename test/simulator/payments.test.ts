/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- GraphQL responses are untyped JSON here; the assertions check their shape. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulatorServer } from "../../simulator/http/server.server";
import { ADA, ADDRESS, fixture, money, ORDER_CREATE, schemaErrors, type Fixture } from "./orders-helpers";

/**
 * Shopify Payments following the shop's orders (simulator/resolvers/payments-ledger.server.ts):
 * charges and refunds through `shopify_payments` become balance transactions with the
 * simulator's fee (2.9% + 0.30), a day's become one payout after the day, PAID a day later;
 * disputes opened through the control API. Every figure is worked out by hand.
 */

const DAY = 86_400_000;

const ACCOUNT = `query Account($payouts: String, $balance: String) { shopifyPaymentsAccount {
  balance { amount currencyCode }
  payouts(first: 10, query: $payouts) { nodes { id status issuedAt transactionType
    net { amount currencyCode } gross { amount }
    summary { chargesGross { amount } chargesFee { amount } refundsFeeGross { amount } refundsFee { amount }
      adjustmentsGross { amount } adjustmentsFee { amount } } } }
  balanceTransactions(first: 20, query: $balance, sortKey: ID) { nodes { id type test sourceType
    sourceOrderTransactionId amount { amount } fee { amount } net { amount } transactionDate
    adjustmentReason associatedOrder { id } associatedPayout { id status } } }
  disputes(first: 10) { nodes { id status amount { amount } } }
} }`;

const REFUND = `mutation Refund($input: RefundInput!) { refundCreate(input: $input) {
  userErrors { field message } refund { id transactions(first: 5) { nodes { id } } } } }`;

const TRANSACTIONS = `query Tx($id: ID!) { order(id: $id) { paymentGatewayNames
  transactions(first: 10) { id kind status gateway formattedGateway amountSet { shopMoney { amount } } } } }`;

async function place(f: Fixture, transactions: unknown[]) {
  const data = await f.gql(ORDER_CREATE, {
    order: {
      email: "ada@example.com",
      customer: ADA,
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      lineItems: [
        {
          variantId: `gid://shopify/ProductVariant/${f.variants.shirt}`,
          quantity: 2,
          requiresShipping: true,
        },
        { variantId: `gid://shopify/ProductVariant/${f.variants.mug}`, quantity: 1, requiresShipping: true },
      ],
      transactions,
    },
  });
  expect(data.orderCreate.userErrors).toEqual([]);
  const id = data.orderCreate.order.id as string;
  const read = await f.gql(TRANSACTIONS, { id });
  return { id, transactions: read.order.transactions as any[], gateways: read.order.paymentGatewayNames };
}

/** Shirts 2 × 25.00 + a mug 12.50 = 62.50, paid through Shopify Payments. */
const card = (amount = "62.50") => ({ kind: "SALE", gateway: "shopify_payments", amountSet: money(amount) });

function nextUtcMidnight(date: Date): string {
  return new Date(Math.floor(date.getTime() / DAY) * DAY + DAY).toISOString();
}

describe("Shopify Payments follows the orders", () => {
  it("a paid order's charge and a refund become balance transactions, then one payout after the day, PAID a day later", async () => {
    const f = fixture();
    const placedAt = f.sim.clock.now();
    const order = await place(f, [card()]);
    const sale = order.transactions[0];
    const refund = await f.gql(REFUND, {
      input: {
        orderId: order.id,
        transactions: [
          {
            kind: "REFUND",
            gateway: "shopify_payments",
            amount: "12.50",
            orderId: order.id,
            parentId: sale.id,
          },
        ],
      },
    });
    expect(refund.refundCreate.userErrors).toEqual([]);
    const refundTransaction = refund.refundCreate.refund.transactions.nodes[0].id as string;

    // Today: pending, no payout. Fee 2.9% of 62.50 = 1.8125 → 1.81, + 0.30 = 2.11; net 60.39.
    let { shopifyPaymentsAccount: account } = await f.gql(ACCOUNT);
    expect(account.payouts.nodes).toEqual([]);
    const [charge, refunded] = account.balanceTransactions.nodes;
    expect(charge).toMatchObject({
      type: "CHARGE",
      sourceType: "CHARGE",
      test: false,
      sourceOrderTransactionId: sale.id.split("/").pop(),
      amount: { amount: "62.5" },
      fee: { amount: "2.11" },
      net: { amount: "60.39" },
      adjustmentReason: null,
      associatedOrder: { id: order.id },
      associatedPayout: { id: null, status: "PENDING" },
    });
    // A refund takes its amount back and keeps the charge's fee (the simulator's rule).
    expect(refunded).toMatchObject({
      type: "REFUND",
      sourceOrderTransactionId: refundTransaction.split("/").pop(),
      amount: { amount: "-12.5" },
      fee: { amount: "0.0" },
      net: { amount: "-12.5" },
      associatedOrder: { id: order.id },
    });
    expect(Number(charge.id.split("/").pop())).toBeLessThan(Number(refunded.id.split("/").pop()));
    expect(account.balance).toEqual([{ amount: "47.89", currencyCode: "USD" }]);

    // Reading again records nothing new: the same ids.
    const again = (await f.gql(ACCOUNT)).shopifyPaymentsAccount;
    expect(again.balanceTransactions.nodes.map((t: any) => t.id)).toEqual([charge.id, refunded.id]);

    // The day is over: one payout of that day, SCHEDULED, issued at the next midnight (UTC).
    f.advance(DAY);
    account = (await f.gql(ACCOUNT)).shopifyPaymentsAccount;
    expect(account.payouts.nodes).toHaveLength(1);
    const payout = account.payouts.nodes[0];
    expect(payout).toMatchObject({
      status: "SCHEDULED",
      issuedAt: nextUtcMidnight(placedAt),
      transactionType: "DEPOSIT",
      net: { amount: "47.89", currencyCode: "USD" },
      gross: { amount: "50.0" },
      summary: {
        chargesGross: { amount: "62.5" },
        chargesFee: { amount: "2.11" },
        refundsFeeGross: { amount: "-12.5" },
        refundsFee: { amount: "0.0" },
        adjustmentsGross: { amount: "0.0" },
        adjustmentsFee: { amount: "0.0" },
      },
    });
    expect(Number(payout.id.split("/").pop())).toBeGreaterThan(Number(refunded.id.split("/").pop()));
    // Its transactions add up to its net, and point at it.
    const inPayout = account.balanceTransactions.nodes;
    expect(inPayout.map((t: any) => t.associatedPayout)).toEqual([
      { id: payout.id, status: "SCHEDULED" },
      { id: payout.id, status: "SCHEDULED" },
    ]);
    const cents = inPayout.reduce((sum: number, t: any) => sum + Math.round(Number(t.net.amount) * 100), 0);
    expect(cents / 100).toBe(47.89);
    expect(account.balance).toEqual([{ amount: "0.0", currencyCode: "USD" }]);
    const byDate = await f.gql(ACCOUNT, { balance: `payout_date:${payout.issuedAt.slice(0, 10)}` });
    expect(byDate.shopifyPaymentsAccount.balanceTransactions.nodes).toHaveLength(2);

    // A day later it has arrived: PAID; no new payout, no new transaction.
    f.advance(DAY);
    account = (await f.gql(ACCOUNT, { payouts: "status:paid" })).shopifyPaymentsAccount;
    expect(account.payouts.nodes.map((p: any) => [p.id, p.status])).toEqual([[payout.id, "PAID"]]);
    expect(account.balanceTransactions.nodes.map((t: any) => t.id)).toEqual([charge.id, refunded.id]);
    expect(account.balanceTransactions.nodes[0].associatedPayout.status).toBe("PAID");
  });

  it("only Shopify Payments is in the ledger: a gift card and manual payments are not, and their gateways read as the order import reads them", async () => {
    const f = fixture();
    const split = await place(f, [
      {
        kind: "SALE",
        gateway: "gift_card",
        amountSet: money("20.00"),
        giftCardId: "gid://shopify/GiftCard/77",
      },
      card("42.50"),
    ]);
    expect(split.gateways).toEqual(["gift_card", "shopify_payments"]);
    expect(
      split.transactions.map((t) => [
        t.kind,
        t.status,
        t.gateway,
        t.formattedGateway,
        t.amountSet.shopMoney.amount,
      ]),
    ).toEqual([
      ["SALE", "SUCCESS", "gift_card", "Gift card", "20.0"],
      ["SALE", "SUCCESS", "shopify_payments", "shopify_payments", "42.5"],
    ]);
    const manual = await place(f, [{ kind: "SALE", gateway: "manual", amountSet: money("62.50") }]);
    expect(manual.transactions[0]).toMatchObject({ gateway: "manual", formattedGateway: "Manual" });

    const { shopifyPaymentsAccount: account } = await f.gql(ACCOUNT);
    // 42.50: fee 1.2325 → 1.23 + 0.30 = 1.53.
    expect(
      account.balanceTransactions.nodes.map((t: any) => [
        t.associatedOrder.id,
        t.amount.amount,
        t.fee.amount,
      ]),
    ).toEqual([[split.id, "42.5", "1.53"]]);
  });

  it("orders on different days give one payout per day, in issue order, with increasing ids", async () => {
    const f = fixture();
    await place(f, [card()]);
    f.advance(DAY);
    await place(f, [card("10.00")]);
    f.advance(DAY);
    const { shopifyPaymentsAccount: account } = await f.gql(ACCOUNT);
    const payouts = account.payouts.nodes;
    // 10.00: fee 0.29 + 0.30 = 0.59 → 9.41. Sorted by issuedAt; the first has arrived.
    expect(payouts.map((p: any) => [p.status, p.net.amount])).toEqual([
      ["PAID", "60.39"],
      ["SCHEDULED", "9.41"],
    ]);
    const ids = payouts.map((p: any) => Number(p.id.split("/").pop()));
    expect(ids[0]).toBeLessThan(ids[1]);
    expect(Date.parse(payouts[1].issuedAt) - Date.parse(payouts[0].issuedAt)).toBe(DAY);
  });
});

describe("refunds as the credit memos read them", () => {
  it("a restocked refund line says where it was restocked, in the API and in refunds/create", async () => {
    const f = fixture();
    const order = await place(f, [card()]);
    const lines = (
      await f.gql(`query L($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { id } } } }`, {
        id: order.id,
      })
    ).order.lineItems.nodes;
    const done = await f.gql(REFUND, {
      input: {
        orderId: order.id,
        note: "a shirt cancelled, a mug kept by the customer",
        refundLineItems: [
          { lineItemId: lines[0].id, quantity: 1, restockType: "CANCEL" },
          { lineItemId: lines[1].id, quantity: 1, restockType: "NO_RESTOCK" },
        ],
        transactions: [
          {
            kind: "REFUND",
            gateway: "shopify_payments",
            amount: "37.50",
            orderId: order.id,
            parentId: order.transactions[0].id,
          },
        ],
      },
    });
    expect(done.refundCreate.userErrors).toEqual([]);
    const read = await f.gql(
      `query R($id: ID!) { order(id: $id) { totalRefundedSet { shopMoney { amount } }
        refunds { totalRefundedSet { shopMoney { amount } }
          refundLineItems(first: 5) { nodes { quantity restockType location { id name } } }
          transactions(first: 5) { nodes { kind gateway amountSet { shopMoney { amount } } } } }
        returns(first: 5) { nodes { id } } } }`,
      { id: order.id },
    );
    const [refund] = read.order.refunds;
    expect(refund.refundLineItems.nodes).toEqual([
      {
        quantity: 1,
        restockType: "CANCEL",
        location: { id: `gid://shopify/Location/${f.locations.east}`, name: "East warehouse" },
      },
      { quantity: 1, restockType: "NO_RESTOCK", location: null },
    ]);
    expect(refund.transactions.nodes).toEqual([
      { kind: "REFUND", gateway: "shopify_payments", amountSet: { shopMoney: { amount: "37.5" } } },
    ]);
    expect(refund.totalRefundedSet.shopMoney.amount).toBe("37.5");
    expect(read.order.totalRefundedSet.shopMoney.amount).toBe("37.5");
    expect(read.order.returns.nodes).toEqual([]);
    const sent = f.sent.filter((s) => s.topic === "refunds/create");
    expect(sent).toHaveLength(1);
    // As in orders-refunds.test.ts: the topic's schema wants a staff member's user id, which a
    // refund made through the API does not have.
    expect(schemaErrors("refunds/create", sent[0]!.payload)).toEqual([".user_id should be integer"]);
    expect(
      (sent[0]!.payload.refund_line_items as any[]).map((item) => [item.restock_type, item.location_id]),
    ).toEqual([
      ["cancel", f.locations.east],
      ["no_restock", null],
    ]);
  });
});

describe("disputes (control API)", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function serve(f: Fixture) {
    const server = createSimulatorServer(f.sim);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_sim/shops/${f.domain}`;
    return async (path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
  }

  const DISPUTE = `query D($id: ID!) { dispute(id: $id) { id legacyResourceId status type initiatedAt evidenceDueBy
    evidenceSentOn finalizedOn amount { amount currencyCode } reasonDetails { reason networkReasonCode }
    order { id name } } }`;

  it("opens a dispute on an order's charge, readable by query, with disputes/create, and moves it on with disputes/update", async () => {
    const f = fixture();
    const post = await serve(f);
    const order = await place(f, [card()]);
    const opened = await post("/disputes", {
      orderId: order.id,
      reason: "PRODUCT_NOT_RECEIVED",
      amount: "50.00",
    });
    expect(opened.status).toBe(201);
    const id = `gid://shopify/ShopifyPaymentsDispute/${opened.body.dispute.id}`;
    const initiatedAt = opened.body.dispute.initiatedAt as string;

    const { dispute } = await f.gql(DISPUTE, { id });
    expect(dispute).toMatchObject({
      id,
      status: "NEEDS_RESPONSE",
      type: "CHARGEBACK",
      initiatedAt,
      evidenceDueBy: new Date(Date.parse(initiatedAt) + 7 * DAY).toISOString(),
      evidenceSentOn: null,
      finalizedOn: null,
      amount: { amount: "50.0", currencyCode: "USD" },
      reasonDetails: { reason: "PRODUCT_NOT_RECEIVED", networkReasonCode: "4837" },
      order: { id: order.id },
    });
    const created = f.sent.filter((s) => s.topic === "disputes/create");
    expect(created).toHaveLength(1);
    expect(schemaErrors("disputes/create", created[0]!.payload)).toEqual([]);
    expect(created[0]!.payload).toMatchObject({
      id: opened.body.dispute.id,
      order_id: Number(order.id.split("/").pop()),
      status: "needs_response",
      reason: "product_not_received",
      amount: "50.00",
      currency: "USD",
      type: "chargeback",
    });

    // The account lists it, and the balance loses its amount and the 15.00 fee.
    const { shopifyPaymentsAccount: account } = await f.gql(ACCOUNT);
    expect(account.disputes.nodes).toEqual([{ id, status: "NEEDS_RESPONSE", amount: { amount: "50.0" } }]);
    const withdrawal = account.balanceTransactions.nodes.find((t: any) => t.type === "DISPUTE_WITHDRAWAL");
    expect(withdrawal).toMatchObject({
      sourceType: "DISPUTE",
      amount: { amount: "-50.0" },
      fee: { amount: "15.0" },
      net: { amount: "-65.0" },
      associatedOrder: { id: order.id },
    });
    // 60.39 − 65.00.
    expect(account.balance).toEqual([{ amount: "-4.61", currencyCode: "USD" }]);
    const listed = await f.gql(`{ disputes(first: 5, query: "status:needs_response") { nodes { id } } }`);
    expect(listed.disputes.nodes).toEqual([{ id }]);

    f.advance(3_600_000);
    const review = await post(`/disputes/${opened.body.dispute.id}`, { status: "UNDER_REVIEW" });
    expect(review.status).toBe(200);
    f.advance(3_600_000);
    expect((await post(`/disputes/${opened.body.dispute.id}`, { status: "WON" })).status).toBe(200);
    const after = (await f.gql(DISPUTE, { id })).dispute;
    expect(after.status).toBe("WON");
    expect(Date.parse(after.evidenceSentOn)).toBeLessThan(Date.parse(after.finalizedOn));
    const updates = f.sent.filter((s) => s.topic === "disputes/update");
    expect(updates.map((s) => s.payload.status)).toEqual(["under_review", "won"]);
    for (const update of updates) expect(schemaErrors("disputes/update", update.payload)).toEqual([]);

    // A finalized dispute does not move; an order without a Shopify Payments charge cannot be disputed.
    expect((await post(`/disputes/${opened.body.dispute.id}`, { status: "LOST" })).status).toBe(422);
    const manual = await place(f, [{ kind: "SALE", gateway: "manual", amountSet: money("62.50") }]);
    expect((await post("/disputes", { orderId: manual.id })).status).toBe(422);
    expect((await post("/disputes", { orderId: "gid://shopify/Order/1" })).status).toBe(404);
    expect((await post("/disputes", { orderId: order.id, amount: "70.00" })).status).toBe(422);
  });

  it("POST …/payments/settle brings the ledger up to now and says what it did", async () => {
    const f = fixture();
    const post = await serve(f);
    await place(f, [card()]);
    expect((await post("/payments/settle", {})).body).toEqual({ recorded: 1, issued: 0, paid: 0 });
    f.advance(DAY);
    expect((await post("/payments/settle", {})).body).toEqual({ recorded: 0, issued: 1, paid: 0 });
    f.advance(DAY);
    expect((await post("/payments/settle", {})).body).toEqual({ recorded: 0, issued: 0, paid: 1 });
  });
});
