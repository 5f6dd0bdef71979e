// The demo across restarts. The simulated shop lives in the simulator's memory; the app's data
// lives in Postgres in the data folder. So that a second `npm run demo` finds the shop it left
// (its products, orders, fulfillments and the app's offline token), the simulator writes its
// state to the data folder when it stops and reads it back when it starts (`--state <file>`).
// A state that was read is removed at once: a demo that did not stop cleanly leaves none, and
// the next one starts the shop afresh and clears what the app's database held for it.
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import v8 from "node:v8";
import type { Db } from "../app/db.server";
import { queuePrefix } from "../app/jobs/queues.server";
import type { Simulator } from "../simulator/simulator.server";
import { ShopState } from "../simulator/state/shop-state.server";

const FORMAT = 1;

interface SavedState {
  format: number;
  savedAt: string;
  /** How far `/_sim/time/advance` had moved the simulator's clock. */
  clockOffsetMs: number;
  tokens: [string, string][];
  /** The shops as v8 wrote them: their own fields, without the class. */
  shops: Record<string, unknown>[];
}

/** Writes the simulator's shops, tokens and clock to `file` (atomically: a new file, then a rename). */
export function saveSimulatorState(sim: Simulator, file: string): { shops: number; orders: number } {
  const state: SavedState = {
    format: FORMAT,
    savedAt: new Date().toISOString(),
    clockOffsetMs: Math.max(0, sim.clock.nowMs() - Date.now()),
    tokens: [...sim.tokens],
    shops: [...sim.shops.values()].map(savedShop),
  };
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, v8.serialize(state));
  renameSync(partial, file);
  return { shops: state.shops.length, orders: countOrders(sim) };
}

/**
 * A shop's own fields as saved: all but the replay cache of idempotent mutations (the answers
 * inventorySetQuantities and its kind gave, by idempotency key), which holds the answers' lazy
 * fields (functions, which v8 cannot write) and serves only a retry of a request in flight
 * when the simulator stopped. A resumed shop starts with none, as if its keys had expired.
 */
function savedShop(shop: ShopState): Record<string, unknown> {
  return { ...shop, idempotency: new Map() };
}

/**
 * Reads a state `saveSimulatorState` wrote into a fresh simulator, then removes the file.
 * Returns null when there is none.
 */
export function loadSimulatorState(sim: Simulator, file: string): { shops: number; orders: number } | null {
  if (!existsSync(file)) return null;
  const state = v8.deserialize(readFileSync(file)) as SavedState;
  if (state?.format !== FORMAT || !Array.isArray(state.shops))
    throw new Error(`${file} is not a simulator state this version can read; delete it to start afresh`);
  for (const saved of state.shops) {
    const domain = saved.domain as string;
    // A new shop of this version, then what was saved over it: fields added since stay at their
    // defaults, and the shop has its class (methods) again.
    const shop = Object.assign(
      new ShopState(domain, { plan: saved.plan as ShopState["plan"], createdAt: saved.createdAt as Date }),
      saved,
    );
    sim.shops.set(domain, shop);
  }
  for (const [token, domain] of state.tokens) sim.tokens.set(token, domain);
  if (state.clockOffsetMs > 0) sim.clock.advance(state.clockOffsetMs);
  unlinkSync(file);
  return { shops: state.shops.length, orders: countOrders(sim) };
}

function countOrders(sim: Simulator): number {
  let orders = 0;
  for (const shop of sim.shops.values()) orders += shop.orders.size;
  return orders;
}

/**
 * Removes a shop from the app's database as if it had never been installed: its rows (every
 * shop-owned table cascades from Shop), sessions, webhook records, and its jobs and queues
 * (a queue a stopped worker left locked included).
 */
export async function forgetShop(db: Db, domain: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      delete from graphile_worker._private_jobs j
       using graphile_worker._private_job_queues q
       where j.job_queue_id = q.id and q.queue_name like ${`${queuePrefix(domain)}%`}`;
    await tx.$executeRaw`
      delete from graphile_worker._private_job_queues q
       where q.queue_name like ${`${queuePrefix(domain)}%`}
         and not exists (select 1 from graphile_worker._private_jobs j where j.job_queue_id = q.id)`;
    await tx.session.deleteMany({ where: { shop: domain } });
    await tx.webhookDelivery.deleteMany({ where: { shopDomain: domain } });
    await tx.shop.deleteMany({ where: { domain } });
  });
}
