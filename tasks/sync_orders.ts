import { syncOrdersTask } from "../app/sync/orders/task.server";

export default syncOrdersTask.task;
