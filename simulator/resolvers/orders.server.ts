import type { ResolverContext, ResolverModule } from "./context.server";
import { connection, countOf } from "./connection.server";
import { customerMutations, customerQueries } from "./customers-resolvers.server";
import { customerView } from "./customers-views.server";
import { fulfillmentMutations, fulfillmentNode, fulfillmentQueries } from "./fulfillments-mutations.server";
import { orderMutations } from "./orders-mutations.server";
import { calculatedOrderNode, orderEditMutations } from "./orders-edit-views.server";
import { orderCreateResolver } from "./orders-place.server";
import { orderSortKey, searchOrders } from "./orders-search.server";
import { findOrder, fulfilledQuantities } from "./orders-state.server";
import { refundView, transactionView } from "./orders-line-views.server";
import { orderView } from "./orders-views.server";

export { changeOrderLineQuantity } from "./orders-mutations.server";

interface OrdersArgs {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
  reverse?: boolean;
  query?: string;
  sortKey?: string;
}

function node(type: string, id: number, context: ResolverContext): unknown {
  const { shop } = context;
  switch (type) {
    case "Order": {
      const order = shop.orders.get(id);
      return order ? orderView(shop, order) : null;
    }
    case "CalculatedOrder":
      return calculatedOrderNode(shop, id) ?? null;
    case "Customer": {
      const customer = shop.customers.get(id);
      return customer ? customerView(shop, customer) : null;
    }
    case "OrderTransaction":
    case "Refund":
      for (const order of shop.orders.values()) {
        const self = () => orderView(shop, order);
        if (type === "OrderTransaction") {
          const transaction = order.transactions.find((candidate) => candidate.id === id);
          if (transaction) return transactionView(order, transaction, self);
        } else {
          const refund = order.refunds.find((candidate) => candidate.id === id);
          if (refund) return refundView(shop, order, refund, fulfilledQuantities(shop, order), self);
        }
      }
      return null;
    default:
      return fulfillmentNode(type, id, context);
  }
}

/** Customers, orders, transactions, refunds, fulfillment orders and fulfillments. */
export const ordersModule: ResolverModule = {
  query: {
    ...customerQueries,
    ...fulfillmentQueries,
    order: (args: { id: string }, context: ResolverContext) => {
      const order = findOrder(context.shop, args.id);
      return order ? orderView(context.shop, order) : null;
    },
    orders: (args: OrdersArgs, context: ResolverContext) =>
      connection(
        searchOrders(context.shop.orders.values(), args.query),
        args,
        { key: orderSortKey(args.sortKey ?? "PROCESSED_AT"), id: (order) => order.id },
        (order) => orderView(context.shop, order),
      ),
    ordersCount: (args: { query?: string; limit?: number | null }, context: ResolverContext) => {
      return countOf(searchOrders(context.shop.orders.values(), args.query).length, args.limit);
    },
    refund: (args: { id: string }, context: ResolverContext) => {
      const match = /\/Refund\/(\d+)/.exec(args.id);
      return match ? node("Refund", Number(match[1]), context) : null;
    },
  },
  mutation: {
    ...customerMutations,
    ...fulfillmentMutations,
    ...orderMutations,
    ...orderEditMutations,
    orderCreate: orderCreateResolver,
  },
  node,
};
