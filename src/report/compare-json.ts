import type { Comparison } from '../compare/compare.js';

/**
 * `compare --json`: the comparison as data (codes and numbers, no sentences), this year first in every list of
 * years. Money in pounds, exact from pence; shares as fractions 0–1; a change is this year less last year.
 */
export function comparisonJson(comparison: Comparison, report: string | null) {
  return { schemaVersion: 1 as const, ...comparison, report };
}
