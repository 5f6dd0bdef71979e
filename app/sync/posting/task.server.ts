import {
  listSalesDocuments,
  PostingHeldError,
  postSalesInvoice,
  postSalesOrder,
  type SalesDocument,
} from "../../backoffice/backoffice.server";
import { enqueueSync } from "../../jobs/enqueue.server";
import type { SyncContext, Trigger } from "../../jobs/sync-task.server";
import { choice, filterSpec, flag, text, url } from "../kit/filters";
import { defineTask } from "../kit/manifest.server";
import { RecordLoop } from "../kit/records.server";
import { syncShipmentsTask } from "../shipments/task.server";

/**
 * Batch posting, so documents made from Shopify orders flow to shipments and invoices without
 * a person. Each document is posted on its own: one that cannot be posted is counted and
 * named in the log, the others go on; if any failed, the run fails with their reasons (at
 * once when the back office refused them all, since a retry would refuse them again). A
 * document on hold (its Shopify order was cancelled, or changed since it was made and nobody
 * confirmed or adjusted it) is not a failure: it is skipped, and counted by its reason.
 */

/** Counts a held document as skipped, by its reason (skippedCancelled, skippedChanged). */
function skip(ctx: SyncContext<unknown>, document: SalesDocument, error: PostingHeldError): void {
  ctx.count(`skipped${error.code.charAt(0)}${error.code.slice(1).toLowerCase()}`);
  ctx.log.info({ document: document.no, reason: error.message }, "document on hold; not posted");
}

/** Closed documents are never posted, so never listed for it. */
const postable = (doc: SalesDocument) => doc.status !== "posted" && doc.status !== "closed";

const SHOPIFY_ONLY = flag("Only documents made from Shopify orders", true);

const postOrdersFilters = filterSpec(
  {
    /** Only documents made from Shopify orders (default), or every sales order. */
    shopifyOnly: SHOPIFY_ONLY,
    /** Only released orders, or open ones too (blank: any). */
    status: choice(
      "Document status",
      [
        ["released", "Released"],
        ["open", "Open"],
      ],
      { anyValue: true },
    ),
    ship: flag("Ship", true),
    invoice: flag("Invoice", true),
    /** Carrier for the shipments; with it, each shipment gets a tracking number. */
    carrier: text("Carrier", { max: 100, helpText: "With a carrier, each shipment gets a tracking number." }),
    trackingUrl: url("Tracking URL prefix"),
  },
  [{ check: (f) => f.ship || f.invoice, message: "choose ship, invoice or both" }],
);

const NOT_POSTED = { noun: "document", failed: "not posted" };

/**
 * Posts each document on its own (the sync kit's record loop); a held one is skipped with its
 * reason; the run fails when any was not posted: at once when none could be posted by trying
 * again (the back office refused them), else with a retry.
 */
async function postEach(
  ctx: SyncContext<unknown>,
  documents: SalesDocument[],
  post: (document: SalesDocument, index: number) => Promise<void>,
  /** Runs after the loop, before a failure fails the run: what the posted documents start. */
  afterwards?: () => Promise<void>,
): Promise<void> {
  let index = 0;
  const loop = new RecordLoop<SalesDocument>(ctx, {
    label: (document) => document.no,
    total: documents.length,
    handle: async (document) => {
      try {
        await post(document, index++);
        return { outcome: "sent", count: "posted" };
      } catch (error) {
        if (!(error instanceof PostingHeldError)) throw error;
        skip(ctx, document, error);
        return "skipped";
      }
    },
  });
  await loop.each(documents);
  await afterwards?.();
  loop.finish(NOT_POSTED);
}

export const postSalesOrdersTask = defineTask(
  {
    name: "post_sales_orders",
    title: "Batch post sales orders",
    activity: "Posting sales orders",
    direction: "inside",
    description: "Ships and invoices sales orders, so imported orders flow to shipments without a person.",
    // Posting writes the sales documents the order tasks make: one of them at a time.
    category: "orders",
    filters: postOrdersFilters,
  },
  async (ctx) => {
    const documents = (await listSalesDocuments(ctx.db, ctx.shop.id, { documentType: "order" })).filter(
      (doc) =>
        postable(doc) &&
        (!ctx.filters.status || ctx.filters.status === "any" || doc.status === ctx.filters.status) &&
        (!ctx.filters.shopifyOnly || doc.shopifyOrderId !== null),
    );
    // Shipments of Shopify orders ring the shipment sync's doorbell, so they reach Shopify now
    // rather than at its next schedule (it runs in a category of its own, beside this one).
    let shopifyShipments = 0;
    const ringShipmentSync = async () => {
      if (shopifyShipments === 0) return;
      await enqueueSync(ctx.db, syncShipmentsTask, {
        shop: ctx.shop.domain,
        trigger: ctx.run.trigger as Trigger,
        jobKey: true,
      });
    };
    await postEach(
      ctx,
      documents,
      async (document, index) => {
        const trackingNo = ctx.filters.carrier
          ? `${ctx.filters.carrier.slice(0, 3).toUpperCase()}${Date.now().toString(36).toUpperCase()}${index}`
          : undefined;
        const posted = await postSalesOrder(ctx.db, ctx.shop.id, document.no, {
          ship: ctx.filters.ship,
          invoice: ctx.filters.invoice,
          carrier: ctx.filters.carrier,
          trackingNo,
          trackingUrl:
            ctx.filters.trackingUrl && trackingNo ? `${ctx.filters.trackingUrl}${trackingNo}` : undefined,
        });
        if (posted.shipmentNo) ctx.count("shipments");
        if (posted.shipmentNo && document.shopifyOrderId !== null) shopifyShipments += 1;
        if (posted.invoiceNo) ctx.count("invoices");
      },
      ringShipmentSync,
    );
  },
);

export const postSalesInvoicesTask = defineTask(
  {
    name: "post_sales_invoices",
    title: "Batch post sales invoices",
    activity: "Posting sales invoices",
    direction: "inside",
    description: "Posts sales invoices made from fulfilled Shopify orders.",
    category: "orders",
    filters: filterSpec({ shopifyOnly: SHOPIFY_ONLY }),
  },
  async (ctx) => {
    const documents = (await listSalesDocuments(ctx.db, ctx.shop.id, { documentType: "invoice" })).filter(
      (doc) => postable(doc) && (!ctx.filters.shopifyOnly || doc.shopifyOrderId !== null),
    );
    await postEach(ctx, documents, async (document) => {
      await postSalesInvoice(ctx.db, ctx.shop.id, document.no, {});
      ctx.count("invoices");
    });
  },
);

export const tasks = [postSalesOrdersTask, postSalesInvoicesTask];
