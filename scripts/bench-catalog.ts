// `npm run bench:catalog`: the products sync against the store simulator and real Postgres (a
// fresh database on DATABASE_URL's server, or the local Postgres), with the sync running in a
// worker process as in production (`npm run worker`), on the Standard plan:
//   (b) first export of --items items (default 10,000, 3 variants each) to an empty store:
//       wall time, mutation requests, Admin API points, the worker's peak RSS;
//   (c) a second export with nothing changed: mutation requests (target 0) and points;
//   (d) a price change on --prices variants (default 1,000) in one back-office transaction:
//       mutation requests (target ≤ 5: the bulk mutation and its staged upload) and wall time;
//   (e) --edits single item edits (default 20), each followed to Shopify (the back office's
//       doorbell queues the export; no schedule, nobody asks), while an import of --orders
//       orders (default 300) runs for the same shop: latency p50/p95 (target p95 < 2 s).
//   (a) first import of a store of --products products (default 10,000, 3 variants each) with
//       "Sync items" from Shopify: wall time, points, the worker's peak RSS (target < 300 MB).
//   `--only import` runs (a) alone, `--only export` (b) to (e). (a) also gives the CPU time of
//   the worker and of the database's Postgres backends (read from /proc: a local server), since
//   on a small machine the two share the cores and wall time follows their sum.
// Figures go in the README with the date and what else loaded the machine.
import { cpuSeconds, mb, peakRssKb } from "./lib/process-stats";
import os from "node:os";
import { parseArgs } from "node:util";
import {
  freshDatabase,
  out,
  placeOrders,
  sleep,
  startHarnessSimulator,
  stockedShop,
  stopProcess,
  workerProcess,
  type StockedShop,
} from "./lib/harness";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    prices: { type: "string", default: "1000" },
    edits: { type: "string", default: "20" },
    orders: { type: "string", default: "300" },
    products: { type: "string", default: "10000" },
    "skip-import": { type: "boolean", default: false },
    /** "import": (a) alone, "export": (b) to (e) alone; both by default. */
    only: { type: "string" },
  },
});
const ITEMS = Number(values.items);
const PRICES = Number(values.prices);
const EDITS = Number(values.edits);
const ORDERS = Number(values.orders);
const PRODUCTS = Number(values.products);
if (values.only !== undefined && values.only !== "import" && values.only !== "export")
  throw new Error(`--only ${values.only}: use import or export`);
const runExport = values.only !== "import";
const runImport = values.only !== "export" && !values["skip-import"];
const SIZES = ["S", "M", "L"];

const database = await freshDatabase("bench_catalog");
const simulator = await startHarnessSimulator("standard");
const { default: prisma } = await import("../app/db.server");
const { enqueueSync } = await import("../app/jobs/enqueue.server");
const { setSalesPrice, updateItem } = await import("../app/backoffice/backoffice.server");
const { syncOrdersTask } = await import("../app/sync/orders/task.server");
const { syncProductsTask } = await import("../app/sync/products/task.server");
const { addItemsToShopify, PRODUCT_TASK } = await import("../app/sync/products/records.server");

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
const cpuFigure = (pid: number | undefined) => {
  const cpu = cpuSeconds(pid);
  return cpu ? `, CPU ${cpu.user.toFixed(1)} s user + ${cpu.system.toFixed(1)} s system` : "";
};

/**
 * The CPU time of the Postgres backends serving this database now (a local server: their
 * /proc entries), those of connections closed already not counted; null when unreadable.
 */
async function databaseCpuSeconds(): Promise<number | null> {
  const backends = await prisma.$queryRaw<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  let total = 0;
  for (const { pid } of backends) {
    const cpu = cpuSeconds(pid);
    if (!cpu) return null;
    total += cpu.user + cpu.system;
  }
  return total;
}

type Counts = Record<string, number>;

/** Queues a run of the products sync and waits for it; its wall time and counts. */
async function productsRun(shop: StockedShop, filters: Record<string, unknown> = {}) {
  const started = Date.now();
  const { run } = await enqueueSync(prisma, syncProductsTask, {
    shop: shop.domain,
    trigger: "manual",
    filters,
  });
  for (;;) {
    const now = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    if (now.status === "succeeded" || now.status === "failed") {
      // A run the back office's doorbell queued (its catch-up when the worker starts, say) may
      // have done the work before this one: every products run of the shop that ended in the
      // window is counted.
      await quiet(shop);
      const runs = await prisma.syncRun.findMany({
        where: { shopId: shop.shopId, task: PRODUCT_TASK, finishedAt: { gte: new Date(started) } },
      });
      const counts: Counts = {};
      for (const each of runs)
        for (const [name, value] of Object.entries(each.counts as Counts))
          counts[name] = (counts[name] ?? 0) + value;
      return {
        seconds: (Date.now() - started) / 1000,
        counts,
        runs: runs.length,
        status: now.status,
        error: now.error,
      };
    }
    await sleep(100);
  }
}

