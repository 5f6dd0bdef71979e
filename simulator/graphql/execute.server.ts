import {
  GraphQLError,
  execute,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type OperationTypeNode,
} from "graphql";
import {
  MAX_SINGLE_QUERY_COST,
  actualQueryCost,
  maxCostExceededError,
  requestedQueryCost,
} from "./cost.server";
import {
  fromExecutionError,
  fromSyntaxError,
  fromValidationError,
  fromVariableError,
  type ShopifyGraphQLError,
} from "./errors.server";
import {
  strictFieldResolver,
  typenameTypeResolver,
  type Resolvers,
  type SimulatorContext,
} from "./resolvers.server";
import { collectFields, fragmentsOf } from "./selection.server";
import type { CostBucket, ThrottleStatus } from "./throttle.server";

/** "query" | "mutation" | "subscription", as plain strings so callers can compare without the enum. */
export type OperationKind = `${OperationTypeNode}`;

export type ExecuteAdminOptions = {
  schema: GraphQLSchema;
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** Field resolvers by type name; fields without one are read from the parent value. */
  resolvers?: Resolvers;
  /** Parent value of the root fields, or a function choosing one per operation type. */
  rootValue?: Record<string, unknown> | ((operation: OperationKind) => Record<string, unknown>);
  /** Extra context handed to every resolver. */
  context?: Record<string, unknown>;
  /** The (app, shop) bucket this request draws on. */
  bucket: CostBucket;
};

/** `extensions.cost`; `actualQueryCost` is null when nothing was executed. */
export type CostExtension = {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
};

export type AdminResponse = {
  data?: Record<string, unknown> | null;
  errors?: ShopifyGraphQLError[];
  extensions: { cost: CostExtension };
};

// The body Shopify sends when the bucket cannot pay the requested cost: data absent,
// actualQueryCost null. https://community.shopify.com/t/throttled/254776 quotes one in full.
const THROTTLED: ShopifyGraphQLError = {
  message: "Throttled",
  extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
};

/**
 * Documents that parsed and validated, by query text: clients send the same few queries again
 * and again (a bulk mutation runs its one mutation per line), and validating against the
 * 2026-07 schema costs more than most executions. Parsed documents are never changed.
 */
const validDocuments = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();
const MAX_REMEMBERED_DOCUMENTS = 500;

function remember(schema: GraphQLSchema, query: string, document: DocumentNode): void {
  let documents = validDocuments.get(schema);
  if (!documents) validDocuments.set(schema, (documents = new Map<string, DocumentNode>()));
  if (documents.size >= MAX_REMEMBERED_DOCUMENTS) documents.delete(documents.keys().next().value!);
  documents.set(query, document);
}

/**
 * Run one Admin API request as Shopify would: parse, validate against the 2026-07 schema, price it,
 * throttle it against the bucket, execute it with the caller's resolvers, then refund the
 * difference between requested and actual cost. Every response carries `extensions.cost`.
 */
export async function executeAdmin(options: ExecuteAdminOptions): Promise<AdminResponse> {
  const { schema, bucket } = options;
  const refuse = (errors: ShopifyGraphQLError[], requestedQueryCost = 0): AdminResponse => ({
    errors,
    extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
  });

  let document = validDocuments.get(schema)?.get(options.query);
  if (!document) {
    try {
      document = parse(options.query);
    } catch (error) {
      if (error instanceof GraphQLError) return refuse([fromSyntaxError(error)]);
      throw error;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return refuse(invalid.map(fromValidationError));
    remember(schema, options.query, document);
  }

  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) {
    const message = options.operationName
      ? `No operation named "${options.operationName}"`
      : "An operation name is required when the document has several operations";
    return refuse([{ message, extensions: { code: "OPERATION_NOT_FOUND" } }]);
  }

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], options.variables ?? {});
  if (coerced.errors) return refuse(coerced.errors.map(fromVariableError));
  const variables = coerced.coerced;

  const requested = requestedQueryCost({ schema, document, operation, variables });
  if (requested.problems.length > 0)
    return refuse(requested.problems.map(fromExecutionError), requested.cost);
  if (requested.cost > MAX_SINGLE_QUERY_COST)
    return refuse([maxCostExceededError(requested.cost)], requested.cost);

  const taken = bucket.tryTake(requested.cost);
  if (!taken.ok) {
    return {
      errors: [THROTTLED],
      extensions: {
        cost: { requestedQueryCost: requested.cost, actualQueryCost: null, throttleStatus: taken.status },
      },
    };
  }

  const contextValue: SimulatorContext = {
    ...options.context,
    idempotencyKeys: idempotencyKeys(schema, document, operation, variables),
  };
  const result = await execute({
    schema,
    document,
    operationName: options.operationName,
    variableValues: options.variables,
    rootValue:
      typeof options.rootValue === "function"
        ? options.rootValue(operation.operation)
        : (options.rootValue ?? {}),
    contextValue,
    fieldResolver: strictFieldResolver(options.resolvers),
    typeResolver: typenameTypeResolver,
  });

  const actual = Math.min(
    requested.cost,
    actualQueryCost({ schema, document, operation, variables, data: result.data }),
  );
  const throttleStatus = bucket.refund(requested.cost - actual);
  const response: AdminResponse = {
    data: result.data ?? null,
    extensions: { cost: { requestedQueryCost: requested.cost, actualQueryCost: actual, throttleStatus } },
  };
  if (result.errors && result.errors.length > 0) response.errors = result.errors.map(fromExecutionError);
  return response;
}

// Keys of `@idempotent(key:)` on the operation's root fields, so mutation resolvers can dedupe
// retries without digging through the AST.
function idempotencyKeys(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Record<string, string> {
  const directive = schema.getDirective("idempotent");
  const root = schema.getRootType(operation.operation);
  const keys: Record<string, string> = {};
  if (!directive || !root) return keys;
  const scope = { schema, fragments: fragmentsOf(document), variables };
  for (const [responseKey, nodes] of collectFields(scope, root, [operation.selectionSet])) {
    for (const node of nodes) {
      const key = getDirectiveValues(directive, node, variables)?.key;
      if (typeof key === "string") keys[responseKey] = key;
    }
  }
  return keys;
}
