import { beforeAll, describe, expect, it } from "vitest";
import { TASK_CATALOG } from "../../app/sync/index.server";
import type { FilterField } from "../../app/sync/kit/filters";
import { settingsForm } from "../../app/admin/settings.server";
import prisma from "../../app/db.server";
import * as companies from "../../app/routes/app.companies";
import * as customers from "../../app/routes/app.customers";
import * as inventory from "../../app/routes/app.inventory";
import * as items from "../../app/routes/app.items";
import * as orders from "../../app/routes/app.orders";
import * as products from "../../app/routes/app.products";
import * as runsLive from "../../app/routes/app.runs.live";
import * as runs from "../../app/routes/app.runs";
import * as settings from "../../app/routes/app.settings";
import * as shipments from "../../app/routes/app.shipments";
import * as tasks from "../../app/routes/app.tasks._index";
import * as task from "../../app/routes/app.tasks.$task._index";
import * as taskFilters from "../../app/routes/app.tasks.$task.filters";
import { adminRequest, callRoute } from "../support/admin";
import { outcome, shopWithRecords, type Outcome, type ShopWithRecords } from "./admin-support";
import { printTallyAfterAll, tryInput } from "./tally";

/**
 * The admin's forms (settings, schedules, filters, mappings, and the lists' record actions)
 * with each field wrong in turn, the rest as the page would send them: 400, a message at
 * that field, and nothing changed. Then the pages' addresses with a wrong parameter.
 */

printTallyAfterAll("test/hostile/forms.test.ts");

const ROW = {
  form: "admin form with one field wrong (settings, schedules, filters, mappings, record actions)",
  address: "admin page address with a wrong parameter",
} as const;

type Handler = (args: never) => Promise<unknown>;

interface FormCase {
  form: string;
  handler: Handler;
  path: string;
  params?: Record<string, string>;
  fields: Record<string, string>;
  /** The field the answer must put a message at. */
  wrong: string;
}

let shop: ShopWithRecords;

beforeAll(async () => {
  shop = await shopWithRecords();
}, 120_000);

/** The messages an answer ties to fields: `errors` on the settings page, `fields` elsewhere. */
function fieldMessages(result: Outcome): Record<string, string> {
  const body = result.body as { errors?: Record<string, string>; fields?: Record<string, string> };
  return body.errors ?? body.fields ?? {};
}

async function tryForm(item: FormCase): Promise<void> {
  const label = `${item.form}: ${item.wrong} = ${JSON.stringify(item.fields[item.wrong] ?? "(absent)").slice(0, 40)}`;
  await tryInput(
    ROW.form,
    label,
    () =>
      outcome(
        callRoute(item.handler as never, adminRequest(shop.shop.domain, item.path, item.fields), item.params),
      ),
    (result) => {
      const message = fieldMessages(result)[item.wrong];
      return typeof message === "string" && message.length > 0
        ? `${result.status} with a message at the field`
        : `${result.status} without a message at ${item.wrong}: ${JSON.stringify(result.body)}`;
    },
    { answer: "400 with a message at the field" },
  );
}

/** The form as `fields` with `wrong` set to `value` (or left out when value is undefined). */
function withWrong(fields: Record<string, string>, wrong: string, value: string | undefined) {
  const copy = { ...fields };
  if (value === undefined) delete copy[wrong];
  else copy[wrong] = value;
  return copy;
}

const TOO_LONG = "x".repeat(300);

describe("the settings form", () => {
  it("refuses each field wrong in turn with 400 and a message at that field, saving nothing", async () => {
    const stored = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.shop.id } });
    // The form as the page sends it, from the shop's settings: checkboxes "on" or blank.
    const valid: Record<string, string> = {};
    for (const name of Object.keys(settingsForm.shape)) {
      const value = (stored as Record<string, unknown>)[name];
      valid[name] = typeof value === "boolean" ? (value ? "on" : "") : typeof value === "string" ? value : "";
    }
    expect(settingsForm.safeParse(valid).success).toBe(true);
    const cases: FormCase[] = [];
    for (const name of Object.keys(settingsForm.shape)) {
      // A value this field refuses: not a checkbox's, not a choice, or too long.
      const value = ["maybe", TOO_LONG].find((candidate) =>
        settingsForm
          .safeParse({ ...valid, [name]: candidate })
          .error?.issues.some((issue) => issue.path[0] === name),
      );
      expect(value, `a wrong value for ${name}`).toBeDefined();
      cases.push({
        form: "settings",
        handler: settings.action,
        path: "/app/settings",
        fields: withWrong(valid, name, value),
        wrong: name,
      });
      // A number of a customer or item the back office does not have.
      if (name.endsWith("No"))
        cases.push({
          form: "settings",
          handler: settings.action,
          path: "/app/settings",
          fields: withWrong(valid, name, "NOPE-404"),
          wrong: name,
        });
    }
    cases.push({
      form: "settings",
      handler: settings.action,
      path: "/app/settings",
      fields: { ...valid, customerMapping: "default", defaultCustomerNo: "" },
      wrong: "defaultCustomerNo",
    });
    for (const item of cases) await tryForm(item);
  });
});

