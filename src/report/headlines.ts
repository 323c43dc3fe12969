import { formatMilliPercent } from '../domain/percent.js';
import type { Headlines, Support, UnsupportedReason } from '../measures/headlines.js';
import type { PublishedPay } from '../disclosure/disclose.js';
import type { Lm3 } from '../measures/lm3.js';
import { formatPounds, formatShare } from '../money.js';

/**
 * How each headline is worded, in one place for the terminal, the workbook and the steps: a supported
 * headline is stated as a figure; an unsupported one only as the range the unknowns allow, with why.
 */

const REASON_WORDS: Record<UnsupportedReason, (h: Headlines) => string> = {
  SPEND_UNLOCATED: (h) => `only ${formatShare(h.coverage.spendLocatedShare)} of spend is located (${formatMilliPercent(h.coverage.threshold, 0)} needed)`,
  STAFF_BELOW_COVERAGE: (h) => `only ${h.coverage.staffLocated} of ${h.coverage.staff} staff are placed by home postcode (${formatMilliPercent(h.coverage.threshold, 0)} needed)`,
  ROUND1_ZERO: () => 'Round 1 is not above £0',
  SPENT_BEYOND_INCOME: () => 'more left the area than the income given as Round 1',
};

/** `not a finding: only 12.0% of spend is located (80% needed)`. */
export function whyNot(support: Support, headlines: Headlines): string {
  return `not a finding: ${support.reasons.map((r) => REASON_WORDS[r](headlines)).join('; ')}`;
}

export function scoreValue(score: number | null | undefined): string {
  return score === undefined || score === null ? 'none' : score.toFixed(2);
}

type PublishedLm3 = PublishedPay['lm3'];
type PublishedLeakage = PublishedPay['leakage'];
const WITHHELD = 'withheld';

/** The score as a reader may quote it: `1.99`, or `1.00–2.00` when only a range is supported. */
export function lm3Headline(lm3: Pick<Lm3, 'score'>, shown: PublishedLm3, support: Support): string {
  if (lm3.score === undefined) return 'none';
  if (shown.score === null) return WITHHELD;
  return support.supported ? scoreValue(shown.score) : `${scoreValue(shown.scoreLow)}–${scoreValue(shown.scoreHigh)}`;
}

/** The note beside the score. */
export function lm3Note(lm3: Pick<Lm3, 'score' | 'round3Basis'>, shown: PublishedLm3, support: Support, headlines: Headlines): string {
  if (lm3.score === undefined) return 'no score: Round 1 is not above £0';
  if (shown.score === null) return 'withheld to keep staff pay private';
  const range = `range ${scoreValue(shown.scoreLow)}–${scoreValue(shown.scoreHigh)}`;
  const estimated = lm3.round3Basis === 'assumed' ? '; R3 estimated' : lm3.round3Basis === 'none' ? '; R3 not traced' : '';
  if (!support.supported) return `${whyNot(support, headlines)}; the range is what the unknowns allow${estimated}`;
  return `${range}; ${furtherPence(shown.score)}${estimated}`;
}

/** `each £1 generates a further 99p locally`. Only for a supported score. */
export function furtherPence(score: number): string {
  return `each £1 generates a further ${Math.round((score - 1) * 100)}p locally`;
}

/** `52.2%`, or `0.0%–100.0%` when the share is not a finding. */
export function localShareHeadline(local: Headlines['localShare']): string {
  return local.supported ? formatShare(local.low) : `${formatShare(local.low)}–${formatShare(local.high)}`;
}

const shareText = (share: number | null, digits: number | undefined): string => (share === null ? WITHHELD : formatShare(share, digits));

/** `£382,869.33`, or `£0.00–£15,901,508.75` when leakage is not a finding; a share where pounds are withheld. */
export function leakageHeadline(shown: PublishedLeakage, support: Support, digits: number): string {
  if (shown.total === null) {
    if (shown.share === null) return WITHHELD;
    return support.supported ? shareText(shown.share, digits) : `${shareText(shown.share, digits)}–${shareText(shown.highShare, digits)}`;
  }
  return support.supported || shown.high === null ? formatPounds(shown.total) : `${formatPounds(shown.total)}–${formatPounds(shown.high)}`;
}

