import { postSalesOrdersTask } from "../app/posting/task.server";

export default postSalesOrdersTask.task;
