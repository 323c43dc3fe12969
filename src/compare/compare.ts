import { normaliseSupplierName, SupplierIndex } from '../domain/supplier.js';
import { poundsToPence } from '../money.js';
import type { SummaryRecord, SupplierRecord, TargetRecord } from '../report/record.js';

/**
 * Year on year, from the records alone: each headline then / now / change with the direction that is better,
 * the suppliers that moved between local, not local and unknown (and why, where the register says), the top
 * suppliers that joined or left the top ten, and the targets. A headline that is not a finding in either year
 * is shown as such, never as a change. Money is compared in pence, so a change is exact to the penny.
 * Returns codes and numbers; wording is the renderers'.
 */

export type MeasureKey = 'localShare' | 'lm3' | 'leakageShare' | 'locatedShare' | 'localStaffShare' | 'spend' | 'localSpend';
export type Unit = 'share' | 'score' | 'pounds';
export type Better = 'higher' | 'lower' | 'neither';

export interface YearValue {
  /** The figure as the record gives it (a share 0–1, a score, or pounds); null when not measured or withheld. */
  value: number | null;
  /** Whether it is a finding; a figure below the coverage rule is only the low end of a range. */
  supported: boolean;
  /** The range the unknowns allow, where the record gives one. */
  high: number | null;
  /** Why there is no figure: the measure's input was not given, or the disclosure stage withheld it. */
  missing?: 'NOT_MEASURED' | 'WITHHELD';
}

export type Verdict = 'better' | 'worse' | 'same' | 'changed' | 'not comparable';

export interface MeasureChange {
  measure: MeasureKey;
  unit: Unit;
  better: Better;
  /** One per record, this year first. */
  years: YearValue[];
  /** This year less last year (pounds exact from pence; shares as fractions; scores); null when not comparable. */
  change: number | null;
  verdict: Verdict;
  /** Why not comparable: which year's figure is not a finding, or is missing. */
  why?: 'NOT_SUPPORTED_NOW' | 'NOT_SUPPORTED_THEN' | 'NOT_SUPPORTED_EITHER' | 'MISSING_NOW' | 'MISSING_THEN';
}

export type MoveReason =
  /** The register now gives its postcode (none was known before, or the ledger's). */
  | 'REGISTER_POSTCODE'
  /** The register now says local or not, with its reason. */
  | 'REGISTER_OVERRIDE'
  /** Last year's register override is gone. */
  | 'OVERRIDE_REMOVED'
  /** Its postcode district changed: it moved, or the ledger says otherwise now. */
  | 'POSTCODE_CHANGED'
  /** The postcode is no longer known. */
  | 'POSTCODE_LOST'
  /** Same postcode, different answer: the area means something else this year. */
  | 'AREA_CHANGED';

export interface SupplierMove {
  name: string;
  supplierId: string;
  from: SupplierRecord['status'];
  to: SupplierRecord['status'];
  amountThen: number;
  amountNow: number;
  reason: MoveReason | null;
  /** The register's reason for an override, or the district now and before. */
  registerReason: string | null;
  districtThen: string | null;
  districtNow: string | null;
}

export interface TopSupplierChange {
  name: string;
  supplierId: string;
  status: SupplierRecord['status'];
  /** In pounds; null when not paid at all in the other year (new, or departed). */
  amountNow: number | null;
  amountThen: number | null;
}

export interface TargetChange {
  measure: TargetRecord['measure'];
  now: TargetRecord | null;
  then: TargetRecord | null;
}

/** What differs between the years, so that "local" or a year may not mean the same thing. */
export type DifferenceCode = 'AREA_DIFFERS' | 'PERIOD_LENGTH_DIFFERS' | 'CONVENTIONS_DIFFER' | 'ROUND1_BASIS_DIFFERS' | 'ORGANISATION_DIFFERS' | 'SAME_PERIOD' | 'YEARS_OUT_OF_ORDER';

