// `npm run cli -- <command>`: the operator CLI against the app's database.
import { parseCommand, runCommand, usage, UsageError } from "../app/cli/cli.server";
import { prepareDatabase } from "./runtime";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${usage(error.message)}\n`);
    return 2;
  }
  const database = await prepareDatabase(parsed.dataDir);
  const { default: prisma } = await import("../app/db.server");
  try {
    return await runCommand(prisma, parsed, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
