import { syncImagesTask } from "../app/sync/images/task.server";

export default syncImagesTask.task;
