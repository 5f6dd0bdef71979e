import {
  allBackOfficeCustomerRows,
  allUnmappedCustomers,
  backOfficeFilter,
  CUSTOMER_VIEWS,
} from "../admin/customers.server";
import { findShop } from "../shops/shops.server";
import { requireShop, table, UsageError, type Command } from "./format.server";

/**
 * The CLI's `customers`: the Customers page from the command line. Each back-office customer
 * (templates aside) with its Shopify customer and where it stands with the customers export
 * (state and message in full), found by --q (number, name, e-mail or phone) and --state; then
 * the Shopify customers not linked to a back-office customer, with why the customers sync left
 * them unmapped or its error.
 */

const OPTION_OF: Record<string, string> = { search: "--q", state: "--state" };

export const customersCommand: Command = {
  options: {
    shop: { type: "string" },
    json: { type: "boolean" },
    q: { type: "string" },
    state: { type: "string" },
  },
  async run(db, values, io) {
    const parsed = backOfficeFilter.safeParse({ search: values.q, state: values.state });
    if (!parsed.success)
      throw new UsageError(
        parsed.error.issues
          .map((issue) => `${OPTION_OF[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`)
          .join("; "),
      );
    const shop = await findShop(db, requireShop(values));
    const [rows, unmapped] = await Promise.all([
      allBackOfficeCustomerRows(db, shop, parsed.data),
      allUnmappedCustomers(db, shop),
    ]);
    const customers = rows.map((row) => ({
      customerNo: row.no,
      name: row.name,
      email: row.email,
      phone: row.phone,
      shopifyCustomerId: row.shopify?.id ?? null,
      shopifyAdminUrl: row.shopify?.adminUrl ?? null,
      syncState: row.state,
      message: row.message,
      attempts: row.attempts,
      sentAt: row.sentAt,
      importState: row.shopify?.importState ?? null,
      importMessage: row.shopify?.importMessage ?? null,
    }));
    const shopifyCustomers = unmapped.map((row) => ({
      shopifyCustomerId: row.shopifyId,
      name: row.name,
      email: row.email,
      phone: row.phone,
      adminUrl: row.adminUrl,
      syncState: row.syncState || null,
      message: row.message,
      ordersWaiting: row.blockedOrders.map((order) => order.name),
    }));
    if (values.json) {
      io.out(JSON.stringify({ shop: shop.domain, customers, unmapped: shopifyCustomers }, null, 2));
      return;
    }
    io.out("Back-office customers:");
    table(
      customers.map((row) => ({
        customerNo: row.customerNo,
        name: row.name,
        shopifyCustomerId: row.shopifyCustomerId,
        syncState: row.syncState,
        message: [row.message, row.importState === "error" ? `import: ${row.importMessage}` : null]
          .filter(Boolean)
          .join("; "),
      })),
      io,
    );
    io.out("");
    io.out("Unmapped Shopify customers:");
    table(
      shopifyCustomers.map((row) => ({
        shopifyCustomerId: row.shopifyCustomerId,
        name: row.name,
        email: row.email,
        syncState: row.syncState,
        message: row.message,
        ordersWaiting: row.ordersWaiting.join(", "),
      })),
      io,
    );
  },
};

/** The states --state takes, for the CLI's help. */
export const CUSTOMER_STATES = CUSTOMER_VIEWS.join(", ");
