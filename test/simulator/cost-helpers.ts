import { getOperationAST, getVariableValues, parse, validate } from "graphql";
import { actualQueryCost, requestedQueryCost } from "../../simulator/graphql/cost.server";
import { loadAdminSchema } from "../../simulator/graphql/schema.server";

/** Parse and validate against the real 2026-07 schema, so every costed example is a legal query. */
function prepare(query: string, inputs: Record<string, unknown> = {}) {
  const schema = loadAdminSchema();
  const document = parse(query);
  const invalid = validate(schema, document);
  if (invalid.length > 0) throw new Error(invalid.map((error) => error.message).join("; "));
  const operation = getOperationAST(document);
  if (!operation) throw new Error("expected exactly one operation");
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors) throw new Error(coerced.errors.map((error) => error.message).join("; "));
  return { schema, document, operation, variables: coerced.coerced };
}

export function requested(query: string, variables?: Record<string, unknown>) {
  return requestedQueryCost(prepare(query, variables));
}

export function requestedCost(query: string, variables?: Record<string, unknown>): number {
  const { cost, problems } = requested(query, variables);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join("; "));
  return cost;
}

export function actualCost(query: string, data: unknown, variables?: Record<string, unknown>): number {
  return actualQueryCost({ ...prepare(query, variables), data });
}