/** Waits until no products run of the shop is queued or running. */
async function quiet(shop: StockedShop) {
  for (;;) {
    const busy = await prisma.syncRun.count({
      where: { shopId: shop.shopId, task: PRODUCT_TASK, status: { in: ["queued", "running"] } },
    });
    if (busy === 0) return;
    await sleep(100);
  }
}

const figure = (run: {
  seconds: number;
  counts: Counts;
  runs: number;
  status: string;
  error?: string | null;
}) =>
  `${run.seconds.toFixed(1)} s, ${run.counts.mutationRequests ?? 0} mutation requests, ${run.counts.requestedPoints ?? 0} points requested / ${run.counts.actualPoints ?? 0} used${run.runs > 1 ? ` (${run.runs} runs)` : ""}${run.status === "succeeded" ? "" : ` — ${run.status}: ${run.error}`}`;

/** Back-office items ITEM-00001... with Size S/M/L variants, written in bulk (a data migration). */
async function seedItems(shopId: string, count: number) {
  for (let from = 0; from < count; from += 1000) {
    const nos = Array.from(
      { length: Math.min(1000, count - from) },
      (_, i) => `ITEM-${String(from + i + 1).padStart(5, "0")}`,
    );
    await prisma.boItem.createMany({
      data: nos.map((no, i) => ({
        shopId,
        no,
        description: `Catalog item ${from + i + 1}`,
        unitPrice: (10 + ((from + i) % 90)).toFixed(2),
        unitCost: "4.00",
        vendor: "Bench Goods",
        productType: "Apparel",
        tags: ["bench"],
        option1Name: "Size",
      })),
    });
    await prisma.boItemVariant.createMany({
      data: nos.flatMap((no) =>
        SIZES.map((size) => ({
          shopId,
          itemNo: no,
          code: size,
          description: `${no} ${size}`,
          option1: size,
        })),
      ),
    });
  }
}

out(
  `bench:catalog  ${new Date().toISOString()}  (simulator ${simulator.url}, database ${database.name}; Standard plan; ${os.cpus().length} CPUs, load ${load()})`,
);

// ---- export: the back office is the master
if (runExport) await benchExport();