export interface Difference {
  code: DifferenceCode;
  /** Which record differs from this year's: 1 is last year, 2 the year before… */
  year: number;
  /** What each says: this year's first. */
  now: string;
  then: string;
}

export interface Comparison {
  years: { organisation: string; period: string | null; generatedAt: string; area: string | null }[];
  measures: MeasureChange[];
  moved: SupplierMove[];
  joinedTop: TopSupplierChange[];
  leftTop: TopSupplierChange[];
  targets: TargetChange[];
  differences: Difference[];
}

export const TOP_SUPPLIERS = 10;

/** Compares this year's record with last year's and any earlier ones (`records[0]` is this year). */
export function compareRecords(records: readonly SummaryRecord[]): Comparison {
  if (records.length < 2) throw new RangeError('compareRecords: give this year and at least one earlier year');
  const [now, then] = records as [SummaryRecord, SummaryRecord, ...SummaryRecord[]];
  return {
    years: records.map((r) => ({ organisation: r.organisation, period: r.period?.label ?? null, generatedAt: r.generatedAt, area: r.area?.spec ?? null })),
    measures: MEASURES.map((m) => measureChange(m, records)),
    moved: supplierMoves(now, then),
    ...topChanges(now, then),
    targets: targetChanges(now, then),
    differences: records.slice(1).flatMap((earlier, i) => differences(now, earlier, i + 1)),
  };
}

/** The clean entry point for two records (a batch's organisation this year and last). */
export function compareTwo(now: SummaryRecord, then: SummaryRecord): Comparison {
  return compareRecords([now, then]);
}

interface MeasureDefinition {
  measure: MeasureKey;
  unit: Unit;
  better: Better;
  read: (r: SummaryRecord) => YearValue;
}

const missing = (why: YearValue['missing'] = 'NOT_MEASURED'): YearValue => ({ value: null, supported: false, high: null, missing: why });

const MEASURES: readonly MeasureDefinition[] = [
  {
    measure: 'localShare',
    unit: 'share',
    better: 'higher',
    read: (r) => (r.spend ? { value: r.spend.localShare, supported: r.spend.localShareSupported, high: r.spend.localShareHigh } : missing()),
  },
  {
    measure: 'lm3',
    unit: 'score',
    better: 'higher',
    read: (r) => {
      if (!r.lm3) return missing();
      if (r.lm3.score === null) return r.withheld.includes('lm3.score') ? missing('WITHHELD') : missing();
      return { value: r.lm3.score, supported: r.lm3.supported, high: r.lm3.scoreHigh };
    },
  },
  {
    measure: 'leakageShare',
    unit: 'share',
    better: 'lower',
    read: (r) => {
      if (!r.leakage) return missing();
      if (r.leakage.share === null) return missing('WITHHELD');
      return { value: r.leakage.share, supported: r.leakage.supported, high: r.leakage.highShare };
    },
  },
  {
    measure: 'locatedShare',
    unit: 'share',
    better: 'higher',
    read: (r) => (r.spend ? { value: r.spend.locatedShare, supported: true, high: null } : missing()),
  },
  {
    measure: 'localStaffShare',
    unit: 'share',
    better: 'higher',
    read: (r) => (r.workforce && r.workforce.staff > 0 ? { value: r.workforce.localStaffShare, supported: r.workforce.localStaffShareSupported, high: null } : missing()),
  },
  {
    measure: 'localSpend',
    unit: 'pounds',
    better: 'higher',
    read: (r) => (r.spend ? { value: r.spend.local, supported: r.spend.localShareSupported, high: r.spend.local + r.spend.unknown } : missing()),
  },
  {
    // More or less spend is neither better nor worse: it is the scale the shares are of.
    measure: 'spend',
    unit: 'pounds',
    better: 'neither',
    read: (r) => (r.spend ? { value: r.spend.total, supported: true, high: null } : missing()),
  },
];

const pence = poundsToPence;

