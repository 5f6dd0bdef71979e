import { bulkQuery, type BulkQuery } from "../../shopify/bulk.server";
import { LINE_FIELDS, ORDER_HEADER_FIELDS, SHIPPING_LINE_FIELDS } from "./operations.server";

/**
 * The order sync's bulk query (app/sync/orders/bulk-import.server.ts): every order of a search,
 * with the fields the per-order path reads (ORDERS_PAGE, ORDER_LINES, ORDER_SHIPPING_LINES and
 * ORDER_CURRENT) so that both stage the same order: the order's own fields and its current
 * figures inline, its lines, shipping lines and fulfillment orders (with their assigned
 * locations) as lines of their own (`__parentId`), each line with its unit price after all
 * discounts. A fulfillment order's own lines would nest a third connection, more than a bulk
 * query takes: an order with more than one has them read as by pages (ORDER_FULFILLMENT_LINES).
 * A bulk query takes no variables, so the search is written into it. What a bulk query costs
 * does not depend on its fields, so a B2B order's company, location and payment schedules come
 * inline (the schedules as lines of their own: the fifth and last connection a bulk query may
 * have), where the per-order path reads them by ORDER_PURCHASING.
 */
export function ordersBulkQuery(search: string): BulkQuery {
  return bulkQuery(
    "SyncOrdersBulk",
    `query SyncOrdersBulk {
      orders(query: ${JSON.stringify(search)}, sortKey: UPDATED_AT) {
        edges {
          node {
            ${ORDER_HEADER_FIELDS}
            purchasingEntity { __typename ... on PurchasingCompany { company { id name } location { id name } } }
            paymentTerms { paymentSchedules { edges { node { id dueAt } } } }
            currentSubtotalPriceSet { shopMoney { amount } }
            currentShippingPriceSet { shopMoney { amount } }
            currentTotalTaxSet { shopMoney { amount } presentmentMoney { amount } }
            currentTaxLines { title rate price }
            lineItems {
              edges { node { ${LINE_FIELDS} discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount } } } }
            }
            shippingLines { edges { node { ${SHIPPING_LINE_FIELDS} } } }
            fulfillmentOrders(displayable: true) { edges { node { id assignedLocation { location { id } } } } }
          }
        }
      }
    }`,
  );
}

/** The first import's bulk query (what test/shopify checks against bulkOperationRunQuery's rules). */
export const SYNC_ORDERS_BULK = ordersBulkQuery("status:open");
