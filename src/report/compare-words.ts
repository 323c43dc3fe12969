import type { Comparison, Difference, MeasureChange, MeasureKey, MoveReason, SupplierMove, TopSupplierChange, YearValue } from '../compare/compare.js';
import type { TargetRecord } from './record.js';
import { formatPounds, formatShare, poundsToPence } from '../money.js';

/** How a comparison is worded, once, for the terminal, the workbook and the statement. */

export const MEASURE_LABELS: Record<MeasureKey, string> = {
  localShare: 'Local share of spend',
  lm3: 'LM3',
  leakageShare: 'Leakage (share of R1)',
  locatedShare: 'Spend located',
  localStaffShare: 'Staff living locally',
  localSpend: 'Local spend',
  spend: 'Spend analysed',
};

export const TARGET_LABELS: Record<TargetRecord['measure'], string> = {
  localShare: 'Local share of spend',
  lm3: 'LM3',
  localStaffShare: 'Staff living locally',
  locatedShare: 'Spend located',
};

const penceOf = poundsToPence;

/** `52.2%`, `1.99`, `£12,000.00`. */
export function valueText(unit: MeasureChange['unit'], value: number): string {
  if (unit === 'share') return formatShare(value);
  if (unit === 'score') return value.toFixed(2);
  return formatPounds(penceOf(value));
}

/** A year's figure as a reader may quote it: the value, the range when it is not a finding, or why there is none. */
export function yearText(m: Pick<MeasureChange, 'unit'>, year: YearValue): string {
  if (year.value === null) return year.missing === 'WITHHELD' ? 'withheld' : 'not measured';
  if (year.supported) return valueText(m.unit, year.value);
  return year.high === null ? `${valueText(m.unit, year.value)} (not a finding)` : `${valueText(m.unit, year.value)}–${valueText(m.unit, year.high)} (not a finding)`;
}

/**
 * The change as a reader can check it against the two figures printed beside it: between the values as shown
 * (LM3 to 2 places, shares to 0.1 of a point), so 1.76 against 1.58 is +0.18, never the +0.17 of the unrounded
 * scores. Pounds are exact already. The record keeps the unrounded change.
 */
export function shownChange(m: MeasureChange): number | null {
  const [now, then] = m.years;
  if (m.change === null || now?.value == null || then?.value == null) return m.change;
  if (m.unit === 'score') return (Math.round(now.value * 100) - Math.round(then.value * 100)) / 100;
  if (m.unit === 'share') return (Math.round(now.value * 1000) - Math.round(then.value * 1000)) / 1000;
  return m.change;
}

/** `+4.1 points`, `+0.18`, `+£1,000.50`; or why there is no change to give. */
export function changeText(m: MeasureChange): string {
  if (m.change === null) {
    if (m.why === 'MISSING_NOW' || m.why === 'MISSING_THEN') {
      const year = m.why === 'MISSING_NOW' ? m.years[0] : m.years[1];
      return `none: ${year?.missing === 'WITHHELD' ? 'withheld' : 'not measured'} ${m.why === 'MISSING_NOW' ? 'this year' : 'last year'}`;
    }
    return `none: not a finding ${m.why === 'NOT_SUPPORTED_EITHER' ? 'in either year' : m.why === 'NOT_SUPPORTED_NOW' ? 'this year' : 'last year'}`;
  }
  const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '±');
  const change = shownChange(m)!;
  if (m.unit === 'share') {
    const points = Math.round(change * 1000) / 10;
    return `${sign(points)}${Math.abs(points).toFixed(1)} points`;
  }
  if (m.unit === 'score') {
    const rounded = Math.round(change * 100) / 100;
    return `${sign(rounded)}${Math.abs(rounded).toFixed(2)}`;
  }
  const p = penceOf(m.change);
  return `${sign(p)}${formatPounds(Math.abs(p))}`;
}

/** `better`, `worse`, `no change`; '' for a change that is neither (spend analysed) or none at all. */
export function verdictText(m: MeasureChange): string {
  if (m.verdict === 'better' || m.verdict === 'worse') return m.verdict;
  return m.verdict === 'same' ? 'no change' : '';
}

/** Which way is better, said once under the table. */
export const DIRECTION_NOTE = 'Higher is better for each measure but leakage (lower is better) and spend analysed (neither).';

const STATUS_WORDS: Record<SupplierMove['from'], string> = { local: 'local', 'non-local': 'not local', unknown: 'unknown' };
export const statusText = (status: SupplierMove['from']): string => STATUS_WORDS[status];

