import { formatMilliPercent } from '../ingest/percent.js';
import type { Headlines, Support, UnsupportedReason } from '../measures/headlines.js';
import type { Leakage } from '../measures/leakage.js';
import type { Lm3 } from '../measures/lm3.js';
import { formatPounds, formatShare } from '../money.js';

/**
 * How each headline is worded, in one place for the terminal, the workbook and the steps: a supported
 * headline is stated as a figure; an unsupported one only as the range the unknowns allow, with why.
 */

const REASON_WORDS: Record<UnsupportedReason, (h: Headlines) => string> = {
  SPEND_UNLOCATED: (h) => `only ${formatShare(h.coverage.spendLocatedShare)} of spend is located (${formatMilliPercent(h.coverage.threshold, 0)} needed)`,
  STAFF_UNLOCATED: (h) => `only ${h.coverage.staffLocated} of ${h.coverage.staff} staff are placed by home postcode (${formatMilliPercent(h.coverage.threshold, 0)} needed)`,
  ROUND1_ZERO: () => 'Round 1 is not above £0',
};

/** `not a finding: only 12.0% of spend is located (80% needed)`. */
export function whyNot(support: Support, headlines: Headlines): string {
  return `not a finding: ${support.reasons.map((r) => REASON_WORDS[r](headlines)).join('; ')}`;
}

export function scoreValue(score: number | undefined): string {
  return score === undefined ? 'none' : score.toFixed(2);
}

/** The score as a reader may quote it: `1.99`, or `1.00–2.00` when only a range is supported. */
export function lm3Headline(lm3: Pick<Lm3, 'score' | 'scoreLow' | 'scoreHigh'>, support: Support): string {
  if (lm3.score === undefined) return 'none';
  return support.supported ? scoreValue(lm3.score) : `${scoreValue(lm3.scoreLow)}–${scoreValue(lm3.scoreHigh)}`;
}

/** The note beside the score. */
export function lm3Note(lm3: Lm3, support: Support, headlines: Headlines): string {
  if (lm3.score === undefined) return 'no score: Round 1 is not above £0';
  const range = `range ${scoreValue(lm3.scoreLow)}–${scoreValue(lm3.scoreHigh)}`;
  const estimated = lm3.round3Basis === 'assumed' ? '; R3 estimated' : lm3.round3Basis === 'none' ? '; R3 not traced' : '';
  if (!support.supported) return `${whyNot(support, headlines)}; the range is what the unknowns allow${estimated}`;
  return `${range}; ${furtherPence(lm3.score)}${estimated}`;
}

/** `each £1 generates a further 99p locally`. Only for a supported score. */
export function furtherPence(score: number): string {
  return `each £1 generates a further ${Math.round((score - 1) * 100)}p locally`;
}

/** `52.2%`, or `0.0%–100.0%` when the share is not a finding. */
export function localShareHeadline(local: Headlines['localShare']): string {
  return local.supported ? formatShare(local.value) : `${formatShare(local.low)}–${formatShare(local.high)}`;
}

/** `£382,869.33`, or `£0.00–£15,901,508.75` when leakage is not a finding. */
export function leakageHeadline(leakage: Leakage, support: Support): string {
  return support.supported ? formatPounds(leakage.total) : `${formatPounds(leakage.total)}–${formatPounds(leakage.high)}`;
}

export function leakageNote(leakage: Leakage, support: Support, headlines: Headlines): string {
  if (!support.supported) return `${formatShare(leakage.share)}–${formatShare(leakage.highShare)} of R1; ${whyNot(support, headlines)}`;
  const unknown = leakage.high > leakage.total ? `; up to ${formatShare(leakage.highShare)} if every unknown location is outside` : '';
  return `${formatShare(leakage.share)} of R1 known to leave the area${unknown}`;
}

/** R2 / R1 beside Round 2: a share, or the range when the score is not a finding. */
export function round2Note(lm3: Lm3, support: Support): string {
  if (support.supported) return `${formatShare(lm3.round2Share)} of R1 spent locally`;
  return `${formatShare(lm3.round2Share)}–${formatShare(lm3.round1 === 0 ? 0 : lm3.high.round2 / lm3.round1)} of R1 spent locally (unknown locations counted as local at the high end)`;
}
