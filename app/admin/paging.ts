import { z } from "zod";

/**
 * Paging of the tile lists (orders, products, customers, shipments): `?page=N`, 50 rows a page,
 * the count above the list always the full one. Shared by the services (which rows) and the
 * pages (the Previous/Next buttons), so it has no server-only imports.
 */

export const LIST_PAGE_SIZE = 50;

/** `?page=`: a whole number from 1; absent means the first page. */
export const pageParam = z.coerce
  .number({ message: "page must be a number" })
  .int("page must be a whole number")
  .min(1, "pages start at 1")
  .max(100_000, "no list has that many pages")
  .default(1);

export interface Paging {
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The rows of a requested page of a list of `total` rows. A page past the end (the list got
 * shorter since the link was made) shows the last page rather than nothing.
 */
export function pageWindow(requested: number, total: number, pageSize = LIST_PAGE_SIZE) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requested), last);
  return { paging: { page, pageSize, total }, skip: (page - 1) * pageSize, take: pageSize };
}

/** A list page's link that keeps the page the merchant is on (`page` 1 is the default). */
export function withPage(url: string, page: number): string {
  if (page <= 1) return url;
  return `${url}${url.includes("?") ? "&" : "?"}page=${page}`;
}
