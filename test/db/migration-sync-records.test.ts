import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../../app/db/migrate.server";

/**
 * Migration 20261204000000_sync_records carries each posted shipment's Shopify state from the
 * back office's table to a sync record of sync_shipments, on a database that has shipments in
 * every state the old columns knew.
 */

const MIGRATION = "20261204000000_sync_records";
const database = `bos_migration_${process.pid}_${Date.now()}`;
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
const url = new URL(process.env.DATABASE_URL!);
url.pathname = `/${database}`;
let before: string;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`create database "${database}"`);
  before = mkdtempSync(path.join(tmpdir(), "bos-migrations-before-"));
  for (const migration of readMigrations(MIGRATIONS_DIR)) {
    if (migration.name >= MIGRATION) break;
    cpSync(path.join(MIGRATIONS_DIR, migration.name), path.join(before, migration.name), { recursive: true });
  }
});

afterAll(async () => {
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.end();
  rmSync(before, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it("gives every posted shipment a sync record in the state it had, and drops the old columns", async () => {
    await migrate(url.toString(), { dir: before });
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const shop = "00000000-0000-4000-8000-000000000001";
      await db.query(
        `insert into "Shop" (id, domain, "installedAt", "updatedAt") values ($1, 'm.myshopify.com', now(), now())`,
        [shop],
      );
      await db.query(
        `insert into "BoSalesHeader" (id, "shopId", "documentType", no, "customerNo", "orderDate", "currencyCode", "updatedAt")
         values (gen_random_uuid(), $1, 'invoice', 'SI-1', 'C1', now(), 'EUR', now())`,
        [shop],
      );
      const shipment = (no: string, orderNo: string, state: string, extra: Record<string, unknown> = {}) =>
        db.query(
          `insert into "BoPostedShipment" (id, "shopId", no, "orderNo", "customerNo", "postedAt", "shopifySyncState",
                                           "shopifyFulfillmentId", "shopifySyncError", "shopifySyncAttempts", "shopifySyncedAt")
           values (gen_random_uuid(), $1, $2, $3, 'C1', $4, $5, $6, $7, $8, $9)`,
          [
            shop,
            no,
            orderNo,
            new Date("2026-11-30T10:00:00Z"),
            state,
            extra.fulfillment ?? null,
            extra.error ?? null,
            extra.attempts ?? 0,
            extra.syncedAt ?? null,
          ],
        );
      await shipment("SHIP1", "SO-1", "synced", {
        fulfillment: "gid://shopify/Fulfillment/1",
        syncedAt: new Date("2026-11-30T10:01:00Z"),
      });
      await shipment("SHIP2", "SO-2", "error", { error: "Shopify: closed", attempts: 3 });
      await shipment("SHIP3", "SO-3", "pending");
      await shipment("SHIP4", "SO-4", "not_shopify");
      await shipment("SHIP5", "SI-1", "nothing_to_sync");
      await shipment("SHIP6", "SO-6", "nothing_to_sync", {
        error: "Shopify has nothing left to fulfil for these lines",
      });

      const result = await migrate(url.toString());
      expect(result.applied[0]).toBe(MIGRATION);

      const { rows } = await db.query<{
        recordKey: string;
        state: string;
        shopifyId: string | null;
        message: string | null;
        attempts: number;
        sentAt: Date | null;
        postedFrom: string;
      }>(`select r."recordKey", r.state, r."shopifyId", r.message, r.attempts, r."sentAt", s."postedFrom"
            from "SyncRecord" r join "BoPostedShipment" s on s."shopId" = r."shopId" and s.no = r."recordKey"
           where r.task = 'sync_shipments' order by r."recordKey"`);
      expect(
        rows.map((r) => [r.recordKey, r.state, r.shopifyId, r.message, r.attempts, r.postedFrom]),
      ).toEqual([
        ["SHIP1", "synced", "gid://shopify/Fulfillment/1", null, 0, "order"],
        ["SHIP2", "error", null, "Shopify: closed", 3, "order"],
        ["SHIP3", "pending", null, null, 0, "order"],
        ["SHIP4", "skipped", null, "not a Shopify order", 0, "order"],
        [
          "SHIP5",
          "skipped",
          null,
          "posted from a sales invoice: the order was fulfilled in Shopify before it was imported",
          0,
          "invoice",
        ],
        ["SHIP6", "skipped", null, "Shopify has nothing left to fulfil for these lines", 0, "order"],
      ]);
      expect(rows[0]!.sentAt?.toISOString()).toBe("2026-11-30T10:01:00.000Z");
      const { rows: columns } = await db.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = 'BoPostedShipment' and column_name like 'shopify%'`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(["shopifyOrderId"]);
    } finally {
      await db.end();
    }
  });
});
