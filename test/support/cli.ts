import { parseCommand, runCommand, usage, UsageError } from "../../app/cli/cli.server";
import prisma from "../../app/db.server";

/**
 * A CLI command run in this process, as scripts/cli.ts runs it: a usage error while parsing
 * exits 2, else the command's code; what it prints, by stream.
 */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let parsed;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, stdout: "", stderr: usage(error.message) };
  }
  const code = await runCommand(prisma, parsed, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
