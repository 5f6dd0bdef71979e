// What every launcher does first: find or start the database and bring its schema up to date.
import { resolveDatabase, type LocalDatabase } from "../app/db/embedded.server";
import { migrate } from "../app/db/migrate.server";
import { migrateWorkerSchema } from "../app/jobs/worker.server";

export async function prepareDatabase(dataDir?: string): Promise<LocalDatabase> {
  const database = await resolveDatabase(dataDir);
  await migrate(database.url);
  await migrateWorkerSchema(database.url);
  return database;
}
