import type { RunningSimulator } from "./simulator";

/**
 * Talks to the simulated store as a merchant's storefront and admin would: GraphQL over HTTP
 * with an Admin API token, so the simulator's validation and semantics apply.
 */
export class Store {
  readonly simulator: RunningSimulator;
  readonly domain: string;
  readonly token: string;

  constructor(simulator: RunningSimulator, domain: string) {
    this.simulator = simulator;
    this.domain = domain;
    this.token = simulator.sim.issueToken(domain);
  }

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(
      `${this.simulator.url}/shops/${this.domain}/admin/api/2026-07/graphql.json`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": this.token },
        body: JSON.stringify({ query, variables }),
      },
    );
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join("; "));
    return body.data!;
  }

  /**
   * A product with one variant per SKU, stocked at the shop's first location: with nothing there
   * unless a variant says `onHand` (a storefront checkout cannot sell a DENY variant without it).
   */
  async product(
    title: string,
    variants: { sku: string; price: string; option?: string; barcode?: string; onHand?: number }[],
  ) {
    const stocked = variants.some((v) => v.onHand !== undefined);
    const locationId = stocked
      ? (
          await this.graphql<{ locations: { nodes: { id: string }[] } }>(
            `query TestFirstLocation { locations(first: 1) { nodes { id } } }`,
          )
        ).locations.nodes[0]?.id
      : undefined;
    const result = await this.graphql<{
      productSet: {
        product: { id: string; variants: { nodes: { id: string; sku: string }[] } } | null;
        userErrors: { message: string }[];
      };
    }>(
      `mutation TestProductSet($input: ProductSetInput!) {
        productSet(input: $input, synchronous: true) {
          product { id variants(first: 50) { nodes { id sku } } }
          userErrors { field message }
        }
      }`,
      {
        input: {
          title,
          status: "ACTIVE",
          productOptions: [{ name: "Size", values: variants.map((v, i) => ({ name: v.option ?? `S${i}` })) }],
          variants: variants.map((v, i) => ({
            optionValues: [{ optionName: "Size", name: v.option ?? `S${i}` }],
            price: v.price,
            barcode: v.barcode,
            inventoryItem: { sku: v.sku },
            ...(v.onHand !== undefined && locationId
              ? { inventoryQuantities: [{ locationId, name: "on_hand", quantity: v.onHand }] }
              : {}),
          })),
        },
      },
    );
    if (!result.productSet.product)
      throw new Error(result.productSet.userErrors.map((e) => e.message).join("; "));
    return result.productSet.product;
  }

  async placeOrder(options: {
    lines: { variantId: string; quantity: number; price?: string }[];
    email?: string;
    financialStatus?: "PAID" | "PENDING" | "AUTHORIZED";
    tags?: string[];
    shipping?: string;
  }) {
    const address = {
      firstName: "Ada",
      lastName: "Lovelace",
      address1: "1 Analytical Way",
      city: "London",
      zip: "N1 1AA",
      countryCode: "GB",
    };
    const result = await this.graphql<{
      orderCreate: { order: { id: string; name: string } | null; userErrors: { message: string }[] };
    }>(
      `mutation TestOrderCreate($order: OrderCreateOrderInput!) {
        orderCreate(order: $order) { order { id name } userErrors { field message } }
      }`,
      {
        order: {
          email: options.email ?? "ada@example.com",
          billingAddress: address,
          shippingAddress: address,
          lineItems: options.lines.map((line) => ({
            variantId: line.variantId,
            quantity: line.quantity,
            // The input's schema default is false; a storefront order of a physical product ships.
            requiresShipping: true,
            ...(line.price ? { priceSet: { shopMoney: { amount: line.price, currencyCode: "USD" } } } : {}),
          })),
          shippingLines: [
            {
              title: "Standard",
              code: "STD",
              priceSet: { shopMoney: { amount: options.shipping ?? "5.00", currencyCode: "USD" } },
            },
          ],
          financialStatus: options.financialStatus ?? "PAID",
          tags: options.tags ?? [],
        },
      },
    );
    if (!result.orderCreate.order)
      throw new Error(result.orderCreate.userErrors.map((e) => e.message).join("; "));
    return result.orderCreate.order;
  }

  async order(id: string) {
    return (
      await this.graphql<{
        order: {
          name: string;
          displayFulfillmentStatus: string;
          fulfillments: {
            id: string;
            trackingInfo: { company: string | null; number: string | null; url: string | null }[];
          }[];
        } | null;
      }>(
        `query TestOrder($id: ID!) {
          order(id: $id) { name displayFulfillmentStatus fulfillments(first: 10) { id trackingInfo(first: 5) { company number url } } }
        }`,
        { id },
      )
    ).order;
  }
}