const runnable = TASK_CATALOG.filter((info) => info.available);

describe("a task's schedule form", () => {
  it("refuses each field wrong in turn with 400 and a message at that field, for every task", async () => {
    const valid = {
      intent: "schedule",
      enabled: "on",
      preset: "every60",
      time: "02:00",
      cron: "",
      category: "sync",
    };
    const wrongs: [string, Record<string, string | undefined>][] = [
      ["intent", { intent: "reschedule" }],
      ["enabled", { enabled: "maybe" }],
      ["preset", { preset: "every7" }],
      ["preset", { preset: undefined }],
      ["time", { preset: "daily", time: "25:00" }],
      ["time", { preset: "daily", time: undefined }],
      ["cron", { preset: "cron", cron: "61 * * * *" }],
      ["cron", { preset: "cron", cron: "" }],
      ["category", { category: "Not A Category!" }],
      ["category", { category: TOO_LONG }],
    ];
    for (const info of runnable)
      for (const [wrong, change] of wrongs) {
        const fields = { ...valid };
        for (const [name, value] of Object.entries(change)) {
          if (value === undefined) delete (fields as Record<string, string>)[name];
          else (fields as Record<string, string>)[name] = value;
        }
        await tryForm({
          form: `schedule of ${info.name}`,
          handler: task.action,
          path: `/app/tasks/${info.name}`,
          params: { task: info.name },
          fields,
          wrong,
        });
      }
  });
});

/** A value a filter field of this kind must refuse. */
function wrongFilterValue(field: FilterField): string {
  if (field.kind === "boolean") return "maybe";
  if (field.kind === "select") return "bogus";
  if (field.kind === "date") return "yesterday";
  return TOO_LONG;
}

describe("a task's filters (its request page)", () => {
  it("refuses each filter wrong in turn, and a field that is no filter, with 400 and a message at it", async () => {
    const cases: FormCase[] = [];
    for (const info of runnable.filter((candidate) => candidate.filters.length > 0)) {
      const base = {
        form: `filters of ${info.name}`,
        handler: taskFilters.action,
        path: `/app/tasks/${info.name}/filters`,
        params: { task: info.name },
      };
      for (const field of info.filters)
        cases.push({ ...base, fields: { [field.name]: wrongFilterValue(field) }, wrong: field.name });
      cases.push({ ...base, fields: { notAFilter: "1" }, wrong: "notAFilter" });
      if (info.filters.some((field) => field.name === "createdFrom"))
        cases.push({
          ...base,
          fields: { createdFrom: "2026-03-02", createdTo: "2026-03-01" },
          wrong: "createdFrom",
        });
    }
    for (const item of cases) await tryForm(item);
  });
});

