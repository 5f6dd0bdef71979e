import { defineConfig } from "vitest/config";

// Tests run outside Vite's Remix plugin: route modules are imported and their loaders and
// actions called with real Requests, against a real Postgres (a fresh database per file).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // exit-code.ts first: it reports an error thrown in Vitest's own process (the global setup's).
    globalSetup: ["test/support/exit-code.ts", "test/support/global-setup.ts"],
    setupFiles: ["test/support/per-file.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    env: { NODE_ENV: "test" },
  },
});
