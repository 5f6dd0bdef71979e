import prisma from "../db.server";
import { TerminalError } from "../errors.server";
import { log } from "../log.server";
import { API_VERSION_STRING } from "./api-version.server";
import { shopUrl } from "./endpoint.server";
import { budgetFor, type Reservation, type ShopCostBudget, type ThrottleStatus } from "./budget.server";

/**
 * The workers' Admin GraphQL client: one named operation per call, paced by the shop's cost
 * budget (shared by every process, in Postgres), retried on THROTTLED, 429, 5xx and network errors with backoff, and
 * stopped at once on answers a retry cannot change (401/402/403/404/423, invalid queries).
 */

export { operation, type Operation } from "./operation.server";
import { checkLargest, type Operation } from "./operation.server";

export class AdminApiError extends Error {
  override name = "AdminApiError";
  /** HTTP status when the failure was an HTTP one; read by the job error policy. */
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, options: { status?: number; code?: string } = {}) {
    super(message);
    this.status = options.status;
    this.code = options.code;
  }
}

export interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[] | string;
  extensions?: { cost?: Cost };
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  budget?: ShopCostBudget;
  maxAttempts?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called with every response's cost (benchmarks and run counts use it). */
  /** Each answered request's cost, with the operation's name and whether it was a mutation. */
  onCost?: (operation: string, cost: Cost, kind: "query" | "mutation") => void;
}

const RETRYABLE_GRAPHQL_CODES = new Set([
  "THROTTLED",
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
  "TIMEOUT",
]);

export class AdminClient {
  readonly shop: string;
  private readonly options: AdminClientOptions;
  private readonly budget: ShopCostBudget;

  constructor(options: AdminClientOptions) {
    this.shop = options.shop;
    this.options = options;
    this.budget = options.budget ?? budgetFor(options.shop);
  }

  async request<TData, TVariables>(op: Operation<TData, TVariables>, variables?: TVariables): Promise<TData> {
    checkLargest(op, variables);
    const maxAttempts = this.options.maxAttempts ?? 6;
    const doFetch = this.options.fetch ?? fetch;
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const url = shopUrl(this.shop, `/admin/api/${API_VERSION_STRING}/graphql.json`);
    let lastError: AdminApiError | undefined;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        const backoff = Math.min(30_000, 500 * 2 ** (attempt - 2)) * (0.75 + Math.random() * 0.5);
        await sleep(
          lastError?.code === "THROTTLED"
            ? Math.max(backoff / 2, this.budget.waitFor(this.budget.expectedCost(op.name)))
            : backoff,
        );
      }
      const reservation = await this.budget.reserve(this.budget.expectedCost(op.name));
      const outcome = await this.attempt(op, variables, url, doFetch, reservation);
      if ("data" in outcome) return outcome.data;
      lastError = outcome.retry;
      if (outcome.waitMs) await sleep(outcome.waitMs);
    }
    log.warn({ shop: this.shop, operation: op.name, error: lastError?.message }, "Shopify request gave up");
    throw lastError ?? new AdminApiError(`${op.name}: no answer from Shopify`);
  }

  /**
   * One request. Returns the data, or the error to retry on (and how long Shopify asked us to
   * wait); throws what a retry cannot change. The reservation always ends here.
   */
  private async attempt<TData, TVariables>(
    op: Operation<TData, TVariables>,
    variables: TVariables | undefined,
    url: string,
    doFetch: typeof fetch,
    reservation: Reservation,
  ): Promise<{ data: TData } | { retry: AdminApiError; waitMs?: number }> {
    let settled = false;
    const settle = async (cost?: Cost) => {
      settled = true;
      await this.budget.settle(
        reservation,
        op.name,
        cost?.requestedQueryCost ?? null,
        cost?.throttleStatus ?? null,
      );
    };
    try {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": this.options.accessToken },
          body: JSON.stringify({ query: op.query, variables: variables ?? {}, operationName: op.name }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        return { retry: new AdminApiError(`network error calling Shopify: ${(error as Error).message}`) };
      }
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get("retry-after") ?? "2");
        return {
          retry: new AdminApiError("Shopify answered 429 Too Many Requests", { status: 429 }),
          waitMs: Math.max(0, retryAfter * 1000),
        };
      }
      if (response.status >= 500) {
        return {
          retry: new AdminApiError(`Shopify answered ${response.status}`, { status: response.status }),
        };
      }
      const body = (await response.json().catch(() => ({}))) as GraphQLResponse<TData>;
      if (!response.ok) {
        const detail = typeof body.errors === "string" ? body.errors : response.statusText;
        throw new AdminApiError(`Shopify answered ${response.status}: ${detail}`, {
          status: response.status,
        });
      }
      const cost = body.extensions?.cost;
      await settle(cost);
      if (cost) this.options.onCost?.(op.name, cost, /^\s*mutation\b/.test(op.query) ? "mutation" : "query");
      const errors = Array.isArray(body.errors) ? body.errors : [];
      if (errors.length > 0) {
        const code = errors[0]?.extensions?.code;
        const message = `${op.name}: ${errors.map((e) => e.message).join("; ")}`;
        if (code && RETRYABLE_GRAPHQL_CODES.has(code)) return { retry: new AdminApiError(message, { code }) };
        const status = code === "ACCESS_DENIED" ? 403 : undefined;
        throw new AdminApiError(message, { code, status });
      }
      if (!body.data) throw new AdminApiError(`${op.name}: Shopify returned no data`);
      return { data: body.data };
    } finally {
      if (!settled) await settle();
    }
  }
}

/** The client for a shop's offline session; a shop without one cannot be synced. */
export async function adminClientFor(
  shop: string,
  options: Partial<AdminClientOptions> = {},
): Promise<AdminClient> {
  const session = await prisma.session.findUnique({ where: { id: `offline_${shop}` } });
  if (!session?.accessToken) throw new TerminalError(`no offline session for ${shop}: reinstall the app`);
  return new AdminClient({ shop, accessToken: session.accessToken, ...options });
}
