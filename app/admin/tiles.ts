import type { ShopStatus } from "../status/status.server";

/**
 * The home page's status tiles: what each counts, where its list is, and how loud it is when
 * not zero. Errors are critical; work that needs a person's decision is a warning; work that
 * usually flows on by itself (orders about to be processed, shipments about to be sent) asks
 * for attention. Zero is success. Plain data, shared by the page and the tests.
 */

export type TileKey = keyof ShopStatus;
export type TileSeverity = "critical" | "warning" | "attention";
export type TileTone = TileSeverity | "success";

export interface Tile {
  key: TileKey;
  label: string;
  href: string;
  severity: TileSeverity;
}

export const TILES: readonly Tile[] = [
  { key: "unprocessedOrders", label: "Unprocessed orders", href: "/app/orders", severity: "attention" },
  { key: "unmappedCustomers", label: "Unmapped customers", href: "/app/customers", severity: "warning" },
  { key: "unmappedCompanies", label: "Unmapped companies", href: "/app/companies", severity: "warning" },
  { key: "unmappedProducts", label: "Unmapped products", href: "/app/products", severity: "warning" },
  {
    key: "unprocessedShipments",
    label: "Unprocessed shipments",
    href: "/app/shipments",
    severity: "attention",
  },
  {
    key: "shipmentErrors",
    label: "Shipment errors",
    href: "/app/shipments?view=error",
    severity: "critical",
  },
  {
    key: "synchronizationErrors",
    label: "Synchronization errors",
    href: "/app/runs?status=failed",
    severity: "critical",
  },
  {
    key: "ordersChangedAfterProcessing",
    label: "Orders changed after processing",
    href: "/app/orders?view=changed",
    severity: "warning",
  },
];

export function tileTone(tile: Tile, count: number): TileTone {
  return count > 0 ? tile.severity : "success";
}

/** The count's text colour for a tone (Polaris Text has no "warning" or "attention"). */
export function textTone(tone: TileTone): "critical" | "caution" | "success" {
  return tone === "critical" ? "critical" : tone === "success" ? "success" : "caution";
}
