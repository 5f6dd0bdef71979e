import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createItem } from "../../app/backoffice/backoffice.server";
import prisma from "../../app/db.server";
import { log } from "../../app/log.server";
import {
  LISTENER_APPLICATION_NAME,
  listenForBackOfficeChanges,
  type BackOfficeListener,
} from "../../app/sync/backoffice-doorbell.server";
import { PRODUCT_TASK } from "../../app/sync/products/records.server";
import { installedShop, withoutDefaultSchedules } from "../support/shops";

/**
 * The back office's doorbell catches up on what it did not hear: a change committed while no
 * listener listened (no worker running, or its connection lost) is rung when the listener
 * listens again, from the change feed. No worker runs here, so the runs rung stay queued.
 */

const CAUGHT_UP = "back-office doorbell: caught up on changes made while no one listened";
const LOST = "back-office doorbell: connection lost; listening again";

/**
 * A TCP gate in front of Postgres for the listener's connection: it can refuse new
 * connections (the gap before a reconnect, held open as long as the test needs) and freeze
 * the ones it carries (a half-open connection: nothing arrives, nothing fails).
 */
class Gate {
  private server = net.createServer((client) => this.carry(client));
  private pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  open = true;

  private readonly target: { host: string; port: number };

  constructor(target: { host: string; port: number }) {
    this.target = target;
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  private carry(client: net.Socket) {
    if (!this.open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Stops carrying bytes on every connection it has, without closing any. */
  freeze() {
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close() {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let gate: Gate;
let gatedUrl: string;
let listener: BackOfficeListener | undefined;
const info = vi.spyOn(log, "info");
const warn = vi.spyOn(log, "warn");

beforeAll(async () => {
  const url = new URL(process.env.DATABASE_URL!);
  gate = new Gate({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await gate.start());
  gatedUrl = url.toString();
});
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  gate.open = true;
});
afterAll(async () => {
  await gate?.close();
});

/** Waits for `probe` to give a value (an empty list is none), up to a deadline. */
async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms = 10_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value && !(Array.isArray(value) && value.length === 0)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function shopSyncing(syncItems: string) {
  const shop = await installedShop();
  await withoutDefaultSchedules(shop.id);
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { syncItems } });
  return shop;
}

/** A products run that started `offsetMs` from the shop's last change, finished. */
async function productsRunStarted(shopId: string, offsetMs: number) {
  const last = await prisma.boChange.findFirstOrThrow({ where: { shopId }, orderBy: { at: "desc" } });
  const startedAt = new Date(last.at.getTime() + offsetMs);
  await prisma.syncRun.create({
    data: {
      id: randomUUID(),
      shopId,
      task: PRODUCT_TASK,
      trigger: "manual",
      status: "succeeded",
      category: "products",
      queuedAt: startedAt,
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 1000),
    },
  });
}

function rungRuns(shopId: string) {
  return prisma.syncRun.findMany({ where: { shopId, trigger: "back_office" } });
}

async function listenerBackends(): Promise<{ pid: number; backendStart: Date }[]> {
  return prisma.$queryRaw`
    select pid, backend_start as "backendStart" from pg_stat_activity
     where datname = current_database() and application_name = ${LISTENER_APPLICATION_NAME}`;
}

function caughtUpCalls(): { shops: number; runs: number }[] {
  return info.mock.calls.flatMap(([fields, message]) =>
    message === CAUGHT_UP ? [fields as { shops: number; runs: number }] : [],
  );
}

/** Lets connections through again; the catch-up rings the shop's products sync once. */
async function openAndExpectOneRung(shopId: string) {
  info.mockClear();
  gate.open = true;
  const runs = await until("the rung run", async () => {
    const found = await rungRuns(shopId);
    return found.length > 0 ? found : null;
  });
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ task: PRODUCT_TASK, status: "queued" });
  return until("the catch-up", () => caughtUpCalls());
}

