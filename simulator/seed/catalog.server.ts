import type { Address, MediaRecord, ProductRecord } from "../state/records.server";
import type { ShopState } from "../state/shop-state.server";
import {
  createInventoryItem,
  newOption,
  stockAt,
  slugify,
  variantTitle,
} from "../resolvers/catalog-store.server";
import { cdnPath } from "../resolvers/media-images.server";

/** Side of the seed's product pictures, in pixels (PNGs the simulator draws when fetched). */
const SEED_IMAGE_SIZE = 256;

/**
 * Deterministic catalog: warehouse-like locations, products with Size (and Color) options,
 * variants with unique SKUs (SKU-0001-S, SKU-0001-M-BLK) and valid EAN-13 barcodes, and stock
 * at every location. The same sizes, random source and clock give the same records and ids.
 * Seeding sends no webhooks.
 */

export interface CatalogSizes {
  locations: number;
  products: number;
  variantsPerProduct: number;
}

const WAREHOUSES: { name: string; address: Address }[] = [
  {
    name: "Main Warehouse",
    address: {
      address1: "1200 Commerce Way",
      city: "Columbus",
      province: "Ohio",
      provinceCode: "OH",
      zip: "43219",
      country: "United States",
      countryCode: "US",
      phone: "+16145550100",
    },
  },
  {
    name: "East Coast Fulfillment Center",
    address: {
      address1: "45 Harbor Logistics Park",
      city: "Edison",
      province: "New Jersey",
      provinceCode: "NJ",
      zip: "08817",
      country: "United States",
      countryCode: "US",
      phone: "+17325550142",
    },
  },
  {
    name: "West Coast Distribution Center",
    address: {
      address1: "8800 Industrial Pkwy",
      city: "Ontario",
      province: "California",
      provinceCode: "CA",
      zip: "91761",
      country: "United States",
      countryCode: "US",
      phone: "+19095550177",
    },
  },
  {
    name: "Dallas Returns Hub",
    address: {
      address1: "310 Freight Ln",
      city: "Dallas",
      province: "Texas",
      provinceCode: "TX",
      zip: "75241",
      country: "United States",
      countryCode: "US",
      phone: "+12145550163",
    },
  },
  {
    name: "Toronto Depot",
    address: {
      address1: "75 Export Blvd",
      city: "Mississauga",
      province: "Ontario",
      provinceCode: "ON",
      zip: "L5S 1Y9",
      country: "Canada",
      countryCode: "CA",
      phone: "+19055550119",
    },
  },
  {
    name: "Rotterdam EU Warehouse",
    address: {
      address1: "Waalhaven Oostzijde 1",
      city: "Rotterdam",
      province: null,
      provinceCode: null,
      zip: "3087 BM",
      country: "Netherlands",
      countryCode: "NL",
      phone: "+31105550123",
    },
  },
];

const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Heritage",
  "Alpine",
  "Coastal",
  "Urban",
  "Vintage",
  "Essential",
  "Trail",
  "Studio",
  "Summit",
  "Harbor",
];
const MATERIALS = ["Cotton", "Merino", "Linen", "Canvas", "Fleece", "Denim", "Leather", "Bamboo"];
const ITEMS: { noun: string; type: string; tags: string[] }[] = [
  { noun: "T-Shirt", type: "Shirts", tags: ["tops", "basics"] },
  { noun: "Hoodie", type: "Sweatshirts", tags: ["tops", "layering"] },
  { noun: "Beanie", type: "Hats", tags: ["accessories", "winter"] },
  { noun: "Tote Bag", type: "Bags", tags: ["accessories"] },
  { noun: "Socks", type: "Socks", tags: ["basics"] },
  { noun: "Jacket", type: "Outerwear", tags: ["layering", "winter"] },
  { noun: "Shorts", type: "Bottoms", tags: ["summer"] },
  { noun: "Overshirt", type: "Shirts", tags: ["tops", "layering"] },
];
const VENDORS = [
  "Northwind Apparel",
  "Acme Outfitters",
  "Blue Harbor Co.",
  "Granite & Pine",
  "Fieldhouse Goods",
];
const SIZES = ["S", "M", "L", "XL", "XXL", "3XL"];
const COLORS: [string, string][] = [
  ["Black", "BLK"],
  ["White", "WHT"],
  ["Navy", "NVY"],
  ["Red", "RED"],
  ["Olive", "OLV"],
  ["Grey", "GRY"],
];

const DAY_MS = 86_400_000;

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

