// What every launcher does first: find or start the database and bring its schema up to date.
import { LocalDatabaseError, resolveDatabase, type LocalDatabase } from "../app/db/embedded.server";
import { migrate } from "../app/db/migrate.server";
import { migrateWorkerSchema } from "../app/jobs/worker.server";

/**
 * DATABASE_URL's database, or the local Postgres in `dataDir`, migrated. When the local Postgres
 * cannot start, the launcher stops at once with the one line that says what to do.
 */
export async function prepareDatabase(dataDir?: string): Promise<LocalDatabase> {
  const database = await resolveDatabase(dataDir).catch(exitOnLocalDatabaseError);
  try {
    await migrate(database.url);
    await migrateWorkerSchema(database.url);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

export function exitOnLocalDatabaseError(error: unknown): never {
  if (!(error instanceof LocalDatabaseError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