describe("the back office's doorbell catching up", () => {
  it("rings, when it starts listening, the shops that changed while no one listened", async () => {
    const fresh = await shopSyncing("to_shopify");
    const importing = await shopSyncing("from_shopify");
    const upToDate = await shopSyncing("to_shopify");
    const behind = await shopSyncing("to_shopify");
    for (const shop of [fresh, importing, upToDate, behind])
      await createItem(prisma, shop.id, { no: "CAP", description: "Cap", unitPrice: "15" });
    await productsRunStarted(upToDate.id, 1000);
    await productsRunStarted(behind.id, -60_000);
    // Nobody listened: the changes queued nothing.
    for (const shop of [fresh, importing, upToDate, behind]) expect(await rungRuns(shop.id)).toHaveLength(0);

    info.mockClear();
    listener = listenForBackOfficeChanges(prisma);
    // Logged once every run is queued.
    const [caught] = await until("the catch-up", () => caughtUpCalls());
    expect(caught).toEqual({ shops: 2, runs: 2 });

    for (const shop of [fresh, behind]) {
      const runs = await rungRuns(shop.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ task: PRODUCT_TASK, status: "queued", startedAt: null });
    }
    expect(await rungRuns(importing.id)).toHaveLength(0);
    expect(await rungRuns(upToDate.id)).toHaveLength(0);
    expect(await prisma.syncRun.count({ where: { shopId: importing.id } })).toBe(0);
  });

  it("rings after a reconnect the change committed while its connection was down", async () => {
    const shop = await shopSyncing("to_shopify");
    listener = listenForBackOfficeChanges(prisma, {
      connection: { connectionString: gatedUrl },
      reconnectMs: 50,
    });
    const [backend] = await until("the listening connection", listenerBackends);

    // The connection is killed, and the listener cannot connect again until the gate opens.
    gate.open = false;
    warn.mockClear();
    await prisma.$queryRaw`select pg_terminate_backend(${backend!.pid}::int)`;
    await until("the listener to notice", () => warn.mock.calls.some(([, message]) => message === LOST));
    await until("the old connection to end", async () => (await listenerBackends()).length === 0);
    await createItem(prisma, shop.id, { no: "CAP", description: "Cap", unitPrice: "15" });
    // Nobody heard it.
    expect(await rungRuns(shop.id)).toHaveLength(0);

    const [caught] = await openAndExpectOneRung(shop.id);
    expect(caught!.shops).toBeGreaterThanOrEqual(1);
    const [again] = await listenerBackends();
    expect(again!.pid).not.toBe(backend!.pid);
  });

  it("replaces a connection that stopped answering, and rings what was missed meanwhile", async () => {
    const shop = await shopSyncing("to_shopify");
    listener = listenForBackOfficeChanges(prisma, {
      connection: { connectionString: gatedUrl },
      reconnectMs: 50,
      checkEveryMs: 100,
      checkTimeoutMs: 300,
    });
    const [backend] = await until("the listening connection", listenerBackends);
    // Let the first catch-up's queries settle on a listener that is up.
    await until("a check answered", async () => {
      const [row] = await prisma.$queryRaw<{ query: string; state: string }[]>`
        select query, state from pg_stat_activity where pid = ${backend!.pid}::int`;
      return row?.query === "select 1" && row.state === "idle";
    });

    // Half-open: the connection carries nothing (its backend stays, listening) and no new one
    // gets through yet. The change's notification goes into the frozen connection.
    gate.open = false;
    gate.freeze();
    warn.mockClear();
    await createItem(prisma, shop.id, { no: "CAP", description: "Cap", unitPrice: "15" });
    await until("the failed check", () =>
      warn.mock.calls.some(
        ([fields, message]) =>
          message === LOST && /no answer to select 1/.test(String((fields as { error?: string }).error)),
      ),
    );
    expect(await rungRuns(shop.id)).toHaveLength(0);

    await openAndExpectOneRung(shop.id);
  });
});
