import { RecordError } from "../errors.server";

/**
 * Input the back office refuses (unknown customer, blocked item, over-shipping...). Terminal
 * for that record: retrying the same request cannot succeed, so a job that meets one outside
 * a record loop fails at once, and a record loop counts it as that record's failure. Whatever
 * raised it changed nothing.
 */
export class BackOfficeError extends RecordError {
  override name = "BackOfficeError";
}

/**
 * A second sales document for a Shopify order that already has one. Carries the existing
 * document so that callers making documents from Shopify orders can treat "already made" as
 * success.
 */
export class DuplicateDocumentError extends BackOfficeError {
  override name = "DuplicateDocumentError";
  readonly documentType: string;
  readonly documentNo: string;
  readonly shopifyOrderId: bigint;

  constructor(existing: { documentType: string; no: string; shopifyOrderId: bigint }) {
    super(
      `Shopify order ${existing.shopifyOrderId} already has sales ${existing.documentType} ${existing.no}`,
    );
    this.documentType = existing.documentType;
    this.documentNo = existing.no;
    this.shopifyOrderId = existing.shopifyOrderId;
  }
}

/**
 * A document that may not be posted now: on hold (its Shopify order was cancelled or changed
 * since it was made) or closed. Carries the hold's code, so batch posting can count it as
 * skipped with its reason rather than as a failure.
 */
export class PostingHeldError extends BackOfficeError {
  override name = "PostingHeldError";
  /** CANCELLED, CHANGED, or CLOSED for a closed document. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
