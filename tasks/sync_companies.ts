import { syncCompaniesTask } from "../app/sync/companies/task.server";

export default syncCompaniesTask.task;
