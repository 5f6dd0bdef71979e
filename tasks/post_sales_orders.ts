import { postSalesOrdersTask } from "../app/sync/posting/task.server";

export default postSalesOrdersTask.task;
