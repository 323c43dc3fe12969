import type { BatchRun, BatchRecord } from '../../batch/run-batch.js';
import { formatPounds, formatShare } from '../../money.js';
import { formatUkDateTime } from '../format.js';
import { bookBytes } from '../workbook/book.js';
import { Sheet, cellText } from '../workbook/layout.js';
import { printSetup } from '../workbook/print.js';
import { batchChartsSheet } from './charts.js';
import { failuresSheet } from './failures.js';
import { organisationsSheet } from './organisations.js';
import { yearOnYearSheet } from './year-on-year.js';

/**
 * The consultant's workbook: one row per organisation with its headline figures, coverage and ranks, charts
 * comparing them, and the organisations that failed; with `--previous`, each one's then / now / change. Built from each organisation's summary JSON (batch.json),
 * so every figure is the one its own run printed; nothing here is measured again.
 */
export function combinedWorkbook(batch: BatchRun): Buffer {
  const organisations = organisationsSheet(batch);
  const sheets = [organisations, ...(batch.yearOnYear ? [yearOnYearSheet(batch.yearOnYear)] : []), batchChartsSheet(batch, organisations), failuresSheet(batch)];
  const setup = printSetup(`Batch: ${batch.counts.organisations} organisations`, `Generated ${formatUkDateTime(batch.generatedAt)}`, `${batch.tool.name} ${batch.tool.version}`);
  return bookBytes(sheets, {
    creator: `${batch.tool.name} ${batch.tool.version}`,
    created: new Date(batch.generatedAt),
    title: cellText(`Local economic impact: ${batch.counts.organisations} organisations compared`),
    setup,
  });
}

/** An organisation's headlines as the combined workbook reads them from its summary JSON. */
export interface Headline {
  /** The figure when it is a finding; null below the coverage rule (or with no figure). */
  value: number | null;
  /** The range the unknowns allow, low–high, as text. */
  range: string;
  /** Why it is not a finding, in words ('' when it is). */
  why: string;
}

export function localShareOf(record: BatchRecord): Headline | undefined {
  const spend = record.summary?.spend;
  if (!spend) return undefined;
  const high = spend.localShareHigh ?? spend.localShare;
  return {
    value: spend.localShareSupported ? spend.localShare : null,
    range: `${formatShare(spend.localShare)}\u2013${formatShare(high)}`,
    why: spend.localShareSupported ? '' : reasonsText(spend.localShareReasons, record),
  };
}

export function lm3Of(record: BatchRecord): Headline | undefined {
  const lm3 = record.summary?.lm3;
  if (!lm3 || lm3.score === null) return undefined;
  const low = lm3.scoreLow ?? lm3.score;
  const high = lm3.scoreHigh ?? lm3.score;
  // To the places the disclosure stage published it to (1 where it rounded LM3 to keep pay private), never more.
  const step = record.summary!.rounded.find((r) => r.figure === 'lm3.score')?.step;
  const digits = step === undefined ? 2 : Math.max(0, Math.round(-Math.log10(step)));
  return { value: lm3.supported ? lm3.score : null, range: `${low.toFixed(digits)}\u2013${high.toFixed(digits)}`, why: lm3.supported ? '' : reasonsText(lm3.reasons, record) };
}

export function leakageOf(record: BatchRecord): Headline | undefined {
  const leakage = record.summary?.leakage;
  if (!leakage || leakage.share === null) return undefined;
  const high = leakage.highShare ?? leakage.share;
  return { value: leakage.supported ? leakage.share : null, range: `${formatShare(leakage.share)}\u2013${formatShare(high)}`, why: leakage.supported ? '' : reasonsText(leakage.reasons, record) };
}

/** The coverage rule's reasons in a few words each. */
function reasonsText(codes: readonly string[], record: BatchRecord): string {
  const spend = record.summary?.spend;
  const words: Record<string, string> = {
    SPEND_UNLOCATED: spend ? `only ${formatShare(spend.locatedShare)} of spend located (${formatShare(spend.coverageThreshold, 0)} needed)` : 'too little spend located',
    STAFF_BELOW_COVERAGE: 'too few staff placed by home postcode',
    ROUND1_ZERO: 'Round 1 is £0',
    SPENT_BEYOND_INCOME: 'spent beyond income',
  };
  return codes.map((code) => words[code] ?? code).join('; ') || 'not supported';
}

/** Ranks from 1 for the highest; equal values share a rank (1, 2, 2, 4); null: not ranked. */
export function ranks(values: readonly (number | null)[]): (number | null)[] {
  return values.map((value) => (value === null ? null : 1 + values.filter((other) => other !== null && other > value).length));
}

export { formatPounds };
