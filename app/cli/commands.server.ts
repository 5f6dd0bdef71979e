import {
  BackOfficeError,
  closeSalesDocument,
  adjustStock,
  findItem,
  setSalesPrice,
  stockAt,
  getSalesDocument,
  listPostedInvoices,
  listSalesDocuments,
  listShipments,
  PostingHeldError,
  postSalesOrder,
} from "../backoffice/backoffice.server";
import { enqueueSync, filterPairs } from "../jobs/enqueue.server";
import { runInForeground, waitForRun } from "../jobs/foreground.server";
import { findSyncTask, SYNC_TASKS as syncTasks, TASK_CATALOG, taskTableMarkdown } from "../sync/index.server";
import { findShop } from "../shops/shops.server";
import { shipmentSyncRecords } from "../sync/shipments/sync.server";
import {
  adjustDocument,
  closeDocument,
  confirmChanges,
  OrderActionRefused,
  orderOfDocument,
} from "../sync/orders/changes.server";
import { actOnItems, allItemRows, itemAction, ITEM_VIEWS, type ItemView } from "../admin/items.server";
import { withFollowUp } from "../admin/follow-up.server";
import { inventoryQuery, listInventoryPage } from "../admin/inventory.server";
import { parseInput, Refusal } from "../admin/refusal.server";
import { companiesCommand } from "./companies.server";
import { customersCommand } from "./customers.server";
import { pictureCommand, picturesCommand } from "./pictures.server";
import { requireShop, table, UsageError, type Command } from "./format.server";

/**
 * The CLI's order-flow commands: sync, orders, documents, post, shipments; and what a person
 * does about a document whose Shopify order changed: confirm, adjust, close. And the catalog's:
 * items (as the products sync sees them), items add.
 */

/** Who acts from the command line, as the confirmation records it. */
const CLI_USER = "cli";

/** What to run about a document on hold, said after the refusal. */
function holdHint(error: PostingHeldError, no: string, shop: string): string {
  if (error.code === "CLOSED") return "";
  if (error.code === "CANCELLED")
    return `
close it: npm run cli -- close ${no} --shop ${shop}`;
  return `
make it the order as it stands: npm run cli -- adjust ${no} --shop ${shop}
or post it as it is: npm run cli -- confirm ${no} --shop ${shop}`;
}

/** The person's actions on a document made from a Shopify order, by its number. */
function orderAction(
  act: (
    db: Parameters<Command["run"]>[0],
    shop: Awaited<ReturnType<typeof findShop>>,
    documentNo: string,
  ) => Promise<string>,
): Command {
  return {
    positionals: 1,
    options: { shop: { type: "string" } },
    async run(db, values, io, [documentNo]) {
      const shop = await findShop(db, requireShop(values));
      try {
        io.out(await act(db, shop, documentNo!));
      } catch (error) {
        if (!(error instanceof OrderActionRefused)) throw error;
        io.err(`error: ${error.message}`);
        return 1;
      }
    },
  };
}

const documentAdjustment = orderAction(async (db, shop, no) => {
  const order = await adjustDocument(db, shop, (await orderOfDocument(db, shop, no)).id);
  return `adjusted ${no} to ${order.name} as it stands in Shopify`;
});

