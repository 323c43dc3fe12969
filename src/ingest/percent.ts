/**
 * Survey answers are percentages held exactly as integer thousandths of a percent
 * (42.1% → 42100), so means and shares of money can be computed without float error.
 */
export type MilliPercent = number;

export const MILLI_PERCENT_WHOLE = 100_000;

/** `42.1`, `42.1%`, ` 63 % ` → 42100; anything outside 0–100 or with more than 3 decimals → null. */
export function parsePercent(text: string): MilliPercent | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,3}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return value <= MILLI_PERCENT_WHOLE ? value : null;
}

export function formatMilliPercent(value: MilliPercent, digits = 1): string {
  return `${(value / 1000).toFixed(digits)}%`;
}
