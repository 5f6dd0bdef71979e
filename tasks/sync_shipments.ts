import { syncShipmentsTask } from "../app/sync/shipments/task.server";

export default syncShipmentsTask.task;