function measureChange(m: MeasureDefinition, records: readonly SummaryRecord[]): MeasureChange {
  const years = records.map(m.read);
  const [now, then] = years as [YearValue, YearValue];
  const base = { measure: m.measure, unit: m.unit, better: m.better, years };
  if (now.value === null) return { ...base, change: null, verdict: 'not comparable', why: 'MISSING_NOW' };
  if (then.value === null) return { ...base, change: null, verdict: 'not comparable', why: 'MISSING_THEN' };
  if (!now.supported || !then.supported) {
    const why = !now.supported && !then.supported ? 'NOT_SUPPORTED_EITHER' : !now.supported ? 'NOT_SUPPORTED_NOW' : 'NOT_SUPPORTED_THEN';
    return { ...base, change: null, verdict: 'not comparable', why };
  }
  // Pounds exactly, from pence; a share or a score as the records give it.
  const change = m.unit === 'pounds' ? (pence(now.value) - pence(then.value)) / 100 : now.value - then.value;
  const sign = m.unit === 'pounds' ? Math.sign(pence(now.value) - pence(then.value)) : Math.sign(change);
  const verdict: Verdict = sign === 0 ? 'same' : m.better === 'neither' ? 'changed' : (sign > 0) === (m.better === 'higher') ? 'better' : 'worse';
  return { ...base, change, verdict };
}

/** Suppliers paid in both years whose status changed, largest this year first. */
function supplierMoves(now: SummaryRecord, then: SummaryRecord): SupplierMove[] {
  const before = indexOf(then.suppliers);
  const moves: SupplierMove[] = [];
  for (const s of now.suppliers) {
    const was = before.find(s.supplierId, [s.name]);
    if (!was || was.status === s.status) continue;
    moves.push({
      name: s.name,
      supplierId: s.supplierId,
      from: was.status,
      to: s.status,
      amountThen: was.amount,
      amountNow: s.amount,
      reason: moveReason(was, s, now, then),
      // This year's override reason; or, when the override is gone, last year's.
      registerReason: s.registerReason ?? was.registerReason,
      districtThen: was.district,
      districtNow: s.district,
    });
  }
  return moves;
}

function moveReason(was: SupplierRecord, is: SupplierRecord, now: SummaryRecord, then: SummaryRecord): MoveReason | null {
  if (is.basis === 'REGISTER_OVERRIDE') return 'REGISTER_OVERRIDE';
  if (was.basis === 'REGISTER_OVERRIDE') return 'OVERRIDE_REMOVED';
  if (is.district !== null && was.district === null) return is.postcodeSource === 'register' ? 'REGISTER_POSTCODE' : 'POSTCODE_CHANGED';
  if (is.district === null && was.district !== null) return 'POSTCODE_LOST';
  if (is.district !== was.district) return is.postcodeSource === 'register' && was.postcodeSource !== 'register' ? 'REGISTER_POSTCODE' : 'POSTCODE_CHANGED';
  if ((now.area?.spec ?? '') !== (then.area?.spec ?? '')) return 'AREA_CHANGED';
  return null;
}

function indexOf(suppliers: readonly SupplierRecord[]): SupplierIndex<SupplierRecord> {
  const index = new SupplierIndex<SupplierRecord>();
  for (const s of suppliers) index.add(s.supplierId, s.name, s);
  return index;
}

/** The ten largest suppliers each year: who came into the ten (new, or grown), and who left it (gone, or shrunk). */
function topChanges(now: SummaryRecord, then: SummaryRecord): { joinedTop: TopSupplierChange[]; leftTop: TopSupplierChange[] } {
  const topNow = now.suppliers.slice(0, TOP_SUPPLIERS);
  const topThen = then.suppliers.slice(0, TOP_SUPPLIERS);
  const allNow = indexOf(now.suppliers);
  const allThen = indexOf(then.suppliers);
  const inTopNow = indexOf(topNow);
  const inTopThen = indexOf(topThen);
  const joinedTop = topNow
    .filter((s) => !inTopThen.find(s.supplierId, [s.name]))
    .map((s) => ({ name: s.name, supplierId: s.supplierId, status: s.status, amountNow: s.amount, amountThen: allThen.find(s.supplierId, [s.name])?.amount ?? null }));
  const leftTop = topThen
    .filter((s) => !inTopNow.find(s.supplierId, [s.name]))
    .map((s) => ({ name: s.name, supplierId: s.supplierId, status: s.status, amountNow: allNow.find(s.supplierId, [s.name])?.amount ?? null, amountThen: s.amount }));
  return { joinedTop, leftTop };
}

