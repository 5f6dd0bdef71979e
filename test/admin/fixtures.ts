import { randomUUID } from "node:crypto";
import { Logger, runOnce } from "graphile-worker";
import prisma from "../../app/db.server";
import { Prisma } from "../../app/generated/prisma/client";
import { log } from "../../app/log.server";
import { processOrders } from "../../app/sync/orders/process.server";
import { processOrdersTask } from "../../app/sync/orders/task.server";
import type { Shop } from "../../app/generated/prisma/client";

/**
 * Orders as the import stages them, for the list pages' tests: written straight into the
 * staging tables (the import itself is tested against the simulator in test/sync), then
 * processed by the real order processing so that what blocks them is what processing finds.
 */

let nextId = 7_000_000_000n;
export const shopifyId = () => nextId++;

export interface StagedLine {
  variantId?: bigint;
  sku?: string;
  title: string;
  variantTitle?: string;
  quantity?: number;
  price?: string;
}

export async function stageOrder(
  shop: Shop,
  options: {
    name?: string;
    email?: string | null;
    customerShopifyId?: bigint | null;
    lines: StagedLine[];
    cancelled?: boolean;
  },
) {
  const id = shopifyId();
  // As Shopify totals it: the lines, no shipping, discounts or tax.
  const total = options.lines.reduce(
    (sum, line) => sum.plus(new Prisma.Decimal(line.price ?? "25").times(line.quantity ?? 1)),
    new Prisma.Decimal(0),
  );
  const billing = {
    name: "Grace Hopper",
    firstName: "Grace",
    lastName: "Hopper",
    company: null,
    address1: "1 Harbour Road",
    address2: null,
    city: "Arlington",
    zip: "22201",
    province: null,
    countryCodeV2: "US",
    phone: null,
  };
  return prisma.shopifyOrder.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      shopifyId: id,
      name: options.name ?? `#${id % 100_000n}`,
      email: options.email === undefined ? "grace@example.com" : options.email,
      customerShopifyId: options.customerShopifyId ?? null,
      currencyCode: "EUR",
      financialStatus: "PAID",
      fulfillmentStatus: "UNFULFILLED",
      cancelledAt: options.cancelled ? new Date() : null,
      subtotal: total,
      totalShipping: new Prisma.Decimal("0"),
      totalTax: new Prisma.Decimal("0"),
      totalDiscounts: new Prisma.Decimal("0"),
      totalPrice: total,
      currentTotalPrice: total,
      billingAddress: billing,
      shippingAddress: billing,
      shopifyCreatedAt: new Date(),
      shopifyUpdatedAt: new Date(),
      lines: {
        create: options.lines.map((line) => ({
          shopifyId: shopifyId(),
          variantShopifyId: line.variantId ?? null,
          sku: line.sku ?? null,
          title: line.title,
          variantTitle: line.variantTitle ?? null,
          quantity: line.quantity ?? 1,
          currentQuantity: line.quantity ?? 1,
          unitPrice: new Prisma.Decimal(line.price ?? "25"),
          discountAmount: new Prisma.Decimal("0"),
          taxAmount: new Prisma.Decimal("0"),
          taxLines: [],
        })),
      },
    },
  });
}

/** Order processing as the worker would run it, here and now. */
export async function processStaged(shop: Shop) {
  return processOrders(prisma, shop, { filters: {}, log });
}

/** Runs every job that is due, in a real graphile-worker, with the app's tasks, then returns. */
export async function runQueuedJobs(): Promise<void> {
  await runOnce({
    connectionString: process.env.DATABASE_URL!,
    taskList: { [processOrdersTask.name]: processOrdersTask.task },
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
  });
}

export async function queuedRuns(shop: Shop, task: string) {
  return prisma.syncRun.findMany({ where: { shopId: shop.id, task, status: "queued" } });
}

/** What an action answered: its status and body, whether plain data, data() or a Response. */
export async function answer<T = { ok: boolean; message?: string; error?: string }>(
  result: unknown,
): Promise<{ status: number; body: T }> {
  if (result instanceof Response) return { status: result.status, body: (await result.json()) as T };
  if (
    result &&
    typeof result === "object" &&
    (result as { type?: unknown }).type === "DataWithResponseInit"
  ) {
    const wrapped = result as { data: T; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as T };
}

/** The status of the Response a loader threw (a refused page), or of its answer. */
export async function statusOf(call: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    const result = await call;
    return { status: result instanceof Response ? result.status : 200, text: "" };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, text: await error.text() };
    throw error;
  }
}
