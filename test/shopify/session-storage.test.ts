import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { PrismaSessionStorage } from "../../app/shopify/session-storage.server";

const storage = new PrismaSessionStorage(prisma);

describe("sessions stored in Postgres", () => {
  it("come back as they were stored, offline and online", async () => {
    const offline = new Session({
      id: "offline_a.myshopify.com",
      shop: "a.myshopify.com",
      state: "s1",
      isOnline: false,
      scope: "read_orders",
      accessToken: "shpat_1",
    });
    const online = new Session({
      id: "a.myshopify.com_42",
      shop: "a.myshopify.com",
      state: "s2",
      isOnline: true,
      scope: "read_orders",
      accessToken: "shpua_2",
      expires: new Date("2030-01-01T00:00:00Z"),
      onlineAccessInfo: {
        expires_in: 3600,
        associated_user_scope: "read_orders",
        associated_user: {
          id: 42,
          first_name: "Ada",
          last_name: "L",
          email: "ada@example.com",
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      },
    });
    await storage.storeSession(offline);
    await storage.storeSession(online);

    const loaded = await storage.loadSession(online.id);
    expect(loaded?.accessToken).toBe("shpua_2");
    expect(loaded?.expires?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(loaded?.onlineAccessInfo?.associated_user).toMatchObject({
      id: 42,
      email: "ada@example.com",
      account_owner: true,
    });
    expect((await storage.loadSession(offline.id))?.isOnline).toBe(false);
    expect((await storage.findSessionsByShop("a.myshopify.com")).map((s) => s.id).sort()).toEqual(
      [online.id, offline.id].sort(),
    );

    await storage.deleteSessions([online.id, offline.id]);
    expect(await storage.findSessionsByShop("a.myshopify.com")).toEqual([]);
  });
});
