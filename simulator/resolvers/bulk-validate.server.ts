import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  parse,
  typeFromAST,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { fromValidationError } from "../graphql/errors.server";
import { userError, type UserError } from "./context.server";

/**
 * Checks a bulk query as bulkOperationRunQuery does before running it: it must parse and
 * validate against the schema, be a `query`, contain at least one connection and at most five,
 * nest connections at most two deep, select connection contents through `edges { node }`, give
 * every node that has a nested connection an unaliased `id`, and not put a connection inside a
 * list. The wording and order of the errors are Shopify's (mutation reference,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/bulkOperationRunQuery, and the
 * answers Shopify gives: every error has field ["query"] and code INVALID).
 */

export const MAX_CONNECTIONS = 5;
export const MAX_CONNECTION_DEPTH = 2;

/** A connection type as Shopify builds them: an object named *Connection with `edges`. */
export function isConnectionType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "edges" in type.getFields();
}

export interface SelectedField {
  node: FieldNode;
  /** The type the field was selected on (a fragment's condition, when inside one). */
  parentType: GraphQLCompositeType;
  definition: GraphQLField<unknown, unknown> | null;
}

/**
 * The fields of a selection set with their parent types, fragments expanded. Unlike execution's
 * field collection this keeps every fragment (the concrete type is not known before running),
 * which is what a static check needs.
 */
export function selectedFields(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  parentType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  seen = new Set<string>(),
): SelectedField[] {
  const fields: SelectedField[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Unions have no fields of their own; only `__typename` can be selected on them.
      const own: Record<string, GraphQLField<unknown, unknown>> = "getFields" in parentType
        ? parentType.getFields()
        : {};
      fields.push({ node: selection, parentType, definition: own[selection.name.value] ?? null });
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) continue;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) continue;
      seen.add(selection.name.value);
    }
    const condition = fragment.typeCondition ? typeFromAST(schema, fragment.typeCondition) : parentType;
    const type = condition && isCompositeType(condition) ? condition : parentType;
    fields.push(...selectedFields(schema, fragments, type, fragment.selectionSet, seen));
  }
  return fields;
}

interface Analysis {
  connections: number;
  maxDepth: number;
  withinList: boolean;
  nodesSelected: string[];
  withoutParentId: string[];
}

interface WalkState {
  depth: number;
  inList: boolean;
  parentConnection: string | null;
  parentHasId: boolean;
}

export function validateBulkQuery(
  schema: GraphQLSchema,
  query: string,
): { document: DocumentNode; operation: OperationDefinitionNode } | { errors: UserError[] } {
  const invalid = (message: string) => userError(["query"], message, "INVALID");
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // graphql-ruby's wording: "syntax error, unexpected end of file".
    const detail = error.message
      .replace(/^Syntax Error:\s*/, "")
      .replace(/\.$/, "")
      .replace("Unexpected <EOF>", "unexpected end of file");
    return {
      errors: [
        invalid(`Invalid bulk query: syntax error, ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`),
      ],
    };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0)
    return {
      errors: validationErrors.map((error) =>
        invalid(`Invalid bulk query: ${fromValidationError(error).message}`),
      ),
    };
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operations[0]!;
  if (operations.length !== 1 || operation.operation !== OperationTypeNode.QUERY)
    return { errors: [invalid("Invalid operation type. Only `query` operations are supported.")] };

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const analysis: Analysis = {
    connections: 0,
    maxDepth: 0,
    withinList: false,
    nodesSelected: [],
    withoutParentId: [],
  };
  const select = (type: GraphQLCompositeType, set: SelectionSetNode) =>
    selectedFields(schema, fragments, type, set);

  const walk = (fields: SelectedField[], state: WalkState): void => {
    for (const field of fields) {
      const definition = field.definition;
      if (!definition || !field.node.selectionSet) continue;
      const named = getNamedType(definition.type);
      if (!isCompositeType(named)) continue;
      const children = select(named, field.node.selectionSet);
      const name = field.node.name.value;
      if (isConnectionType(named)) {
        const edges = children.filter((child) => child.node.name.value === "edges");
        if (edges.length === 0) {
          if (
            children.some((child) => child.node.name.value === "nodes") &&
            !analysis.nodesSelected.includes(name)
          )
            analysis.nodesSelected.push(name);
          continue;
        }
        analysis.connections += 1;
        const depth = state.depth + 1;
        analysis.maxDepth = Math.max(analysis.maxDepth, depth);
        if (state.inList) analysis.withinList = true;
        if (
          state.parentConnection &&
          !state.parentHasId &&
          !analysis.withoutParentId.includes(state.parentConnection)
        )
          analysis.withoutParentId.push(state.parentConnection);
        const nodes = edges.flatMap((edge) => {
          const edgeType = getNamedType(edge.definition!.type) as GraphQLCompositeType;
          const inEdge = edge.node.selectionSet ? select(edgeType, edge.node.selectionSet) : [];
          return inEdge.filter((child) => child.node.name.value === "node");
        });
        const nodeFields = nodes.flatMap((node) => {
          const nodeType = getNamedType(node.definition!.type) as GraphQLCompositeType;
          return node.node.selectionSet ? select(nodeType, node.node.selectionSet) : [];
        });
        const hasId = nodeFields.some(
          (f) => f.node.name.value === "id" && !f.node.alias && !f.node.selectionSet && !!f.definition,
        );
        walk(nodeFields, { depth, inList: false, parentConnection: name, parentHasId: hasId });
        continue;
      }
      const isList = isListType(getNullableType(definition.type));
      walk(children, { ...state, inList: state.inList || isList });
    }
  };

  const queryType = schema.getQueryType()!;
  const roots = select(queryType, operation.selectionSet);
  walk(roots, { depth: 0, inList: false, parentConnection: null, parentHasId: false });

  const errors: UserError[] = [];
  if (analysis.nodesSelected.length > 0)
    errors.push(
      invalid(
        `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '${analysis.nodesSelected.join("', '")}'.`,
      ),
    );
  const topLevelNode = roots.find(
    (root) => root.node.name.value === "node" || root.node.name.value === "nodes",
  );
  if (topLevelNode)
    errors.push(
      invalid(`Bulk queries cannot contain a top level \`${topLevelNode.node.name.value}\` field.`),
    );
  if (analysis.maxDepth > MAX_CONNECTION_DEPTH)
    errors.push(
      invalid(
        `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_CONNECTION_DEPTH}.`,
      ),
    );
  if (analysis.connections > MAX_CONNECTIONS)
    errors.push(invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`));
  if (analysis.withoutParentId.length > 0)
    errors.push(
      invalid(
        `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${analysis.withoutParentId.join(", ")}.`,
      ),
    );
  if (analysis.withinList)
    errors.push(
      invalid("Queries that contain a connection field within a list field are not currently supported."),
    );
  if (analysis.connections === 0 && (errors.length === 0 || (topLevelNode && errors.length === 1)))
    errors.push(invalid("Bulk queries must contain at least one connection."));
  return errors.length > 0 ? { errors } : { document, operation };
}
