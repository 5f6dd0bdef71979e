import {
  OperationTypeNode,
  getNamedType,
  isLeafType,
  isObjectType,
  isCompositeType,
  type FieldNode,
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
  isRecord,
  isSizedByIds,
  itemsOf,
  nodeTypeOf,
  type CostInput,
  type CostWalk,
} from "./cost-types.server";
import { collectFields, fragmentsOf, subSelections } from "./selection.server";

/**
 * The cost of what an operation actually returned: objects that came back null cost nothing and
 * connections are charged for the items they returned rather than the page size asked for. It
 * mirrors requestedQueryCost rule for rule, so it never exceeds it.
 */
export function actualQueryCost(input: CostInput & { data: unknown }): number {
  const walk: CostWalk = {
    schema: input.schema,
    fragments: fragmentsOf(input.document),
    variables: input.variables,
    problems: [],
  };
  const root = input.schema.getRootType(input.operation.operation);
  if (!root || !isRecord(input.data)) return 0;
  const sets = [input.operation.selectionSet];
  if (input.operation.operation !== OperationTypeNode.MUTATION)
    return childrenCost(walk, root, sets, input.data, OBJECT_COST);
  let cost = 0;
  for (const [key, nodes] of collectFields(walk, root, sets)) {
    const definition = root.getFields()[nodes[0]?.name.value ?? ""];
    if (!definition) continue;
    // The mutation ran (or was attempted), so its 10 points stand even when it returned null.
    cost += MUTATION_COST;
    const payload = getNamedType(definition.type);
    const value = input.data[key];
    if (isObjectType(payload) && isRecord(value))
      cost += childrenCost(walk, payload, subSelections(nodes), value, 0);
  }
  return cost;
}

function childrenCost(
  walk: CostWalk,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  value: Record<string, unknown>,
  base: number,
): number {
  let total = 0;
  for (const [key, nodes] of collectFields(walk, type, sets))
    total += fieldCost(walk, type, nodes, value[key], base);
  return total;
}

function fieldCost(
  walk: CostWalk,
  parent: GraphQLObjectType,
  nodes: FieldNode[],
  value: unknown,
  base: number,
): number {
  const definition = parent.getFields()[nodes[0]?.name.value ?? ""];
  if (!definition) return 0;
  const type = getNamedType(definition.type);
  const items = itemsOf(value);
  if (isLeafType(type) || items.length === 0) return 0;
  const sets = subSelections(nodes);
  if (isConnection(type))
    return items.reduce<number>((sum, item) => sum + connectionCost(walk, type, sets, item), 0);
  if (isSizedByIds(definition)) {
    return items.reduce<number>((sum, item) => sum + base + compositeCost(walk, type, sets, item), 0);
  }
  // Other plain lists are charged like one object (as requested), for their dearest element.
  let most = 0;
  for (const item of items) most = Math.max(most, compositeCost(walk, type, sets, item));
  return base + most;
}

function compositeCost(
  walk: CostWalk,
  type: GraphQLNamedType,
  sets: readonly SelectionSetNode[],
  value: unknown,
): number {
  if (!isRecord(value)) return 0;
  if (isObjectType(type)) return childrenCost(walk, type, sets, value, OBJECT_COST);
  if (!isCompositeType(type)) return 0;
  const named = value.__typename;
  const runtime = typeof named === "string" ? walk.schema.getType(named) : undefined;
  if (runtime && isObjectType(runtime)) return childrenCost(walk, runtime, sets, value, OBJECT_COST);
  // Without __typename in the data, the concrete type is one whose selected keys all came back;
  // the dearest such candidate is charged, so the actual cost errs high, never low.
  const keys = new Set(Object.keys(value));
  let most = 0;
  for (const possible of walk.schema.getPossibleTypes(type)) {
    const fields = collectFields(walk, possible, sets);
    if ([...fields.keys()].every((key) => keys.has(key))) {
      most = Math.max(most, childrenCost(walk, possible, sets, value, OBJECT_COST));
    }
  }
  return most;
}

function itemCost(
  walk: CostWalk,
  type: GraphQLNamedType | undefined,
  sets: readonly SelectionSetNode[],
  value: unknown,
): number {
  if (!type || isLeafType(type) || !isRecord(value)) return 0;
  return OBJECT_COST + compositeCost(walk, type, sets, value);
}

function connectionCost(
  walk: CostWalk,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  value: unknown,
): number {
  if (!isRecord(value)) return 0;
  const itemType = nodeTypeOf(type);
  const edgeType = edgeTypeOf(type);
  // Item i is the same record whether it came through edges[i].node or nodes[i].
  const perItem: number[] = [];
  const charge = (index: number, cost: number): void => {
    perItem[index] = Math.max(perItem[index] ?? 0, cost);
  };
  let extras = 0;
  for (const [key, group] of collectFields(walk, type, sets)) {
    const name = group[0]?.name.value;
    const field = value[key];
    if (name === "edges" && edgeType && Array.isArray(field)) {
      field.forEach((edge, index) => charge(index, edgeCost(walk, edgeType, itemType, group, edge)));
    } else if (name === "nodes" && Array.isArray(field)) {
      field.forEach((node, index) => charge(index, itemCost(walk, itemType, subSelections(group), node)));
    } else if (name !== "pageInfo" && name !== "edges" && name !== "nodes") {
      extras += fieldCost(walk, type, group, field, OBJECT_COST);
    }
  }
  return CONNECTION_COST + perItem.reduce((sum, cost) => sum + cost, 0) + extras;
}

function edgeCost(
  walk: CostWalk,
  edgeType: GraphQLObjectType,
  itemType: GraphQLNamedType | undefined,
  edges: FieldNode[],
  edge: unknown,
): number {
  if (!isRecord(edge)) return 0;
  let node = 0;
  let extras = 0;
  for (const [key, group] of collectFields(walk, edgeType, subSelections(edges))) {
    if (group[0]?.name.value === "node")
      node = Math.max(node, itemCost(walk, itemType, subSelections(group), edge[key]));
    else extras += fieldCost(walk, edgeType, group, edge[key], OBJECT_COST);
  }
  return node + extras;
}
