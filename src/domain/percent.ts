/**
 * Survey answers are percentages held exactly as integer thousandths of a percent
 * (42.1% → 42100), so means and shares of money can be computed without float error.
 */
export type MilliPercent = number;

export const MILLI_PERCENT_WHOLE = 100_000;

export function formatMilliPercent(value: MilliPercent, digits = 1): string {
  return `${(value / 1000).toFixed(digits)}%`;
}
