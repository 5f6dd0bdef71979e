// `npm run test:faults`: the order pipeline under faults, with the figures that prove nothing is
// lost or done twice. Four scenarios, each in a process of its own on a fresh database
// (scripts/lib/fault-*.ts):
//   kill-storm     worker processes SIGKILLed at random mid-run (crash recovery's detection
//                  interval in seconds) through import, processing, posting and shipment sync;
//   pg-restart     the Postgres server restarted mid-run (a server of the suite's own, never
//                  DATABASE_URL's): workers reconnect and every run finishes;
//   shopify-faults THROTTLED, 429 and 5xx answers and duplicate and late webhooks over 2,000
//                  orders on the Plus plan: the back office ends as a clean run's, by content;
//   app-restart    `npm start`'s server restarted during a webhook burst: every delivery
//                  Shopify retried is recorded once, no order missing after the reconcile.
// The last lines give the totals; exits 1 when any check fails.
// Options: --only <name>[,<name>...], --quick (the subset .ci/run runs: smaller counts),
// --dead-after <ms> (2000), and per scenario --orders/--kills (kill-storm), --pg-orders/
// --pg-restarts, --shopify-orders/--fault-share/--with-shipments (shopify-faults sends the
// shipments back as fulfillments only with it, or in --quick: 2,000 fulfillments under faults
// take longer than the whole suite may), --burst-orders/--app-restarts.
// To look into a failure: WORKER_LOG_DIR=<dir> keeps each worker process's log (stderr) in a
// file there (WORKER_LOG_LEVEL sets its level, error by default), and
// FAULTS_PG_RESTART_DURING=<task> restarts Postgres only while a run of that task is in hand
// (sync_shipments beside another run is what once left a pool stalled with its jobs locked).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ScenarioResult } from "./lib/faults";
import { out, ROOT } from "./lib/harness";

const SCENARIOS = ["kill-storm", "pg-restart", "shopify-faults", "app-restart"] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    "dead-after": { type: "string", default: "2000" },
    orders: { type: "string" },
    kills: { type: "string" },
    "pg-orders": { type: "string" },
    "pg-restarts": { type: "string" },
    "shopify-orders": { type: "string" },
    "fault-share": { type: "string" },
    "with-shipments": { type: "boolean", default: false },
    "burst-orders": { type: "string" },
    "app-restarts": { type: "string" },
    // Internal: run one scenario in this process and write its result to --result.
    scenario: { type: "string" },
    result: { type: "string" },
  },
});
const quick = values.quick;
function whole(name: string, given: string | undefined, full: number, small: number, min = 1): number {
  const value = Number(given ?? (quick ? small : full));
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`test:faults: --${name} must be a whole number of at least ${min}\n`);
    process.exit(2);
  }
  return value;
}
const deadAfterMs = whole("dead-after", values["dead-after"], 2000, 2000, 1000);
const settings = {
  orders: whole("orders", values.orders, 300, 40),
  kills: whole("kills", values.kills, 30, 6),
  pgOrders: whole("pg-orders", values["pg-orders"], 200, 40),
  pgRestarts: whole("pg-restarts", values["pg-restarts"], 4, 1),
  shopifyOrders: whole("shopify-orders", values["shopify-orders"], 2000, 60),
  burstOrders: whole("burst-orders", values["burst-orders"], 600, 80),
  appRestarts: whole("app-restarts", values["app-restarts"], 2, 1),
};
const faultShare = Number(values["fault-share"] ?? 0.1);
if (!(faultShare >= 0 && faultShare < 1)) {
  process.stderr.write("test:faults: --fault-share must be between 0 and 1\n");
  process.exit(2);
}
const minutes = (full: number, small: number) => (quick ? small : full) * 60_000;
/** A scenario still running after this is stopped and failed. */
const SCENARIO_LIMIT_MS = minutes(8, 2);

async function runScenario(name: Scenario): Promise<ScenarioResult> {
  switch (name) {
    case "kill-storm": {
      const { killStorm } = await import("./lib/fault-kill-storm");
      return killStorm({
        orders: settings.orders,
        kills: settings.kills,
        deadAfterMs,
        timeoutMs: minutes(4, 1.5),
      });
    }
    case "pg-restart": {
      const { pgRestart } = await import("./lib/fault-pg-restart");
      return pgRestart({
        orders: settings.pgOrders,
        restarts: settings.pgRestarts,
        deadAfterMs,
        timeoutMs: minutes(3, 1.5),
      });
    }
    case "shopify-faults": {
      const { shopifyFaults } = await import("./lib/fault-shopify");
      return shopifyFaults({
        orders: settings.shopifyOrders,
        share: faultShare,
        shipments: values["with-shipments"] || quick,
        timeoutMs: minutes(4, 1.5),
      });
    }
    case "app-restart": {
      const { appRestart } = await import("./lib/fault-app-restart");
      return appRestart({
        orders: settings.burstOrders,
        restarts: settings.appRestarts,
        deadAfterMs,
        timeoutMs: minutes(3, 1.5),
      });
    }
  }
}