export function leakageNote(shown: PublishedLeakage, support: Support, headlines: Headlines, digits: number): string {
  const share = shareText(shown.share, digits);
  const high = shareText(shown.highShare, digits);
  const pounds = shown.total === null ? '; in pounds withheld to keep staff pay private' : '';
  if (!support.supported) return `${share}–${high} of R1; ${whyNot(support, headlines)}${pounds}`;
  const unknown = shown.highShare !== null && shown.share !== null && shown.highShare > shown.share ? `; up to ${high} if every unknown location is outside` : '';
  return `${share} of R1 known to leave the area${unknown}${pounds}`;
}

/** R2 / R1 beside Round 2: a share, or the range when the score is not a finding. */
export function round2Note(lm3: Pick<Lm3, 'round1' | 'high'>, shown: PublishedLm3, support: Support, digits: number): string {
  const share = shareText(shown.round2Share, digits);
  if (support.supported || shown.highRound2 === null || shown.round1 === null) return `${share} of R1 spent locally`;
  return `${share}–${formatShare(shown.round1 === 0 ? 0 : shown.highRound2 / shown.round1)} of R1 spent locally (unknown locations counted as local at the high end)`;
}

/** `£0.99`: what each £1 of Round 1 generated beyond itself, from the score as published. Only for a supported score. */
export function furtherPounds(score: number): string {
  return `£${(Math.round((score - 1) * 100) / 100).toFixed(2)}`;
}

/** The statement's headline: the sentence a reader quotes, and what is missing when it cannot be a finding. */
export interface StatementHeadline {
  /** The claim (or, below the coverage rule, what cannot yet be claimed). */
  lead: string;
  /** The score and its range, in brackets after the lead: `(LM3 1.99, range 1.99–2.01)`. */
  detail: string;
  supported: boolean;
  /** Below the coverage rule: why not, and what would make it a finding. */
  missing: string[];
  /** What the detail says after the range (`; Round 3 not traced`), for a sheet that writes the figures as formulas. */
  qualifier?: string;
}

/**
 * `Every £1 of income to X generated a further £0.99 for the local economy (LM3 1.99, range 1.99–2.01)`, or
 * "every £1 X spent" when Round 1 is the money spent, not an income; below the coverage rule only the range, with what is missing.
 */
export function statementHeadline(
  organisation: string,
  lm3: Pick<Lm3, 'score' | 'round1Basis' | 'round3Basis'>,
  shown: PublishedLm3,
  support: Support,
  headlines: Headlines,
): StatementHeadline {
  const pound = lm3.round1Basis === 'income' ? `£1 of income to ${organisation}` : `£1 ${organisation} spent`;
  const estimated = lm3.round3Basis === 'assumed' ? '; Round 3 estimated from stated assumptions' : lm3.round3Basis === 'none' ? '; Round 3 not traced' : '';
  if (lm3.score === undefined) return { lead: `There is no multiplier to give for ${organisation}`, detail: '(Round 1 is not above £0)', supported: false, missing: [] };
  if (shown.score === null) return { lead: `The local multiplier for ${organisation} is withheld`, detail: '(to keep staff pay private)', supported: false, missing: [] };
  const range = `${scoreValue(shown.scoreLow)}–${scoreValue(shown.scoreHigh)}`;
  if (support.supported) {
    return { lead: `Every ${pound} generated a further ${furtherPounds(shown.score)} for the local economy`, detail: `(LM3 ${scoreValue(shown.score)}, range ${range}${estimated})`, supported: true, missing: [], qualifier: estimated };
  }
  const missing = support.reasons.map((reason) => sentence(missingWords(reason, headlines)));
  return { lead: `What each ${pound} generated for the local economy cannot be stated yet: the data allow LM3 ${range}`, detail: `(${whyNot(support, headlines)}${estimated})`, supported: false, missing };
}

function missingWords(reason: UnsupportedReason, headlines: Headlines): string {
  const { coverage } = headlines;
  if (reason === 'SPEND_UNLOCATED') return `${REASON_WORDS[reason](headlines)}: ${formatPounds(coverage.unlocatedSpend)} of spend is with suppliers of unknown location. Give their postcodes (a supplier register) to narrow the range.`;
  if (reason === 'STAFF_BELOW_COVERAGE') return `${REASON_WORDS[reason](headlines)}: ${coverage.staff - coverage.staffLocated} staff have no usable home postcode. A district is enough.`;
  return `${REASON_WORDS[reason](headlines)}.`;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
