import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The rules simulator/README.md states for every resolver, checked in the code itself.

const RESOLVERS = path.resolve(import.meta.dirname, "../../simulator/resolvers");

function resolverSources(): { file: string; text: string }[] {
  return readdirSync(RESOLVERS)
    .filter((file) => file.endsWith(".server.ts"))
    .map((file) => ({ file, text: readFileSync(path.join(RESOLVERS, file), "utf8") }));
}

describe("the simulator's resolvers", () => {
  it("send webhooks only through emitWebhook, never by handing a payload to emit themselves", () => {
    const direct = resolverSources()
      .filter(({ file }) => file !== "local-execute.server.ts") // wires context.emit to Simulator.emit
      .flatMap(({ file, text }) =>
        [...text.matchAll(/\b(?:context|env|sim)\.emit\(/g)].map((match) => `${file}: ${match[0]}`),
      );
    expect(direct).toEqual([]);
  });

  it("page connections only through connection.server.ts", () => {
    const others = resolverSources()
      // A bulk query reads a whole connection by paging through connection() itself.
      .filter(({ file }) => file !== "connection.server.ts" && file !== "bulk-run.server.ts")
      .filter(({ text }) => /hasNextPage\s*:/.test(text))
      .map(({ file }) => file);
    expect(others).toEqual([]);
  });
});
