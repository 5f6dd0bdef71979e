import { processOrdersTask } from "../app/sync/orders/task.server";

export default processOrdersTask.task;
