/**
 * A named GraphQL operation of the app, typed by what it returns and takes. Every operation
 * constant is validated against Shopify's schema and priced in test/contract.
 */
export interface Operation<TData, TVariables = Record<string, unknown>> {
  /** The operation's name, unique in the app (also the key the limiter learns costs by). */
  name: string;
  query: string;
  /** Phantom fields carrying the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

/** What an operation returns: `const page: DataOf<typeof ORDERS_PAGE> = ...`. */
export type DataOf<T> = T extends Operation<infer TData, unknown> ? TData : never;

export function operation<TData, TVariables = Record<string, unknown>>(
  name: string,
  query: string,
): Operation<TData, TVariables> {
  if (!new RegExp(`\\b(query|mutation)\\s+${name}\\b`).test(query)) {
    throw new Error(`operation ${name}: its query must be named ${name}`);
  }
  return { name, query };
}
