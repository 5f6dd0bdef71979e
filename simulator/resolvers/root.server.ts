import { GraphQLError } from "graphql";
import { b2bModule } from "./b2b.server";
import { catalogModule } from "./catalog.server";
import { catalogsModule } from "./catalogs-module.server";
import type { FieldMap, ResolverContext, ResolverModule } from "./context.server";
import { ordersModule } from "./orders.server";
import { paymentsLedgerModule } from "./payments-ledger.server";

/**
 * The root Query and Mutation objects, composed from each domain's module. `node`/`nodes`
 * ask each module in turn to resolve a GID.
 */

export const MODULES: ResolverModule[] = [
  catalogModule,
  ordersModule,
  catalogsModule,
  b2bModule,
  paymentsLedgerModule,
];

function resolveNode(modules: ResolverModule[], id: unknown, context: ResolverContext): unknown {
  if (typeof id !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)/.exec(id);
  if (!match)
    throw new GraphQLError(`Invalid global id '${id}'`, {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  for (const module of modules) {
    const found = module.node?.(match[1]!, Number(match[2]), context);
    if (found !== undefined) return found;
  }
  return null;
}

export interface Root {
  query: FieldMap;
  mutation: FieldMap;
}

export function buildRoot(modules: ResolverModule[] = MODULES): Root {
  const query: FieldMap = {};
  const mutation: FieldMap = {};
  for (const module of modules) {
    for (const [name, resolver] of Object.entries(module.query ?? {})) {
      if (query[name]) throw new Error(`two modules resolve Query.${name}`);
      query[name] = resolver;
    }
    for (const [name, resolver] of Object.entries(module.mutation ?? {})) {
      if (mutation[name]) throw new Error(`two modules resolve Mutation.${name}`);
      mutation[name] = resolver;
    }
  }
  query.node ??= (args: { id: string }, context) => resolveNode(modules, args.id, context);
  query.nodes ??= (args: { ids: string[] }, context) =>
    args.ids.map((id) => resolveNode(modules, id, context));
  return { query, mutation };
}
