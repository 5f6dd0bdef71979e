import { afterAll, expect } from "vitest";
import { changedBy, rowsChanged, type DbChanges } from "../support/db-snapshot";

/**
 * What the hostile-input suite tried, counted as it runs: per row of the README's table, how
 * many inputs were sent, what they were answered and how many rows changed beyond what the row
 * allows (always 0, or the test fails). Each file prints its rows when it ends; the README's
 * "Hostile input" table is those lines added up.
 */

interface Row {
  tried: number;
  answers: Map<string, number>;
  rowsChangedBeyond: number;
}

const rows = new Map<string, Row>();

export function count(row: string, answer: string | number, beyond = 0): void {
  const entry = rows.get(row) ?? { tried: 0, answers: new Map(), rowsChangedBeyond: 0 };
  entry.tried += 1;
  entry.answers.set(String(answer), (entry.answers.get(String(answer)) ?? 0) + 1);
  entry.rowsChangedBeyond += beyond;
  rows.set(row, entry);
}

/** Prints this file's rows when its tests end (stdout of the test run). */
export function printTallyAfterAll(file: string): void {
  afterAll(() => {
    const lines = [...rows].map(([row, entry]) => {
      const answers = [...entry.answers].map(([answer, n]) => `${answer} ×${n}`).join(", ");
      return `hostile input | ${row} | tried ${entry.tried} | answered ${answers} | rows changed ${entry.rowsChangedBeyond}`;
    });
    process.stdout.write(`\n${file}:\n${lines.join("\n")}\n`);
  });
}

/**
 * Runs one hostile input: the database's rows before and after `act`, the answer it got, and
 * the check that the rows changed are exactly `allowed` (table → rows added and removed; none
 * by default). Counts it under `row`.
 */
export async function tryInput<T>(
  row: string,
  label: string,
  act: () => Promise<T>,
  answerOf: (result: T) => string | number,
  expected: { answer: string | number; allowed?: DbChanges },
): Promise<T> {
  const { result, changes } = await changedBy(act);
  const answer = answerOf(result);
  const allowed = expected.allowed ?? {};
  count(row, answer, Math.abs(rowsChanged(changes) - rowsChanged(allowed)));
  expect({ answer, changes }, label).toEqual({ answer: expected.answer, changes: allowed });
  return result;
}

/**
 * Many inputs that may change nothing at all, tried in a row between two snapshots (an input
 * that changed rows would leave them changed: none of these deletes). Counts each under `row`.
 */
export async function tryInputsChangingNothing<T>(
  row: string,
  inputs: { label: string; act: () => Promise<T> }[],
  answerOf: (result: T) => string | number,
  answer: string | number,
): Promise<void> {
  const { result: answers, changes } = await changedBy(async () => {
    const seen: { label: string; answer: string | number }[] = [];
    for (const input of inputs) seen.push({ label: input.label, answer: answerOf(await input.act()) });
    return seen;
  });
  answers.forEach((seen, i) => count(row, seen.answer, i === 0 ? rowsChanged(changes) : 0));
  expect({
    otherAnswers: answers.filter((seen) => seen.answer !== answer),
    changes,
  }).toEqual({ otherAnswers: [], changes: {} });
}
