/* eslint-disable @typescript-eslint/require-await -- fakes of async interfaces, answered at once */
import { describe, expect, it } from "vitest";
import { BackOfficeError } from "../../app/backoffice/backoffice.server";
import { RecordError, TerminalError } from "../../app/errors.server";
import { classifyError } from "../../app/jobs/errors.server";
import { log } from "../../app/log.server";
import { forEachRecord, RecordLoop } from "../../app/sync/kit/records.server";

/** A run's counts, progress and signal, kept here. */
function fakeRun() {
  const counts: Record<string, number> = {};
  const progress: [number, number][] = [];
  const controller = new AbortController();
  return {
    counts,
    progress,
    controller,
    ctx: {
      log,
      signal: controller.signal,
      count: (name: string, by = 1) => {
        counts[name] = (counts[name] ?? 0) + by;
      },
      progress: async (done: number, total: number) => {
        progress.push([done, total]);
      },
    },
  };
}

/** What Shopify's client throws for an HTTP answer. */
const httpError = (status: number) => Object.assign(new Error(`Shopify answered ${status}`), { status });

describe("the record loop", () => {
  it("counts each outcome under its name, writes failures on their records and goes on", async () => {
    const run = fakeRun();
    const written: string[] = [];
    const summary = await forEachRecord(run.ctx, ["a", "b", "c", "d", "e"], {
      label: (id) => id.toUpperCase(),
      total: 5,
      handle: async (id) => {
        if (id === "b") throw new BackOfficeError("item B is blocked");
        if (id === "c") throw httpError(404);
        if (id === "d") return "unchanged";
        if (id === "e") return { outcome: "skipped", count: "nothingToSync" };
        return { outcome: "sent", count: "synced" };
      },
      onFailure: async (id, message) => {
        written.push(`${id}=${message}`);
      },
    });

    expect(run.counts).toEqual({ synced: 1, failed: 2, unchanged: 1, nothingToSync: 1 });
    expect(summary).toMatchObject({ sent: 1, unchanged: 1, skipped: 1, failed: 2, retryable: 0 });
    expect(summary.failures).toEqual(["B: item B is blocked", "C: Shopify answered 404"]);
    expect(written).toEqual(["b=item B is blocked", "c=Shopify answered 404"]);
    expect(run.progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([401, 402, 403, 423])(
    "stops at a %i: every other record would fail the same way",
    async (status) => {
      const run = fakeRun();
      const seen: string[] = [];
      await expect(
        forEachRecord(run.ctx, ["a", "b", "c"], {
          label: (id) => id,
          handle: async (id) => {
            seen.push(id);
            if (id === "b") throw httpError(status);
            return "sent";
          },
        }),
      ).rejects.toThrow(`Shopify answered ${status}`);
      expect(seen).toEqual(["a", "b"]);
      expect(run.counts).toEqual({ sent: 1 });
    },
  );

  it("stops when the run is stopped, before the next record", async () => {
    const run = fakeRun();
    const seen: string[] = [];
    await expect(
      forEachRecord(run.ctx, ["a", "b"], {
        label: (id) => id,
        handle: async (id) => {
          seen.push(id);
          run.controller.abort();
          return "sent";
        },
      }),
    ).rejects.toThrow("the run was stopped");
    expect(seen).toEqual(["a"]);
  });

  it("handles a batch together, and each record on its own when the batch fails", async () => {
    const run = fakeRun();
    const together: string[][] = [];
    const alone: string[] = [];
    const written: string[] = [];
    const loop = new RecordLoop<string>(run.ctx, {
      label: (id) => id.toUpperCase(),
      total: 5,
      handle: async (id) => {
        alone.push(id);
        if (id === "d") throw new BackOfficeError("item D is blocked");
        return { outcome: "sent", count: "imported" };
      },
      handleMany: async (ids) => {
        together.push(ids);
        // All or nothing: one refused record refuses the batch.
        if (ids.includes("d")) throw new BackOfficeError("item D is blocked");
        return ids.map((id) => (id === "b" ? "unchanged" : { outcome: "sent", count: "imported" }));
      },
      onFailure: async (id, message) => {
        written.push(`${id}=${message}`);
      },
    });

    await loop.batch(["a", "b", "c"]);
    await loop.batch(["d", "e"]);

    expect(together).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    expect(alone).toEqual(["d", "e"]);
    expect(run.counts).toEqual({ imported: 3, unchanged: 1, failed: 1 });
    expect(loop.summary).toMatchObject({
      sent: 3,
      unchanged: 1,
      failed: 1,
      failures: ["D: item D is blocked"],
    });
    expect(written).toEqual(["d=item D is blocked"]);
    expect(run.progress.map(([done]) => done)).toEqual([3, 4, 5]);
  });

  it("stops a batch of a stopped run before it starts", async () => {
    const run = fakeRun();
    const loop = new RecordLoop<string>(run.ctx, {
      label: (id) => id,
      handle: async () => "sent",
      handleMany: async (ids) => ids.map(() => "sent"),
    });
    run.controller.abort();
    await expect(loop.batch(["a", "b"])).rejects.toThrow("the run was stopped");
    expect(run.counts).toEqual({});
  });

  it("finish() fails the run at once when every failure is terminal, and for a retry when one is not", async () => {
    const terminal = new RecordLoop<string>(fakeRun().ctx, {
      label: (id) => id,
      handle: async () => {
        throw new BackOfficeError("customer C1 is blocked");
      },
    });
    await terminal.each(["SO1", "SO2"]);
    const refusal = (() => {
      try {
        terminal.finish({ noun: "document", failed: "not posted" });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(RecordError);
    expect(String(refusal)).toContain(
      "2 documents not posted: SO1: customer C1 is blocked; SO2: customer C1 is blocked",
    );
    expect(classifyError(refusal).terminal).toBe(true);

    const mixed = new RecordLoop<string>(fakeRun().ctx, {
      label: (id) => id,
      handle: async (id) => {
        if (id === "SO1") throw new BackOfficeError("customer C1 is blocked");
        throw httpError(503);
      },
    });
    await mixed.each(["SO1", "SO2"]);
    expect(mixed.summary).toMatchObject({ failed: 2, retryable: 1 });
    let retried: unknown;
    try {
      mixed.finish();
    } catch (error) {
      retried = error;
    }
    expect(classifyError(retried).terminal).toBe(false);

    const clean = new RecordLoop<string>(fakeRun().ctx, { label: (id) => id, handle: async () => "sent" });
    await clean.each(["SO3"]);
    expect(() => clean.finish()).not.toThrow();
  });
});

describe("the error policy's scope", () => {
  it("puts record refusals and 404 on the record, shop-wide refusals on the run", () => {
    expect(classifyError(new BackOfficeError("blocked"))).toMatchObject({ terminal: true, scope: "record" });
    expect(classifyError(httpError(404))).toMatchObject({ terminal: true, scope: "record" });
    expect(classifyError(httpError(503))).toMatchObject({ terminal: false, scope: "record" });
    expect(classifyError(new Error("socket hang up"))).toMatchObject({ terminal: false, scope: "record" });
    for (const status of [401, 402, 403, 423])
      expect(classifyError(httpError(status))).toMatchObject({ terminal: true, scope: "run" });
    expect(classifyError(new TerminalError("shop is uninstalled"))).toMatchObject({
      terminal: true,
      scope: "run",
    });
  });
});
