import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { Simulator } from "../simulator.server";
import type { ShopState } from "../state/shop-state.server";
import { contextFor } from "../resolvers/local-execute.server";
import {
  DISPUTE_REASONS,
  DisputeInputError,
  openDispute,
  settlePayments,
  updateDispute,
} from "../resolvers/payments-ledger.server";
import { HttpError, jsonBody, type RoutedRequest } from "./server.server";

type Send = (response: ServerResponse, status: number, body: unknown) => void;

const disputeBody = z
  .object({
    orderId: z.union([z.string(), z.number()]),
    amount: z.union([z.string(), z.number()]).optional(),
    reason: z.enum(DISPUTE_REASONS as [string, ...string[]]).optional(),
    type: z.enum(["CHARGEBACK", "INQUIRY"]).optional(),
    networkReasonCode: z.string().optional(),
  })
  .strict();

const disputeUpdate = z
  .object({
    status: z.enum([
      "NEEDS_RESPONSE",
      "UNDER_REVIEW",
      "ACCEPTED",
      "WON",
      "LOST",
      "CHARGE_REFUNDED",
      "PREVENTED",
    ]),
  })
  .strict();

/**
 * Shopify Payments behind the app's back (payments-ledger.server.ts):
 * - `POST /_sim/shops/<shop>/payments/settle`: the ledger follows the orders up to now (it also
 *   does before every read); answers what it recorded, issued and paid.
 * - `POST …/disputes` `{orderId, amount?, reason?, type?, networkReasonCode?}`: a cardholder
 *   disputes the order's charge (201 with the dispute; 422 when the order has none).
 * - `POST …/disputes/<id>` `{status}`: the dispute moves on (disputes/update).
 * Returns false when the path is not one of these.
 */
export function paymentsControlRoute(
  sim: Simulator,
  domain: string,
  shop: ShopState,
  request: RoutedRequest,
  response: ServerResponse,
  send: Send,
): boolean {
  const [resource, ref, ...extra] = request.path.split("/").filter(Boolean).slice(3);
  if (request.method !== "POST" || extra.length > 0) return false;
  if (resource === "payments" && ref === "settle") {
    send(response, 200, settlePayments(shop, sim.clock.now()));
    return true;
  }
  if (resource !== "disputes") return false;
  try {
    const dispute = ref
      ? updateDispute(shop, Number(ref), jsonBody(disputeUpdate, request), contextFor(sim, domain))
      : openDispute(shop, jsonBody(disputeBody, request), contextFor(sim, domain));
    send(response, ref ? 200 : 201, { dispute });
  } catch (error) {
    if (error instanceof DisputeInputError)
      throw new HttpError(/does not exist/.test(error.message) ? 404 : 422, { error: error.message });
    throw error;
  }
  return true;
}
