// `npm run bench:customers`: the customers and companies syncs (sync_customers, sync_companies)
// against the store simulator and real Postgres (a fresh database on DATABASE_URL's server, or the
// local Postgres), the syncs running in a worker process as in production (`npm run worker`) and
// the app's server taking Shopify's webhooks, on the Standard plan. A store of --customers
// customers (default 20,000; the simulator's seed: names, e-mails, half with a phone, each with one
// address) and --companies companies (default 1,000) with 3 locations each, their main contacts
// the first customers.
//   (a) first import, the shop card importing every customer and creating those it cannot find:
//       wall time (target < 2 min), points, bulk queries, the worker's peak RSS (target < 300 MB);
//       every Shopify customer checked linked to a back-office customer with its e-mail;
//       (a2) then every company, each a business customer of its own (found by tax id: the seed's
//       have none) with its locations as ship-to addresses: wall time, points, peak RSS;
//   (b) a second run with nothing changed: mutation requests (target 0), points, wall time; (b2)
//       the same for the companies;
//   (c) --changed back-office customers (default 1,000) changed (their city), with the back
//       office updating Shopify's customers: everything sent through the back office's doorbell;
//       mutation requests and wall time from the first change to the last one sent;
//   (d) --edits customers (default 50) changed in Shopify one after another, with Shopify updating
//       the back office: latency from Shopify's change to the back-office customer's,
//       through the customers/update webhook and the doorbell, p50/p95/max (target p95 < 2 s).
//   `--changed 0`, `--edits 0` and `--companies 0` leave those out; `--keep` leaves the database
//   to look into. Figures go in the README with the date and what else loaded the machine.
import os from "node:os";
import { parseArgs } from "node:util";
import { freePort } from "../app/db/embedded.server";
import { startAppProcess } from "./lib/faults";
import {
  freshDatabase,
  out,
  sleep,
  startHarnessSimulator,
  stockedShop,
  stopProcess,
  workerProcess,
} from "./lib/harness";
import { figureTable, loadAverage } from "./lib/figures";
import { cpuSeconds, mb, peakRssKb } from "./lib/process-stats";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "20000" },
    companies: { type: "string", default: "1000" },
    changed: { type: "string", default: "1000" },
    edits: { type: "string", default: "50" },
    keep: { type: "boolean", default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const COMPANIES = Number(values.companies);
const CHANGED = Math.min(Number(values.changed), CUSTOMERS);
const EDITS = Math.min(Number(values.edits), CUSTOMERS);

const database = await freshDatabase("bench_customers");
const simulator = await startHarnessSimulator("standard");
const { default: prisma } = await import("../app/db.server");
const { enqueueSync } = await import("../app/jobs/enqueue.server");
const { updateCustomer } = await import("../app/backoffice/backoffice.server");
const { syncCustomersTask } = await import("../app/sync/customers/task.server");
const { CUSTOMER_TASK } = await import("../app/sync/customers/records.server");
const { syncCompaniesTask } = await import("../app/sync/companies/task.server");
const { seedB2b } = await import("../simulator/seed/b2b.server");
const { seedOrders } = await import("../simulator/seed/orders.server");
const { graphqlInProcess } = await import("./lib/harness");

const load = loadAverage;
type Counts = Record<string, number>;

const { row, print: printFigures } = figureTable();

out(
  `bench:customers  ${new Date().toISOString()}  (simulator ${simulator.url}, database ${database.name}; Standard plan; ${os.cpus().length} CPUs, load ${load()})`,
);

const app = await startAppProcess(await freePort());
simulator.sim.options.appUrl = app.url;
const shop = await stockedShop(simulator, "customers-bench");
const state = simulator.sim.shop(shop.domain);

// The store's customers: the simulator's seed, each phone made unique as Shopify keeps them.
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
seedOrders(state, { customers: CUSTOMERS, orders: 0 }, random, new Date());
// The companies: 3 locations each, the first customers their main contacts.
seedB2b(state, { companies: COMPANIES, payouts: 0, locationsPerCompany: 3 }, random, new Date());
let n = 0;
for (const customer of state.customers.values()) {
  n++;
  if (customer.phone) customer.phone = `+1613${String(2000000 + n).padStart(7, "0")}`;
}
await prisma.shopSettings.update({
  where: { shopId: shop.shopId },
  // Companies found by tax id: the seed's have none, so each becomes a business customer of its
  // own (their main contacts are persons the customer import links), locations its ship-to addresses.
  data: {
    customerImport: "all",
    customerAutoCreate: true,
    customerUpdates: "none",
    companyImport: "all",
    companyMapping: "tax_id",
    companyAutoCreate: true,
    companyLocationsAs: "ship_to",
  },
});

type Task = typeof syncCustomersTask | typeof syncCompaniesTask;

/** Runs of the task that ended since `since`, their counts summed, and the wall time they span. */
async function endedSince(since: Date, task = CUSTOMER_TASK) {
  const ended = await prisma.syncRun.findMany({
    where: { shopId: shop.shopId, task, finishedAt: { gte: since } },
    orderBy: { startedAt: "asc" },
  });
  const counts: Counts = {};
  for (const each of ended)
    for (const [name, value] of Object.entries(each.counts as Counts))
      counts[name] = (counts[name] ?? 0) + value;
  return { ended, counts };
}

async function quiet(task = CUSTOMER_TASK) {
  for (;;) {
    const busy = await prisma.syncRun.count({
      where: { shopId: shop.shopId, task, status: { in: ["queued", "running"] } },
    });
    if (busy === 0) return;
    await sleep(100);
  }
}

async function runAndWait(trigger: "manual" | "schedule" = "manual", task: Task = syncCustomersTask) {
  const since = new Date();
  const started = Date.now();
  const { run } = await enqueueSync(prisma, task, { shop: shop.domain, trigger });
  for (;;) {
    const now = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    if (now.status === "succeeded" || now.status === "failed") break;
    await sleep(100);
  }
  await quiet(task.name);
  const { ended, counts } = await endedSince(since, task.name);
  const mine = ended.find((each) => each.id === run.id)!;
  return {
    seconds: (Date.now() - started) / 1000,
    counts,
    runs: ended.length,
    status: mine.status,
    error: mine.error,
  };
}

const figure = (r: { seconds: number; counts: Counts; runs: number; status: string; error: string | null }) =>
  `${r.seconds.toFixed(1)} s, ${r.counts.mutationRequests ?? 0} mutation requests, ${r.counts.bulkQueries ?? 0} bulk queries, ${r.counts.requestedPoints ?? 0} points requested / ${r.counts.actualPoints ?? 0} used${r.runs > 1 ? ` (${r.runs} runs)` : ""}${r.status === "succeeded" ? "" : ` — ${r.status}: ${r.error}`}`;

// ---- (a) first import.
const worker = workerProcess(2, {}, { quiet: true });
const first = await runAndWait();
const rss = peakRssKb(worker.pid);
const cpu = cpuSeconds(worker.pid);
out(
  `(a) first import of ${CUSTOMERS} customers: ${figure(first)}; worker peak RSS ${rss === null ? "?" : mb(rss)}, CPU ${cpu ? (cpu.user + cpu.system).toFixed(1) : "?"} s (its start included)`,
);
out(`    ${JSON.stringify(first.counts)}`);
const links = await prisma.$queryRaw<{ linked: bigint; right: bigint }[]>`
  select count(*) filter (where c."customerNo" is not null) as linked,
         count(*) filter (where b.email = c.email) as right
    from "ShopifyCustomer" c left join "BoCustomer" b on b."shopId" = c."shopId" and b.no = c."customerNo"
   where c."shopId" = ${shop.shopId}::uuid`;
const linked = Number(links[0]?.linked ?? 0);
const right = Number(links[0]?.right ?? 0);
out(
  `    afterwards: ${linked} of ${CUSTOMERS} Shopify customers linked, ${right} to a back-office customer with their e-mail`,
);
row("(a) first import: wall time", `${first.seconds.toFixed(1)} s`, "< 120 s", first.seconds < 120);
row(
  "(a) first import: points requested / used",
  `${first.counts.requestedPoints ?? 0} / ${first.counts.actualPoints ?? 0}`,
);
row(
  "(a) first import: worker peak RSS",
  rss === null ? "?" : mb(rss),
  "< 300 MB",
  rss === null ? null : rss < 300 * 1024,
);
row("(a) customers linked with their e-mail", `${right} / ${CUSTOMERS}`, "all", right === CUSTOMERS);

// ---- (a2) first import of the companies.
const companies =
  COMPANIES > 0
    ? await (async () => {
        const run = await runAndWait("manual", syncCompaniesTask);
        const peak = peakRssKb(worker.pid);
        out(
          `(a2) first import of ${COMPANIES} companies, 3 locations each: ${figure(run)}; worker peak RSS so far ${peak === null ? "?" : mb(peak)}`,
        );
        out(`    ${JSON.stringify(run.counts)}`);
        const [made] = await prisma.$queryRaw<{ companies: bigint; shipTos: bigint }[]>`
          select (select count(*) from "ShopifyCompany" where "shopId" = ${shop.shopId}::uuid and "customerNo" is not null) as companies,
                 (select count(*) from "ShopifyCompanyLocation" where "shopId" = ${shop.shopId}::uuid and "shipToCode" is not null) as "shipTos"`;
        out(
          `    afterwards: ${made?.companies ?? 0} companies linked, ${made?.shipTos ?? 0} locations as ship-to addresses`,
        );
        row("(a2) companies: wall time", `${run.seconds.toFixed(1)} s`);
        row(
          "(a2) companies: points requested / used",
          `${run.counts.requestedPoints ?? 0} / ${run.counts.actualPoints ?? 0}`,
        );
        row(
          "(a2) worker peak RSS after both imports",
          peak === null ? "?" : mb(peak),
          "< 300 MB",
          peak === null ? null : peak < 300 * 1024,
        );
        row(
          "(a2) companies linked / locations as ship-to",
          `${made?.companies ?? 0} / ${made?.shipTos ?? 0}`,
          `${COMPANIES} / ${3 * COMPANIES}`,
          Number(made?.companies ?? 0) === COMPANIES && Number(made?.shipTos ?? 0) === 3 * COMPANIES,
        );
        return run;
      })()
    : null;

// ---- (b) nothing changed.
const second = await runAndWait("schedule");
out(`(b) a reconcile with nothing changed: ${figure(second)}`);
out(`    ${JSON.stringify(second.counts)}`);
row(
  "(b) unchanged: mutation requests",
  String(second.counts.mutationRequests ?? 0),
  "0",
  (second.counts.mutationRequests ?? 0) === 0,
);
row("(b) unchanged: points requested", String(second.counts.requestedPoints ?? 0));
row("(b) unchanged: wall time", `${second.seconds.toFixed(1)} s`);
if (companies) {
  const again = await runAndWait("schedule", syncCompaniesTask);
  out(`(b2) the companies again with nothing changed: ${figure(again)}`);
  out(`    ${JSON.stringify(again.counts)}`);
  row(
    "(b2) companies unchanged: mutation requests",
    String(again.counts.mutationRequests ?? 0),
    "0",
    (again.counts.mutationRequests ?? 0) === 0,
  );
  row("(b2) companies unchanged: points requested", String(again.counts.requestedPoints ?? 0));
}

// ---- (c) back-office changes sent to Shopify through the doorbell (--changed 0 skips it).
if (CHANGED > 0) {
  await prisma.shopSettings.update({
    where: { shopId: shop.shopId },
    data: { customerUpdates: "to_shopify" },
  });
  const toChange = await prisma.shopifyCustomer.findMany({
    where: { shopId: shop.shopId, customerNo: { not: null } },
    orderBy: { shopifyId: "asc" },
    take: CHANGED,
    select: { customerNo: true, shopifyId: true },
  });
  const sinceC = new Date();
  const startedC = Date.now();
  for (const [i, each] of toChange.entries())
    await updateCustomer(prisma, shop.shopId, each.customerNo!, { city: `Kanata ${i}` });
  for (;;) {
    const pending = await prisma.syncRecord.count({
      where: { shopId: shop.shopId, task: CUSTOMER_TASK, state: { in: ["pending", "error"] } },
    });
    const runs = await prisma.syncRun.count({
      where: { shopId: shop.shopId, task: CUSTOMER_TASK, status: { in: ["queued", "running"] } },
    });
    const started = await prisma.syncRun.count({
      where: { shopId: shop.shopId, task: CUSTOMER_TASK, queuedAt: { gte: sinceC } },
    });
    if (pending === 0 && runs === 0 && started > 0) break;
    await sleep(200);
  }
  const secondsC = (Date.now() - startedC) / 1000;
  const { ended: endedC, counts: countsC } = await endedSince(sinceC);
  const sentRight = toChange.filter((each, i) => {
    const customer = state.customers.get(Number(each.shopifyId));
    const address = customer?.addresses.find((a) => a.id === customer.defaultAddressId);
    return address?.city === `Kanata ${i}`;
  }).length;
  out(
    `(c) ${toChange.length} back-office customers changed, sent by the doorbell: ${secondsC.toFixed(1)} s, ${countsC.mutationRequests ?? 0} mutation requests, ${countsC.requestedPoints ?? 0} points requested (${endedC.length} runs); ${sentRight} right in Shopify afterwards`,
  );
  out(`    ${JSON.stringify(countsC)}`);
  row("(c) export of changed customers: wall time", `${secondsC.toFixed(1)} s`);
  row("(c) export: mutation requests", String(countsC.mutationRequests ?? 0));
  row(
    "(c) export: right in Shopify",
    `${sentRight} / ${toChange.length}`,
    "all",
    sentRight === toChange.length,
  );
}

// ---- (d) Shopify → back office latency, through the webhook (--edits 0 skips it).
if (EDITS > 0) {
  await prisma.shopSettings.update({
    where: { shopId: shop.shopId },
    data: { customerUpdates: "from_shopify" },
  });
  const edited = await prisma.shopifyCustomer.findMany({
    where: { shopId: shop.shopId, customerNo: { not: null } },
    orderBy: { shopifyId: "desc" },
    take: EDITS,
    select: { customerNo: true, shopifyId: true },
  });
  const latencies: number[] = [];
  for (const [i, each] of edited.entries()) {
    const lastName = `Edited${i}`;
    const at = Date.now();
    await graphqlInProcess(
      simulator,
      shop.domain,
      `mutation BenchEdit($input: CustomerInput!) { customerUpdate(input: $input) { userErrors { message } } }`,
      { input: { id: `gid://shopify/Customer/${each.shopifyId}`, lastName } },
    );
    for (;;) {
      const customer = await prisma.boCustomer.findUnique({
        where: { shopId_no: { shopId: shop.shopId, no: each.customerNo! } },
        select: { name: true },
      });
      if (customer?.name.includes(lastName)) break;
      if (Date.now() - at > 30_000) throw new Error(`customer ${each.customerNo} not updated within 30 s`);
      await sleep(10);
    }
    latencies.push(Date.now() - at);
    await sleep(200);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))]!;
  out(
    `(d) ${EDITS} customers changed in Shopify → back office: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies.at(-1)} ms`,
  );
  row("(d) Shopify change → back office: p95", `${pct(95)} ms`, "< 2000 ms", pct(95) < 2000);
}

await stopProcess(worker);
await app.stop();

printFigures(out);
simulator.close();
if (values.keep) {
  out(`database ${database.name} left in place (${database.url})`);
  await prisma.$disconnect();
} else await database.drop();
process.exit(0);
