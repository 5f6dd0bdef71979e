import { syncInventoryTask } from "../app/sync/inventory/task.server";

export default syncInventoryTask.task;
