import { postSalesInvoicesTask } from "../app/posting/task.server";

export default postSalesInvoicesTask.task;