/** EAN-13: 12 digits and a check digit (weights 1,3,1,3… from the left). */
export function ean13(body: string): string {
  const digits = body.padStart(12, "0").slice(-12);
  const sum = [...digits].reduce(
    (total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3),
    0,
  );
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

/** Prices ending in .99 between about 9.99 and 149.99. */
function price(random: () => number): string {
  return (Math.floor(9 + random() * 140) + 0.99).toFixed(2);
}

/** The option combinations of n variants: sizes first, then sizes × colors. */
function combinations(count: number): {
  options: [string, string[]][];
  rows: { values: string[]; suffix: string }[];
} {
  if (count <= 1)
    return { options: [["Title", ["Default Title"]]], rows: [{ values: ["Default Title"], suffix: "" }] };
  if (count <= SIZES.length) {
    const sizes = SIZES.slice(0, count);
    return {
      options: [["Size", sizes]],
      rows: sizes.map((size) => ({ values: [size], suffix: `-${size}` })),
    };
  }
  const rows: { values: string[]; suffix: string }[] = [];
  for (const [color, code] of COLORS) {
    for (const size of SIZES) {
      if (rows.length < count) rows.push({ values: [size, color], suffix: `-${size}-${code}` });
    }
  }
  const used = (index: number) => [...new Set(rows.map((row) => row.values[index]!))];
  return {
    options: [
      ["Size", used(0)],
      ["Color", used(1)],
    ],
    rows,
  };
}

/** Tops the shop up to `count` locations (a new shop already has its primary one). */
function seedLocations(shop: ShopState, count: number, now: Date): number[] {
  const ids: number[] = [...shop.locations.keys()].slice(0, count);
  for (let i = ids.length; i < count; i++) {
    const template = WAREHOUSES[i % WAREHOUSES.length]!;
    const round = Math.floor(i / WAREHOUSES.length);
    const id = shop.newId();
    // Locations predate the products seeded over the last 180 days.
    const createdAt = new Date(now.getTime() - 365 * DAY_MS);
    shop.locations.set(id, {
      id,
      name: round === 0 ? template.name : `${template.name} ${round + 1}`,
      address: { ...template.address },
      isActive: true,
      fulfillsOnlineOrders: true,
      createdAt,
      updatedAt: createdAt,
    });
    ids.push(id);
  }
  return ids;
}

export function seedCatalog(shop: ShopState, sizes: CatalogSizes, random: () => number, now: Date): void {
  const locationIds = seedLocations(shop, sizes.locations, now);
  const barcodeBase = 2_000_000_000_00;
  let barcodeCounter = shop.products.size * 100;
  const { options: optionShape, rows } = combinations(sizes.variantsPerProduct);
  // The handles taken, kept here so a large seed does not scan every product per handle (the
  // same choice as uniqueHandle: the title's slug, else slug-1, slug-2…).
  const handles = new Set<string>();
  for (const product of shop.products.values()) handles.add(product.handle);
  const nextSuffix = new Map<string, number>();
  const freeHandle = (base: string): string => {
    if (!handles.has(base)) return base;
    for (let n = nextSuffix.get(base) ?? 1; ; n++) {
      if (!handles.has(`${base}-${n}`)) {
        nextSuffix.set(base, n + 1);
        return `${base}-${n}`;
      }
    }
  };

  for (let p = 0; p < sizes.products; p++) {
    const number = String(shop.products.size + 1).padStart(4, "0");
    const item = pick(ITEMS, random);
    const title = `${pick(ADJECTIVES, random)} ${pick(MATERIALS, random)} ${item.noun}`;
    const createdAt = new Date(now.getTime() - Math.floor(random() * 180 * DAY_MS));
    const updatedAt = new Date(
      Math.min(now.getTime(), createdAt.getTime() + Math.floor(random() * 30 * DAY_MS)),
    );
    const roll = random();
    const status: ProductRecord["status"] = roll < 0.85 ? "ACTIVE" : roll < 0.95 ? "DRAFT" : "ARCHIVED";
    const handle = freeHandle(slugify(title));
    handles.add(handle);
    const product: ProductRecord = {
      id: shop.newId(),
      title,
      handle,
      descriptionHtml: `<p>The ${title.toLowerCase()}, made to last.</p>`,
      vendor: pick(VENDORS, random),
      productType: item.type,
      status,
      tags: [...item.tags].sort(),
      options: optionShape.map(([name, values]) => newOption(shop, name, values)),
      variantIds: [],
      mediaIds: [],
      publishedAt: status === "ACTIVE" ? createdAt : null,
      createdAt,
      updatedAt,
    };
    shop.products.set(product.id, product);

    // A picture the simulator draws when fetched: a plain colour of its own per product.
    const shade = Number(number) * 47;
    const media: MediaRecord = {
      id: shop.newId(),
      productId: product.id,
      alt: title,
      url: "",
      filename: `${handle}.png`,
      mimeType: "image/png",
      width: SEED_IMAGE_SIZE,
      height: SEED_IMAGE_SIZE,
      status: "READY",
      errors: [],
      generated: { rgb: [shade % 256, (shade * 3) % 256, (shade * 7) % 256] },
      version: Math.floor(createdAt.getTime() / 1000),
      createdAt,
      updatedAt: createdAt,
    };
    media.url = cdnPath(shop, media);
    media.source = media.url;
    shop.media.set(media.id, media);
    product.mediaIds.push(media.id);

    const basePrice = price(random);
    const onSale = random() < 0.2;
    rows.forEach((row, index) => {
      const variantId = shop.newId();
      const sku = `SKU-${number}${row.suffix}`;
      const item = createInventoryItem(
        shop,
        variantId,
        { sku, cost: (Number(basePrice) * 0.45).toFixed(2) },
        createdAt,
      );
      item.updatedAt = updatedAt;
      const selectedOptions = product.options.map((option, o) => ({
        name: option.name,
        value: row.values[o]!,
      }));
      shop.variants.set(variantId, {
        id: variantId,
        productId: product.id,
        title: variantTitle(selectedOptions),
        sku,
        barcode: ean13(String(barcodeBase + ++barcodeCounter)),
        price: basePrice,
        compareAtPrice: onSale ? (Math.floor(Number(basePrice) * 1.25) + 0.99).toFixed(2) : null,
        position: index + 1,
        selectedOptions,
        inventoryItemId: item.id,
        mediaId: index === 0 ? media.id : null,
        taxable: true,
        inventoryPolicy: "DENY",
        createdAt,
        updatedAt,
      });
      product.variantIds.push(variantId);
      for (const locationId of locationIds) {
        const level = stockAt(shop, item.id, locationId, createdAt);
        const available = Math.floor(random() * 60);
        level.quantities.available = available;
        level.quantities.on_hand = available;
        level.quantities.incoming = random() < 0.1 ? 24 : 0;
        level.updatedAt = updatedAt;
      }
    });
  }
}
