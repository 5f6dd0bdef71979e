import { syncProductsTask } from "../app/sync/products/task.server";

export default syncProductsTask.task;
