import { writeSync } from "node:fs";

/**
 * A test run never fails without saying why. An exception nobody catches in Vitest's own
 * process (an `'error'` event without a listener, say, while the global setup starts the
 * database) ends it through Vitest's exit handler, which calls `process.exit()` from inside
 * the `'exit'` event and so swallows Node's report of the error: `npm test` exited 1 with
 * nothing after the RUN line. This global setup, listed first, reports such an exception and
 * ends the run with exit code 1; its teardown, which runs last, removes the handler.
 */
export default function setup() {
  const report = (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    writeSync(2, `\nThe test run stopped on an error in Vitest's process:\n${text}\n\n`);
    process.exit(1);
  };
  process.on("uncaughtException", report);
  return () => {
    process.off("uncaughtException", report);
  };
}
