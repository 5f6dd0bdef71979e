// Fault scenario "shopify-faults": the same orders placed at the same time in two shops on the
// Plus plan, served by two simulators behind one Admin API origin (requests go to the shop's
// own), while two workers and `npm start`'s server (receiving the webhooks) run: one shop with
// Shopify behaving, the other with a tenth of the Admin API's answers faults (a third each
// THROTTLED, 429 with Retry-After, 503) and 5% of the webhooks delivered twice and 5% late. Orders are imported by the webhooks' doorbells while they are placed; posting and
// the shipment sync run beside; once every order is placed and every webhook delivered, a
// scheduled reconcile. The faulty shop's back office must end as the clean one's, compared
// by content (scripts/lib/faults.ts canonicalState: documents, lines, customers, shipments,
// invoices, stock and Shopify's fulfillments per order, without generated ids, numbers or
// times), each shop's own end state must hold, and every webhook be recorded once.
import { createServer } from "node:http";
import { freePort } from "../../app/db/embedded.server";
import { listen } from "../../simulator/http/server.server";
import type { Delivery } from "../../simulator/webhooks/dispatcher.server";
import {
  canonicalState,
  check,
  differences,
  digest,
  endState,
  patiently,
  runPipeline,
  startAppProcess,
  untilQuiet,
  WorkerPool,
  type Check,
  type EndState,
  type ScenarioResult,
} from "./faults";
import {
  freshDatabase,
  out,
  placeOrders,
  startHarnessSimulator,
  stockedShop,
  type HarnessSimulator,
  type OrderInput,
} from "./harness";

export interface ShopifyFaultsOptions {
  orders: number;
  /** Share of Admin API answers that are faults, split evenly over THROTTLED, 429 and 5xx. */
  share: number;
  /** Also send the shipments back as fulfillments (about two Admin API requests each). */
  shipments: boolean;
  timeoutMs: number;
}

const CITIES = [
  ["Lyon", "FR"],
  ["Ghent", "BE"],
  ["Porto", "PT"],
  ["Graz", "AT"],
] as const;

/** Orders that differ: repeat customers, one to three units, addresses, shipping on half. */
export const variedOrder: OrderInput = (shop, i) => {
  const buyer = i % 500;
  const [city, countryCode] = CITIES[buyer % CITIES.length]!;
  return {
    email: `buyer${buyer}@example.com`,
    lineItems: [{ variantId: shop.variantId, quantity: 1 + (i % 3), requiresShipping: true }],
    shippingAddress: {
      firstName: "Buyer",
      lastName: `Number ${buyer}`,
      address1: `${buyer + 1} Harbour Street`,
      city,
      zip: String(10_000 + buyer),
      countryCode,
    },
    ...(i % 2 === 0
      ? {
          shippingLines: [
            { title: "Standard", priceSet: { shopMoney: { amount: "4.90", currencyCode: "USD" } } },
          ],
        }
      : {}),
    financialStatus: "PAID",
  };
};

interface ShopRun {
  seconds: number;
  end: EndState;
  state: Map<string, string>;
  webhooks: {
    sent: number;
    duplicates: number;
    late: number;
    /** Deliveries not yet answered when the pipeline ended (waited for before counting). */
    inFlight: number;
    recorded: number;
    failed: number;
    why: string;
  };
  answers: ReturnType<HarnessSimulator["answers"]>;
}

/** What the first undelivered deliveries last got: "; first: orders/paid after 9 attempts: HTTP 500". */
export function undeliveredWhy(deliveries: Delivery[]): string {
  const undelivered = deliveries.filter((delivery) => delivery.state !== "delivered");
  if (undelivered.length === 0) return "";
  const lines = undelivered
    .slice(0, 3)
    .map(
      (delivery) =>
        `${delivery.topic}${delivery.duplicateOf ? " (duplicate)" : ""} ${delivery.state} after ${delivery.attempts} attempt(s): ${delivery.lastError ?? "no answer"}`,
    );
  return `; first: ${lines.join("; ")}`;
}

