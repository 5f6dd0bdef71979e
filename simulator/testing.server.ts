import { Simulator, type SimulatorOptions } from "./simulator.server";

/** A simulator for tests: no app URL (webhooks go nowhere unless a test sets one), fixed seed. */
export function testSimulator(options: Partial<SimulatorOptions> = {}): Simulator {
  return new Simulator({
    apiKey: "test-api-key",
    apiSecret: "test-api-secret",
    appUrl: null,
    accessToken: "shpat_test_token",
    scopes: "read_orders,write_orders,read_products,write_products,read_inventory,write_inventory",
    plan: "standard",
    webhookPaths: {},
    retryScale: 0.001,
    seed: 42,
    ...options,
  });
}
