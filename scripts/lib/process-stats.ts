// What a benchmark reads of a process from /proc (Linux; null elsewhere): its peak resident set
// and its CPU time, for the benches.
import { readFileSync } from "node:fs";

/** A process's peak resident set so far (Linux: VmHWM), in kB; null elsewhere. */
export function peakRssKb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A process's CPU time so far (Linux: utime and stime), in seconds; null elsewhere. */
export function cpuSeconds(pid: number | undefined): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command (in parentheses, which may hold spaces): utime is the 14th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = 100; // USER_HZ on Linux
    return { user: Number(fields[11]) / ticks, system: Number(fields[12]) / ticks };
  } catch {
    return null;
  }
}

export const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