const MOVE_WORDS: Record<MoveReason, (m: SupplierMove) => string> = {
  REGISTER_POSTCODE: (m) => `the supplier register now gives its postcode (${m.districtNow})`,
  REGISTER_OVERRIDE: (m) => `the supplier register says ${m.to === 'local' ? 'local' : 'not local'}${m.registerReason ? `: ${m.registerReason}` : ''}`,
  OVERRIDE_REMOVED: (m) => `last year's register override${m.registerReason ? ` (${m.registerReason})` : ''} is gone`,
  POSTCODE_CHANGED: (m) => `its postcode district is ${m.districtNow}${m.districtThen ? `, was ${m.districtThen}` : ''}`,
  POSTCODE_LOST: (m) => `no postcode this year (was ${m.districtThen})`,
  AREA_CHANGED: () => 'same postcode: the area is defined differently',
};

export function moveText(m: SupplierMove): string {
  return m.reason === null ? '' : MOVE_WORDS[m.reason](m);
}

export function topText(t: TopSupplierChange, side: 'joined' | 'left'): string {
  if (side === 'joined') return t.amountThen === null ? 'new: not paid last year' : `up from ${formatPounds(penceOf(t.amountThen))}`;
  return t.amountNow === null ? 'not paid this year' : `down to ${formatPounds(penceOf(t.amountNow))}`;
}

const TARGET_STATUS: Record<TargetRecord['status'], string> = { met: 'met', missed: 'missed', 'not supported': 'not a finding', 'not measured': 'not measured' };

/** `met: 72.4% against 50.0%`. */
export function targetText(t: TargetRecord | null): string {
  if (!t) return 'no target';
  const unit = t.measure === 'lm3' ? 'score' : 'share';
  const target = valueText(unit, t.target);
  return t.value === null ? `${TARGET_STATUS[t.status]} (target ${target})` : `${TARGET_STATUS[t.status]}: ${valueText(unit, t.value)} against ${target}`;
}

const DIFFERENCE_WORDS: Record<Difference['code'], (d: Difference) => string> = {
  AREA_DIFFERS: (d) => `"local" means something else: ${d.now} this year, ${d.then} then, so local figures are not like for like`,
  PERIOD_LENGTH_DIFFERS: (d) => `the periods differ in length: ${d.now} against ${d.then}, so money figures are not like for like`,
  CONVENTIONS_DIFFER: (d) => `the conventions differ: ${d.now} this year; ${d.then} then`,
  ROUND1_BASIS_DIFFERS: (d) => `Round 1 is ${d.now === 'income' ? 'the income given' : 'spend + payroll cost'} this year but ${d.then === 'income' ? 'the income given' : 'spend + payroll cost'} then, so LM3 is not like for like`,
  ORGANISATION_DIFFERS: (d) => `these are different organisations: ${d.now} and ${d.then}`,
  SAME_PERIOD: (d) => `both are the same period (${d.now}): is one of them last year's?`,
  YEARS_OUT_OF_ORDER: (d) => `this year (${d.now}) comes before the earlier one (${d.then}): give this year first, then last year`,
};

export function differenceText(d: Difference, comparison: Pick<Comparison, 'years'>): string {
  const year = comparison.years[d.year];
  const which = comparison.years.length > 2 ? ` (against ${year?.period ?? `year ${d.year + 1}`})` : '';
  return `${d.code}${which}: ${DIFFERENCE_WORDS[d.code](d)}`;
}

/**
 * The statement's one line of trend: `Local spend up from 48.1% to 52.2% of spend (2023-24 to 2024-25)`; null
 * when the local share is not a finding in either year, which is no trend to state.
 */
export function trendLine(comparison: Comparison): string | null {
  const local = comparison.measures.find((m) => m.measure === 'localShare');
  if (!local || local.verdict === 'not comparable') return null;
  const [now, then] = local.years as [YearValue, YearValue];
  const [yNow, yThen] = comparison.years;
  const periods = yNow?.period && yThen?.period ? ` (${yThen.period} to ${yNow.period})` : '';
  const [a, b] = [formatShare(then.value!), formatShare(now.value!)];
  if (a === b) return `Local spend unchanged at ${b} of spend${periods}`;
  return `Local spend ${local.change! > 0 ? 'up' : 'down'} from ${a} to ${b} of spend${periods}`;
}