function targetChanges(now: SummaryRecord, then: SummaryRecord): TargetChange[] {
  const measures = [...new Set([...now.targets, ...then.targets].map((t) => t.measure))];
  return measures.map((measure) => ({ measure, now: now.targets.find((t) => t.measure === measure) ?? null, then: then.targets.find((t) => t.measure === measure) ?? null }));
}

/** A period's length in whole months when it runs from a month's first day to a month's last, else in days. */
export function periodLength(period: NonNullable<SummaryRecord['period']>): { months: number } | { days: number } {
  const [fy, fm, fd] = period.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = period.to.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fd === 1 && td === lastDay) return { months: (ty - fy) * 12 + (tm - fm) + 1 };
  return { days: period.days };
}

const lengthText = (period: SummaryRecord['period']): string => {
  if (!period) return 'no period';
  const length = periodLength(period);
  return 'months' in length ? `${length.months} months` : `${length.days} days`;
};

/** The settings a figure's meaning rests on, as text to set side by side. */
function conventionsText(r: SummaryRecord): string {
  const s = r.settings;
  const parts = [
    `coverage ${Math.round(s.coverageThreshold * 1000) / 10}%`,
    `${s.wages} pay`,
    `${s.supplierAveraging} averaging`,
    `VAT ${s.vatBasis}`,
    `${s.exclude.length} exclude rule${s.exclude.length === 1 ? '' : 's'}${s.exclude.length > 0 ? ` (${s.exclude.map((e) => e.reason).join(', ')})` : ''}`,
  ];
  return parts.join(', ');
}

function differences(now: SummaryRecord, then: SummaryRecord, year: number): Difference[] {
  const found: Difference[] = [];
  const add = (code: DifferenceCode, a: string, b: string) => found.push({ code, year, now: a, then: b });
  const areaNow = now.area ? now.area.terms.join(', ') : 'no area';
  const areaThen = then.area ? then.area.terms.join(', ') : 'no area';
  if ((now.area?.spec ?? '') !== (then.area?.spec ?? '') && areaNow !== areaThen) add('AREA_DIFFERS', areaNow, areaThen);
  if (lengthText(now.period) !== lengthText(then.period)) add('PERIOD_LENGTH_DIFFERS', `${now.period?.label ?? 'no period'} (${lengthText(now.period)})`, `${then.period?.label ?? 'no period'} (${lengthText(then.period)})`);
  if (now.period && then.period && now.period.from === then.period.from && now.period.to === then.period.to) add('SAME_PERIOD', now.period.label, then.period.label);
  else if (now.period && then.period && now.period.from < then.period.from) add('YEARS_OUT_OF_ORDER', now.period.label, then.period.label);
  if (conventionsText(now) !== conventionsText(then)) add('CONVENTIONS_DIFFER', conventionsText(now), conventionsText(then));
  const basisNow = now.lm3?.round1Basis ?? null;
  const basisThen = then.lm3?.round1Basis ?? null;
  if (basisNow !== null && basisThen !== null && basisNow !== basisThen) add('ROUND1_BASIS_DIFFERS', basisNow, basisThen);
  if (normaliseSupplierName(now.organisation) !== normaliseSupplierName(then.organisation)) add('ORGANISATION_DIFFERS', now.organisation, then.organisation);
  return found;
}
