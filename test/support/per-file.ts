import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "./env";
import { adminQuery } from "./pg-admin";

/**
 * Before each test file: a database of its own, copied from the migrated template, and the
 * app's environment. Runs before the test file's imports, so app modules see it.
 */

const serverUrl = inject("serverUrl");
const template = inject("templateDatabase");
const database = `bos_test_${randomBytes(6).toString("hex")}`;

const admin = (sql: string) => adminQuery(serverUrl, sql);

await admin(`create database "${database}" template "${template}"`);

process.env.DATABASE_URL = `${serverUrl}/${database}`;
process.env.SHOPIFY_API_KEY = TEST_API_KEY;
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;
process.env.SHOPIFY_APP_URL = "http://127.0.0.1:3999";
process.env.SCOPES = "read_orders,write_orders";

afterAll(async () => {
  await globalThis.__prisma?.$disconnect();
  await admin(`drop database if exists "${database}" with (force)`);
});
