/**
 * The inventory levels' states as the Inventory page shows and filters them. Shared by the
 * service and the page (the browser's bundle), so it has no server-only imports.
 */

export const LEVEL_STATES = ["pending", "synced", "error", "skipped"] as const;
export type LevelState = (typeof LEVEL_STATES)[number];

/** A level's state as the merchant reads it (the badge). */
export const LEVEL_STATE_WORDS: Record<LevelState, string> = {
  pending: "Waiting",
  synced: "In sync",
  error: "Error",
  skipped: "Skipped",
};

/** The list's state filter: every level, or those in one state. */
export const LEVEL_VIEWS = ["any", "error", "pending", "skipped", "synced"] as const;
export type LevelView = (typeof LEVEL_VIEWS)[number];
