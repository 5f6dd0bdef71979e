import { syncCustomersTask } from "../app/sync/customers/task.server";

export default syncCustomersTask.task;
