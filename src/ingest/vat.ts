import type { Finding } from '../findings.js';
import { type ColumnChoice, normaliseHeader } from './columns.js';

export type VatBasis = 'net' | 'gross';

/** How a spend file's amounts meet the VAT basis the settings state. */
export interface VatUse {
  /** The basis the settings ask for (`conventions.vatBasis`). */
  basis: VatBasis;
  /** The column the amounts come from, and what its header says it holds. */
  amountColumn: string;
  columnSays: VatBasis | 'not stated';
  /** The file's VAT column, when one was found. */
  vatColumn?: string;
  /**
   * none: used as they are; switched: another amount column states the basis asked for and was used;
   * added / subtracted: the VAT column was added to net amounts, or taken from gross ones;
   * differs: the column states the other basis and the file has no way to convert it (a warning).
   */
  adjustment: 'none' | 'switched' | 'added' | 'subtracted' | 'differs';
}

const GROSS = /\bgross\b|\binc(l|lusive|luding)?\b.*\bvat\b/;
const NET = /\bnett?\b|\b(excl\w*|exclud\w*|ex|before|without|less|net of)\b.*\bvat\b/;

/** What a money column's header says about VAT. */
export function headerBasis(header: string): VatBasis | 'not stated' {
  const h = normaliseHeader(header);
  if (NET.test(h)) return 'net';
  if (GROSS.test(h)) return 'gross';
  return 'not stated';
}

export interface VatPlan {
  use: VatUse;
  amountIndex: number;
  vatIndex: number;
  /** +1 to add the VAT cell to each amount, -1 to subtract it, 0 to leave amounts alone. */
  vatSign: number;
  findings: Finding[];
}

/**
 * Decides, once per file, how to meet the VAT basis: keep the chosen amount column when its header
 * states that basis or states none (taken as the stated basis: the file cannot say otherwise); else
 * another amount column stating it; else the chosen column plus or minus the VAT column; else say so.
 */
export function planVat(basis: VatBasis, amount: ColumnChoice, vat: ColumnChoice | undefined, file: string): VatPlan {
  const says = headerBasis(amount.header);
  const use: VatUse = { basis, amountColumn: amount.header, columnSays: says, ...(vat ? { vatColumn: vat.header } : {}), adjustment: 'none' };
  const plan: VatPlan = { use, amountIndex: amount.index, vatIndex: vat?.index ?? -1, vatSign: 0, findings: [] };
  // A column named by the user is used as named.
  if (says === 'not stated' || says === basis || amount.how === 'named') return plan;
  const other = (amount.alternatives ?? []).find((alt) => headerBasis(alt.header) === basis && !/^(its values|it is blank)/.test(alt.why));
  if (other !== undefined) {
    Object.assign(use, { amountColumn: other.header, columnSays: basis, adjustment: 'switched' });
    plan.amountIndex = other.index;
    plan.findings.push({ code: 'VAT_COLUMN_SWITCHED', file, args: { basis, column: other.header, instead: amount.header } });
  } else if (vat !== undefined) {
    use.adjustment = basis === 'gross' ? 'added' : 'subtracted';
    plan.vatSign = basis === 'gross' ? 1 : -1;
    plan.findings.push({ code: 'VAT_ADJUSTED', file, args: { basis, column: amount.header, vat: vat.header, how: use.adjustment } });
  } else {
    use.adjustment = 'differs';
    plan.findings.push({ code: 'VAT_BASIS_DIFFERS', file, args: { basis, column: amount.header, says } });
  }
  return plan;
}
