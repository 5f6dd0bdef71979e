/**
 * Queue names and job keys. Each shop gets one queue per job category: graphile-worker runs
 * the jobs of one queue one at a time, so tasks that share a category never overlap for a
 * shop, while different shops (and different categories) run side by side.
 */

/** The category of a task defined without one (tests' probe tasks); every manifest names its own. */
export const DEFAULT_CATEGORY = "sync";

/** Jobs that are not per shop (the schedule tick, maintenance). */
export const SYSTEM_QUEUE = "system";

export function queueName(shopDomain: string, category: string): string {
  return `shop:${shopDomain}:${category}`;
}

export function queuePrefix(shopDomain: string): string {
  return `shop:${shopDomain}:`;
}

export function jobKey(task: string, shopDomain: string, id?: string): string {
  return id ? `${task}:${shopDomain}:${id}` : `${task}:${shopDomain}`;
}
