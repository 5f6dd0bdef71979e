import {
  Kind,
  execute,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { strictFieldResolver, typenameTypeResolver } from "../graphql/resolvers.server";
import { collectFields, fragmentsOf, subSelections, type OperationScope } from "../graphql/selection.server";
import type { ResolverContext } from "./context.server";
import { MAX_PAGE_SIZE, type Connection } from "./connection.server";
import { isConnectionType } from "./bulk-validate.server";

/**
 * Runs a validated bulk query against the shop's state with the simulator's own resolvers and
 * writes the result as Shopify's JSONL (https://shopify.dev/docs/api/usage/bulk-operations/queries,
 * "Download result data"): one line per node of every connection, without the `edges`/`node`
 * wrappers; a node of a nested connection carries `__parentId`, the id of the node it belongs to,
 * as its last key; objects and lists that are not connections stay inline in their node's line.
 * Connections are read in full whatever `first` says, page by page as a client would.
 */

/** Added to every selection set so the flattener knows each object's concrete type. */
const TYPE_KEY = "__bulkTypename";

function withTypenames(document: DocumentNode): DocumentNode {
  const typename: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: TYPE_KEY },
    name: { kind: Kind.NAME, value: "__typename" },
  };
  return visit(document, {
    SelectionSet: (node: SelectionSetNode) => ({ ...node, selections: [typename, ...node.selections] }),
  });
}

type Resolver = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;

/** Reads every page of a connection through the field's own resolver and returns them as one. */
function pagingResolver(base: Resolver): Resolver {
  return async (source, args, context, info) => {
    if (!isConnectionType(getNamedType(info.returnType))) return base(source, args, context, info);
    const edges: Connection<unknown>["edges"] = [];
    let after: string | null = null;
    for (;;) {
      const pageArgs: Record<string, unknown> = {
        ...args,
        first: MAX_PAGE_SIZE,
        after,
        last: undefined,
        before: undefined,
      };
      const page = (await base(source, pageArgs, context, info)) as Connection<unknown> | null;
      if (!page) return page;
      edges.push(...page.edges);
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  };
}

type Json = Record<string, unknown>;

export interface BulkResult {
  jsonl: string;
  objectCount: number;
  rootObjectCount: number;
  errors: { message: string; code: string | null }[];
}

class Flattener {
  readonly lines: Json[] = [];
  private readonly scope: OperationScope;

  constructor(scope: OperationScope) {
    this.scope = scope;
  }

  private concrete(value: Json, fallback: GraphQLOutputType): GraphQLObjectType | null {
    const named = this.scope.schema.getType(String(value[TYPE_KEY]));
    if (named && isObjectType(named)) return named;
    const declared = getNamedType(fallback);
    return isObjectType(declared) ? declared : null;
  }

  private value(
    value: unknown,
    type: GraphQLOutputType,
    nodes: readonly FieldNode[],
    ownerId: string | null,
  ): unknown {
    if (value === null || value === undefined) return null;
    const nullable = getNullableType(type);
    if (isListType(nullable))
      return (value as unknown[]).map((item) => this.value(item, nullable.ofType, nodes, ownerId));
    if (isLeafType(nullable)) return value;
    const objectType = this.concrete(value as Json, nullable);
    return objectType ? this.object(objectType, subSelections(nodes), value as Json, ownerId) : null;
  }

  /** An object's fields; its connections become lines of their own owned by `ownerId`. */
  object(
    type: GraphQLObjectType,
    selections: readonly SelectionSetNode[],
    data: Json,
    ownerId: string | null,
  ): Json {
    const out: Json = {};
    for (const [key, nodes] of collectFields(this.scope, type, selections)) {
      if (key === TYPE_KEY) continue;
      const name = nodes[0]!.name.value;
      if (name === "__typename") {
        out[key] = data[key];
        continue;
      }
      const field = type.getFields()[name];
      if (!field) continue;
      const named = getNamedType(field.type);
      if (isConnectionType(named) && isObjectType(named)) {
        this.connection(named, nodes, data[key] as Json | null, ownerId);
        continue;
      }
      out[key] = this.value(data[key], field.type, nodes, ownerId);
    }
    return out;
  }

  private connection(
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
    data: Json | null,
    parentId: string | null,
  ): void {
    if (!data) return;
    for (const [edgesKey, edgeNodes] of collectFields(this.scope, type, subSelections(nodes))) {
      if (edgeNodes[0]!.name.value !== "edges") continue;
      const edgeType = getNamedType(type.getFields().edges!.type) as GraphQLObjectType;
      for (const edge of (data[edgesKey] as Json[] | null) ?? []) {
        for (const [nodeKey, nodeNodes] of collectFields(this.scope, edgeType, subSelections(edgeNodes))) {
          if (nodeNodes[0]!.name.value !== "node") continue;
          const node = edge[nodeKey] as Json | null;
          if (!node) continue;
          const nodeType = this.concrete(node, edgeType.getFields().node!.type);
          if (!nodeType) continue;
          // The line goes in before its children's lines, then gets its content.
          const line: Json = {};
          this.lines.push(line);
          const id = typeof node.id === "string" ? node.id : parentId;
          Object.assign(line, this.object(nodeType, subSelections(nodeNodes), node, id));
          if (parentId !== null) line.__parentId = parentId;
        }
      }
    }
  }
}

/**
 * `groupObjects: false` (2026-07's default) makes no promise that a node's children follow it:
 * the simulator then writes every connection's nodes level by level (all the top-level nodes,
 * then the nested ones), so a client that assumes grouping fails here as it would on Shopify.
 * With `groupObjects: true` each node is followed by its children.
 */
export async function runBulkQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  rootValue: Record<string, unknown>,
  context: ResolverContext,
  groupObjects = false,
): Promise<BulkResult> {
  const typed = withTypenames(document);
  const result = await execute({
    schema,
    document: typed,
    rootValue,
    contextValue: context,
    fieldResolver: pagingResolver(strictFieldResolver() as Resolver),
    typeResolver: typenameTypeResolver,
  });
  const scope: OperationScope = { schema, fragments: fragmentsOf(typed), variables: {} };
  const flattener = new Flattener(scope);
  const operation = typed.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  if (result.data && operation.kind === Kind.OPERATION_DEFINITION)
    flattener.object(schema.getQueryType()!, [operation.selectionSet], result.data, null);
  const lines = groupObjects
    ? flattener.lines
    : [
        ...flattener.lines.filter((line) => !("__parentId" in line)),
        ...flattener.lines.filter((line) => "__parentId" in line),
      ];
  return {
    jsonl: lines.map((line) => `${JSON.stringify(line)}\n`).join(""),
    objectCount: lines.length,
    rootObjectCount: lines.filter((line) => !("__parentId" in line)).length,
    errors: (result.errors ?? []).map((error) => ({
      message: error.message,
      code: typeof error.extensions.code === "string" ? error.extensions.code : null,
    })),
  };
}
