import type { Supplier } from '../domain/supplier.js';
import type { Finding } from '../findings.js';
import type { FileTally, SpendLedger } from '../ingest/spend.js';
import type { VatUse } from '../ingest/vat.js';
import type { Round3Basis } from '../measures/lm3.js';
import { MIN_GROUP } from '../measures/workforce.js';

/** Words a reader understands for the codes the measures carry; shared by the renderers. */

// Partial: a reason added to the geo code reads as its own words until it is given better ones here.
const PLACEMENT_WORDS: Partial<Record<Supplier['basis'], string>> = {
  IN_AREA: 'postcode inside the area',
  OUTSIDE_AREA: 'postcode outside the area',
  DISTRICT_PARTLY_INSIDE: 'postcode district only partly inside the area (full postcode needed)',
  NO_POSTCODE: 'no postcode',
  POSTCODE_INVALID: 'postcode not valid',
  NO_AREA: 'no area given',
};

/** Why a supplier is local, not local or unknown: `register override: <reason>`, `postcode outside the area`. */
export function supplierBasisLabel(supplier: Pick<Supplier, 'basis' | 'overrideReason'>): string {
  if (supplier.basis === 'REGISTER_OVERRIDE') {
    const reason = supplier.overrideReason.trim();
    return reason === '' ? 'register override' : `register override: ${reason}`;
  }
  return PLACEMENT_WORDS[supplier.basis] ?? supplier.basis.toLowerCase().replace(/_/g, ' ');
}

export function deprivationBasisLabel(basis: 'lsoa' | 'council' | 'mixed'): string {
  return basis === 'lsoa'
    ? "by LSOA: the neighbourhood of the supplier's postcode"
    : basis === 'council'
      ? "by council: the decile of the supplier's council as a whole"
      : 'by LSOA where the postcode gives one, else by council';
}

export function postcodeSourceLabel(source: Supplier['postcodeSource']): string {
  return source === 'register' ? 'supplier register' : source === 'ledger' ? 'spend file' : 'none';
}

/** Where a supplier's type came from, as the Suppliers sheet's "Type from" column and the Assumptions sheet say it. */
export function typeSourceLabel(source: NonNullable<Supplier['typeSource']>): string {
  const words: Record<NonNullable<Supplier['typeSource']>, string> = {
    register: 'supplier register',
    ledger: 'spend file (VCSE/SME column)',
    'charity number': 'charity number',
    'company number': 'CIO company number',
  };
  return words[source];
}

export function round3BasisLabel(basis: Round3Basis): string {
  return basis === 'survey' ? 'survey' : basis === 'assumed' ? 'assumed (estimate)' : 'none (not traced)';
}

export function round1BasisLabel(basis: 'income' | 'spend-and-payroll'): string {
  return basis === 'income' ? 'income followed (given)' : 'spend analysed + payroll cost (no income given)';
}

/** How a spend file's amounts were brought to the VAT basis: `"VAT" taken off`, `used as they are`. */
export function vatAdjustmentLabel(vat: VatUse): string {
  switch (vat.adjustment) {
    case 'none':
      return 'used as they are';
    case 'switched':
      return `the column stating ${vat.basis}, used instead of the first choice`;
    case 'added':
      return `"${vat.vatColumn}" added to each amount`;
    case 'subtracted':
      return `"${vat.vatColumn}" taken off each amount`;
    case 'differs':
      return `the column states ${vat.columnSays} and the file has no VAT column: used as they are, on the other basis`;
  }
}

/** What the spend rows are called: `payments`, `contracts`, or `payments and contracts` when files of both were read. */
export function spendRowsNoun(kind: SpendLedger['kind']): string {
  return kind === 'payments' ? 'payments' : kind === 'contracts' ? 'contracts' : 'payments and contracts';
}

/** What the spend figures are, in a few words: `payments`, `annual contract values`. */
export function spendKindLabel(kind: SpendLedger['kind']): string {
  return kind === 'payments' ? 'payments' : kind === 'contracts' ? 'annual contract values' : 'payments and annual contract values';
}

/**
 * The sentence every report carries when a spend file is a contracts register (undefined when none is): its
 * figures are what contracts are worth a year, not money paid.
 */
export function contractValuesNote(inputs: readonly FileTally[], period: string | undefined): string | undefined {
  const registers = inputs.filter((input) => input.kind === 'contracts');
  if (registers.length === 0) return undefined;
  const named = registers.map((input) => `${input.source.name} ("${input.source.columns.find((c) => c.field === 'amount')?.header ?? 'amount'}")`);
  const one = registers.length === 1;
  return (
    `Annual contract values, not payments: ${named.join(', ')} ${one ? 'is a contracts register' : 'are contracts registers'}, so ${one ? 'its' : 'their'} figures are what each contract is worth a year, not what was paid` +
    (period ? `; contracts are not checked against the period ${period}.` : '.')
  );
}

export function delimiterLabel(delimiter: string): string {
  const names: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
  return names[delimiter] ?? JSON.stringify(delimiter);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-04-01` → `1 Apr 2024`; anything else as given. */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Input roles whose rows describe people (names, home postcodes, pay, answers): no report shows their text. */
const PERSONAL_DATA_ROLES: ReadonlySet<string> = new Set(['payroll', 'staff survey']);

export function isPersonalDataRole(role: string): boolean {
  return PERSONAL_DATA_ROLES.has(role);
}

export const WITHHELD_PERSONAL = '(withheld: personal data)';

/**
 * The text of a row from an input file as a report may show it: withheld when the file holds personal data.
 * A file name given to both a personal and another role counts as personal.
 */
export function shownRowText(text: string, file: string | undefined, inputs: readonly FileTally[]): string {
  if (file === undefined) return text;
  return inputs.some((input) => input.source.name === file && isPersonalDataRole(input.source.role)) ? WITHHELD_PERSONAL : text;
}

/** A finding's raw row as a report may show it, or undefined when it has none. */
export function shownRaw(finding: Finding, inputs: readonly FileTally[]): string | undefined {
  return finding.raw === undefined ? undefined : shownRowText(finding.raw, finding.file, inputs);
}

/** Shown instead of the pay of a group of one or two people. */
/** What is printed in place of a figure the disclosure stage withheld. */
export const WITHHELD_PAY = `withheld (staff pay: see Assumptions)`;
