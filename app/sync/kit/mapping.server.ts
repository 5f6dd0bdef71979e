/**
 * What a sync reports when a Shopify record cannot be mapped to a back-office record with the
 * strategies the merchant chose (never guessed): the orders list shows it on the order, and a
 * person maps it or changes the settings. Retryable, since a mapping made meanwhile mends it.
 */
export class MappingError extends Error {
  /** What is missing: a customer, a product's item, or a setting (gift card or tip item). */
  readonly kind: "customer" | "product" | "setting";
  constructor(kind: "customer" | "product" | "setting", message: string) {
    super(message);
    this.kind = kind;
  }
}
