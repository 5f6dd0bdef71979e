import { Badge, BlockStack, ProgressBar, Text } from "@shopify/polaris";
import { formatInZone } from "../admin/time-zone";

/** A run as the loaders hand it to the pages (dates as ISO strings). */
export interface RunView {
  id: string;
  task: string;
  trigger: string;
  status: string;
  category: string;
  filters: Record<string, unknown>;
  attempts: number;
  progress: number | null;
  counts: Record<string, number>;
  error: string | null;
  /** Attempts cut short by a worker that stopped (crash recovery), and what it did, in words. */
  interruptions: number;
  note: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toRunView(run: {
  id: string;
  task: string;
  trigger: string;
  status: string;
  category: string;
  filters: unknown;
  attempts: number;
  progress: number | null;
  counts: unknown;
  error: string | null;
  interruptions: number;
  note: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}): RunView {
  return {
    ...run,
    filters: (run.filters ?? {}) as Record<string, unknown>,
    counts: (run.counts ?? {}) as Record<string, number>,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

const TONES: Record<string, "success" | "critical" | "info" | "attention" | undefined> = {
  succeeded: "success",
  failed: "critical",
  running: "info",
  queued: "attention",
  cancelled: undefined,
};

export function RunStatusBadge({ run }: { run: Pick<RunView, "status" | "error"> }) {
  const label = run.status === "queued" && run.error ? "waiting to retry" : run.status;
  return <Badge tone={TONES[run.status]}>{label}</Badge>;
}

/** What started a run, in the merchant's words. */
const TRIGGER_WORDS: Record<string, string> = {
  manual: "By hand",
  schedule: "Schedule",
  webhook: "Shopify webhook",
  back_office: "Back-office change",
};

export function triggerWords(trigger: string): string {
  return TRIGGER_WORDS[trigger] ?? trigger;
}

/**
 * "3 Dec 11:20:29": a time in the shop's zone (the loader's `timeZone`, shopTimeZone of the
 * shop), without the zone's name: each page names it once (`timesIn`).
 */
export function formatTime(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return formatInZone(new Date(iso), timeZone);
}

/** Counts in words: "12 imported, 1 failed". Point counters are left to the details. */
export function describeCounts(counts: Record<string, number>): string {
  const shown = Object.entries(counts).filter(([name]) => !name.endsWith("Points"));
  if (shown.length === 0) return "—";
  return shown.map(([name, value]) => `${value} ${name.replace(/([A-Z])/g, " $1").toLowerCase()}`).join(", ");
}

/**
 * Progress while running; the full error when it failed; the counts when it ended; what crash
 * recovery did when a worker stopped in the middle of it.
 */
export function RunOutcome({ run }: { run: RunView }) {
  return (
    <BlockStack gap="100">
      {run.status === "running" && (
        <ProgressBar progress={Math.round((run.progress ?? 0) * 100)} size="small" />
      )}
      <Text as="span" variant="bodySm">
        {describeCounts(run.counts)}
      </Text>
      {run.error && (
        <Text as="p" tone="critical" variant="bodySm" breakWord>
          {run.error}
        </Text>
      )}
      {run.note && (
        <Text as="p" tone="caution" variant="bodySm" breakWord>
          {run.note}
        </Text>
      )}
    </BlockStack>
  );
}