describe("the mapping forms and the lists' record actions", () => {
  it("refuse each field wrong in turn with 400 and a message at that field", async () => {
    const variantId = shop.variants.hat.variantId.toString();
    const forms: [string, Handler, string, Record<string, string>, [string, string | undefined][]][] = [
      [
        "map variant to item",
        products.action,
        "/app/products",
        { intent: "map", variantId, itemNo: "HAT", variantCode: "" },
        [
          ["intent", "link"],
          ["variantId", "gid://shopify/ProductVariant/1"],
          ["variantId", undefined],
          ["itemNo", ""],
          ["itemNo", TOO_LONG],
          ["variantCode", TOO_LONG],
        ],
      ],
      [
        "create item from variant",
        products.action,
        "/app/products",
        { intent: "create", variantId, description: "Wool hat", unitPrice: "19.50" },
        [
          ["variantId", "-1"],
          ["description", ""],
          ["description", TOO_LONG],
          ["unitPrice", "19,50"],
          ["unitPrice", "-1"],
          ["itemNo", TOO_LONG],
          ["barcode", TOO_LONG],
          ["vendorItemNo", TOO_LONG],
        ],
      ],
      [
        "map customer",
        customers.action,
        "/app/customers",
        { intent: "map", customerId: shop.unmappedCustomerId, customerNo: shop.customer.no },
        [
          ["intent", "link"],
          ["customerId", "42"],
          ["customerId", undefined],
          ["customerNo", ""],
          ["customerNo", TOO_LONG],
        ],
      ],
      [
        "create customer",
        customers.action,
        "/app/customers",
        { intent: "create", customerId: shop.unmappedCustomerId, name: "Ada Lovelace" },
        [
          ["customerId", "not-an-id"],
          ["name", ""],
          ["name", TOO_LONG],
          ["customerNo", TOO_LONG],
        ],
      ],
      [
        "add customers to Shopify",
        customers.action,
        "/app/customers",
        { intent: "add", customerNos: shop.failedCustomerNo },
        [
          ["intent", "push"],
          ["customerNos", ""],
          ["customerNos", " , "],
          ["customerNos", undefined],
          ["customerNos", TOO_LONG],
        ],
      ],
      [
        "customer retry",
        customers.action,
        "/app/customers",
        { intent: "retry", customerNo: shop.failedCustomerNo },
        [
          ["customerNo", ""],
          ["customerNo", TOO_LONG],
          ["customerNo", undefined],
        ],
      ],
      [
        "retry every failed customer",
        customers.action,
        "/app/customers",
        { intent: "retryErrors" },
        [
          ["intent", "retryEverything"],
          ["intent", undefined],
        ],
      ],
      [
        "map company",
        companies.action,
        "/app/companies",
        { intent: "map", companyId: shop.unmappedCompanyId, customerNo: shop.customer.no },
        [
          ["intent", "link"],
          ["companyId", "42"],
          ["companyId", undefined],
          ["customerNo", ""],
          ["customerNo", TOO_LONG],
        ],
      ],
      [
        "create business customer from company",
        companies.action,
        "/app/companies",
        { intent: "create", companyId: shop.unmappedCompanyId, name: "Harbour Traders" },
        [
          ["companyId", "not-an-id"],
          ["name", ""],
          ["name", TOO_LONG],
          ["customerNo", TOO_LONG],
        ],
      ],
      [
        "company retry",
        companies.action,
        "/app/companies",
        { intent: "retry", companyId: shop.failedCompanyId },
        [
          ["intent", "delete"],
          ["companyId", "SHIP00001"],
          ["companyId", undefined],
        ],
      ],
      [
        "order action",
        orders.action,
        "/app/orders",
        { intent: "confirm", order: shop.orders.changed.id },
        [
          ["intent", "delete"],
          ["intent", undefined],
          ["order", "42"],
          ["order", undefined],
        ],
      ],
      [
        "shipment retry",
        shipments.action,
        "/app/shipments",
        { intent: "retry", shipmentId: shop.failedShipmentId },
        [
          ["intent", "delete"],
          ["shipmentId", "SHIP00001"],
          ["shipmentId", undefined],
        ],
      ],
      [
        "add items to Shopify",
        items.action,
        "/app/items",
        { intent: "add", itemNos: "TEE,MUG" },
        [
          ["intent", "push"],
          ["itemNos", ""],
          ["itemNos", undefined],
          ["itemNos", TOO_LONG],
        ],
      ],
      [
        "add the items a search finds",
        items.action,
        "/app/items",
        { intent: "addMatching", q: "mug", state: "not_added" },
        [
          ["q", TOO_LONG],
          ["state", "everything"],
        ],
      ],
      [
        "item retry",
        items.action,
        "/app/items",
        { intent: "retry", itemNo: shop.failedItemNo },
        [
          ["itemNo", ""],
          ["itemNo", TOO_LONG],
          ["itemNo", undefined],
        ],
      ],
      [
        "add a picture",
        items.action,
        "/app/items",
        // The file itself comes as multipart (test/admin/pictures.test.ts); here every other field.
        { intent: "addPicture", itemNo: shop.failedItemNo, variantCode: "", position: "" },
        [
          ["file", undefined],
          ["itemNo", ""],
          ["itemNo", TOO_LONG],
          ["variantCode", TOO_LONG],
          ["position", "0"],
          ["position", "first"],
        ],
      ],
      [
        "move a picture",
        items.action,
        "/app/items",
        { intent: "movePicture", pictureId: shop.failedPictureId, position: "1" },
        [
          ["pictureId", "abc"],
          ["pictureId", undefined],
          ["position", "0"],
          ["position", "-1"],
          ["position", undefined],
        ],
      ],
      [
        "picture retry",
        items.action,
        "/app/items",
        { intent: "retryPicture", pictureId: shop.failedPictureId },
        [
          ["pictureId", "abc"],
          ["pictureId", undefined],
        ],
      ],
      [
        "remove a picture",
        items.action,
        "/app/items",
        { intent: "removePicture", pictureId: shop.failedPictureId },
        [["pictureId", "abc"]],
      ],
      [
        "inventory level retry",
        inventory.action,
        "/app/inventory",
        { intent: "retry", ...shop.failedLevel },
        [
          ["intent", "push"],
          ["intent", undefined],
          ["inventoryItemId", ""],
          ["inventoryItemId", "gid://shopify/InventoryItem/1"],
          ["inventoryItemId", undefined],
          ["locationId", "-1"],
          ["locationId", TOO_LONG],
          ["locationId", undefined],
        ],
      ],
      [
        "run retry or cancel",
        runs.action,
        "/app/runs",
        { intent: "cancel", runId: shop.queuedRunId },
        [
          ["intent", "delete"],
          ["intent", undefined],
          ["runId", "42"],
          ["runId", undefined],
        ],
      ],
      [
        "run now",
        tasks.action,
        "/app/tasks",
        { task: "sync_orders" },
        [
          ["task", ""],
          ["task", undefined],
        ],
      ],
    ];
    for (const [form, handler, path, valid, wrongs] of forms)
      for (const [wrong, value] of wrongs)
        await tryForm({ form, handler, path, fields: withWrong(valid, wrong, value), wrong });
  });
});

