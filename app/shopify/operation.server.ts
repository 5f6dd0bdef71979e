/**
 * A named GraphQL operation of the app, typed by what it returns and takes. Every operation
 * constant is validated against Shopify's schema and priced in test/contract.
 */
export interface Operation<TData, TVariables = Record<string, unknown>> {
  /** The operation's name, unique in the app (also the key the limiter learns costs by). */
  name: string;
  query: string;
  /**
   * The largest value each of its size variables is ever given: a page size (`first`, or a
   * nested connection's), the number of `ids`. The contract test prices the operation at these
   * and requires one for every Int and list variable; the client refuses a request above them.
   */
  readonly largest?: Largest<TVariables>;
  /** Phantom fields carrying the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

/** What an operation returns: `const page: DataOf<typeof ORDERS_PAGE> = ...`. */
export type DataOf<T> = T extends Operation<infer TData, unknown> ? TData : never;

/** For each size variable, its largest value (for a list: its largest length). */
export type Largest<TVariables> = { readonly [K in keyof TVariables]?: number };

export function operation<TData, TVariables = Record<string, unknown>>(
  name: string,
  query: string,
  options: { largest?: Largest<TVariables> } = {},
): Operation<TData, TVariables> {
  if (!new RegExp(`\\b(query|mutation)\\s+${name}\\b`).test(query)) {
    throw new Error(`operation ${name}: its query must be named ${name}`);
  }
  return { name, query, largest: options.largest ?? {} };
}

/**
 * Refuses variables above what the operation declares as its largest (a programming error: the
 * operation was priced at its declared size, and a bigger page could pass Shopify's 1,000-point
 * limit for a single query).
 */
export function checkLargest<TVariables>(
  op: Operation<unknown, TVariables>,
  variables: TVariables | undefined,
) {
  for (const [key, largest] of Object.entries<number | undefined>(op.largest ?? {})) {
    const value = (variables as Record<string, unknown> | undefined)?.[key];
    const size = Array.isArray(value) ? value.length : typeof value === "number" ? value : undefined;
    if (largest !== undefined && size !== undefined && size > largest)
      throw new Error(
        `${op.name}: $${key} is ${size}, above the largest the operation declares (${largest})`,
      );
  }
}
