import { postSalesInvoicesTask } from "../app/sync/posting/task.server";

export default postSalesInvoicesTask.task;
