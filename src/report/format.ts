import type { Supplier } from '../domain/supplier.js';
import { describeFinding, describeForReader, type Finding, type Quote } from '../findings.js';
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

const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant as a UK reader writes it, in UK time: `2026-12-01T19:15:22.769Z` → `1 December 2026, 19:15`. */
export function formatUkDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = (type: string) => UK_TIME.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}`;
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

/** A finding's raw row as a report may show it (withheld, or on one line: see `shownInput`), or undefined when it has none. */
export function shownRaw(finding: Finding, inputs: readonly FileTally[]): string | undefined {
  return finding.raw === undefined ? undefined : shownRowText(shownInput(finding.raw), finding.file, inputs);
}

/** How much of a text read from an input file the terminal and the workbook show: one line of this many characters. */
export const SHOWN_INPUT_CHARACTERS = 120;

/**
 * Text read from an input file as the terminal and the workbook show it: on one line, control characters visible,
 * and cut after `limit` characters with its full length stated, `first 120 characters… (48,213 characters in all)`.
 * A quote never closed runs a field to the end of the file, and a megabyte in a cell or a table hangs the terminal.
 * `--json` keeps the text in full; ingest keeps it in full for whatever needs the rows themselves.
 */
export function shownInput(text: string, limit = SHOWN_INPUT_CHARACTERS): string {
  const { line, length } = oneLine(text, limit);
  return length === undefined ? line : `${line}… ${inAll(length)}`;
}

/** Input text within quotes, as findings word it: `"Acme"`, or `"first 120 characters…" (48,213 characters in all)`. */
export const quoteInput: Quote = (text) => {
  const { line, length } = oneLine(String(text), SHOWN_INPUT_CHARACTERS);
  return length === undefined ? `"${line}"` : `"${line}…" ${inAll(length)}`;
};

const inAll = (length: number) => `(${length.toLocaleString('en-GB')} characters in all)`;

/** A finding in the words the terminal and the workbook print: its input text shown by `quoteInput`. */
export function shownMessage(finding: Pick<Finding, 'code' | 'args'>): string {
  return describeFinding(finding, quoteInput);
}

/** The same, worded for a report's reader rather than for whoever runs the tool (the statement, the Summary). */
export function readerMessage(finding: Pick<Finding, 'code' | 'args'>): string {
  return describeForReader(finding, quoteInput);
}

/**
 * The first `limit` characters of `text` as they can be shown on one line, reading no further than that;
 * `length`, the whole text's length in characters, only when some was left out.
 */
function oneLine(text: string, limit: number): { line: string; length?: number } {
  let line = '';
  let shown = 0;
  let read = 0;
  for (const character of text) {
    if (shown >= limit) return { line, length: characters(text) };
    // A Windows line ending is one line break, so it is one ⏎.
    if (character === '\r' && text[read + 1] === '\n') {
      read++;
      continue;
    }
    const visible = visibleCharacter(character);
    line += visible;
    shown += visible === character ? 1 : visible.length;
    read += character.length;
  }
  return { line };
}

function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * A character that would break the line, move the cursor, start a terminal escape or hide itself, as a visible sign:
 * a line break as ⏎, other C0 controls as their pictures (␉ for a tab, ␛ for escape), the rest as `<U+0085>`.
 */
function visibleCharacter(character: string): string {
  const code = character.codePointAt(0)!;
  if (code === 0x0a) return '⏎';
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '␡';
  if ((code >= 0x80 && code <= 0x9f) || INVISIBLE.has(code)) return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  return character;
}

/** Line and paragraph separators, the zero-width space, direction marks and overrides, the byte-order mark: they change or hide what is shown. */
const INVISIBLE: ReadonlySet<number> = new Set([
  0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
]);

/** Shown instead of the pay of a group of one or two people. */
/** What is printed in place of a figure the disclosure stage withheld. */
export const WITHHELD_PAY = `withheld (staff pay: see Assumptions)`;
/** How a figure that would show one or two staff's survey answers is printed. */
export const WITHHELD_SURVEY = 'withheld (fewer than 3 returns)';
