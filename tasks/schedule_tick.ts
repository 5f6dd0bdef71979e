import type { Task } from "graphile-worker";
import { tickSchedules } from "../app/jobs/schedules.server";

/** Runs every minute from the crontab: fires the shops' due schedules. */
const task: Task = async () => {
  await tickSchedules();
};

export default task;
