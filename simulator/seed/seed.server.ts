import type { ShopState } from "../state/shop-state.server";
import { seededRandom } from "../state/random.server";
import { seedB2b } from "./b2b.server";
import { seedCatalog } from "./catalog.server";
import { seedMarkets } from "./markets.server";
import { seedOrders } from "./orders.server";

/**
 * Deterministic store contents: the same preset (or sizes) and seed give the same shop, ids
 * included, so tests and benchmarks can name what they expect.
 */

export interface SeedSizes {
  locations: number;
  products: number;
  variantsPerProduct: number;
  customers: number;
  companies: number;
  orders: number;
  payouts: number;
  /** Markets, each with its market catalog, price list and publication (none when absent). */
  markets?: number;
}

export const PRESETS: Record<"empty" | "demo" | "large", SeedSizes> = {
  // A new shop still has its one location.
  empty: {
    locations: 1,
    products: 0,
    variantsPerProduct: 0,
    customers: 0,
    companies: 0,
    orders: 0,
    payouts: 0,
  },
  demo: {
    locations: 2,
    products: 24,
    variantsPerProduct: 3,
    customers: 20,
    companies: 3,
    orders: 30,
    payouts: 4,
    markets: 2,
  },
  large: {
    locations: 4,
    products: 2000,
    variantsPerProduct: 4,
    customers: 2000,
    companies: 50,
    orders: 5000,
    payouts: 60,
  },
};

export type Preset = keyof typeof PRESETS;

export function isPreset(value: unknown): value is Preset {
  return typeof value === "string" && value in PRESETS;
}

export function seedShop(shop: ShopState, sizes: SeedSizes, now: Date, seed = 1): void {
  const random = seededRandom(seed);
  seedCatalog(
    shop,
    { locations: sizes.locations, products: sizes.products, variantsPerProduct: sizes.variantsPerProduct },
    random,
    now,
  );
  seedOrders(shop, { customers: sizes.customers, orders: sizes.orders }, random, now);
  seedB2b(shop, { companies: sizes.companies, payouts: sizes.payouts }, random, now);
  // Last, so the ids of everything seeded before are those they had before markets existed.
  if (sizes.markets) seedMarkets(shop, sizes.markets, random, now);
}
