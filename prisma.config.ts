import { defineConfig } from "prisma/config";

// Migrations are applied by the project's own runner (npm run db:migrate); this file only
// tells the Prisma CLI where the schema is, for `prisma generate`.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
