import { describe, expect, it } from "vitest";
import { readFrom } from "../../app/sync/kit/incremental.server";

/**
 * Where an order import reads from: webhook and manual runs from the cursor, scheduled runs
 * (reconciles) from the previous scheduled run's start less 10 minutes, a day back at most.
 */

const now = new Date("2026-12-01T12:00:00Z");
const at = (iso: string) => new Date(`2026-12-01T${iso}Z`);
const minutes = (n: number) => n * 60_000;

describe("readFrom", () => {
  it("reads the open orders on the very first run, whatever started it", () => {
    for (const trigger of ["webhook", "manual", "schedule"])
      expect(readFrom(trigger, null, null, now)).toEqual({ since: null, reconciling: false });
    expect(readFrom("schedule", null, at("11:00:00"), now)).toEqual({ since: null, reconciling: false });
  });

  it("reads from the cursor itself for a webhook or a person, ignoring the reconcile cursor", () => {
    for (const trigger of ["webhook", "manual"])
      expect(readFrom(trigger, at("11:55:00"), at("09:00:00"), now)).toEqual({
        since: at("11:55:00"),
        reconciling: false,
      });
  });

  it("reconciles the last hour on the first scheduled run after others", () => {
    expect(readFrom("schedule", at("11:55:00"), null, now)).toEqual({
      since: new Date(at("11:55:00").getTime() - minutes(60)),
      reconciling: true,
    });
  });

  it("reconciles from the previous scheduled run's start less 10 minutes", () => {
    expect(readFrom("schedule", at("11:58:00"), at("11:45:00"), now)).toEqual({
      since: at("11:35:00"),
      reconciling: true,
    });
  });

  it("reconciles from the cursor less 10 minutes when the cursor is the earlier (an order holding it back)", () => {
    expect(readFrom("schedule", at("10:00:00"), at("11:45:00"), now)).toEqual({
      since: at("09:50:00"),
      reconciling: true,
    });
  });

  it("reconciles a day back at most, however old the cursors", () => {
    const old = new Date("2026-09-01T00:00:00Z");
    expect(readFrom("schedule", old, old, now)).toEqual({
      since: new Date(now.getTime() - 24 * minutes(60)),
      reconciling: true,
    });
    // A webhook run still reads from its cursor.
    expect(readFrom("webhook", old, old, now).since).toEqual(old);
  });
});
