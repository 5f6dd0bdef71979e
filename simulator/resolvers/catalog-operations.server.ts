import { gid, parseGid, type ShopState } from "../state/shop-state.server";
import type { ResolverContext } from "./context.server";
import { productView } from "./catalog-views.server";

/**
 * Asynchronous product operations (`productSet(synchronous: false)`, `productDelete(synchronous:
 * false)`) and the productOperation query that reads them. The simulator does the work at once,
 * answers the mutation with the operation CREATED, and reports it COMPLETE afterwards.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/productOperation
 */

type OperationType = "ProductSetOperation" | "ProductDeleteOperation";

interface Operation {
  type: OperationType;
  productId: number;
}

/** Finished operations by id, per shop. */
const operations = new WeakMap<ShopState, Map<number, Operation>>();

/** Records a finished operation and returns its view as the mutation answers it (CREATED). */
export function startedOperation(shop: ShopState, type: OperationType, productId: number) {
  const id = shop.newId();
  let list = operations.get(shop);
  if (!list) {
    list = new Map<number, Operation>();
    operations.set(shop, list);
  }
  list.set(id, { type, productId });
  const view = { __typename: type, id: gid(type, id), status: "CREATED", product: null, userErrors: [] };
  return type === "ProductDeleteOperation" ? { ...view, deletedProductId: null } : view;
}

export function productOperation(args: { id: string }, context: ResolverContext) {
  const { shop } = context;
  for (const type of ["ProductSetOperation", "ProductDeleteOperation"] as const) {
    const id = parseGid(args.id, type);
    const operation = id === null ? undefined : operations.get(shop)?.get(id);
    if (!operation || operation.type !== type) continue;
    const view = { __typename: type, id: gid(type, id!), status: "COMPLETE", userErrors: [] };
    if (type === "ProductDeleteOperation")
      return { ...view, product: null, deletedProductId: gid("Product", operation.productId) };
    const product = shop.products.get(operation.productId);
    return { ...view, product: product ? productView(shop, product) : null };
  }
  return null;
}
