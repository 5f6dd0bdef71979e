import { RecordError } from "../../errors.server";
import { classifyError } from "../../jobs/errors.server";
import type { SyncContext } from "../../jobs/sync-task.server";

/**
 * The one per-record loop of every sync: each record is handled on its own, under the one
 * error policy (app/jobs/errors.server.ts), with the standard outcomes counted on the run.
 *
 * - A handler returns what became of its record: `sent` (written to the other side),
 *   `unchanged` (nothing to do: the other side already has it) or `skipped` (left out on
 *   purpose, with a reason), optionally under a more telling count name ("imported",
 *   "synced", "nothingToSync"...), which is what the run record shows.
 * - A failure about the record (the back office refused it, Shopify no longer has it, a
 *   throttle or 5xx that outlived the client's retries) is counted as `failed`, handed to
 *   `onFailure` (to write the message on the record, where the merchant sees it) and logged;
 *   the loop goes on.
 * - A failure about the run (401, 402, 403, 423, an uninstalled shop) stops the loop at once:
 *   every other record would fail the same way. So does the run being stopped (a worker
 *   shutting down), for a retry.
 *
 * `finish()` ends a loop whose run must not succeed while records failed (batch posting):
 * it throws a RecordError when every failure was terminal (no retry can help: the run fails
 * at once, with the records named) and a plain Error when some could succeed on retry.
 */

export type Outcome = "sent" | "unchanged" | "skipped";

export type RecordResult = Outcome | { outcome: Outcome; count?: string };

export interface RecordLoopOptions<T> {
  /** The record in a few words, for the log and the run's error ("SO-1001", "#1042"). */
  label: (record: T) => string;
  handle: (record: T) => Promise<RecordResult>;
  /** Writes the failure on the record (its state and message), so the merchant sees it. */
  onFailure?: (record: T, message: string) => Promise<void>;
  /** Reports progress as records are done, out of this many (leave out when the caller reports). */
  total?: number;
  /**
   * Handles several records at once (in one transaction, say), answering each one's result in
   * their order. All or nothing: when it throws, none of it stands, and `batch` hands each
   * record to `handle` on its own.
   */
  handleMany?: (records: T[]) => Promise<RecordResult[]>;
}

export interface RecordSummary {
  sent: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** Failures a retry could mend (throttling, 5xx, network). */
  retryable: number;
  /** The first failures, "label: message". */
  failures: string[];
}

const FAILURES_KEPT = 10;

/** What a loop needs of the run: its counts, log, progress and stop signal. */
export type LoopContext = Pick<SyncContext<unknown>, "count" | "log" | "progress" | "signal">;

export class RecordLoop<T> {
  readonly summary: RecordSummary = {
    sent: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    retryable: 0,
    failures: [],
  };
  private done = 0;

  private readonly ctx: LoopContext;
  private readonly options: RecordLoopOptions<T>;

  constructor(ctx: LoopContext, options: RecordLoopOptions<T>) {
    this.ctx = ctx;
    this.options = options;
  }

  /** Handles one record. Throws only for a failure about the run. */
  async one(record: T): Promise<Outcome | "failed"> {
    // Not terminal: a worker shutting down stops its runs, and they are taken again.
    if (this.ctx.signal.aborted) throw new Error("the run was stopped");
    let result: Outcome | "failed";
    try {
      result = this.counted(await this.options.handle(record));
    } catch (error) {
      const verdict = classifyError(error);
      if (verdict.scope === "run") throw error;
      const label = this.options.label(record);
      this.summary.failed += 1;
      if (!verdict.terminal) this.summary.retryable += 1;
      if (this.summary.failures.length < FAILURES_KEPT)
        this.summary.failures.push(`${label}: ${verdict.message}`);
      this.ctx.count("failed");
      this.ctx.log.warn(
        { record: label, error: verdict.message, retryable: !verdict.terminal },
        "record failed",
      );
      await this.options.onFailure?.(record, verdict.message);
      result = "failed";
    }
    this.done += 1;
    if (this.options.total !== undefined) await this.ctx.progress(this.done, this.options.total);
    return result;
  }

  /** Handles records in order, one at a time. */
  async each(records: Iterable<T> | AsyncIterable<T>): Promise<void> {
    for await (const record of records) await this.one(record);
  }

  /**
   * Handles these records together with `handleMany`, with the outcomes `one` would count.
   * When it throws (a record failed, or the database refused the whole), each record is handled
   * again on its own by `one`: a record that fails is counted and marked alone, as ever, and
   * the others go on. Throws only for a failure about the run.
   */
  async batch(records: T[]): Promise<void> {
    if (this.ctx.signal.aborted) throw new Error("the run was stopped");
    const handleMany = this.options.handleMany;
    if (!handleMany || records.length < 2) {
      for (const record of records) await this.one(record);
      return;
    }
    let answers: RecordResult[];
    try {
      answers = await handleMany(records);
    } catch (error) {
      this.ctx.log.info(
        { records: records.length, error: classifyError(error).message },
        "records handled together failed; handling each on its own",
      );
      for (const record of records) await this.one(record);
      return;
    }
    for (const answer of answers) this.counted(answer);
    this.done += records.length;
    if (this.options.total !== undefined) await this.ctx.progress(this.done, this.options.total);
  }

  /** Counts a record's result under its name. */
  private counted(answer: RecordResult): Outcome {
    const { outcome, count } = typeof answer === "string" ? { outcome: answer, count: undefined } : answer;
    this.summary[outcome] += 1;
    this.ctx.count(count ?? outcome);
    return outcome;
  }

  /** Fails the run when any record failed (see above); else nothing. */
  finish(words: { noun: string; failed: string } = { noun: "record", failed: "failed" }): void {
    const { failed, retryable, failures } = this.summary;
    if (failed === 0) return;
    const message = `${failed} ${words.noun}${failed === 1 ? "" : "s"} ${words.failed}: ${failures.join("; ")}${failed > failures.length ? "; ..." : ""}`;
    if (retryable === 0) throw new RecordError(message);
    throw new Error(message);
  }
}

/** Handles every record of `records` (see RecordLoop); returns the summary. */
export async function forEachRecord<T>(
  ctx: LoopContext,
  records: Iterable<T> | AsyncIterable<T>,
  options: RecordLoopOptions<T>,
): Promise<RecordSummary> {
  const loop = new RecordLoop(ctx, options);
  await loop.each(records);
  return loop.summary;
}
