import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm test` never fails without saying why. Vitest runs here on one trivial file with a global
 * setup that fails: its exit code is 1 and the reason is on stderr.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

function vitest(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        path.join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--config",
        "test/fixtures/test-run/vitest.config.ts",
      ],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe("a test run whose global setup fails", () => {
  it("reports an 'error' event nobody listened to (it used to end the run with exit code 1 and nothing said)", async () => {
    const { code, stderr } = await vitest({ SETUP_FAULT: "1" });
    expect(code).toBe(1);
    expect(stderr).toContain("The test run stopped on an error in Vitest's process");
    expect(stderr).toContain("spawn /somewhere/initdb EACCES");
  }, 120_000);

  it("says in one line that the tests could not set up their database, and why", async () => {
    const { code, stderr } = await vitest({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/postgres" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/The tests could not set up their database \(DATABASE_URL\): .*ECONNREFUSED/);
  }, 120_000);
});