const stockAdjustment: Command = {
  positionals: 1,
  options: {
    shop: { type: "string" },
    location: { type: "string" },
    quantity: { type: "string" },
    variant: { type: "string" },
    json: { type: "boolean" },
  },
  async run(db, values, io, [itemNo]) {
    const shop = await findShop(db, requireShop(values));
    const quantity = values.quantity as string | undefined;
    if (!quantity || !/^-?\d{1,10}$/.test(quantity) || Number(quantity) === 0)
      throw new UsageError(
        "--quantity is the units to add, or (negative) to remove, such as 5 or --quantity=-2",
      );
    const location = values.location as string | undefined;
    if (!location) throw new UsageError("--location is the back-office location's code, such as MAIN");
    const variantCode = (values.variant as string | undefined) ?? null;
    let entry;
    try {
      entry = await adjustStock(db, shop.id, {
        itemNo: itemNo!,
        variantCode,
        locationCode: location,
        quantity: Number(quantity),
      });
    } catch (error) {
      if (!(error instanceof BackOfficeError)) throw error;
      io.err(`error: ${error.message}`);
      return 1;
    }
    const onHand = await stockAt(db, shop.id, { itemNo: itemNo!, variantCode, locationCode: location });
    const result = {
      itemNo,
      variantCode,
      locationCode: location,
      quantity: entry.quantity,
      documentNo: entry.documentNo,
      onHand,
    };
    if (values.json) io.out(json(result));
    else
      io.out(
        `${itemNo}${variantCode ? ` variant ${variantCode}` : ""} at ${location}: ${entry.quantity > 0 ? "+" : ""}${entry.quantity} (${entry.documentNo}), ${onHand} on hand`,
      );
  },
};

export const TASKS = syncTasks.map((task) => task.name).join(", ");

const json = (value: unknown) =>
  JSON.stringify(
    value,
    (_key, item: unknown): unknown => (typeof item === "bigint" ? item.toString() : item),
    2,
  );

