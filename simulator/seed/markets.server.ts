import type { ShopState } from "../state/shop-state.server";
import { adjustedPrice } from "../resolvers/b2b-catalog-views.server";
import { createMarket } from "../resolvers/catalogs-markets.server";

/**
 * Deterministic markets for a seeded shop, each as a merchant sets one up in admin: a market
 * catalog named after it, ACTIVE, with a price list in the market's currency (a percentage up or
 * down, and a fixed price for a few variants) and a publication of every product that publishes
 * new ones too. The same count, random source and `now` give the same records and ids. No
 * webhooks are sent.
 */

const MARKETS = [
  { name: "Canada", currency: "CAD" },
  { name: "Europe", currency: "EUR" },
  { name: "United Kingdom", currency: "GBP" },
  { name: "Mexico", currency: "MXN" },
  { name: "Australia", currency: "AUD" },
  { name: "Japan", currency: "JPY" },
];

export function seedMarkets(shop: ShopState, count: number, random: () => number, now: Date): void {
  const variants = [...shop.variants.values()].sort((a, b) => a.id - b.id);
  for (let i = 0; i < count; i++) {
    const base = MARKETS[i % MARKETS.length]!;
    const name = i < MARKETS.length ? base.name : `${base.name} ${Math.floor(i / MARKETS.length) + 1}`;
    const increase = random() < 0.5;
    const adjustment = {
      type: increase ? ("PERCENTAGE_INCREASE" as const) : ("PERCENTAGE_DECREASE" as const),
      value: 5 + Math.floor(random() * 16),
    };
    const { market } = createMarket(shop, { name, currency: base.currency, adjustment }, now);
    const catalog = [...shop.catalogs.values()].find((c) => market && c.marketIds?.includes(market.id));
    const list = catalog?.priceListId == null ? undefined : shop.priceLists.get(catalog.priceListId);
    if (!list || variants.length === 0) continue;
    for (let f = 0, fixed = Math.floor(random() * 4); f < fixed; f++) {
      const variant = variants[Math.floor(random() * variants.length)]!;
      list.fixedPrices.set(variant.id, {
        price: adjustedPrice(variant.price, adjustment),
        compareAtPrice: null,
      });
    }
  }
}
