import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testSimulator } from "../../simulator/testing.server";
import { emitWebhook } from "../../simulator/webhooks/emit.server";

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

describe("emitWebhook", () => {
  function capture() {
    const shop = testSimulator().shop("map");
    const sent: { topic: string; payload: unknown }[] = [];
    return {
      shop,
      sent,
      env: { shop, emit: (topic: string, payload: unknown) => sent.push({ topic, payload }) },
    };
  }

  it("makes the topic's payload from its subject: app/uninstalled names the shop", () => {
    const { shop, sent, env } = capture();
    emitWebhook(env, "app/uninstalled", null);
    expect(sent).toEqual([
      {
        topic: "app/uninstalled",
        payload: {
          id: shop.createdAt.getTime(),
          name: "map",
          myshopify_domain: "map.myshopify.com",
          domain: "map.myshopify.com",
        },
      },
    ]);
  });

  it("sends several topics about one subject in order, with one payload made once", () => {
    const { sent, env } = capture();
    const operation = {
      id: 7,
      status: "COMPLETED",
      type: "QUERY",
      errorCode: null,
      createdAt: new Date("2026-07-01T00:00:00Z"),
      completedAt: new Date("2026-07-01T00:01:00Z"),
    } as unknown as Parameters<typeof emitWebhook<"bulk_operations/finish">>[2];
    emitWebhook(env, ["bulk_operations/finish", "bulk_operations/finish"], operation);
    expect(sent.map((each) => each.topic)).toEqual(["bulk_operations/finish", "bulk_operations/finish"]);
    expect(sent[0]!.payload).toBe(sent[1]!.payload);
    expect(sent[0]!.payload).toMatchObject({
      admin_graphql_api_id: "gid://shopify/BulkOperation/7",
      status: "completed",
    });
  });
});
