// Generates the Prisma client offline. `prisma generate` does not use the schema engine,
// but without PRISMA_SCHEMA_ENGINE_BINARY the CLI tries to download one (and fails with no
// network); any existing executable satisfies it, so we point it at Node itself.
import { spawnSync } from "node:child_process";
import process from "node:process";

const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  shell: process.platform === "win32",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