describe("a page's address with a wrong parameter", () => {
  it("is answered 400 with what is wrong, changing nothing", async () => {
    const addresses: [Handler, string][] = [
      [products.loader, "/app/products?variant=abc"],
      [products.loader, "/app/products?page=0"],
      [products.loader, `/app/products?q=${TOO_LONG}`],
      [customers.loader, "/app/customers?customer=abc"],
      [customers.loader, "/app/customers?page=abc"],
      [companies.loader, "/app/companies?company=abc"],
      [companies.loader, "/app/companies?view=everything"],
      [companies.loader, "/app/companies?page=0"],
      [companies.loader, `/app/companies?q=${TOO_LONG}`],
      [customers.loader, "/app/customers?state=everything"],
      [customers.loader, "/app/customers?customersPage=0"],
      [customers.loader, `/app/customers?search=${TOO_LONG}`],
      [orders.loader, "/app/orders?view=everything"],
      [orders.loader, "/app/orders?page=1.5"],
      [items.loader, "/app/items?state=everything"],
      [items.loader, "/app/items?page=0"],
      [items.loader, `/app/items?q=${TOO_LONG}`],
      [items.loader, `/app/items?pictures=${TOO_LONG}`],
      [inventory.loader, "/app/inventory?state=everything"],
      [inventory.loader, "/app/inventory?location=abc"],
      [inventory.loader, "/app/inventory?page=0"],
      [inventory.loader, `/app/inventory?q=${TOO_LONG}`],
      [shipments.loader, "/app/shipments?view=everything"],
      [shipments.loader, "/app/shipments?page=-1"],
      [runs.loader, "/app/runs?task=no_such_task"],
      [runs.loader, "/app/runs?status=exploded"],
      [runs.loader, "/app/runs?trigger=telepathy"],
      [runs.loader, "/app/runs?page=0"],
      [runsLive.loader, "/app/runs/live?task=no_such_task"],
      [runsLive.loader, "/app/runs/live?status=exploded"],
      [runsLive.loader, "/app/runs/live?page=abc"],
    ];
    for (const [handler, address] of addresses)
      await tryInput(
        ROW.address,
        address,
        () => outcome(callRoute(handler as never, adminRequest(shop.shop.domain, address))),
        (result) =>
          JSON.stringify(result.body).length > 2
            ? `${result.status} with a message`
            : `${result.status}, no message`,
        { answer: "400 with a message" },
      );
  });
});
