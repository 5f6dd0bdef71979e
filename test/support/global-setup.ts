import type { TestProject } from "vitest/node";
import { startLocalDatabase, type LocalDatabase } from "../../app/db/embedded.server";
import { migrate } from "../../app/db/migrate.server";
import { migrateWorkerSchema } from "../../app/jobs/worker.server";
import { adminQuery as admin } from "./pg-admin";

/**
 * Once per test run: a Postgres server (DATABASE_URL's, or a private one in .data/test) and a
 * template database with every migration applied. Each test file copies the template into a
 * database of its own (test/support/per-file.ts).
 */

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = `bos_template_${process.pid}`;
let local: LocalDatabase | undefined;

function serverOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "";
  return url.toString().replace(/\/$/, "");
}

async function prepare(project: TestProject): Promise<string> {
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = serverOf(process.env.DATABASE_URL);
  } else {
    local = await startLocalDatabase(".data/test");
    serverUrl = local.serverUrl;
  }
  await admin(serverUrl, `drop database if exists "${TEMPLATE}" with (force)`);
  await admin(serverUrl, `create database "${TEMPLATE}"`);
  const templateUrl = `${serverUrl}/${TEMPLATE}`;
  await migrate(templateUrl);
  await migrateWorkerSchema(templateUrl);
  project.provide("serverUrl", serverUrl);
  project.provide("templateDatabase", TEMPLATE);
  return serverUrl;
}

export default async function setup(project: TestProject) {
  let serverUrl: string;
  try {
    serverUrl = await prepare(project);
  } catch (error) {
    // Said here in one line as well as in Vitest's report, so that a run never fails unexplained.
    process.stderr.write(
      `\nThe tests could not set up their database${process.env.DATABASE_URL ? " (DATABASE_URL)" : " (the local Postgres in .data/test)"}: ${(error as Error).message}\n\n`,
    );
    await local?.stop();
    throw error;
  }

  return async () => {
    await admin(serverUrl, `drop database if exists "${TEMPLATE}" with (force)`);
    await local?.stop();
  };
}
