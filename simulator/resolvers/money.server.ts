/**
 * Money arithmetic in integer minor units (cents), so sums never drift: amounts as records keep
 * them (two-decimal strings) to cents and back, `Decimal` as responses show it, tax at a rate,
 * and splitting an amount in proportion. Orders, payouts, price lists and seeds use it alike.
 */

export function toCents(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const value = typeof amount === "number" ? amount : Number(amount);
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
}

/** Two-decimal string, as records keep money and the deprecated `Money` scalar shows it. */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * A `Decimal` amount as MoneyV2.amount serialises it: trailing zeros trimmed but one decimal
 * kept ("10.0", "10.5", "24.99"), as Shopify's responses show.
 */
export function decimal(amount: string | number): string {
  const fixed = fromCents(toCents(amount));
  return fixed.endsWith("0") ? fixed.slice(0, -1) : fixed;
}

/** Rounds half away from zero to a whole cent. */
export function roundCents(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** A decimal tax rate ("0.13", 0.2) as an exact fraction, so a tax rounds once. */
function rateFraction(rate: number | string): { num: number; den: number } {
  const text = typeof rate === "number" ? rate.toFixed(10) : rate.trim();
  const [whole = "0", fraction = ""] = text.split(".");
  const digits = fraction.replace(/0+$/, "");
  const den = 10 ** digits.length;
  return { num: Number(whole) * den + Number(digits || "0"), den };
}

/**
 * The tax at `rate` on `base` cents: added on top (base × rate), or, when prices include
 * taxes, the part of the base that is tax (base × rate / (1 + rate)).
 */
export function taxAt(base: number, rate: number | string, taxesIncluded: boolean): number {
  const { num, den } = rateFraction(rate);
  return roundCents((base * num) / (taxesIncluded ? den + num : den));
}

export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Splits an amount over weights in proportion, the last share taking the rounding remainder. */
export function allocate(amount: number, weights: number[]): number[] {
  const total = sumCents(weights);
  if (total <= 0) return weights.map((_, i) => (i === weights.length - 1 ? amount : 0));
  let left = amount;
  return weights.map((weight, i) => {
    if (i === weights.length - 1) return left;
    const share = Math.round((amount * weight) / total);
    left -= share;
    return share;
  });
}

/** A share of a line's amount for part of its quantity (removals scale discounts and taxes). */
export function scaled(cents: number, part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.round((cents * part) / whole);
}
