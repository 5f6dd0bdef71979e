/**
 * What a sync reports when a Shopify record cannot be mapped to a back-office record with the
 * strategies the merchant chose (never guessed): the orders list shows it on the order, and a
 * person maps it or changes the settings. Retryable, since a mapping made meanwhile mends it.
 */
export type MappingKind = "customer" | "company" | "product" | "setting";

export class MappingError extends Error {
  /**
   * What is missing: a customer, a B2B order's business customer (its company location's), a
   * product's item, or a setting (gift card or tip item).
   */
  readonly kind: MappingKind;
  constructor(kind: MappingKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
