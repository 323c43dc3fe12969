import type { Analysis } from '../../analyse.js';
import type { VatBasis } from '../../ingest/vat.js';
import type { Lm3 } from '../../measures/lm3.js';
import { formatIsoDate } from '../format.js';

export function excludedPayments(analysis: Analysis): number {
  return analysis.excluded.reduce((sum, line) => sum + line.payments, 0);
}

/** Accepted payments less those the exclude rules took out. */
export function analysedPayments(analysis: Analysis): number {
  return (analysis.ledger?.rowsAccepted ?? 0) - excludedPayments(analysis);
}

export function rulesText(n: number): string {
  return n === 1 ? '1 exclude rule' : `${n} exclude rules`;
}

export function vatBasisMeaning(basis: VatBasis): string {
  return basis === 'net'
    ? 'Spend is measured net of VAT (VAT goes to HMRC, not the supplier): a gross-only file has its VAT column taken off, or is flagged.'
    : 'Spend is measured gross, VAT included: a net-only file has its VAT column added, or is flagged.';
}

export function lowEndNote(lm3: Pick<Lm3, 'round3Basis' | 'round3SuppliersBasis' | 'round3StaffBasis'>): string {
  if (lm3.round3Basis === 'assumed') {
    const kept = [lm3.round3SuppliersBasis === 'survey' ? 'suppliers' : undefined, lm3.round3StaffBasis === 'survey' ? 'staff' : undefined].filter(Boolean);
    return kept.length === 0
      ? 'Round 3 rests on assumptions, so the low end counts it as £0'
      : `the assumed part of Round 3 counts as £0; the part from the ${kept.join(' and ')} survey is kept`;
  }
  return lm3.round3Basis === 'survey' ? 'Round 3 rests on surveys: the low end is the score' : 'Round 3 is not traced (£0): the low end is the score';
}

export function periodText(analysis: Analysis): string {
  const period = analysis.settings.period;
  return period ? `${period.label} (${formatIsoDate(period.from)} to ${formatIsoDate(period.to)})` : 'not set: every dated row was used';
}

export function areaText(analysis: Analysis): string {
  return analysis.area ? analysis.area.terms.join('; ') : 'not set';
}
