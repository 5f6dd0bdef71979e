import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  isAbstractType,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from "graphql";

/** What a walk over an operation needs besides the selection itself. */
export type OperationScope = {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Coerced variable values (defaults applied). */
  variables: Record<string, unknown>;
};

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function included(scope: OperationScope, node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, scope.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, scope.variables);
  return include?.if !== false;
}

function conditionApplies(
  scope: OperationScope,
  fragment: FragmentDefinitionNode | InlineFragmentNode,
  type: GraphQLObjectType,
): boolean {
  if (!fragment.typeCondition) return true;
  const condition = typeFromAST(scope.schema, fragment.typeCondition);
  if (condition === type) return true;
  return condition !== undefined && isAbstractType(condition) && scope.schema.isSubType(condition, type);
}

/**
 * The fields that execution would resolve on an object of `type`, grouped by response key, as
 * graphql-js's own collectFields does: fragments are expanded when their type condition applies,
 * @skip/@include are honoured, and fields repeated under one key are merged. Costing the merged
 * groups keeps a field selected twice (say in two fragments) from being charged twice.
 */
export function collectFields(
  scope: OperationScope,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (!included(scope, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const group = fields.get(key);
        if (group) group.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (conditionApplies(scope, selection, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = scope.fragments.get(name);
        if (visited.has(name) || !fragment || !conditionApplies(scope, fragment, type)) continue;
        visited.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

/** The sub-selections of every node in a merged field group. */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}
