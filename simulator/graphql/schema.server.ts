import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

// The schema ships inside the project (see simulator/schema/README.md for provenance), so the
// simulator never depends on files outside the repo.
const SCHEMA_FILE = new URL("../schema/admin-2026-07.schema.json.gz", import.meta.url);

let cached: GraphQLSchema | undefined;

/**
 * The Shopify Admin GraphQL schema, version 2026-07. Building it from the 11 MB introspection
 * takes about a second, so it is built once per process and shared.
 */
export function loadAdminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    // assumeValid: the schema is Shopify's own; re-checking it on every validate() would cost
    // another second and could only find faults in Shopify's published API.
    cached = buildClientSchema(json.data, { assumeValid: true });
  }
  return cached;
}