async function benchExport() {
  const exporter = await stockedShop(simulator, "catalog-export");
  await prisma.shopSettings.update({
    where: { shopId: exporter.shopId },
    data: { syncItems: "to_shopify", productMapping: "item_no_variant_code" },
  });
  await seedItems(exporter.shopId, ITEMS);
  const worker = workerProcess(2, {}, { quiet: true });
  while ((await prisma.workerProcess.count()) < 1) await sleep(100);

  await addItemsToShopify(
    prisma,
    exporter.shopId,
    (
      await prisma.boItem.findMany({
        where: { shopId: exporter.shopId, no: { startsWith: "ITEM-" } },
        select: { no: true },
      })
    ).map((item) => item.no),
  );
  const first = await productsRun(exporter);
  out(
    `(b) first export of ${ITEMS} items (${ITEMS * SIZES.length} variants): ${figure(first)}; worker peak RSS ${mb(peakRssKb(worker.pid) ?? 0)}`,
  );
  out(`    ${JSON.stringify(first.counts)}`);

  const second = await productsRun(exporter);
  await addItemsToShopify(prisma, exporter.shopId, ["ITEM-00001"]);
  const again = await productsRun(exporter);
  out(`(c) second export, nothing changed: ${figure(second)}; an item added again: ${figure(again)}`);

  // (d) one price list change: PRICES variants in one transaction, one doorbell.
  await quiet(exporter);
  const priced = Array.from({ length: PRICES }, (_, i) => ({
    itemNo: `ITEM-${String(Math.floor(i / SIZES.length) + 1).padStart(5, "0")}`,
    variantCode: SIZES[i % SIZES.length]!,
  }));
  const priceStarted = Date.now();
  await prisma.$transaction(
    async (tx) => {
      for (const [i, target] of priced.entries())
        await setSalesPrice(tx, exporter.shopId, { ...target, unitPrice: (50 + (i % 40)).toFixed(2) });
    },
    { timeout: 120_000 },
  );
  let priceRun;
  for (;;) {
    priceRun = await prisma.syncRun.findFirst({
      where: {
        shopId: exporter.shopId,
        task: PRODUCT_TASK,
        trigger: "back_office",
        status: { in: ["succeeded", "failed"] },
      },
      orderBy: { finishedAt: "desc" },
    });
    if (priceRun && priceRun.finishedAt! > new Date(priceStarted)) break;
    await sleep(100);
  }
  const priceCounts = priceRun.counts as Counts;
  out(
    `(d) price change on ${PRICES} variants (one transaction, the doorbell's run): ${((priceRun.finishedAt!.getTime() - priceStarted) / 1000).toFixed(1)} s from commit to done, ${priceCounts.mutationRequests ?? 0} mutation requests, ${priceCounts.requestedPoints ?? 0} points requested; ${JSON.stringify(priceCounts)}`,
  );

  // (e) single edits followed to Shopify while an order import runs for the same shop.
  await quiet(exporter);
  await placeOrders(simulator, exporter, ORDERS);
  const importRun = (await enqueueSync(prisma, syncOrdersTask, { shop: exporter.domain, trigger: "manual" }))
    .run;
  const state = simulator.sim.shop(exporter.domain);
  const latencies: number[] = [];
  let overlapped = 0;
  for (let i = 0; i < EDITS; i++) {
    const no = `ITEM-${String(Math.floor(ITEMS / 2) + i).padStart(5, "0")}`;
    const price = (200 + i).toFixed(2);
    const link = await prisma.shopifyProduct.findFirstOrThrow({
      where: { shopId: exporter.shopId, itemNo: no },
    });
    const started = performance.now();
    await updateItem(prisma, exporter.shopId, no, { unitPrice: price });
    for (;;) {
      const product = state.products.get(Number(link.shopifyId));
      const variants = product ? product.variantIds.map((id) => state.variants.get(id)) : [];
      if (variants.length > 0 && variants.every((variant) => variant?.price === price)) break;
      await sleep(5);
    }
    latencies.push(performance.now() - started);
    const running = await prisma.syncRun.findUniqueOrThrow({ where: { id: importRun.id } });
    if (running.status === "running" || running.status === "queued") overlapped++;
    await sleep(200);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  out(
    `(e) ${EDITS} item edits → product in Shopify, with a ${ORDERS}-order import for the same shop (${overlapped} of ${EDITS} edits while it ran): p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`,
  );
  for (;;) {
    const done = await prisma.syncRun.findUniqueOrThrow({ where: { id: importRun.id } });
    if (done.status === "succeeded" || done.status === "failed") break;
    await sleep(200);
  }
  await stopProcess(worker);
}

// ---- (a) import: Shopify is the master
if (runImport) {
  const importer = await stockedShop(simulator, "catalog-import");
  await prisma.shopSettings.update({
    where: { shopId: importer.shopId },
    data: { syncItems: "from_shopify", productAutoCreate: true, productMapping: "item_no_variant_code" },
  });
  const seeding = Date.now();
  const { seedCatalog } = await import("../simulator/seed/catalog.server");
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  seedCatalog(
    simulator.sim.shop(importer.domain),
    { locations: 1, products: PRODUCTS, variantsPerProduct: 3 },
    random,
    new Date(),
  );
  out(`    seeded ${PRODUCTS} products in the simulator in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const importWorker = workerProcess(2, {}, { quiet: true });
  while ((await prisma.workerProcess.count()) < 1) await sleep(100);
  const imported = await productsRun(importer);
  const postgresCpu = await databaseCpuSeconds();
  out(
    `(a) first import of ${PRODUCTS} products (${PRODUCTS * 3} variants): ${figure(imported)}; worker peak RSS ${mb(peakRssKb(importWorker.pid) ?? 0)}${cpuFigure(importWorker.pid)}${postgresCpu === null ? "" : `; Postgres backends' CPU ${postgresCpu.toFixed(1)} s`}`,
  );
  out(`    ${JSON.stringify(imported.counts)}`);
  await stopProcess(importWorker);
}

out(`load at the end: ${load()}`);
simulator.close();
await database.drop();
process.exit(0);
