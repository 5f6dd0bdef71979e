import { createRequire } from "node:module";
import Ajv from "ajv";

/**
 * The one check of webhook payloads against Shopify's JSON schemas (the npm package
 * shopify-webhook-schemas, 2026-07). The installed ajv is v6 (draft-07); the schemas use only
 * keywords draft-07 shares with 2020-12, so their `$schema` tag is dropped before compiling.
 */

const require = createRequire(import.meta.url);
const ajv = new Ajv({ allErrors: true, format: "full", schemaId: "auto" });
const cached = new Map<string, Ajv.ValidateFunction>();

export type SchemaPatch = (schema: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The topic's schema as published (a copy: `patch` may change it). */
export function webhookSchema(topic: string, apiVersion = "2026-07"): Record<string, unknown> {
  const schema = structuredClone(
    require(`shopify-webhook-schemas/schemas/${apiVersion}/${topic}.json`) as Record<string, unknown>,
  );
  delete schema.$schema;
  return schema;
}

/**
 * The validator of the topic's payloads. `patch` widens the schema where it is known to be
 * stricter than Shopify (each caller says why); unpatched validators are compiled once.
 */
export function webhookValidator(topic: string, patch?: SchemaPatch): Ajv.ValidateFunction {
  if (patch) {
    const schema = webhookSchema(topic);
    patch(schema);
    return ajv.compile(schema);
  }
  let validate = cached.get(topic);
  if (!validate) {
    validate = ajv.compile(webhookSchema(topic));
    cached.set(topic, validate);
  }
  return validate;
}

/** What is wrong with the payload for its topic's schema, one line per problem (none: []). */
export function webhookSchemaErrors(topic: string, payload: unknown, patch?: SchemaPatch): string[] {
  const validate = webhookValidator(topic, patch);
  if (validate(JSON.parse(JSON.stringify(payload)))) return [];
  return (validate.errors ?? []).map((error) => `${error.dataPath} ${error.message}`);
}
