import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLField,
  type DocumentNode,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { OperationScope } from "./selection.server";

/** Everything a cost calculation reads. `variables` must already be coerced (defaults applied). */
export type CostInput = {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
};

export type CostWalk = OperationScope & { problems: GraphQLError[] };

// Default costs, https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits ("Cost
// calculation"): scalar 0, enum 0, object 1, interface/union "maximum of possible selections",
// connection "sized by first and last", mutation 10. The connection's own 2 points are from
// Shopify's engineering blog, "Rate limiting GraphQL APIs by
// calculating query complexity": "connections: two points plus the number of returned objects".
export const OBJECT_COST = 1;
export const CONNECTION_COST = 2;
export const MUTATION_COST = 10;

/**
 * Shopify's connections are the Relay-style `…Connection` object types with `edges`; they are
 * costed per page, unlike plain lists, which the docs do not size and are costed like one object.
 */
export function isConnection(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith("Connection") && "edges" in type.getFields();
}

/**
 * Lists fetched by id (`nodes(ids:)`) are charged per id asked for. This is an inference, not a
 * documented rule (the docs do not cover lists): charged like one object, a 250-id lookup would
 * pass for a 2-point query and hide exactly the cost problems the simulator is meant to surface.
 */
export function isSizedByIds(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(getNullableType(field.type)) && field.args.some((arg) => arg.name === "ids");
}

export function edgeTypeOf(connection: GraphQLObjectType): GraphQLObjectType | undefined {
  const edges = connection.getFields().edges;
  const type = edges ? getNamedType(edges.type) : undefined;
  return type && isObjectType(type) ? type : undefined;
}

/** The type of one item of a connection (`edges.node` / `nodes`); may be a scalar (StringConnection). */
export function nodeTypeOf(connection: GraphQLObjectType): GraphQLNamedType | undefined {
  const nodes = connection.getFields().nodes;
  if (nodes) return getNamedType(nodes.type);
  const node = edgeTypeOf(connection)?.getFields().node;
  return node ? getNamedType(node.type) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field's value with any list nesting flattened away; null items are kept out. */
export function itemsOf(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.flatMap(itemsOf) : [value];
}
