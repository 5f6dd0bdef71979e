import type { GraphQLError } from "graphql";

/**
 * Errors in the shape Shopify's Admin API puts in a response's top-level `errors` array.
 *
 * Shopify runs graphql-ruby, so static-validation errors carry graphql-ruby's wording and
 * `extensions` (e.g. "Field 'foo' doesn't exist on type 'Order'", code "undefinedField"); see
 * rmosolgo/graphql-ruby lib/graphql/static_validation/rules/*_error.rb. The simulator validates
 * with graphql-js, so its messages are translated here.
 */
export type ShopifyGraphQLError = {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: { code: string; [key: string]: unknown };
};

type Translation = (match: RegExpMatchArray) => {
  message: string;
  extensions: ShopifyGraphQLError["extensions"];
};

// graphql-js message pattern -> graphql-ruby message and extensions.
const TRANSLATIONS: [RegExp, Translation][] = [
  [
    /^Cannot query field "([^"]+)" on type "([^"]+)"\./,
    ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: "undefinedField", typeName: type, fieldName: field },
    }),
  ],
  [
    /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./,
    ([, arg, field]) => ({
      message: `Field '${field}' doesn't accept argument '${arg}'`,
      extensions: { code: "argumentNotAccepted", name: field, typeName: "Field", argumentName: arg },
    }),
  ],
  [
    /^Unknown argument "([^"]+)" on directive "@([^"]+)"\./,
    ([, arg, directive]) => ({
      message: `Directive '${directive}' doesn't accept argument '${arg}'`,
      extensions: { code: "argumentNotAccepted", name: directive, typeName: "Directive", argumentName: arg },
    }),
  ],
  [
    /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./,
    ([, field, arg]) => ({
      message: `Field '${field}' is missing required arguments: ${arg}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: field, arguments: arg },
    }),
  ],
  [
    /^Directive "@([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./,
    ([, directive, arg]) => ({
      message: `Directive '${directive}' is missing required arguments: ${arg}`,
      extensions: {
        code: "missingRequiredArguments",
        className: "Directive",
        name: directive,
        arguments: arg,
      },
    }),
  ],
  [
    /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\./,
    ([, field, type]) => ({
      message: `Field must have selections (field '${field}' returns ${stripWrappers(type)} but has no selections. Did you mean '${field} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: stripWrappers(type) },
    }),
  ],
  [
    /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./,
    ([, field, type]) => ({
      message: `Selections can't be made on scalars (field '${field}' returns ${stripWrappers(type)} but has selections)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName: stripWrappers(type) },
    }),
  ],
  [
    /^Variable "\$([^"]+)" is never used in operation "([^"]+)"\./,
    ([, variable, operation]) => ({
      message: `Variable $${variable} is declared by ${operation} but not used`,
      extensions: { code: "variableNotUsed", variableName: variable },
    }),
  ],
  [
    /^Variable "\$([^"]+)" is never used\./,
    ([, variable]) => ({
      message: `Variable $${variable} is declared by anonymous query but not used`,
      extensions: { code: "variableNotUsed", variableName: variable },
    }),
  ],
  [
    /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?\./,
    ([, variable, operation]) => ({
      message: `Variable $${variable} is used by ${operation ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName: variable },
    }),
  ],
  [
    /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./,
    ([, variable, given, expected]) => ({
      message: `Type mismatch on variable $${variable} and argument (${given} / ${expected})`,
      extensions: { code: "variableMismatch", variableName: variable, typeName: given },
    }),
  ],
  [
    /^Unknown type "([^"]+)"\./,
    ([, type]) => ({
      message: `No such type ${type}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: type },
    }),
  ],
  [
    /^Unknown directive "@([^"]+)"\./,
    ([, directive]) => ({
      message: `Directive @${directive} is not defined`,
      extensions: { code: "undefinedDirective", directiveName: directive },
    }),
  ],
  [
    /^Fragment "([^"]+)" is never used\./,
    ([, fragment]) => ({
      message: `Fragment ${fragment} was defined, but not used`,
      extensions: { code: "useAndDefineFragment", fragmentName: fragment },
    }),
  ],
  [
    /^Unknown fragment "([^"]+)"\./,
    ([, fragment]) => ({
      message: `Fragment ${fragment} was used, but not defined`,
      extensions: { code: "useAndDefineFragment", fragmentName: fragment },
    }),
  ],
  [
    /^Fragment (?:"([^"]+)" )?cannot be spread here as objects of type "([^"]+)" can never be of type "([^"]+)"\./,
    ([, fragment, parent, type]) => ({
      message: `Fragment ${fragment ? `${fragment} ` : ""}on ${type} can't be spread inside ${parent}`,
      extensions: {
        code: "cannotSpreadFragment",
        typeName: type,
        ...(fragment ? { fragmentName: fragment } : {}),
      },
    }),
  ],
  [
    // Literal of the wrong type, e.g. `orders(first: "ten")`.
    /^(?:Int|Float|String|Boolean|ID|Enum "[^"]+") cannot represent|^Expected value of type "([^"]+)"/,
    (match) => ({
      message: match.input ?? "Argument has an invalid value",
      extensions: { code: "argumentLiteralsIncompatible", typeName: match[1] ?? "CoercionError" },
    }),
  ],
];

function stripWrappers(type: string | undefined): string {
  return (type ?? "").replace(/[[\]!]/g, "");
}

function locationsOf(error: GraphQLError): ShopifyGraphQLError["locations"] {
  return error.locations?.map(({ line, column }) => ({ line, column }));
}

/** A graphql-js validation error, reworded and coded the way Shopify (graphql-ruby) reports it. */
export function fromValidationError(error: GraphQLError): ShopifyGraphQLError {
  for (const [pattern, translate] of TRANSLATIONS) {
    const match = error.message.match(pattern);
    if (match) {
      const { message, extensions } = translate(match);
      return { message, locations: locationsOf(error), extensions };
    }
  }
  // Rules without a known graphql-ruby counterpart keep graphql-js's wording; the code still
  // tells clients it is a static (pre-execution) failure.
  return { message: error.message, locations: locationsOf(error), extensions: { code: "validationError" } };
}

/** A document that does not parse. graphql-ruby words these "Parse error on …". */
export function fromSyntaxError(error: GraphQLError): ShopifyGraphQLError {
  const detail = error.message.replace(/^Syntax Error:\s*/, "");
  const at = error.locations?.[0];
  const where = at ? ` at [${at.line}, ${at.column}]` : "";
  return {
    message: `Parse error: ${detail}${where}`,
    locations: locationsOf(error),
    extensions: { code: "PARSE_ERROR" },
  };
}

/** An error raised while coercing the request's `variables`. */
export function fromVariableError(error: GraphQLError): ShopifyGraphQLError {
  return { message: error.message, locations: locationsOf(error), extensions: { code: "INVALID_VARIABLE" } };
}

/** An error raised while resolving fields; resolvers may set their own `extensions.code`. */
export function fromExecutionError(error: GraphQLError): ShopifyGraphQLError {
  const code = typeof error.extensions.code === "string" ? error.extensions.code : "INTERNAL_SERVER_ERROR";
  return {
    message: error.message,
    locations: locationsOf(error),
    ...(error.path ? { path: [...error.path] } : {}),
    extensions: { ...error.extensions, code },
  };
}
