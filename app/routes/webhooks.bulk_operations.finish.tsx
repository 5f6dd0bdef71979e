import { bulkOperationFinished } from "../webhooks/bulk-operations.server";

export const action = bulkOperationFinished;
