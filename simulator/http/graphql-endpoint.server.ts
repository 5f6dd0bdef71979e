import type { GraphQLResolveInfo } from "graphql";
import { executeAdmin, type AdminResponse } from "../graphql/execute.server";
import { idempotencyKey } from "../graphql/resolvers.server";
import { loadAdminSchema } from "../graphql/schema.server";
import type { FieldMap, ResolverContext } from "../resolvers/context.server";
import { contextFor } from "../resolvers/local-execute.server";
import { buildRoot } from "../resolvers/root.server";
import type { ShopState } from "../state/shop-state.server";
import type { Simulator } from "../simulator.server";

/**
 * POST /admin/api/2026-07/graphql.json for one shop: the full pipeline of validation, cost,
 * throttling and execution, with the domain modules' resolvers.
 */

let root: ReturnType<typeof buildRoot> | undefined;

/** Gives each mutation field the key of its own `@idempotent(key:)` directive. */
function withIdempotencyKeys(fields: FieldMap): FieldMap {
  return Object.fromEntries(
    Object.entries(fields).map(([name, resolve]) => [
      name,
      (args: unknown, context: ResolverContext, info: GraphQLResolveInfo) =>
        resolve(args, { ...context, idempotencyKey: idempotencyKey(info) ?? null }, info),
    ]),
  );
}

export function resolverRoot() {
  if (!root) {
    const built = buildRoot();
    root = { query: built.query, mutation: withIdempotencyKeys(built.mutation) };
  }
  return root;
}

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export async function runAdminRequest(
  sim: Simulator,
  shop: ShopState,
  body: GraphQLRequestBody,
): Promise<AdminResponse> {
  const schema = loadAdminSchema();
  const bucket = sim.bucket(shop);
  if (typeof body.query !== "string") {
    return {
      errors: [{ message: "No query string was present", extensions: { code: "BAD_REQUEST" } }],
      extensions: { cost: { requestedQueryCost: 0, actualQueryCost: null, throttleStatus: bucket.status() } },
    };
  }
  const context = contextFor(sim, shop.domain);
  const { query, mutation } = resolverRoot();
  return executeAdmin({
    schema,
    query: body.query,
    variables: (body.variables as Record<string, unknown> | null | undefined) ?? null,
    operationName: typeof body.operationName === "string" ? body.operationName : null,
    rootValue: (operation) => (operation === "mutation" ? mutation : query),
    context: context as unknown as Record<string, unknown>,
    bucket,
  });
}
