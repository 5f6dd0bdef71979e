import { operation } from "./operation.server";

/**
 * The bulk-operation helper's Admin API operations (app/shopify/bulk.server.ts): start a bulk
 * query or a bulk mutation, stage the mutation's variables file, and read an operation by id
 * (the fallback when its `bulk_operations/finish` webhook is late). Each costs about 10 points
 * (mutations) or 1 (the read); the work itself is not charged to the shop's bucket.
 */

export interface BulkOperationNode {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

const BULK_OPERATION_FIELDS = `id status errorCode objectCount rootObjectCount fileSize url partialDataUrl`;

export const BULK_RUN_QUERY = operation<
  { bulkOperationRunQuery: { bulkOperation: BulkOperationNode | null; userErrors: BulkUserError[] } },
  { query: string; groupObjects: boolean }
>(
  "BulkRunQuery",
  `mutation BulkRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation { ${BULK_OPERATION_FIELDS} }
      userErrors { field message code }
    }
  }`,
);

export const BULK_RUN_MUTATION = operation<
  { bulkOperationRunMutation: { bulkOperation: BulkOperationNode | null; userErrors: BulkUserError[] } },
  { mutation: string; stagedUploadPath: string; clientIdentifier: string | null }
>(
  "BulkRunMutation",
  `mutation BulkRunMutation($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath, clientIdentifier: $clientIdentifier) {
      bulkOperation { ${BULK_OPERATION_FIELDS} }
      userErrors { field message code }
    }
  }`,
);

export const BULK_STAGED_UPLOAD = operation<
  {
    stagedUploadsCreate: {
      stagedTargets:
        { url: string; resourceUrl: string | null; parameters: { name: string; value: string }[] }[] | null;
      userErrors: { field: string[] | null; message: string }[];
    };
  },
  { filename: string }
>(
  "BulkStagedUpload",
  `mutation BulkStagedUpload($filename: String!) {
    stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: $filename, mimeType: "text/jsonl", httpMethod: POST }]) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }`,
);

export const BULK_OPERATION = operation<{ bulkOperation: BulkOperationNode | null }, { id: string }>(
  "BulkOperationRead",
  `query BulkOperationRead($id: ID!) {
    bulkOperation(id: $id) { ${BULK_OPERATION_FIELDS} }
  }`,
);
