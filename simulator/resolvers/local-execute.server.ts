import { executeAdmin, type AdminResponse } from "../graphql/execute.server";
import { loadAdminSchema } from "../graphql/schema.server";
import { CostBucket } from "../graphql/throttle.server";
import { resolverRoot } from "../http/graphql-endpoint.server";
import type { Simulator } from "../simulator.server";
import type { ResolverContext } from "./context.server";

/**
 * Runs a query against a shop's state without HTTP and with a fresh, full bucket each time:
 * for the resolvers' own tests. Validation, cost and the strict resolvers are the server's.
 */

export function contextFor(
  sim: Simulator,
  domain: string,
  idempotencyKey: string | null = null,
): ResolverContext {
  const shop = sim.shop(domain);
  return {
    sim,
    shop,
    now: () => sim.clock.now(),
    idempotencyKey,
    emit: (topic, payload) => sim.emit(shop, topic, payload),
  };
}

export async function executeLocal(
  sim: Simulator,
  domain: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<AdminResponse> {
  const { query: queryRoot, mutation } = resolverRoot();
  return executeAdmin({
    schema: loadAdminSchema(),
    query,
    variables,
    rootValue: (operation) => (operation === "mutation" ? mutation : queryRoot),
    context: contextFor(sim, domain) as unknown as Record<string, unknown>,
    bucket: new CostBucket("plus", () => sim.clock.nowMs()),
  });
}
