import {
  GraphQLError,
  getDirectiveValues,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from "graphql";

/** The context every resolver receives: the caller's own context plus what the simulator adds. */
export type SimulatorContext = {
  /** `@idempotent(key:)` values by root response key (alias or field name), for mutations. */
  idempotencyKeys: Record<string, string>;
  [key: string]: unknown;
};

export type FieldResolver = (
  source: unknown,
  args: Record<string, unknown>,
  context: SimulatorContext,
  info: GraphQLResolveInfo,
) => unknown;

type MethodResolver = (
  args: Record<string, unknown>,
  context: SimulatorContext,
  info: GraphQLResolveInfo,
) => unknown;

/**
 * Resolvers by schema type name, then field name (e.g. `{ QueryRoot: { orders }, Order: { … } }`;
 * `Query` is accepted for the query root). Fields without one are read from the parent value.
 */
export type Resolvers = Record<string, Record<string, FieldResolver>>;

export const NOT_IMPLEMENTED = "SIMULATOR_NOT_IMPLEMENTED";

function notImplemented(info: GraphQLResolveInfo): GraphQLError {
  return new GraphQLError(
    `Field '${info.parentType.name}.${info.fieldName}' is not implemented by the simulator`,
    {
      extensions: { code: NOT_IMPLEMENTED, typeName: info.parentType.name, fieldName: info.fieldName },
    },
  );
}

// An own or class-defined property, but not one every object inherits (`constructor`, `toString`):
// those would otherwise pass for implemented fields.
function hasProperty(source: object, name: string): boolean {
  if (!(name in source)) return false;
  const inherited = (Object.prototype as Record<string, unknown>)[name];
  return inherited === undefined || (source as Record<string, unknown>)[name] !== inherited;
}

/**
 * The resolver used for every field. Unlike graphql-js's default, a property missing from the
 * parent value is an error naming the field, so a gap in the simulator never passes for a real
 * null; a property present with the value null is a real null.
 */
export function strictFieldResolver(
  resolvers: Resolvers = {},
): GraphQLFieldResolver<unknown, SimulatorContext, Record<string, unknown>> {
  return (source, args, context, info) => {
    const isQueryRoot = info.parentType === info.schema.getQueryType();
    const own =
      resolvers[info.parentType.name]?.[info.fieldName] ??
      (isQueryRoot ? resolvers.Query?.[info.fieldName] : undefined);
    if (own) return own(source, args, context, info);
    if (typeof source === "object" && source !== null && hasProperty(source, info.fieldName)) {
      const value = (source as Record<string, unknown>)[info.fieldName];
      // As graphql-js does: a function-valued property is a method taking (args, context, info).
      return typeof value === "function"
        ? (value as MethodResolver).call(source, args, context, info)
        : value;
    }
    throw notImplemented(info);
  };
}

/** Interface and union values name their concrete type in `__typename`, as Shopify's own payloads do. */
export const typenameTypeResolver: GraphQLTypeResolver<unknown, SimulatorContext> = (
  value,
  _context,
  info,
  abstractType,
) => {
  const name =
    typeof value === "object" && value !== null ? (value as { __typename?: unknown }).__typename : undefined;
  if (typeof name === "string") return name;
  throw new GraphQLError(
    `Value of '${info.parentType.name}.${info.fieldName}' (${abstractType.name}) has no __typename, so the simulator cannot tell its concrete type`,
    { extensions: { code: NOT_IMPLEMENTED } },
  );
};

/** The `@idempotent(key:)` on the field being resolved, if any. */
export function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const directive = info.schema.getDirective("idempotent");
  const node = info.fieldNodes[0];
  if (!directive || !node) return undefined;
  const key = getDirectiveValues(directive, node, info.variableValues)?.key;
  return typeof key === "string" ? key : undefined;
}
