import type { MilliPercent } from './percent.js';

/**
 * One staff return converted as NEF's converting sheet does: each category's amount (or share of pay) is
 * normalised by the sum of them all, and the respondent's local share is Σ (category share × its % local).
 * Pure and exact: weights are integers (pence, or thousandths of a percent of pay), and the result is
 * rounded once, half up, to a thousandth of a percentage point (the precision a typed answer has).
 */
export interface SpendingLine {
  /** The amount in pence, or the share of pay in thousandths of a percent: one kind for a whole return. */
  weight: number;
  local: MilliPercent;
}

/** The respondent's local share; undefined when nothing was spent (no weight to normalise by). */
export function staffLocalShare(lines: readonly SpendingLine[]): MilliPercent | undefined {
  let total = 0n;
  let local = 0n;
  for (const line of lines) {
    total += BigInt(line.weight);
    local += BigInt(line.weight) * BigInt(line.local);
  }
  if (total <= 0n) return undefined;
  // Half up: (2·local + total) / (2·total), floored.
  return Number((2n * local + total) / (2n * total));
}