if (values.scenario) {
  // A child: one scenario, its result as JSON for the parent. Its database (and its own
  // Postgres) are removed however it ends: done, thrown, or stopped at its time limit.
  const { cleanUp } = await import("./lib/harness");
  process.once("SIGTERM", () => {
    void cleanUp().finally(() => process.exit(1));
  });
  try {
    const result = await runScenario(values.scenario as Scenario);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(values.result!, JSON.stringify(result));
  } finally {
    await cleanUp();
  }
  process.exit(0);
}

const selected = (values.only?.split(",").map((name) => name.trim()) ?? [...SCENARIOS]) as Scenario[];
for (const name of selected)
  if (!SCENARIOS.includes(name)) {
    process.stderr.write(`test:faults: no scenario "${name}" (there are ${SCENARIOS.join(", ")})\n`);
    process.exit(2);
  }

const passOn = process.argv.slice(2).filter((arg, i, all) => arg !== "--only" && all[i - 1] !== "--only");
const tmp = mkdtempSync(path.join(os.tmpdir(), "test-faults-"));
const started = Date.now();
out(
  `test:faults${quick ? " --quick" : ""}: ${selected.join(", ")} (crash recovery's detection interval ${deadAfterMs} ms)`,
);
const results: ScenarioResult[] = [];
const crashed: string[] = [];
// Each scenario in a process group of its own, with its workers and app server: a scenario
// past its time, or this process stopped, takes them all down (no worker left behind).
let current: ChildProcess | undefined;
const stopGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
};
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    if (current) stopGroup(current, "SIGTERM");
    setTimeout(() => {
      if (current) stopGroup(current, "SIGKILL");
      process.exit(1);
    }, 5000).unref();
  });
for (const name of selected) {
  const file = path.join(tmp, `${name}.json`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/test-faults.ts", ...passOn, "--scenario", name, "--result", file],
      { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], detached: true },
    );
    current = child;
    const limit = setTimeout(() => {
      out(`${name}: past ${SCENARIO_LIMIT_MS / 60_000} minutes, stopped`);
      stopGroup(child, "SIGTERM");
      setTimeout(() => stopGroup(child, "SIGKILL"), 5000).unref();
    }, SCENARIO_LIMIT_MS);
    child.once("exit", (exitCode, signal) => {
      clearTimeout(limit);
      // What the scenario left running (it ended without stopping them) goes with it.
      stopGroup(child, "SIGKILL");
      current = undefined;
      resolve(exitCode ?? (signal ? 1 : 0));
    });
  });
  try {
    results.push(JSON.parse(readFileSync(file, "utf8")) as ScenarioResult);
  } catch {
    crashed.push(`${name} (exit ${code})`);
  }
}
rmSync(tmp, { recursive: true, force: true });

for (const result of results) {
  out(`${result.name}: ${result.seconds.toFixed(1)} s`);
  for (const { line, ok } of result.checks) out(`  ${ok ? "ok  " : "FAIL"} ${line}`);
}
for (const name of crashed) out(`FAIL ${name}: the scenario ended without a result`);
const sum = (pick: (result: ScenarioResult) => number | null) =>
  results.reduce((total, result) => total + (pick(result) ?? 0), 0);
const failed =
  results.reduce((n, result) => n + result.checks.filter((c) => !c.ok).length, 0) + crashed.length;
out(`test:faults: ${((Date.now() - started) / 1000).toFixed(1)} s, ${results.length} scenario(s)`);
out(`  kills: ${sum((r) => r.figures.kills)}`);
out(`  restarts: ${sum((r) => r.figures.restarts)}`);
out(`  faults injected: ${sum((r) => r.figures.faultsInjected)}`);
out(
  `  documents: expected ${sum((r) => r.figures.documentsExpected)}, found ${sum((r) => r.figures.documentsFound)}`,
);
out(
  `  fulfillments: expected ${sum((r) => r.figures.fulfillmentsExpected)}, found ${sum((r) => r.figures.fulfillmentsFound)}`,
);
out(`  runs stuck: ${sum((r) => r.figures.runsStuck)}`);
out(`  queues locked: ${sum((r) => r.figures.queuesLocked)}`);
out(failed === 0 ? "test:faults: every check holds" : `test:faults: ${failed} check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