export const MORE_COMMANDS: Record<string, Command> = {
  customers: customersCommand,
  companies: companiesCommand,
  picture: pictureCommand,
  pictures: picturesCommand,
  tasks: {
    options: { json: { type: "boolean" }, markdown: { type: "boolean" } },
    // eslint-disable-next-line @typescript-eslint/require-await
    async run(_db, values, io) {
      if (values.json) io.out(json(TASK_CATALOG));
      else if (values.markdown) io.out(taskTableMarkdown());
      else
        table(
          TASK_CATALOG.map((info) => ({
            task: info.name,
            title: info.title,
            direction: info.direction,
            category: info.category ?? "",
            available: info.available ? "yes" : "not yet",
            doorbells: info.doorbells.join(" "),
            schedule: info.schedule ?? "",
          })),
          io,
        );
      return 0;
    },
  },
  sync: {
    positionals: 1,
    options: {
      shop: { type: "string" },
      filter: { type: "string", multiple: true },
      wait: { type: "boolean" },
      foreground: { type: "boolean" },
      json: { type: "boolean" },
    },
    async run(db, values, io, [taskName]) {
      const task = findSyncTask(taskName!);
      if (!task) throw new UsageError(`unknown task "${taskName}" (tasks: ${TASKS})`);
      const parsed = filterPairs.safeParse(values.filter ?? []);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join("; "));
      const request = { shop: requireShop(values), trigger: "manual" as const, filters: parsed.data };
      let run;
      if (values.foreground) run = await runInForeground(db, task, request);
      else {
        ({ run } = await enqueueSync(db, task, { ...request, jobKey: true }));
        if (values.wait) run = await waitForRun(db, run.id);
      }
      if (values.json) io.out(json(run));
      else
        io.out(
          `${run.task} ${run.status}${run.error ? `: ${run.error}` : ""} (run ${run.id})${Object.keys(run.counts as object).length ? ` ${JSON.stringify(run.counts)}` : ""}`,
        );
      return run.status === "failed" ? 1 : 0;
    },
  },
  orders: {
    options: { shop: { type: "string" }, json: { type: "boolean" } },
    async run(db, values, io) {
      const shop = await findShop(db, requireShop(values));
      const orders = await db.shopifyOrder.findMany({
        where: { shopId: shop.id },
        orderBy: { shopifyCreatedAt: "desc" },
      });
      const rows = orders.map((order) => ({
        shopifyId: order.shopifyId.toString(),
        name: order.name,
        state: order.state,
        financialStatus: order.financialStatus,
        fulfillmentStatus: order.fulfillmentStatus,
        error: order.error,
        documentType: order.documentType,
        documentNo: order.documentNo,
        changedAfterProcessing: order.changedAfterProcessing,
        changes: order.changes as string[] | null,
        confirmedBy: order.changeConfirmedBy,
        confirmedAt: order.changeConfirmedAt?.toISOString() ?? null,
      }));
      if (values.json) io.out(json(rows));
      else
        table(
          rows.map(({ changes: _changes, confirmedAt, confirmedBy, ...row }) => ({
            ...row,
            changedAfterProcessing: row.changedAfterProcessing
              ? confirmedBy
                ? `yes, confirmed by ${confirmedBy} at ${confirmedAt}`
                : "yes"
              : "",
          })),
          io,
        );
    },
  },
  documents: {
    options: { shop: { type: "string" }, json: { type: "boolean" } },
    async run(db, values, io) {
      const shop = await findShop(db, requireShop(values));
      const documents = await listSalesDocuments(db, shop.id, {});
      const invoices = await listPostedInvoices(db, shop.id);
      const shipments = await listShipments(db, shop.id);
      const synced = await shipmentSyncRecords(db, shop.id, shipments);
      const rows = [
        ...documents.map((doc) => ({
          kind: doc.documentType === "invoice" ? "sales invoice" : "sales order",
          no: doc.no,
          shopifyOrderNo: doc.shopifyOrderNo,
          customerNo: doc.customerNo,
          status: doc.onHold ? `${doc.status}, on hold: ${doc.onHold.toLowerCase()}` : doc.status,
          amount: doc.amountIncludingTax.toString(),
          currency: doc.currencyCode,
          prices: doc.pricesIncludingTax ? "incl. tax" : "excl. tax",
          presentment:
            doc.presentmentCurrencyCode && doc.presentmentCurrencyCode !== doc.currencyCode
              ? `${doc.presentmentAmountIncludingTax?.toString() ?? "?"} ${doc.presentmentCurrencyCode}`
              : null,
        })),
        ...shipments.map((shipment) => ({
          kind: "posted shipment",
          no: shipment.no,
          shopifyOrderNo: null,
          customerNo: shipment.customerNo,
          status: synced.get(shipment.no)?.state ?? "pending",
          amount: null,
          currency: null,
          prices: null,
          presentment: null,
        })),
        ...invoices.map((invoice) => ({
          kind: "posted invoice",
          no: invoice.no,
          shopifyOrderNo: invoice.shopifyOrderNo,
          customerNo: invoice.customerNo,
          status: "posted",
          amount: invoice.amountIncludingTax.toString(),
          currency: null,
          prices: invoice.pricesIncludingTax ? "incl. tax" : "excl. tax",
          presentment: null,
        })),
      ];
      if (values.json) io.out(json(rows));
      else table(rows, io);
    },
  },
  post: {
    positionals: 1,
    options: {
      shop: { type: "string" },
      ship: { type: "boolean" },
      invoice: { type: "boolean" },
      tracking: { type: "string" },
      carrier: { type: "string" },
      "tracking-url": { type: "string" },
      json: { type: "boolean" },
    },
    async run(db, values, io, [documentNo]) {
      const shop = await findShop(db, requireShop(values));
      if (!values.ship && !values.invoice)
        throw new UsageError("say what to post: --ship, --invoice or both");
      if (values.tracking && !values.ship) throw new UsageError("--tracking goes with --ship");
      if (!(await getSalesDocument(db, shop.id, "order", documentNo!))) {
        io.err(`error: no sales order ${documentNo} in ${shop.domain}`);
        return 1;
      }
      let result;
      try {
        result = await postSalesOrder(db, shop.id, documentNo!, {
          ship: values.ship === true,
          invoice: values.invoice === true,
          trackingNo: values.tracking as string | undefined,
          carrier: values.carrier as string | undefined,
          trackingUrl: values["tracking-url"] as string | undefined,
        });
      } catch (error) {
        if (!(error instanceof PostingHeldError)) throw error;
        io.err(`error: ${error.message}${holdHint(error, documentNo!, shop.domain)}`);
        return 1;
      }
      if (values.json) io.out(json(result));
      else
        io.out(
          `posted ${documentNo}:${result.shipmentNo ? ` shipment ${result.shipmentNo}` : ""}${result.invoiceNo ? ` invoice ${result.invoiceNo}` : ""}`,
        );
    },
  },
  price: {
    positionals: 1,
    options: {
      shop: { type: "string" },
      price: { type: "string" },
      variant: { type: "string" },
      group: { type: "string" },
      json: { type: "boolean" },
    },
    async run(db, values, io, [itemNo]) {
      const shop = await findShop(db, requireShop(values));
      const price = values.price as string | undefined;
      if (!price || !/^\d{1,12}(\.\d{1,4})?$/.test(price))
        throw new UsageError("--price is the new unit price, such as 19.90");
      if (!(await findItem(db, shop.id, itemNo!))) {
        io.err(`error: no item ${itemNo} in ${shop.domain}`);
        return 1;
      }
      const target = {
        itemNo: itemNo!,
        variantCode: (values.variant as string | undefined) ?? null,
        priceGroup: (values.group as string | undefined) ?? null,
      };
      try {
        await setSalesPrice(db, shop.id, { ...target, unitPrice: price });
      } catch (error) {
        if (!(error instanceof BackOfficeError)) throw error;
        io.err(`error: ${error.message}`);
        return 1;
      }
      if (values.json) io.out(json({ ...target, unitPrice: price }));
      else
        io.out(
          `sales price of ${itemNo}${target.variantCode ? ` variant ${target.variantCode}` : ""}${target.priceGroup ? ` for group ${target.priceGroup}` : " for all customers"} set to ${price}`,
        );
    },
  },
  confirm: orderAction(async (db, shop, no) => {
    const order = await confirmChanges(db, shop, (await orderOfDocument(db, shop, no)).id, CLI_USER);
    return `confirmed the changes of ${order.name}: ${no} may be posted as it is`;
  }),
  // `adjust <document no>` adjusts a sales document to its Shopify order; with --location or
  // --quantity, `adjust <item no>` adjusts the item's stock.
  adjust: {
    positionals: 1,
    options: { ...documentAdjustment.options, ...stockAdjustment.options },
    run: (db, values, io, positionals) =>
      (values.location !== undefined || values.quantity !== undefined
        ? stockAdjustment
        : documentAdjustment
      ).run(db, values, io, positionals),
  },
  close: orderAction(async (db, shop, no) => {
    const made = await db.shopifyOrder.findFirst({ where: { shopId: shop.id, documentNo: no } });
    if (made) {
      await closeDocument(db, shop, made.id, CLI_USER);
      return `closed ${no} (order ${made.name} was cancelled in Shopify)`;
    }
    await closeSalesDocument(db, shop.id, "order", no, CLI_USER);
    return `closed ${no}`;
  }),
  shipments: {
    options: { shop: { type: "string" }, json: { type: "boolean" } },
    async run(db, values, io) {
      const shop = await findShop(db, requireShop(values));
      const shipments = await listShipments(db, shop.id);
      const synced = await shipmentSyncRecords(db, shop.id, shipments);
      const rows = shipments.map((shipment) => ({
        no: shipment.no,
        orderNo: shipment.orderNo,
        shopifyOrderId: shipment.shopifyOrderId?.toString() ?? null,
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        // The shipment sync's record: its state, Shopify's fulfillment, and the message (an
        // error's, or why nothing was sent).
        syncState: synced.get(shipment.no)?.state ?? "pending",
        fulfillmentId: synced.get(shipment.no)?.shopifyId ?? null,
        message: synced.get(shipment.no)?.message ?? null,
      }));
      if (values.json) io.out(json(rows));
      else table(rows, io);
    },
  },
  inventory: {
    options: {
      shop: { type: "string" },
      json: { type: "boolean" },
      q: { type: "string" },
      state: { type: "string" },
      location: { type: "string" },
    },
    async run(db, values, io) {
      const parsed = inventoryQuery.safeParse({
        q: values.q,
        state: values.state,
        location: values.location,
        page: "1",
      });
      if (!parsed.success)
        throw new UsageError(
          parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "),
        );
      const shop = await findShop(db, requireShop(values));
      // The Inventory page's rows, every page of them.
      const rows = [];
      for (let page = 1; ; page++) {
        let list;
        try {
          list = await listInventoryPage(db, shop, { ...parsed.data, page });
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          io.err(`error: ${error.message}`);
          return 1;
        }
        rows.push(...list.rows);
        if (page * list.pageSize >= list.total) break;
      }
      if (values.json) io.out(json(rows));
      else
        table(
          rows.map((row) => ({
            itemNo: row.itemNo,
            variant: row.variantCode ?? "",
            location: row.locationName ?? row.locationId,
            target: row.target ?? "",
            shopifyOnHand: row.shopify.onHand ?? "",
            available: row.shopify.available ?? "",
            state: row.state,
            message: row.message ?? "",
          })),
          io,
        );
    },
  },
  items: {
    positionals: "any",
    options: {
      shop: { type: "string" },
      json: { type: "boolean" },
      q: { type: "string" },
      state: { type: "string" },
    },
    async run(db, values, io, [sub, ...nos]) {
      if (sub !== undefined && sub !== "add") throw new UsageError(`unexpected argument "${sub}"`);
      if (sub === "add") {
        if (nos.length === 0) throw new UsageError("items add needs the numbers of the items to add");
        if (values.q !== undefined || values.state !== undefined)
          throw new UsageError("--q and --state choose items to list; items add takes item numbers");
        const shop = await findShop(db, requireShop(values));
        try {
          const form = new URLSearchParams({ intent: "add", itemNos: nos.join(",") });
          const outcome = await actOnItems(db, shop, parseInput(itemAction, form));
          if (values.json) io.out(json(outcome));
          else io.out(withFollowUp(outcome));
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          io.err(`error: ${error.message}`);
          return 1;
        }
        return 0;
      }
      const state = (values.state ?? "all") as ItemView;
      if (!ITEM_VIEWS.includes(state))
        throw new UsageError(`--state must be one of ${ITEM_VIEWS.join(", ")}`);
      const q = values.q as string | undefined;
      if (q !== undefined && q.length > 100) throw new UsageError("--q is at most 100 characters");
      const shop = await findShop(db, requireShop(values));
      const items = await allItemRows(db, shop, { q, state });
      // The export's view of each item: its variants with SKU and the prices it sends, and
      // Shopify's ids (product, variants, inventory items) with the sync record's state.
      const rows = items.map((item) => ({
        itemNo: item.no,
        description: item.description,
        blocked: item.blocked,
        salesBlocked: item.salesBlocked,
        productId: item.product?.id ?? null,
        productStatus: item.product?.status ?? null,
        syncState: item.state,
        message: item.message,
        attempts: item.attempts,
        sentAt: item.sentAt,
        priceProblem: item.priceProblem,
        variants: item.variants.map((variant) => ({
          code: variant.code,
          sku: variant.sku,
          barcode: variant.barcode,
          price: variant.price,
          compareAtPrice: variant.compareAtPrice,
          variantId: variant.shopifyVariantId,
          inventoryItemId: variant.inventoryItemId,
          priceMessage: variant.priceMessage,
        })),
        salesPrices: item.salesPrices,
      }));
      if (values.json) io.out(json(rows));
      else
        table(
          rows.flatMap((row) =>
            row.variants.map((variant, index) => ({
              itemNo: index === 0 ? row.itemNo : "",
              variant: variant.code ?? "",
              sku: variant.sku,
              price: variant.price ?? "",
              compareAtPrice: variant.compareAtPrice,
              productId: index === 0 ? row.productId : "",
              variantId: variant.variantId,
              inventoryItemId: variant.inventoryItemId,
              syncState: index === 0 ? row.syncState : "",
              message:
                [index === 0 ? (row.priceProblem ?? row.message) : null, variant.priceMessage]
                  .filter(Boolean)
                  .join("; ") || null,
            })),
          ),
          io,
        );
    },
  },
};
