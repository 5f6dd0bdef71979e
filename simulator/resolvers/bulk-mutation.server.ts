import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { fromValidationError } from "../graphql/errors.server";
import { loadAdminSchema } from "../graphql/schema.server";
import { CostBucket } from "../graphql/throttle.server";
import type { BulkOperationRecord } from "../state/records.server";
import { userError, type ResolverContext, type UserError } from "./context.server";

/**
 * bulkOperationRunMutation's work (https://shopify.dev/docs/api/usage/bulk-operations/imports):
 * the mutation is run once per line of the staged JSONL file, the line being its variables,
 * with the same resolvers, validation and `@idempotent` keys as a request (each line on its own,
 * outside the app's cost bucket, which bulk operations do not draw on). The result file has a
 * line per input line, in order: the mutation's response (`data`, with the payload's
 * `userErrors`; `errors` when the line's variables or execution failed) and `__lineNumber`, the
 * input line's number from 0.
 */

/** Why a bulk mutation cannot run, as Shopify's INVALID_MUTATION userError; null when it can. */
export function validateBulkMutation(schema: GraphQLSchema, mutation: string): UserError | null {
  const invalid = (message: string) => userError(["mutation"], message, "INVALID_MUTATION");
  let document: DocumentNode;
  try {
    document = parse(mutation);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return invalid(`Failed to parse the mutation - ${error.message}`);
  }
  const errors = validate(schema, document);
  if (errors.length > 0)
    return invalid(
      `Failed to parse the mutation - ${errors.map((e) => fromValidationError(e).message).join("; ")}`,
    );
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0]!.operation !== OperationTypeNode.MUTATION)
    return invalid("Invalid operation type. Only `mutation` operations are supported.");
  const roots = operations[0]!.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD);
  if (roots.length !== 1) return invalid("Bulk mutations must contain exactly one mutation field.");
  return null;
}

export async function runBulkMutationLines(
  mutation: string,
  lines: Record<string, unknown>[],
  context: ResolverContext,
  status: () => BulkOperationRecord["status"],
): Promise<{ jsonl: string; objectCount: number; rootObjectCount: number }> {
  // Imported when first run: the endpoint imports the resolvers, which import this module.
  const [{ executeAdmin }, { resolverRoot }] = await Promise.all([
    import("../graphql/execute.server"),
    import("../http/graphql-endpoint.server"),
  ]);
  const { mutation: root } = resolverRoot();
  const out: string[] = [];
  for (const [lineNumber, variables] of lines.entries()) {
    if (status() !== "RUNNING") break; // canceled
    const response = await executeAdmin({
      schema: loadAdminSchema(),
      query: mutation,
      variables,
      rootValue: () => root,
      context: { ...context, idempotencyKey: null },
      bucket: new CostBucket("plus", () => context.sim.clock.nowMs()),
    });
    const line: Record<string, unknown> = {};
    if (response.data !== undefined) line.data = response.data;
    if (response.errors) line.errors = response.errors;
    line.__lineNumber = lineNumber;
    out.push(`${JSON.stringify(line)}\n`);
    // Let the simulator answer requests (polls) between lines, as Shopify's would.
    if (lineNumber % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  return { jsonl: out.join(""), objectCount: out.length, rootObjectCount: out.length };
}
