// `npm run db:migrate`: applies prisma/migrations (and graphile-worker's schema) to the
// database in DATABASE_URL, or to the local Postgres when it is unset.
import { parseArgs } from "node:util";
import { resolveDatabase } from "../app/db/embedded.server";
import { migrate } from "../app/db/migrate.server";
import { migrateWorkerSchema } from "../app/jobs/worker.server";

const { values } = parseArgs({ options: { data: { type: "string" } } });
const database = await resolveDatabase(values.data);
try {
  const result = await migrate(database.url);
  await migrateWorkerSchema(database.url);
  process.stdout.write(
    `migrations: ${result.applied.length} applied${result.applied.length ? ` (${result.applied.join(", ")})` : ""}, ${result.skipped.length} already applied\n`,
  );
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.stop();
}
