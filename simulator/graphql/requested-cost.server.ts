import {
  OperationTypeNode,
  GraphQLError,
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isLeafType,
  isObjectType,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type SelectionSetNode,
} from "graphql";
import {
  CONNECTION_COST,
  MUTATION_COST,
  OBJECT_COST,
  edgeTypeOf,
  isConnection,
  isSizedByIds,
  nodeTypeOf,
  type CostInput,
  type CostWalk,
} from "./cost-types.server";
import { collectFields, fragmentsOf, subSelections } from "./selection.server";

/**
 * The cost Shopify charges before running an operation: the worst case the document can ask for,
 * with every connection assumed to return a full page (`first`/`last`).
 *
 * `problems` lists connections queried without `first` or `last`, which Shopify refuses ("you
 * must provide one of first or last"); they are costed as empty pages.
 */
export function requestedQueryCost(input: CostInput): { cost: number; problems: GraphQLError[] } {
  const walk: CostWalk = {
    schema: input.schema,
    fragments: fragmentsOf(input.document),
    variables: input.variables,
    problems: [],
  };
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return { cost: 0, problems: walk.problems };
  const sets = [input.operation.selectionSet];
  let cost = 0;
  if (input.operation.operation === OperationTypeNode.MUTATION) {
    for (const nodes of collectFields(walk, root, sets).values())
      cost += mutationFieldCost(walk, root, nodes);
  } else {
    cost = childrenCost(walk, root, sets, OBJECT_COST);
  }
  return { cost, problems: walk.problems };
}

// A mutation is charged its 10 points; the payload's own objects (the created record,
// userErrors) come with it, so only what is nested below them adds cost. Public captures of real
// responses agree: bulkOperationRunQuery { bulkOperation { id status } userErrors { field message } }
// reports requestedQueryCost 10, not 12.
function mutationFieldCost(walk: CostWalk, root: GraphQLObjectType, nodes: FieldNode[]): number {
  const definition = root.getFields()[nodes[0]?.name.value ?? ""];
  if (!definition) return 0;
  const payload = getNamedType(definition.type);
  if (!isObjectType(payload)) return MUTATION_COST;
  return MUTATION_COST + childrenCost(walk, payload, subSelections(nodes), 0);
}

/** Sum of the fields selected on an object type; `base` is what each object-valued field adds for itself. */
function childrenCost(
  walk: CostWalk,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  base: number,
): number {
  let total = 0;
  for (const nodes of collectFields(walk, type, sets).values()) total += fieldCost(walk, type, nodes, base);
  return total;
}

function fieldCost(walk: CostWalk, parent: GraphQLObjectType, nodes: FieldNode[], base: number): number {
  const first = nodes[0];
  const definition = first ? parent.getFields()[first.name.value] : undefined;
  // Introspection and __typename are not in getFields() and are free.
  if (!first || !definition) return 0;
  const type = getNamedType(definition.type);
  if (isLeafType(type)) return 0;
  if (isConnection(type)) return connectionCost(walk, definition, type, nodes);
  const each = base + compositeCost(walk, type, subSelections(nodes));
  if (isSizedByIds(definition)) return idsRequested(walk, definition, nodes) * each;
  // Other plain lists are charged like one object: the docs size only connections.
  return each;
}

function idsRequested(
  walk: CostWalk,
  definition: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
): number {
  let largest = 0;
  for (const node of nodes) {
    try {
      const ids = getArgumentValues(definition, node, walk.variables).ids;
      if (Array.isArray(ids)) largest = Math.max(largest, ids.length);
    } catch {
      // Bad arguments are reported by validation, not here.
    }
  }
  return largest;
}

/** Interfaces and unions: "maximum of possible selections" over their concrete types. */
function compositeCost(walk: CostWalk, type: GraphQLNamedType, sets: readonly SelectionSetNode[]): number {
  if (isObjectType(type)) return childrenCost(walk, type, sets, OBJECT_COST);
  if (!isCompositeType(type)) return 0;
  let most = 0;
  for (const possible of walk.schema.getPossibleTypes(type)) {
    most = Math.max(most, childrenCost(walk, possible, sets, OBJECT_COST));
  }
  return most;
}

/** One item of a connection: an object (1) plus what is selected on it; scalar items are free. */
function itemCost(
  walk: CostWalk,
  type: GraphQLNamedType | undefined,
  sets: readonly SelectionSetNode[],
): number {
  if (!type || isLeafType(type)) return 0;
  return OBJECT_COST + compositeCost(walk, type, sets);
}

function connectionCost(
  walk: CostWalk,
  definition: GraphQLField<unknown, unknown>,
  type: GraphQLObjectType,
  nodes: FieldNode[],
): number {
  const pageSize = pageSizeOf(walk, definition, nodes);
  const itemType = nodeTypeOf(type);
  // `edges { node }` and `nodes` select the same items; the dearer of the two is charged.
  let perItem = 0;
  let extras = 0;
  for (const group of collectFields(walk, type, subSelections(nodes)).values()) {
    const name = group[0]?.name.value;
    if (name === "edges") perItem = Math.max(perItem, edgeCost(walk, type, itemType, group));
    else if (name === "nodes") perItem = Math.max(perItem, itemCost(walk, itemType, subSelections(group)));
    else if (name !== "pageInfo") extras += fieldCost(walk, type, group, OBJECT_COST);
  }
  return CONNECTION_COST + pageSize * perItem + extras;
}

function edgeCost(
  walk: CostWalk,
  connection: GraphQLObjectType,
  itemType: GraphQLNamedType | undefined,
  edges: FieldNode[],
): number {
  const edgeType = edgeTypeOf(connection);
  if (!edgeType) return 0;
  let node = 0;
  let extras = 0;
  for (const group of collectFields(walk, edgeType, subSelections(edges)).values()) {
    const name = group[0]?.name.value;
    if (name === "node") node = Math.max(node, itemCost(walk, itemType, subSelections(group)));
    else extras += fieldCost(walk, edgeType, group, OBJECT_COST);
  }
  return node + extras;
}

function pageSizeOf(walk: CostWalk, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[]): number {
  let largest: number | undefined;
  for (const node of nodes) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, walk.variables);
    } catch {
      continue; // Bad arguments are reported by validation, not here.
    }
    const size = args.first ?? args.last;
    if (typeof size === "number") largest = Math.max(largest ?? 0, size);
  }
  if (largest !== undefined) return Math.max(0, largest);
  const paginated = definition.args.some((arg) => arg.name === "first" || arg.name === "last");
  if (paginated && nodes[0]) {
    walk.problems.push(
      new GraphQLError("you must provide one of first or last", {
        nodes: nodes[0],
        extensions: { code: "MISSING_PAGINATION_ARGUMENT", fieldName: definition.name },
      }),
    );
  }
  return 0;
}
