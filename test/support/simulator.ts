import type { Server } from "node:http";
import { readAppConfig } from "../../simulator/app-config.server";
import { createSimulatorServer, listen } from "../../simulator/http/server.server";
import { Simulator } from "../../simulator/simulator.server";
import { TEST_API_KEY, TEST_API_SECRET } from "./env";

export interface RunningSimulator {
  sim: Simulator;
  url: string;
  close: () => Promise<void>;
}

/** The store simulator on a free port, knowing the app's credentials, scopes and webhook paths. */
export async function startSimulator(
  appUrl: string | null,
  options: { retryScale?: number } = {},
): Promise<RunningSimulator> {
  const config = readAppConfig();
  const sim = new Simulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl,
    accessToken: null,
    scopes: config.scopes,
    plan: "standard",
    webhookPaths: config.webhookPaths,
    retryScale: options.retryScale ?? 0.0001,
    seed: 7,
  });
  const server: Server = createSimulatorServer(sim);
  const port = await listen(server, 0);
  return {
    sim,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      sim.webhooks.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
