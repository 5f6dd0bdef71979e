/**
 * The simulator's clock: real time plus an offset that `/_sim/time/advance` moves forward, so
 * tests can jump hours ahead (schedules, webhook retries, bucket refill) without waiting.
 */
export class SimClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error("time only moves forward");
    this.offsetMs += ms;
  }
}
