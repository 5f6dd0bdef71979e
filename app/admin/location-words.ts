/**
 * The Locations page's choices in words: plain data, so the page's browser code can import it
 * (a `.server` module cannot reach the browser).
 */

export const STOCK_CALCULATIONS = ["off", "back_office"] as const;
export type StockCalculation = (typeof STOCK_CALCULATIONS)[number];

export const STOCK_CALCULATION_WORDS: Record<StockCalculation, string> = {
  off: "Off: the inventory sync leaves it alone",
  back_office: "From the back office: on hand of the locations that feed it",
};