const CLEAN = "faults-clean";
const FAULTY = "faults-shopify";

export async function shopifyFaults(options: ShopifyFaultsOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const database = await freshDatabase("faults_shopify");
  const cleanSim = await startHarnessSimulator("plus", 7);
  const faultySim = await startHarnessSimulator("plus", 8);
  // One origin for the app: each request to the shop's own simulator.
  const front = createServer((request, response) => {
    const target = request.url?.startsWith(`/shops/${CLEAN}.myshopify.com/`) ? cleanSim : faultySim;
    target.server.emit("request", request, response);
  });
  process.env.SHOPIFY_ADMIN_ORIGIN = `http://127.0.0.1:${await listen(front, 0)}`;
  const { default: prisma } = await import("../../app/db.server");
  const app = await startAppProcess(await freePort());
  cleanSim.sim.options.appUrl = app.url;
  faultySim.sim.options.appUrl = app.url;
  out(
    `shopify faults  (database ${database.name}, app ${app.url}; ${options.orders} orders in two shops at once, one clean, one with ${Math.round(options.share * 100)}% of Admin API answers faults and 5% duplicate, 5% late webhooks)`,
  );
  const workers = new WorkerPool({ WORKER_DEAD_AFTER_MS: "10000" });
  workers.start(2);

  async function runShop(simulator: HarnessSimulator, name: string, faulty: boolean): Promise<ShopRun> {
    const sim = simulator.sim;
    const shop = await stockedShop(simulator, name);
    const answersBefore = simulator.answers();
    if (faulty) {
      const third = options.share / 3;
      sim.faults = { ...sim.faults, throttledShare: third, http429Share: third, http5xxShare: third };
      sim.webhooks.faults = { duplicateShare: 0.05, lateShare: 0.05, lateMs: 3000 };
    }
    // The webhooks import the orders while they are placed; the schedule's reconcile comes
    // once every order is placed and every webhook delivered.
    let placedAll = false;
    let settled = false;
    const placing = placeOrders(simulator, shop, options.orders, variedOrder, {
      inProcess: true,
      paceMs: 10,
    }).then(async () => {
      placedAll = true;
      settled = await sim.webhooks.idle(120_000);
    });
    const seconds = await runPipeline(shop, options.orders, {
      timeoutMs: options.timeoutMs,
      stages: () => [
        ...(settled ? (["import"] as const) : []),
        "post",
        ...(options.shipments ? (["ship"] as const) : []),
      ],
      done: () => placedAll && settled,
      ship: options.shipments,
    });
    await placing;
    // The last fulfillments' webhooks (fulfillments/create, orders/fulfilled) are sent as the
    // pipeline ends: counted once Shopify has nothing left to deliver, not while in flight.
    const inFlight = sim.webhooks.log.filter(
      (delivery) => delivery.shop === shop.domain && delivery.state !== "delivered",
    ).length;
    const quiet = await sim.webhooks.idle(120_000);
    // ...and once the runs those last webhooks rang for have finished.
    await untilQuiet(shop.shopId, 60_000);
    const answersAfter = simulator.answers();
    sim.faults = { ...sim.faults, throttledShare: 0, http429Share: 0, http5xxShare: 0 };
    sim.webhooks.faults = { duplicateShare: 0, lateShare: 0, lateMs: 0 };
    const deliveries = sim.webhooks.log.filter((delivery) => delivery.shop === shop.domain);
    const originals = deliveries.filter((delivery) => delivery.duplicateOf === null);
    const recorded = await patiently(() =>
      prisma.webhookDelivery.count({
        where: { webhookId: { in: originals.map((delivery) => delivery.webhookId) } },
      }),
    );
    return {
      seconds,
      end: await endState(simulator, shop, options.orders, { fulfilled: options.shipments }),
      state: await canonicalState(simulator, shop),
      webhooks: {
        sent: originals.length,
        duplicates: deliveries.length - originals.length,
        late: originals.filter((delivery) => delivery.heldMs > 0).length,
        inFlight,
        recorded,
        failed: deliveries.filter((delivery) => delivery.state !== "delivered").length,
        why: `${quiet ? "" : " (still retrying after 2 minutes)"}${undeliveredWhy(deliveries)}`,
      },
      answers: {
        requests: answersAfter.requests - answersBefore.requests,
        throttled: answersAfter.throttled - answersBefore.throttled,
        http429: answersAfter.http429 - answersBefore.http429,
        http5xx: answersAfter.http5xx - answersBefore.http5xx,
      },
    };
  }

  const [clean, faulty] = await Promise.all([
    runShop(cleanSim, CLEAN, false),
    runShop(faultySim, FAULTY, true),
  ]);
  out(`shopify faults: clean shop ${clean.seconds.toFixed(1)} s, faulty shop ${faulty.seconds.toFixed(1)} s`);
  await workers.stopAll();
  await app.stop();

  const differing = differences(clean.state, faulty.state);
  const injected = faulty.answers.throttled + faulty.answers.http429 + faulty.answers.http5xx;
  const webhookLine = (run: ShopRun) =>
    `${run.webhooks.sent} sent (${run.webhooks.duplicates} again as duplicates, ${run.webhooks.late} late; ${run.webhooks.inFlight} in flight as the pipeline ended), ${run.webhooks.recorded} recorded, ${run.webhooks.failed} not delivered${run.webhooks.why}`;
  const checks: Check[] = [
    check(
      `Admin API answers to the faulty shop: ${faulty.answers.requests}, of them faults ${injected} (${((100 * injected) / Math.max(1, faulty.answers.requests)).toFixed(1)}%): THROTTLED ${faulty.answers.throttled}, 429 ${faulty.answers.http429}, 5xx ${faulty.answers.http5xx}; the clean shop's: ${clean.answers.requests}, THROTTLED ${clean.answers.throttled}`,
      injected > 0 || options.share === 0,
    ),
    check(
      `webhooks, clean shop: ${webhookLine(clean)}`,
      clean.webhooks.recorded === clean.webhooks.sent && clean.webhooks.failed === 0,
    ),
    check(
      `webhooks, faulty shop: ${webhookLine(faulty)}${faulty.webhooks.sent >= 400 ? " (duplicates and late ones needed)" : ""}`,
      faulty.webhooks.recorded === faulty.webhooks.sent &&
        faulty.webhooks.failed === 0 &&
        // 5% each of at least 400: none at all would mean the faults were not on.
        (faulty.webhooks.sent < 400 || (faulty.webhooks.duplicates > 0 && faulty.webhooks.late > 0)),
    ),
    ...clean.end.checks.filter((c) => !c.ok).map((c) => check(`clean shop: ${c.line}`, false)),
    ...faulty.end.checks,
    check(
      `back office by content: ${faulty.state.size} entries (orders, customers, stock), ${differing.length} differing from the clean shop's (digest ${digest(faulty.state)}, clean ${digest(clean.state)})${differing.length ? `; first: ${differing.slice(0, 3).join(", ")}` : ""}`,
      differing.length === 0 && clean.state.size > 0,
    ),
  ];
  if (process.env.FAULTS_DEBUG)
    for (const key of differing.slice(0, 5))
      out(`  debug ${key}\n    clean:  ${clean.state.get(key)}\n    faulty: ${faulty.state.get(key)}`);
  cleanSim.close();
  faultySim.close();
  front.close();
  await database.drop();
  return {
    name: "shopify-faults",
    seconds: (Date.now() - started) / 1000,
    checks,
    figures: {
      kills: 0,
      restarts: 0,
      faultsInjected: injected + faulty.webhooks.duplicates + faulty.webhooks.late,
      documentsExpected: options.orders,
      documentsFound: faulty.end.documents,
      fulfillmentsExpected: options.shipments ? options.orders : null,
      fulfillmentsFound: options.shipments ? faulty.end.fulfillments : null,
      runsStuck: faulty.end.stuck + clean.end.stuck,
      queuesLocked: faulty.end.queuesLocked,
    },
  };
}
