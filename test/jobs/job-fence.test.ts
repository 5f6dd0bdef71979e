import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { startWorker, type WorkerRunner } from "../../app/jobs/worker.server";

/**
 * A pool whose heartbeat stopped (the database lost, or its event loop stood still past the
 * detection interval) may finish a job after crash recovery has handed it to another pool.
 * Its completion must not delete the job the new holder runs, nor leave the new holder's
 * queue locked: the new holder completes it.
 */

let runner: WorkerRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function jobAndQueue(jobId: string) {
  const [row] = await prisma.$queryRaw<{ job_locked_by: string | null; queue_locked_by: string | null }[]>`
    select j.locked_by as job_locked_by, q.locked_by as queue_locked_by
      from graphile_worker._private_jobs j
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
     where j.id = ${BigInt(jobId)}`;
  return row ?? null;
}

async function queueLockedBy(queue: string): Promise<string | null> {
  const [row] = await prisma.$queryRaw<{ locked_by: string | null }[]>`
    select locked_by from graphile_worker._private_job_queues where queue_name = ${queue}`;
  return row?.locked_by ?? null;
}

/** Starts a worker whose task `fence_probe` waits until `finish()` is called. */
async function workerWithHeldTask() {
  let started!: (jobId: string) => void;
  const running = new Promise<string>((resolve) => (started = resolve));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  runner = await startWorker({
    connectionString: process.env.DATABASE_URL!,
    taskList: {
      fence_probe: async (_payload, helpers) => {
        started(helpers.job.id);
        await finished;
      },
    },
    crontab: "",
    pollInterval: 50,
    noHandleSignals: true,
    deadAfterMs: 60_000,
    backOfficeDoorbell: false,
  });
  return { running, finish };
}

async function addProbeJob(queue: string): Promise<void> {
  await prisma.$executeRaw`select graphile_worker.add_job('fence_probe', '{}'::json, queue_name => ${queue})`;
}

async function until(what: string, test: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("a job finished by a pool that no longer holds it", () => {
  it("stays for its new holder, whose queue stays locked until that holder completes it", async () => {
    const { running, finish } = await workerWithHeldTask();
    const queue = `fence-${Date.now()}`;
    await addProbeJob(queue);
    const jobId = await running;
    const oldPool = (await jobAndQueue(jobId))!.job_locked_by!;
    expect(oldPool).toMatch(/\S/);

    // Crash recovery took the old pool for stopped and another pool took the job up again.
    const newPool = "worker-that-took-it-over";
    await prisma.$executeRaw`
      update graphile_worker._private_jobs set locked_by = ${newPool}, locked_at = now() where id = ${BigInt(jobId)}`;
    await prisma.$executeRaw`
      update graphile_worker._private_job_queues set locked_by = ${newPool}, locked_at = now() where queue_name = ${queue}`;

    finish();
    // The old pool's completion was tried (its task returned) and skipped: wait until the
    // runner has nothing in hand, then look.
    await sleep(300);
    await runner!.stop();
    runner = undefined;
    expect(await jobAndQueue(jobId)).toEqual({ job_locked_by: newPool, queue_locked_by: newPool });

    // The new holder's completion, as graphile-worker sends it from a connection of its pool.
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
    await client.connect();
    try {
      await client.query("select set_config('bos.worker_pool', $1, false)", [newPool]);
      await client.query(
        `with j as (delete from graphile_worker._private_jobs where id = $1 returning *)
         update graphile_worker._private_job_queues q set locked_by = null, locked_at = null
           from j where q.id = j.job_queue_id and q.locked_by = $2`,
        [jobId, newPool],
      );
    } finally {
      await client.end();
    }
    expect(await jobAndQueue(jobId)).toBeNull();
    expect(await queueLockedBy(queue)).toBeNull();
  });

  it("is completed as usual by the pool that still holds it, its queue unlocked", async () => {
    const { running, finish } = await workerWithHeldTask();
    const queue = `fence-own-${Date.now()}`;
    await addProbeJob(queue);
    const jobId = await running;
    finish();
    await until("the job completed", async () => (await jobAndQueue(jobId)) === null);
    expect(await queueLockedBy(queue)).toBeNull();
  });

  it("is removed as usual by the app's own connections, which work for no pool", async () => {
    await addProbeJob(`fence-app-${Date.now()}`);
    const [job] = await prisma.$queryRaw<{ id: bigint }[]>`
      select id from graphile_worker._private_jobs where task_id = (
        select id from graphile_worker._private_tasks where identifier = 'fence_probe') order by id desc limit 1`;
    await prisma.$executeRaw`
      update graphile_worker._private_jobs set locked_by = 'some-pool', locked_at = now() where id = ${job!.id}`;
    await prisma.$executeRaw`delete from graphile_worker._private_jobs where id = ${job!.id}`;
    expect(await jobAndQueue(String(job!.id))).toBeNull();
  });
});
