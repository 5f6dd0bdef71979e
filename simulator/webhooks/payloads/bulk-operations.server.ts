import type { BulkOperationRecord } from "../../state/records.server";
import { gid } from "../../state/shop-state.server";

/**
 * `bulk_operations/finish`: sent when a bulk operation completes, fails or is canceled. Status,
 * type and error code are the enum values in lower case ("completed", "query").
 */
export function bulkOperationFinishPayload(operation: BulkOperationRecord) {
  return {
    admin_graphql_api_id: gid("BulkOperation", operation.id),
    completed_at: (operation.completedAt ?? operation.createdAt).toISOString(),
    created_at: operation.createdAt.toISOString(),
    error_code: operation.errorCode ? operation.errorCode.toLowerCase() : null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}
