import { basename } from 'node:path';
import type { Analysis } from '../analyse.js';
import { formatMilliPercent, MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import type { Supplier } from '../domain/supplier.js';
import { UserError } from '../errors.js';
import { severityOf } from '../findings.js';
import { APPROACH_CREDIT, FRAMEWORK_CREDIT } from '../framework/approach.js';
import { IMD_ATTRIBUTION, OGL_ATTRIBUTION } from '../geo/attribution.js';
import { assessCharacteristics, assessSteps, type StepState } from '../framework/assess.js';
import { describeRule } from '../ingest/exclude.js';
import type { VatBasis } from '../ingest/vat.js';
import { fingerprint, isExact } from '../disclosure/disclose.js';
import type { Lm3 } from '../measures/lm3.js';
import { leakageHeadline, round2Note, leakageNote, lm3Headline, lm3Note, localShareHeadline, whyNot } from './headlines.js';
import { MIN_GROUP } from '../measures/workforce.js';
import { formatPounds, formatShare, type Pence } from '../money.js';
import {
  contractValuesNote,
  delimiterLabel,
  deprivationBasisLabel,
  formatIsoDate,
  postcodeSourceLabel,
  round1BasisLabel,
  round3BasisLabel,
  shownMessage,
  shownRaw,
  spendKindLabel,
  spendRowsNoun,
  supplierBasisLabel,
  typeSourceLabel,
  vatAdjustmentLabel,
  WITHHELD_PAY,
} from './format.js';
import { writeWhole } from '../write-whole.js';
import { type Alignment, type CellStyle, columnLetter, type Font, type PageSetup, type Worksheet, hasXmlInvalid, XML_INVALID, xlsx } from './xlsx-writer.js';

/**
 * The workbook a finance lead opens: one sheet per question, money as numbers in pounds, and LM3 as
 * live formulas over its inputs (with cached results equal to the analysis's own figures) so it can be audited.
 */

const MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00';
const SHARE = '0.0%';
const SCORE = '0.00';
const COUNT = '#,##0';
const FTE = '#,##0.0#';
const MILES = '#,##0.0';

const TITLE_FONT: Font = { bold: true, size: 14 };
const NOTE_FONT: Font = { italic: true, color: 'FF555555' };
const SECTION_FONT: Font = { bold: true, size: 12 };
const BOLD_FONT: Font = { bold: true };
const INPUT_FONT: Font = { color: 'FF1F4E9A' };
const INPUT_FILL = 'FFEAF1FB';
const HEADER_FILL = 'FFDDE4EE';
const STATE_FILL: Record<StepState, string> = { done: 'FFDFF0D8', 'needs data': 'FFFCF3CF', 'not started': 'FFEEEEEE' };
const PAGE_SETUP: PageSetup = { landscape: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 };
const NOT_PROVIDED_SPEND = 'Not provided: no spend file was analysed (give --spend or "inputs.spend" in the project file).';
const NO_SCORE = 'none: Round 1 is not above £0';
const NOT_PROVIDED_PAYROLL = 'Not provided: no payroll file was analysed (give --payroll or "inputs.payroll" in the project file).';

interface Formula {
  formula: string;
  result: number | string;
}

interface Styled {
  value: number | string | Formula;
  numFmt?: string;
  /** An input the LM3 formulas read: shown in blue. */
  input?: boolean;
  bold?: boolean;
}

type Value = string | number | null | undefined | Styled;

const money = (pence: Pence, extra: Partial<Styled> = {}): Styled => ({ value: pence / 100, numFmt: MONEY, ...extra });
/** A figure staff pay feeds, as the disclosure stage publishes it. */
const shownMoney = (pence: Pence | null, extra: Partial<Styled> = {}): Value => (pence === null ? WITHHELD_PAY : money(pence, extra));
const shownShare = (fraction: number | null): Value => (fraction === null ? WITHHELD_PAY : { value: fraction, numFmt: SHARE });
const share = (fraction: number): Styled => ({ value: fraction, numFmt: SHARE });
const count = (n: number): Styled => ({ value: n, numFmt: COUNT });
const calc = (formula: string, result: number | string, numFmt?: string): Styled => ({ value: { formula, result }, numFmt });
const bold = (text: string): Styled => ({ value: text, bold: true });
const percentOf = (milli: MilliPercent): number => milli / MILLI_PERCENT_WHOLE;

const MAX_CELL_TEXT = 32_767;

/** Text from a file as a plain string cell: never a formula, never more than a cell holds. */
export function cellText(text: string): string {
  // XML cannot carry some characters at all (the writer refuses them), so mark where they were.
  let clean = hasXmlInvalid(text) ? text.replace(XML_INVALID, '\uFFFD') : text;
  if (clean.length > MAX_CELL_TEXT) {
    const marker = '… [truncated]';
    let cut = MAX_CELL_TEXT - marker.length;
    if (/[\uD800-\uDBFF]/.test(clean[cut - 1] ?? '')) cut--;
    clean = clean.slice(0, cut) + marker;
  }
  return clean;
}

/** One cell as the sheet builds it; written out once the sheet is complete. */
interface CellModel {
  value: string | number | Formula | null;
  numFmt?: string;
  /** One of the font constants above (or its bold form), so that equal looks share one style. */
  font?: Font;
  /** A solid fill's colour. */
  fill?: string;
  /** A thin line below (headers). */
  underline?: boolean;
  alignment?: Alignment;
  /** Text that overflows or wraps, and so does not size its column. */
  unsized?: boolean;
  /** The look above as the writer takes it: set as the sheet is written. */
  style?: CellStyle;
}

const BOLD_OF = new Map<Font | undefined, Font>([[undefined, BOLD_FONT]]);
function boldFont(font: Font | undefined): Font {
  let found = BOLD_OF.get(font);
  if (!found) BOLD_OF.set(font, (found = font?.bold ? font : { ...font, bold: true }));
  return found;
}

/**
 * A worksheet built top to bottom in memory (figures are filled in above once the rows they sum are
 * known, and column widths follow the content), then written out in one pass.
 */
class Sheet {
  row = 0;
  readonly rows: CellModel[][] = [];
  readonly heights: number[] = [];
  readonly widths = new Map<number, number>();
  frozen: number | undefined;
  autoFilter: Worksheet['autoFilter'];
  /** The header row, printed at the top of every page. */
  printTitlesRow: number | undefined;
  private readonly headerWidths = new Map<number, number>();

  constructor(readonly name: string) {}

  title(text: string, note?: string): void {
    this.row++;
    const cell = this.set(this.row, 1, text);
    cell.font = TITLE_FONT;
    cell.unsized = true;
    if (note !== undefined) this.note(note);
  }

  note(text: string): number {
    this.row++;
    const cell = this.set(this.row, 1, text);
    cell.font = NOTE_FONT;
    cell.unsized = true;
    return this.row;
  }

  section(text: string): number {
    if (this.row > 0) this.row++;
    this.row++;
    const cell = this.set(this.row, 1, text);
    cell.font = SECTION_FONT;
    cell.unsized = true;
    return this.row;
  }

  header(labels: readonly string[]): number {
    this.row++;
    labels.forEach((label, i) => {
      const cell = this.set(this.row, i + 1, label);
      cell.font = BOLD_FONT;
      cell.fill = HEADER_FILL;
      cell.underline = true;
      cell.alignment = HEADER_ALIGNMENT;
      // A header wraps at its spaces, so only its longest word sizes the column.
      cell.unsized = true;
      const longest = Math.max(...label.split(/\s+/).map((w) => w.length));
      this.headerWidths.set(i + 1, Math.max(this.headerWidths.get(i + 1) ?? 0, longest + 2));
    });
    return this.row;
  }

  /** `overflow`: columns whose text runs on over the empty cells to its right; `note`: the column of a note beside a figure. */
  line(values: readonly Value[], options: { bold?: boolean; overflow?: number[]; note?: number } = {}): number {
    this.row++;
    values.forEach((value, i) => {
      const cell = this.set(this.row, i + 1, value);
      if (options.bold) cell.font = boldFont(cell.font);
      if (options.overflow?.includes(i + 1) || options.note === i + 1) cell.unsized = true;
      cell.alignment = options.note === i + 1 ? NOTE_ALIGNMENT : TOP;
    });
    return this.row;
  }

  /** A note beside a figure written earlier. */
  noteAt(row: number, column: number, text: string): void {
    const cell = this.set(row, column, text);
    cell.alignment = NOTE_ALIGNMENT;
    cell.unsized = true;
  }

  /** The cell, created empty if it is not there yet. */
  cell(row: number, column: number): CellModel {
    const cells = (this.rows[row] ??= []);
    return (cells[column] ??= { value: null });
  }

  set(row: number, column: number, value: Value): CellModel {
    const cell = this.cell(row, column);
    if (value === undefined || value === null || value === '') return cell;
    if (typeof value === 'string') {
      cell.value = cellText(value);
      return cell;
    }
    if (typeof value === 'number') {
      cell.value = value;
      return cell;
    }
    cell.value = typeof value.value === 'string' ? cellText(value.value) : value.value;
    if (value.numFmt) cell.numFmt = value.numFmt;
    if (value.bold) cell.font = BOLD_FONT;
    if (value.input) {
      cell.font = INPUT_FONT;
      cell.fill = INPUT_FILL;
    }
    return cell;
  }

  freeze(rows: number): void {
    this.frozen = rows;
  }

  filter(headerRow: number, lastRow: number, columns: number): void {
    this.autoFilter = { headerRow, lastRow, columns };
  }

  /** Column widths from the content; text longer than `max` wraps. */
  fit(limits: Record<number, { min?: number; max?: number }> = {}, fallback = { min: 8, max: 50 }): void {
    const longest = new Map<number, number>();
    this.eachCell((cell, column) => {
      if (cell.unsized) return;
      const max = limits[column]?.max ?? fallback.max;
      const length = displayLength(cell);
      if (length > max || (typeof cell.value === 'string' && cell.value.includes('\n'))) {
        cell.alignment = wrapped(cell.alignment);
      }
      longest.set(column, Math.max(longest.get(column) ?? 0, Math.min(length, max)));
    });
    const columns = new Set([...longest.keys(), ...this.headerWidths.keys()]);
    for (const column of columns) {
      const { min = fallback.min, max = fallback.max } = limits[column] ?? {};
      const content = Math.max(longest.get(column) ?? 0, this.headerWidths.get(column) ?? 0);
      this.widths.set(column, Math.min(Math.max(content + 2, min), max + 2));
    }
    // Neither Excel nor LibreOffice reliably grows a row for wrapped text on opening, so give it the height.
    this.rows.forEach((cells, row) => {
      let lines = 1;
      cells.forEach((cell, column) => {
        const shown = shownText(cell);
        if (!cell.alignment?.wrapText || typeof shown !== 'string') return;
        lines = Math.max(lines, wrappedLines(shown, this.widths.get(column) ?? 10));
      });
      if (lines > 1) this.heights[row] = 15 * lines;
    });
  }

  /**
   * Notes in `column` wrap at `width` characters instead of running on to the right, so that the
   * sheet prints at a readable size (a note that runs on widens the printed page).
   */
  wrapNotes(column: number, width: number): void {
    this.widths.set(column, width + 2);
    this.rows.forEach((cells, row) => {
      const cell = cells?.[column];
      if (!cell || typeof shownText(cell) !== 'string' || cell.font === TITLE_FONT || cell.font === SECTION_FONT || cell.font === NOTE_FONT) return;
      cell.alignment = wrapped(cell.alignment);
      let lines = 1;
      cells.forEach((other, c) => {
        const shown = shownText(other);
        if (other.alignment?.wrapText && typeof shown === 'string') lines = Math.max(lines, wrappedLines(shown, this.widths.get(c) ?? 10));
      });
      if (lines > 1) this.heights[row] = 15 * lines;
    });
  }

  /** Every cell with a value. */
  private eachCell(visit: (cell: CellModel, column: number) => void): void {
    for (const cells of this.rows) {
      if (!cells) continue;
      cells.forEach((cell, column) => {
        if (cell.value !== null) visit(cell, column);
      });
    }
  }
}

const TOP: Alignment = { vertical: 'top' };
const NOTE_ALIGNMENT: Alignment = { indent: 1, vertical: 'top' };
const HEADER_ALIGNMENT: Alignment = { wrapText: true, vertical: 'bottom' };
const CENTRE: Alignment = { horizontal: 'center', vertical: 'top' };

const WRAPPED = new Map<Alignment | undefined, Alignment>();
function wrapped(alignment: Alignment | undefined): Alignment {
  let found = WRAPPED.get(alignment);
  if (!found) WRAPPED.set(alignment, (found = { ...alignment, wrapText: true, vertical: 'top' }));
  return found;
}

function shownText(cell: CellModel): unknown {
  const value = cell.value;
  return value !== null && typeof value === 'object' ? value.result : value;
}

/** Lines a text takes when wrapped at spaces in a column this wide (a column unit is one digit; text runs a little narrower). */
function wrappedLines(text: string, width: number): number {
  const capacity = Math.max(4, Math.floor(width * 1.1) - 1);
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let used = 0;
    lines++;
    for (const word of paragraph.split(' ')) {
      let length = word.length;
      if (used > 0 && used + 1 + length > capacity) {
        lines++;
        used = 0;
      } else if (used > 0) length += 1;
      while (length > capacity) {
        lines++;
        length -= capacity;
      }
      used += length;
    }
  }
  return lines;
}

function displayLength(cell: CellModel): number {
  const shown = shownText(cell);
  if (typeof shown === 'number') {
    if (cell.numFmt === MONEY) return poundsLength(Math.round(shown * 100)) + 1;
    if (cell.numFmt === SHARE) return formatShare(shown).length;
    if (cell.numFmt === SCORE) return shown.toFixed(2).length;
    return String(Math.round(shown * 100) / 100).length + 1;
  }
  if (typeof shown === 'string') return shown.includes('\n') ? Math.max(...shown.split('\n').map((line) => line.length)) : shown.length;
  return 0;
}

/** `formatPounds(pence).length`, counted rather than formatted: it runs for every money cell. */
function poundsLength(pence: Pence): number {
  const digits = String(Math.floor(Math.abs(pence) / 100)).length;
  return (pence < 0 ? 1 : 0) + 1 + digits + Math.floor((digits - 1) / 3) + 3;
}

/**
 * Cells that look alike share one style object, so the writer sees a few dozen distinct objects for
 * a workbook of thousands of suppliers and looks at each once, not once per cell.
 */
class Styles {
  /** numFmt → font → fill → underline → alignment → style; fonts and alignments are shared constants, so identity is enough. */
  private readonly tree = new Map<unknown, unknown>();

  of(cell: CellModel): CellStyle {
    let node = this.tree;
    for (const part of [cell.numFmt, cell.font, cell.fill, cell.underline === true]) {
      let next = node.get(part) as Map<unknown, unknown> | undefined;
      if (!next) node.set(part, (next = new Map()));
      node = next;
    }
    let style = node.get(cell.alignment) as CellStyle | undefined;
    if (!style) {
      style = { numFmt: cell.numFmt, font: cell.font, fill: cell.fill, borderBottom: cell.underline, alignment: cell.alignment };
      node.set(cell.alignment, style);
    }
    return style;
  }
}

export async function writeWorkbook(analysis: Analysis, outPath: string): Promise<void> {
  const sheets = buildSheets(analysis);
  try {
    const styles = new Styles();
    const bytes = xlsx({
      creator: `${analysis.tool.name} ${analysis.tool.version}`,
      created: new Date(analysis.generatedAt),
      title: `Local economic impact: ${cellText(analysis.settings.organisation)}`,
      sheets: sheets.map((sheet) => ({
        name: sheet.name,
        // map keeps the holes: an empty row or cell stays empty.
        // Each cell takes its style in place rather than as a copy: a workbook of thousands of suppliers has
        // a hundred thousand cells, and copying them cost more garbage collection than anything else here.
        rows: sheet.rows.map((cells) => {
          cells.forEach((cell) => void (cell.style = styles.of(cell)));
          return cells;
        }),
        heights: sheet.heights,
        widths: sheet.widths,
        frozenRows: sheet.frozen,
        autoFilter: sheet.autoFilter,
        printTitlesRow: sheet.printTitlesRow,
        pageSetup: PAGE_SETUP,
      })),
    });
    // Never half a report: written beside it, then renamed into place.
    await writeWhole(outPath, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT' || code === 'ENOTDIR') {
      // Exit 1, like a file that cannot be read: the command line itself was valid.
      throw new UserError(`Cannot write the report ${outPath}: ${(error as Error).message}`, {
        exitCode: 1,
        file: outPath,
        hint:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? 'Check that the folder exists, or give another path with --out.'
            : 'If the workbook is open in Excel, close it and run again; or give another path with --out.',
      });
    }
    throw error;
  }
}

/** The sheets in order, built in memory. */
function buildSheets(analysis: Analysis): Sheet[] {
  return [
    summarySheet(analysis),
    stepsSheet(analysis),
    lm3Sheet(analysis),
    suppliersSheet(analysis),
    categoriesSheet(analysis),
    geographySheet(analysis),
    workforceSheet(analysis),
    dataQualitySheet(analysis),
    assumptionsSheet(analysis),
  ];
}

function excludedPayments(analysis: Analysis): number {
  return analysis.excluded.reduce((sum, line) => sum + line.payments, 0);
}

/** Accepted payments less those the exclude rules took out. */
function analysedPayments(analysis: Analysis): number {
  return (analysis.ledger?.rowsAccepted ?? 0) - excludedPayments(analysis);
}

function rulesText(n: number): string {
  return n === 1 ? '1 exclude rule' : `${n} exclude rules`;
}

function vatBasisMeaning(basis: VatBasis): string {
  return basis === 'net'
    ? 'Spend is measured net of VAT (VAT goes to HMRC, not the supplier): a gross-only file has its VAT column taken off, or is flagged.'
    : 'Spend is measured gross, VAT included: a net-only file has its VAT column added, or is flagged.';
}

function lowEndNote(lm3: Pick<Lm3, 'round3Basis' | 'round3SuppliersBasis' | 'round3StaffBasis'>): string {
  if (lm3.round3Basis === 'assumed') {
    const kept = [lm3.round3SuppliersBasis === 'survey' ? 'suppliers' : undefined, lm3.round3StaffBasis === 'survey' ? 'staff' : undefined].filter(Boolean);
    return kept.length === 0
      ? 'Round 3 rests on assumptions, so the low end counts it as £0'
      : `the assumed part of Round 3 counts as £0; the part from the ${kept.join(' and ')} survey is kept`;
  }
  return lm3.round3Basis === 'survey' ? 'Round 3 rests on surveys: the low end is the score' : 'Round 3 is not traced (£0): the low end is the score';
}

function periodText(analysis: Analysis): string {
  const period = analysis.settings.period;
  return period ? `${period.label} (${formatIsoDate(period.from)} to ${formatIsoDate(period.to)})` : 'not set: every dated row was used';
}

function areaText(analysis: Analysis): string {
  return analysis.area ? analysis.area.terms.join('; ') : 'not set';
}

function summarySheet(analysis: Analysis): Sheet {
  const { settings, spend, lm3, leakage, workforce, ledger, headlines } = analysis;
  const s = new Sheet('Summary');
  s.title(`Local economic impact: ${settings.organisation}`, `How much of the money stays local. Generated ${analysis.generatedAt} by ${analysis.tool.name} ${analysis.tool.version}.`);
  s.freeze(2);
  s.row++;
  s.line(['Organisation', settings.organisation]);
  s.line(['Period', periodText(analysis)], { overflow: [2] });
  if (ledger?.firstDate) s.line(['Payments dated', `${formatIsoDate(ledger.firstDate)} to ${formatIsoDate(ledger.lastDate ?? ledger.firstDate)}`], { overflow: [2] });
  const contracts = contractValuesNote(analysis.inputs, settings.period?.label);
  if (contracts && ledger) s.line(['Amounts are', bold(spendKindLabel(ledger.kind)), null, contracts], { note: 4 });
  s.line(['Local means', areaText(analysis)], { overflow: [2] });

  s.section('Spend');
  if (spend) {
    s.header(['', '£', 'Share of spend', 'Notes']);
    s.line([ledger?.kind === 'contracts' ? 'Total contract value analysed' : 'Total spend analysed', money(spend.total), share(spend.total === 0 ? 0 : 1), `${spend.suppliers} suppliers, ${analysedPayments(analysis)} ${spendRowsNoun(ledger?.kind ?? 'payments')}`], { note: 4 });
    const local = headlines?.localShare;
    if (!local || local.supported) s.line(['Local', money(spend.local), share(spend.localShare), `${spend.localSuppliers} suppliers`], { note: 4 });
    else s.line(['Local (known)', money(spend.local), null, `${spend.localSuppliers} suppliers; local share ${localShareHeadline(local)}, ${whyNot(local, headlines!)}`], { note: 4 });
    s.line(['Non-local', money(spend.nonLocal), share(spend.total === 0 ? 0 : spend.nonLocal / spend.total), `${spend.nonLocalSuppliers} suppliers`], { note: 4 });
    s.line(['Unknown location', money(spend.unknown), share(spend.unknownShare), `${spend.unknownSuppliers} suppliers; counted as non-local in the central figures, never as leaking${spend.unattributable > 0 ? `; ${formatPounds(spend.unattributable)} of it to redacted or placeholder payees` : ''}`], { note: 4 });
    if (headlines) {
      s.line(['Spend located', money(headlines.coverage.locatedSpend), share(headlines.coverage.spendLocatedShare), `${formatMilliPercent(headlines.coverage.threshold, 0)} needed for the local share, leakage and LM3 to be findings${headlines.coverage.spendMet ? ': met' : ': NOT met, so they are given as ranges'}`], { note: 4 });
    }
    s.line(['Top 10 suppliers', money(spend.top10Total), share(spend.top10Share), 'concentration'], { note: 4 });
    if (analysis.excluded.length > 0) {
      s.line(['Excluded by rule (not analysed)', money(ledger?.excludedTotal ?? 0), null, `${excludedPayments(analysis)} payments under the project file's ${rulesText(analysis.excluded.length)}; accepted, but not procurement, so outside the shares above (see Data quality)`], { note: 4 });
    }
  } else {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
  }

  s.section('Local Multiplier 3 (LM3)');
  const shown = analysis.published;
  if (lm3 && leakage && headlines) {
    s.header(['', 'Value', 'Share', 'Notes']);
    const supported = headlines.lm3.supported;
    const score = (value: number | null, extra: Partial<Styled> = {}): Value => (lm3.score === undefined ? NO_SCORE : value === null ? WITHHELD_PAY : { value, numFmt: SCORE, ...extra });
    s.line(
      [bold(supported ? 'LM3 score' : 'LM3 (range only)'), supported ? score(shown.lm3.score, { bold: true }) : bold(lm3Headline(lm3, shown.lm3, headlines.lm3)), null, lm3Note(lm3, shown.lm3, headlines.lm3, headlines)],
      { note: 4 },
    );
    s.line(['LM3 low end', score(shown.lm3.scoreLow), null, lowEndNote(lm3)], { note: 4 });
    s.line(['LM3 high end', score(shown.lm3.scoreHigh), null, 'unknown supplier and staff locations counted as local'], { note: 4 });
    s.line(['Round 1 (R1)', shownMoney(shown.lm3.round1), null, round1BasisLabel(lm3.round1Basis)], { note: 4 });
    if (supported) s.line(['Round 2 (R2): spent locally', shownMoney(shown.lm3.round2), shownShare(shown.lm3.round2Share), 'R2/R1: local suppliers + pay of staff living locally'], { note: 4 });
    else s.line(['Round 2 (R2): known to be spent locally', shownMoney(shown.lm3.round2), null, `${round2Note(lm3, shown.lm3, headlines.lm3, shown.percentDigits.rounds)}: local suppliers + pay of staff living locally`], { note: 4 });
    s.line(['Round 3 (R3): re-spent locally', shownMoney(shown.lm3.round3), shownShare(shown.lm3.round3Share), `R3/R2; basis: ${round3BasisLabel(lm3.round3Basis)}`], { note: 4 });
    if (headlines.leakage.supported) {
      s.line(['Spend leakage', shownMoney(shown.leakage.total), shownShare(shown.leakage.share), leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage)], { note: 4 });
    } else {
      s.line(['Spend leakage (range only)', leakageHeadline(shown.leakage, headlines.leakage, shown.percentDigits.leakage), null, leakageNote(shown.leakage, headlines.leakage, headlines, shown.percentDigits.leakage)], { note: 4 });
    }
    s.line(['Where R1 went', 'see the LM3 sheet', null, 'every part of Round 1, as formulas that add up to it'], { note: 4 });
  } else {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
  }

  s.section('Workforce');
  if (workforce) {
    s.header(['', 'Value', 'Share', 'Notes']);
    s.line(['Staff', count(workforce.staff), null, `${workforce.fte} FTE`], { note: 4 });
    s.line(['Staff living locally', count(workforce.localStaff), share(workforce.staff === 0 ? 0 : workforce.localStaff / workforce.staff), `${workforce.localFte} FTE (local jobs)`], { note: 4 });
    s.line(['Gross pay to staff living locally', shownMoney(shown.workforce.localGrossPay), shownShare(shown.workforce.localPayShare), 'share of gross pay'], { note: 4 });
    s.line(['Payroll cost', shownMoney(shown.workforce.payrollCost), null, 'gross pay + employer NI + employer pension'], { note: 4 });
    if (workforce.livingWage && shown.workforce.livingWage) {
      const lw = workforce.livingWage;
      s.line([`Paid at least the Living Wage (${formatPounds(lw.rate)}/h)`, count(lw.atOrAbove), share(lw.share), `of ${lw.withRate} staff with an hourly rate`], { note: 4 });
    }
  } else {
    s.line([NOT_PROVIDED_PAYROLL], { overflow: [1] });
  }
  for (const statement of analysis.disclosure.statements) s.line(['Withheld to keep staff pay private', null, null, statement], { note: 4 });

  s.section('Warnings');
  const warnings = analysis.findings.summary().filter((f) => f.severity !== 'info');
  if (warnings.length === 0) s.line(['None. Notes on the data are on the Data quality sheet.'], { overflow: [1] });
  else {
    s.header(['Warning', 'Count', '', 'First occurrence']);
    for (const w of warnings) s.line([w.code, count(w.count), null, shownMessage(w)], { note: 4 });
  }
  s.fit({ 1: { min: 30, max: 42 }, 2: { min: 16 }, 3: { min: 12 }, 4: { min: 20, max: 30 } });
  s.wrapNotes(4, 70);
  return s;
}

function stepsSheet(analysis: Analysis): Sheet {
  const s = new Sheet('Steps');
  s.title('The 10 steps', 'Where this project stands on each step, from what this run could read and measure.');
  const header = s.header(['Step', 'Title', 'Status', 'Evidence', 'Next']);
  s.freeze(header);
  const centre = (row: number) => (s.cell(row, 1).alignment = CENTRE);
  for (const step of assessSteps(analysis)) {
    const row = s.line([step.number, step.title, step.state, step.evidence, step.next]);
    s.cell(row, 3).fill = STATE_FILL[step.state];
    centre(row);
  }
  s.filter(header, s.row, 5);
  s.section('The seven characteristics of a resilient local economy');
  s.header(['#', 'Characteristic', 'Evidenced by', 'Rating', 'Evidence']);
  for (const c of assessCharacteristics(analysis)) centre(s.line([c.number, c.name, c.measurement, c.rating, c.evidence]));
  s.section('Credits');
  s.note(APPROACH_CREDIT);
  s.note(FRAMEWORK_CREDIT);
  s.fit({ 1: { min: 6, max: 6 }, 2: { min: 24, max: 32 }, 3: { min: 14, max: 16 }, 4: { max: 50 }, 5: { max: 50 } });
  return s;
}

function lm3Sheet(analysis: Analysis): Sheet {
  const { lm3, spend, settings, suppliers } = analysis;
  const s = new Sheet('LM3');
  s.title(
    `LM3: Local Multiplier 3 — ${settings.organisation}`,
    'LM3 = (R1 + R2 + R3) / R1 (NEF, The Money Trail, 2002). Blue cells are inputs from the files; the others are live formulas over them: change an input and the rounds recalculate.',
  );
  s.freeze(2);
  if (!lm3 || !spend) {
    s.row++;
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const local = suppliers.filter((x) => x.status === 'local');
  const unknown = suppliers.filter((x) => x.status === 'unknown');
  const { supplierMean, staffMean } = lm3;
  const assumed = settings.assumptions;
  // computeLm3 was given the local and unknown suppliers in this order, so its terms line up with these rows.
  const ownTotal = local.reduce((sum, x, i) => sum + (x.surveyPercent === undefined ? 0 : lm3.supplierRound3[i]!), 0);
  const atRateTotal = lm3.round3Suppliers - ownTotal;
  const unknownSpend = unknown.reduce((sum, x) => sum + x.amount, 0);
  const unknownRespend = lm3.unknownSupplierRound3.reduce((sum, r3) => sum + r3, 0);
  // Figures staff pay feeds as the disclosure stage publishes them: a live formula only where every cell it
  // reads and the figure itself are published as they are; else the published value, or "withheld".
  const shown = analysis.published;
  const d = analysis.disclosure;
  const localPayWithheld = shown.lm3.round2Staff === null;
  const unknownPayWithheld = shown.lm3.unknownStaffPay === null;
  const B = (row: number) => `B${row}`;
  const input = (pence: Pence): Styled => money(pence, { input: true });
  const pay = (pence: Pence | null): Value => (pence === null ? WITHHELD_PAY : input(pence));
  const moneyCell = (formula: string, pence: number | null, live: boolean): Value => (pence === null ? WITHHELD_PAY : live ? calc(formula, pence / 100, MONEY) : input(pence));
  const ratioCell = (formula: string, value: number | null | undefined, live: boolean, numFmt: string, extra: Partial<Styled> = {}): Value =>
    value === undefined ? NO_SCORE : value === null ? WITHHELD_PAY : live ? { ...calc(formula, value, numFmt), ...extra } : { value, numFmt, ...extra };
  const scoreFormula = (terms: string) => `IF(${B(r1)}>0,(${B(r1)}+${terms})/${B(r1)},"${NO_SCORE}")`;
  const supported = analysis.headlines?.lm3.supported ?? true;
  const centralNote = (note: string) => (supported || !analysis.headlines ? note : `central figure only, ${whyNot(analysis.headlines.lm3, analysis.headlines)}`);
  const wagesWord = lm3.wages;
  const withheldNote = (withheld: boolean, note: string) => (withheld ? `${note}${note ? '; ' : ''}staff pay in it withheld (see Assumptions)` : note);

  s.section('Inputs');
  s.line(['Round 1 basis', round1BasisLabel(lm3.round1Basis)], { overflow: [2] });
  let r1Formula: string;
  let r1Live = true;
  if (lm3.round1Basis === 'income') {
    const income = s.line(['Income followed', input(lm3.round1), 'the income or contract value given'], { note: 3 });
    r1Formula = B(income);
  } else {
    const kind = analysis.ledger?.kind ?? 'payments';
    const spendRow = s.line(['Spend analysed', input(spend.total), kind === 'payments' ? 'all supplier payments accepted' : `all ${spendRowsNoun(kind)} accepted (${spendKindLabel(kind)})`], { note: 3 });
    const payrollRow = s.line(['Payroll cost', pay(shown.workforce.payrollCost), 'gross pay + employer NI + employer pension'], { note: 3 });
    r1Formula = `${B(spendRow)}+${B(payrollRow)}`;
    r1Live = shown.workforce.payrollCost !== null;
  }
  const localSpendRow = s.line(['Local supplier spend', null, `sum of the ${local.length} local suppliers listed below`], { note: 3 });
  const localPayRow = s.line([`Pay of staff living locally (${wagesWord})`, pay(shown.lm3.round2Staff), 'home postcode inside the area'], { note: 3 });
  const supplierRateRow = s.line(['Re-spend rate of unsurveyed local suppliers', null, ''], { note: 3 });
  let staffRateFormula: Styled;
  let staffRateNote: string;
  if (staffMean) {
    const responses = s.line(['Staff survey responses', { value: staffMean.respondents, numFmt: COUNT, input: true }, 'anonymous returns'], { note: 3 });
    const total = s.line(['Sum of staff survey answers', { value: Number(staffMean.numerator) / MILLI_PERCENT_WHOLE, numFmt: SHARE, input: true }, 'each answer: share of pay spent locally'], { note: 3 });
    staffRateFormula = calc(`IF(${B(responses)}=0,0,${B(total)}/${B(responses)})`, staffMean.percent / 100, SHARE);
    staffRateNote = 'unweighted mean of the staff answers';
  } else if (assumed.staffPercent !== undefined) {
    staffRateFormula = { value: percentOf(assumed.staffPercent), numFmt: SHARE, input: true };
    staffRateNote = `assumed${assumed.source ? `: ${assumed.source}` : ''}`;
  } else {
    staffRateFormula = { value: 0, numFmt: SHARE, input: true };
    staffRateNote = 'no staff survey and no assumption: Round 3 staff is £0';
  }
  const staffRateRow = s.line(['Local-spend rate of staff', staffRateFormula, staffRateNote], { note: 3 });
  const unknownSpendRow = s.line(['Spend with suppliers of unknown location', null, `sum of the ${unknown.length} suppliers listed at the end`], { note: 3 });
  const unknownPayRow = s.line([`Pay of staff with no usable home postcode (${wagesWord})`, pay(shown.lm3.unknownStaffPay), 'counted only at the high end'], { note: 3 });

  s.section('Rounds');
  const r1 = s.line(['R1: money in', moneyCell(r1Formula, shown.lm3.round1, r1Live), round1BasisLabel(lm3.round1Basis)], { note: 3 });
  const r2Live = !localPayWithheld && isExact(d, 'lm3.round2');
  const r2 = s.line(['R2: spent locally', moneyCell(`${B(localSpendRow)}+${B(localPayRow)}`, shown.lm3.round2, r2Live), withheldNote(localPayWithheld, 'local supplier spend + pay of staff living locally')], { note: 3 });
  const ownRow = s.line(['R3 from surveyed local suppliers (own answers)', null, 'each surveyed supplier × its own answer'], { note: 3 });
  const atRateRow = s.line(['R3 from unsurveyed local suppliers (at the rate)', null, 'each unsurveyed supplier × the re-spend rate'], { note: 3 });
  const staffR3 = s.line(['R3 from staff', moneyCell(`ROUND(${B(localPayRow)}*${B(staffRateRow)},2)`, shown.lm3.round3Staff, !localPayWithheld), 'pay of staff living locally × their local-spend rate'], { note: 3 });
  const r3Live = shown.lm3.round3Staff !== null && isExact(d, 'lm3.round3');
  const r3 = s.line(['R3: re-spent locally', moneyCell(`${B(ownRow)}+${B(atRateRow)}+${B(staffR3)}`, shown.lm3.round3, r3Live), withheldNote(shown.lm3.round3Staff === null, `basis: ${round3BasisLabel(lm3.round3Basis)}`)], { note: 3 });
  const scoreLive = r1Live && r2Live && r3Live && isExact(d, 'lm3.score');
  const score = s.line([bold('LM3 = (R1 + R2 + R3) / R1'), ratioCell(scoreFormula(`${B(r2)}+${B(r3)}`), lm3.score === undefined ? undefined : shown.lm3.score, scoreLive, SCORE, { bold: true }), centralNote('between 1 and 3')], { note: 3 });
  const further = lm3.score === undefined ? 0 : shown.lm3.score === null ? null : shown.lm3.score - 1;
  s.line(['Each £1 of R1 generates a further', further === null ? WITHHELD_PAY : scoreLive ? calc(`IF(${B(r1)}>0,${B(score)}-1,0)`, further, MONEY) : { value: further, numFmt: MONEY }, centralNote('locally')], { note: 3 });
  s.line(['R2 / R1', ratioCell(`IF(${B(r1)}=0,0,${B(r2)}/${B(r1)})`, shown.lm3.round2Share, r1Live && r2Live && isExact(d, 'lm3.round2Share'), SHARE), centralNote('share of R1 spent locally')], { note: 3 });
  s.line(['R3 / R2', ratioCell(`IF(${B(r2)}=0,0,${B(r3)}/${B(r2)})`, shown.lm3.round3Share, r2Live && r3Live && isExact(d, 'lm3.round3Share'), SHARE), 'share of R2 re-spent locally'], { note: 3 });

  s.section('Range');
  const r2HighLive = r2Live && !unknownPayWithheld && isExact(d, 'lm3.high.round2');
  const r2High = s.line(['R2 at the high end', moneyCell(`${B(r2)}+${B(unknownSpendRow)}+${B(unknownPayRow)}`, shown.lm3.highRound2, r2HighLive), withheldNote(shown.lm3.highRound2 === null, 'unknown locations counted as local')], { note: 3 });
  const unknownR3Row = s.line(['R3 from suppliers of unknown location (at the rate)', null, 'high end only'], { note: 3 });
  const staffHighLive = !localPayWithheld && !unknownPayWithheld;
  const staffHighRow = s.line(['R3 from staff at the high end', moneyCell(`ROUND((${B(localPayRow)}+${B(unknownPayRow)})*${B(staffRateRow)},2)`, shown.lm3.highRound3Staff, staffHighLive), 'staff with no usable postcode counted as local'], { note: 3 });
  const r3HighLive = shown.lm3.highRound3Staff !== null && staffHighLive && isExact(d, 'lm3.high.round3');
  const r3High = s.line(['R3 at the high end', moneyCell(`${B(ownRow)}+${B(atRateRow)}+${B(unknownR3Row)}+${B(staffHighRow)}`, shown.lm3.highRound3, r3HighLive), withheldNote(shown.lm3.highRound3 === null, '')], { note: 3 });
  s.line([bold('LM3 high end'), ratioCell(scoreFormula(`${B(r2High)}+${B(r3High)}`), lm3.scoreHigh === undefined ? undefined : shown.lm3.scoreHigh, r1Live && r2HighLive && r3HighLive && isExact(d, 'lm3.scoreHigh'), SCORE, { bold: true }), ''], { note: 3 });
  // The low end drops only the assumed parts of Round 3; what the surveys found stays.
  const suppliersAssumed = lm3.round3SuppliersBasis === 'assumed';
  const staffAssumed = lm3.round3StaffBasis === 'assumed';
  const lowValue = lm3.scoreLow === undefined ? undefined : shown.lm3.scoreLow;
  const lowLive = scoreLive && isExact(d, 'lm3.scoreLow');
  if (!suppliersAssumed && !staffAssumed) {
    s.line([bold('LM3 low end'), ratioCell(B(score), lowValue, lowLive, SCORE, { bold: true }), lowEndNote(lm3)], { note: 3 });
  } else {
    const dropped = [...(suppliersAssumed ? [B(ownRow), B(atRateRow)] : []), ...(staffAssumed ? [B(staffR3)] : [])];
    s.line([bold('LM3 low end'), ratioCell(scoreFormula(`${B(r2)}+${B(r3)}-${dropped.join('-')}`), lowValue, lowLive && !(staffAssumed && localPayWithheld), SCORE, { bold: true }), lowEndNote(lm3)], { note: 3 });
  }

  roundOneReconciliation(s, analysis, { r1, localSpendRow, localPayRow, unknownSpendRow, unknownPayRow });

  s.section('Round 3 basis');
  s.line(['Round 3 as a whole', round3BasisLabel(lm3.round3Basis)], { note: 3 });
  s.line(['Suppliers', round3BasisLabel(lm3.round3SuppliersBasis)], { note: 3 });
  s.line(['Staff', round3BasisLabel(lm3.round3StaffBasis)], { note: 3 });
  const c = lm3.coverage;
  if (supplierMean) {
    s.line(['Supplier survey mean', share(supplierMean.percent / 100), `${supplierMean.respondents} local suppliers answered; ${settings.supplierAveraging} mean`], { note: 3 });
  }
  s.line(['Supplier survey coverage (by spend)', share(c.supplierSpendShare), `${formatPounds(c.surveyedSupplierSpend)} of ${formatPounds(c.localSupplierSpend)}; ${c.surveyedSuppliers} of ${c.localSuppliers} local suppliers`], { note: 3 });
  if (staffMean) s.line(['Staff survey mean', share(staffMean.percent / 100), `${staffMean.respondents} responses; unweighted mean`], { note: 3 });
  s.line(['Staff survey coverage (responses / local staff)', share(c.localStaff === 0 ? 0 : c.staffResponses / c.localStaff), `${c.staffResponses} responses; ${c.localStaff} staff living locally`], { note: 3 });
  if (assumed.supplierPercent !== undefined) s.line(['Assumed supplier re-spend', share(percentOf(assumed.supplierPercent)), supplierMean ? 'not used: the survey is' : 'used for every local supplier'], { note: 3 });
  if (assumed.staffPercent !== undefined) s.line(['Assumed staff local spend', share(percentOf(assumed.staffPercent)), staffMean ? 'not used: the survey is' : 'used for staff living locally'], { note: 3 });
  if (assumed.source) s.line(['Source of the assumptions', assumed.source], { overflow: [2] });

  s.section('Round 3 workings: local suppliers');
  const localHeader = s.header(['Supplier', 'Supplier ID', 'Spend', 'Survey answer', 'R3 from own answer', 'R3 at the rate']);
  const first = localHeader + 1;
  local.forEach((x, i) => {
    const row = s.row + 1;
    const r3 = lm3.supplierRound3[i]! / 100;
    s.line([
      x.name,
      x.supplierId,
      input(x.amount),
      x.surveyPercent === undefined ? null : { value: percentOf(x.surveyPercent), numFmt: SHARE, input: true },
      calc(`IF(ISNUMBER(D${row}),ROUND(C${row}*D${row},2),0)`, x.surveyPercent === undefined ? 0 : r3, MONEY),
      calc(`IF(ISNUMBER(D${row}),0,ROUND(C${row}*$B$${supplierRateRow},2))`, x.surveyPercent === undefined ? r3 : 0, MONEY),
    ]);
  });
  const last = s.row;
  if (local.length === 0) s.line(['No local suppliers.']);
  const range = (column: string) => `${column}${first}:${column}${last}`;
  const sumOrZero = (column: string, result: Pence): Styled => (local.length === 0 ? money(0) : calc(`SUM(${range(column)})`, result / 100, MONEY));
  s.set(localSpendRow, 2, sumOrZero('C', lm3.round2Suppliers));
  s.set(ownRow, 2, sumOrZero('E', ownTotal));
  s.set(atRateRow, 2, sumOrZero('F', atRateTotal));
  if (supplierMean && local.length > 0) {
    const answers = range('D');
    const spendRange = range('C');
    const weight = `SUMPRODUCT(ISNUMBER(${answers})*${spendRange})`;
    const formula =
      settings.supplierAveraging === 'unweighted' ? `AVERAGE(${answers})` : `IF(${weight}=0,AVERAGE(${answers}),SUMPRODUCT(${spendRange},${answers})/${weight})`;
    s.set(supplierRateRow, 2, calc(formula, supplierMean.percent / 100, SHARE));
    s.noteAt(supplierRateRow, 3, `${settings.supplierAveraging} mean of the survey answers below`);
  } else if (assumed.supplierPercent !== undefined) {
    s.set(supplierRateRow, 2, { value: percentOf(assumed.supplierPercent), numFmt: SHARE, input: true });
    s.noteAt(supplierRateRow, 3, `assumed${assumed.source ? `: ${assumed.source}` : ''}`);
  } else {
    s.set(supplierRateRow, 2, { value: 0, numFmt: SHARE, input: true });
    s.noteAt(supplierRateRow, 3, 'no supplier survey and no assumption: their Round 3 is £0');
  }

  s.section('Suppliers of unknown location (counted only at the high end)');
  const unknownHeader = s.header(['Supplier', 'Supplier ID', 'Spend', '', '', 'R3 at the rate']);
  unknown.forEach((x, i) => {
    const row = s.row + 1;
    s.line([x.name, x.supplierId, input(x.amount), null, null, calc(`ROUND(C${row}*$B$${supplierRateRow},2)`, lm3.unknownSupplierRound3[i]! / 100, MONEY)]);
  });
  if (unknown.length === 0) {
    s.line(['None: every supplier is located.']);
    s.set(unknownSpendRow, 2, money(0));
    s.set(unknownR3Row, 2, money(0));
  } else {
    s.set(unknownSpendRow, 2, calc(`SUM(C${unknownHeader + 1}:C${s.row})`, unknownSpend / 100, MONEY));
    s.set(unknownR3Row, 2, calc(`SUM(F${unknownHeader + 1}:F${s.row})`, unknownRespend / 100, MONEY));
  }
  s.fit({ 1: { min: 44, max: 52 }, 2: { min: 16, max: 18 }, 3: { min: 16, max: 16 }, 4: { min: 10, max: 10 }, 5: { min: 14, max: 14 }, 6: { min: 14, max: 14 } });
  return s;
}

/**
 * Where Round 1 went, as formulas over the sheet's input cells that add up to R1 (method.md, "R1 reconciles").
 * Spend leakage is one named part of it. Pay split by where staff live appears only when no group is withheld.
 */
function roundOneReconciliation(
  s: Sheet,
  analysis: Analysis,
  at: { r1: number; localSpendRow: number; localPayRow: number; unknownSpendRow: number; unknownPayRow: number },
): void {
  const rec = analysis.reconciliation;
  if (!rec) return;
  const shown = analysis.published;
  const B = (row: number) => `B${row}`;
  const input = (pence: Pence): Styled => money(pence, { input: true });
  const pay = (pence: Pence | null): Value => (pence === null ? WITHHELD_PAY : input(pence));
  const p = shown.reconciliation;
  // Pay split by where staff live, where the disclosure stage publishes each part; else one line, or none.
  const splitPay = p.localPay !== null && p.nonLocalPay !== null && p.unknownPay !== null && shown.lm3.round2Staff !== null && shown.lm3.unknownStaffPay !== null;
  s.section('Where Round 1 went (it adds up to R1)');
  const parts: number[] = [];
  let complete = true;
  const part = (label: string, value: Value, note: string) => {
    const row = s.line([label, value, note], { note: 3 });
    parts.push(row);
    if (value === WITHHELD_PAY) complete = false;
    return row;
  };
  part('Local suppliers (in R2)', calc(B(at.localSpendRow), rec.localSuppliers / 100, MONEY), 'from Inputs');
  if (splitPay) part('Pay of staff living locally (in R2)', calc(B(at.localPayRow), rec.localPay / 100, MONEY), 'from Inputs');
  const nonLocalSuppliers = part('Suppliers located outside the area (leakage)', input(rec.nonLocalSuppliers), 'spend with suppliers placed outside the area');
  let nonLocalPay: number | undefined;
  if (splitPay) nonLocalPay = part('Pay of staff living outside the area (leakage)', input(rec.nonLocalPay), 'home postcode outside the area');
  part('Suppliers of unknown location (neither local nor leakage)', calc(B(at.unknownSpendRow), rec.unknownSuppliers / 100, MONEY), 'from Inputs; never counted as leaking');
  if (splitPay) part('Pay of staff of unknown location', calc(B(at.unknownPayRow), rec.unknownPay / 100, MONEY), 'from Inputs');
  else if (analysis.workforce && analysis.workforce.staff > 0) {
    part(`Pay of staff (${analysis.lm3?.wages ?? 'gross'})`, pay(p.pay), 'all staff together: split by where they live withheld (see Assumptions)');
  }
  if (rec.payDeductions !== 0) part('Deductions from pay (gross − net)', pay(p.payDeductions), 'income tax, employee NI and the like: in R1 but not in net pay');
  part('Employer NI and pension (on-costs)', pay(p.onCosts), 'in R1 as payroll cost, never in R2');
  part(
    'Excluded spend',
    input(rec.excluded),
    analysis.lm3?.round1Basis === 'income'
      ? 'taken out by the exclude rules: paid from the income, outside the local share'
      : `outside R1 here: with no income given, R1 is the money analysed${(analysis.ledger?.excludedTotal ?? 0) > 0 ? ` (${formatPounds(analysis.ledger!.excludedTotal)} excluded)` : ''}`,
  );
  const others = parts.map(B).join(',');
  const notSpentLabel = rec.notSpent < 0 ? 'Spent beyond income (negative: more went out than the income)' : 'Not spent in the period';
  const r1Shown = shown.lm3.round1 !== null;
  const notSpent = s.line([notSpentLabel, shown.lm3.notSpent === null || !complete || !r1Shown ? WITHHELD_PAY : calc(`${B(at.r1)}-SUM(${others})`, rec.notSpent / 100, MONEY), 'R1 less every part above'], { note: 3 });
  s.line([bold('Total: equals R1'), complete && r1Shown && shown.lm3.notSpent !== null ? { ...calc(`SUM(${others},${B(notSpent)})`, rec.round1 / 100, MONEY), bold: true } : WITHHELD_PAY, r1Shown ? `check: R1 is ${formatPounds(rec.round1)}` : 'R1 withheld (see Assumptions)'], { note: 3 });
  if (nonLocalPay !== undefined && shown.leakage.total !== null) {
    s.line([bold('Spend leakage'), calc(`${B(nonLocalSuppliers)}+${B(nonLocalPay)}`, (rec.nonLocalSuppliers + rec.nonLocalPay) / 100, MONEY), 'the two leakage parts above: money known to leave the area'], { note: 3 });
  } else {
    s.line([bold('Spend leakage (suppliers)'), calc(B(nonLocalSuppliers), rec.nonLocalSuppliers / 100, MONEY), 'staff pay leaving the area is in the pay line above; in pounds it is withheld (see Assumptions)'], { note: 3 });
  }
}

function spellingsText(supplier: Supplier): string {
  return supplier.spellings
    .filter((spelling) => spelling.text !== supplier.name)
    .map((spelling) => `${spelling.text} (${formatPounds(spelling.amount)})`)
    .join('; ');
}

function suppliersSheet(analysis: Analysis): Sheet {
  const { spend, suppliers } = analysis;
  const s = new Sheet('Suppliers');
  s.title('Suppliers', 'One row per supplier, largest spend first. Unknown location counts as non-local in the central figures.');
  if (!spend) {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  // Council and region come from the postcode directory, distance from a radius: columns only when the run had them.
  const placed = analysis.referenceData.directory !== undefined;
  const measured = suppliers.some((x) => x.distanceMiles !== undefined);
  const columns: { label: string; value: (x: Supplier) => Value; width?: { min?: number; max?: number } }[] = [
    { label: 'Supplier', value: (x) => x.name, width: { max: 40 } },
    { label: 'Supplier ID', value: (x) => x.supplierId },
    { label: 'Postcode', value: (x) => x.postcode, width: { min: 10 } },
    { label: 'Postcode from', value: (x) => postcodeSourceLabel(x.postcodeSource) },
    ...(placed
      ? [
          { label: 'Council', value: (x: Supplier) => x.councilName ?? '', width: { max: 28 } },
          { label: 'Council code', value: (x: Supplier) => x.council ?? '', width: { min: 11 } },
          { label: 'Region', value: (x: Supplier) => x.regionName ?? '', width: { max: 26 } },
        ]
      : []),
    ...(measured ? [{ label: 'Distance (miles)', value: (x: Supplier) => (x.distanceMiles === undefined ? null : { value: x.distanceMiles, numFmt: MILES }), width: { min: 10 } }] : []),
    { label: 'Status', value: (x) => x.status },
    { label: 'Basis', value: (x) => supplierBasisLabel(x), width: { max: 32 } },
    { label: 'Type', value: (x) => x.type ?? '' },
    { label: 'Type from', value: (x) => (x.typeSource === undefined ? '' : typeSourceLabel(x.typeSource)), width: { max: 28 } },
    { label: 'Sector', value: (x) => x.sector, width: { max: 24 } },
    { label: 'Total', value: (x) => money(x.amount), width: { min: 14 } },
    { label: 'Payments', value: (x) => count(x.payments), width: { min: 10 } },
    { label: 'Share of total', value: (x) => share(spend.total === 0 ? 0 : x.amount / spend.total), width: { min: 10 } },
    { label: 'Survey answer', value: (x) => (x.surveyPercent === undefined ? null : share(percentOf(x.surveyPercent))), width: { min: 10 } },
    { label: 'Other spellings', value: (x) => spellingsText(x), width: { max: 50 } },
  ];
  const header = s.header(columns.map((c) => c.label));
  s.freeze(header);
  for (const x of suppliers) s.line(columns.map((c) => c.value(x)));
  s.filter(header, s.row, columns.length);
  s.printTitlesRow = header;
  s.fit(Object.fromEntries(columns.flatMap((c, i) => (c.width ? [[i + 1, c.width]] : []))));
  return s;
}

function categoriesSheet(analysis: Analysis): Sheet {
  const { spend } = analysis;
  const s = new Sheet('Categories');
  s.title('Spend by category', 'A supplier paid under several categories counts in each; its status is the supplier\'s.');
  if (!spend) {
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const columns = ['Category', 'Suppliers', 'Payments', 'Total', 'Local', 'Non-local', 'Unknown location', 'Local share'];
  const header = s.header(columns);
  s.freeze(header);
  const localShare = (row: number, result: number): Styled => calc(`IF(D${row}=0,0,E${row}/D${row})`, result, SHARE);
  for (const category of spend.byCategory) {
    const row = s.row + 1;
    s.line([category.category, count(category.suppliers), count(category.payments), money(category.total), money(category.local), money(category.nonLocal), money(category.unknown), localShare(row, category.localShare)]);
  }
  const last = s.row;
  s.filter(header, last, columns.length);
  const total = s.row + 1;
  const sum = (column: string, pence: Pence): Styled =>
    spend.byCategory.length === 0 ? money(pence) : calc(`SUM(${column}${header + 1}:${column}${last})`, pence / 100, MONEY);
  s.line(
    [
      'All categories',
      count(spend.suppliers),
      count(analysedPayments(analysis)),
      sum('D', spend.total),
      sum('E', spend.local),
      sum('F', spend.nonLocal),
      sum('G', spend.unknown),
      localShare(total, spend.localShare),
    ],
    { bold: true },
  );
  s.section('By supplier type');
  s.note('Type from the supplier register; a charity number there means VCSE. Suppliers not in the register are "not known".');
  s.header(['Type', 'Suppliers', '', 'Total', 'Local', 'Non-local', 'Unknown location', 'Local share']);
  for (const type of spend.byType) {
    const row = s.row + 1;
    s.line([type.type, count(type.suppliers), null, money(type.total), money(type.local), money(type.nonLocal), money(type.unknown), localShare(row, type.localShare)]);
  }
  s.fit({ 1: { min: 24, max: 40 }, 4: { min: 14 }, 5: { min: 14 }, 6: { min: 14 }, 7: { min: 14 } });
  return s;
}

function geographySheet(analysis: Analysis): Sheet {
  const { spend, geography, deprivation, referenceData } = analysis;
  const s = new Sheet('Geography');
  s.title('Geography', 'Spend by each definition of local, with suppliers in the most deprived areas, and by council.');
  s.freeze(2);
  if (!spend || !geography) {
    s.row++;
    s.line([NOT_PROVIDED_SPEND], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const directory = referenceData.directory !== undefined;

  s.section('Local by tier');
  if (geography.tiers.length === 0) {
    s.line(['No tiers given: --tier <spec> (repeatable, or "tiers" in the project file) reports nested definitions side by side, e.g. a council, its region and England.'], { overflow: [1] });
  } else {
    const tiers = geography.tiers;
    s.header(['', ...tiers.map((t) => t.label)]);
    s.line(['Given as', ...tiers.map((t) => t.spec)]);
    s.line(['Local means', ...tiers.map((t) => t.terms.join('; '))]);
    const local = s.line(['Local', ...tiers.map((t) => money(t.local))]);
    s.line(['Non-local', ...tiers.map((t) => money(t.nonLocal))]);
    s.line(['Unknown location', ...tiers.map((t) => money(t.unknown))]);
    const total = s.line(['Total spend', ...tiers.map((t) => money(t.total))]);
    const column = (i: number) => columnLetter(i + 2);
    s.line([bold('Local share'), ...tiers.map((t, i) => ({ ...calc(`IF(${column(i)}${total}=0,0,${column(i)}${local}/${column(i)}${total})`, t.localShare, SHARE), bold: true }))]);
    // The coverage rule holds per tier: below it, the share is only the low end of a range.
    const support = analysis.headlines?.tiers ?? [];
    if (support.some((t) => !t.supported)) {
      s.line(['A finding?', ...support.map((t) => (t.supported ? 'yes' : `no: up to ${formatShare(t.high)} if every unknown is local`))]);
    }
  }

  s.section('Districts across the boundary');
  s.header(['', '£', 'Share of spend', 'Notes']);
  s.line(['Known only by a district across the boundary', money(geography.uncertain), share(spend.total === 0 ? 0 : geography.uncertain / spend.total), 'counted in Unknown location, never assigned'], { note: 4 });
  if (directory) {
    s.line(['Estimated local part of that', money(geography.uncertainEstimatedLocal), share(spend.total === 0 ? 0 : geography.uncertainEstimatedLocal / spend.total), "each district's share of postcodes inside the area × the spend: an estimate, not counted as local"], { note: 4 });
  }

  s.section('Deprivation');
  if (deprivation) {
    s.note('Spend with suppliers in the most deprived areas of England, by the English Indices of Deprivation.');
    s.header(['', '£', 'Share of spend', 'Notes']);
    s.line(['In the most deprived 10% of areas (decile 1)', money(deprivation.decile1), share(deprivation.decile1Share), ''], { note: 4 });
    s.line(['In the most deprived 20% of areas (deciles 1–2)', money(deprivation.decile1to2), share(deprivation.decile1to2Share), ''], { note: 4 });
    s.line(['Spend whose supplier has a decile', null, share(deprivation.coveredShare), 'English suppliers the postcode directory places'], { note: 4 });
    s.line(['Basis', `${deprivation.edition}, ${deprivationBasisLabel(deprivation.basis)}`], { overflow: [2] });
  } else {
    s.line([directory ? 'Not measured: import the English Indices of Deprivation with local-impact geo import-imd <file>.' : 'Not measured: it needs the postcode directory (an area or tier by council, region or radius) and the Indices of Deprivation (local-impact geo import-imd <file>).'], { overflow: [1] });
  }

  s.section('Spend by council');
  if (!directory) {
    s.line(['Needs the ONS postcode directory: local-impact geo import <NSPL file>, then an area or tier by council, region or radius (e.g. --area Calderdale).'], { overflow: [1] });
  } else {
    const header = s.header(['Council', 'Council code', 'Suppliers', 'Spend', 'Share of spend']);
    const total = header + geography.byCouncil.length + 1;
    for (const council of geography.byCouncil) {
      const row = s.row + 1;
      const name = council.council === '' ? 'Not placed in one council' : council.councilName;
      const fraction = spend.total === 0 ? 0 : council.amount / spend.total;
      s.line([name, council.council, count(council.suppliers), money(council.amount), calc(`IF($D$${total}=0,0,D${row}/$D$${total})`, fraction, SHARE)]);
    }
    s.filter(header, total - 1, 5);
    s.line(
      ['All councils', null, calc(`SUM(C${header + 1}:C${total - 1})`, spend.suppliers, COUNT), calc(`SUM(D${header + 1}:D${total - 1})`, spend.total / 100, MONEY), share(spend.total === 0 ? 0 : 1)],
      { bold: true },
    );
    s.note('"Not placed in one council": no postcode, a postcode the directory does not hold, or a district across councils.');
    s.row++;
    s.note(OGL_ATTRIBUTION);
  }
  s.fit({ 1: { min: 30, max: 46 }, 2: { min: 16, max: 26 }, 3: { min: 14, max: 26 }, 4: { min: 16, max: 26 }, 5: { min: 14, max: 26 }, 6: { max: 26 }, 7: { max: 26 } });
  return s;
}

function workforceSheet(analysis: Analysis): Sheet {
  const { workforce } = analysis;
  const s = new Sheet('Workforce');
  s.title('Workforce', `Aggregates only: no names, employee ids or full home postcodes, and no group of fewer than ${MIN_GROUP} staff.`);
  s.freeze(2);
  if (!workforce) {
    s.row++;
    s.line([NOT_PROVIDED_PAYROLL], { overflow: [1] });
    s.fit({ 1: { min: 50 } });
    return s;
  }
  const w = workforce;
  const shown = analysis.published.workforce;
  s.section('Headcount');
  s.header(['', 'Value', 'Notes']);
  s.line(['Staff', count(w.staff), 'people on the payroll'], { note: 3 });
  s.line(['Living locally', count(w.localStaff), `home postcode inside the area (${formatShare(w.staff === 0 ? 0 : w.localStaff / w.staff)} of staff)`], { note: 3 });
  s.line(['Not living locally', count(w.nonLocalStaff), ''], { note: 3 });
  s.line(['No usable home postcode', count(w.unknownStaff), 'counted as not local'], { note: 3 });
  s.section('Jobs and pay');
  s.header(['', 'Value', 'Notes']);
  s.line(['FTE', { value: w.fte, numFmt: FTE }, w.staffWithoutFte > 0 ? `${w.staffWithoutFte} staff with no FTE given count as 0` : ''], { note: 3 });
  s.line(['FTE of staff living locally (local jobs)', { value: w.localFte, numFmt: FTE }, ''], { note: 3 });
  s.line(['Gross pay', shownMoney(shown.grossPay), ''], { note: 3 });
  s.line(['Gross pay of staff living locally', shownMoney(shown.localGrossPay), ''], { note: 3 });
  if (shown.nonLocalGrossPay !== null || shown.unknownGrossPay !== null || shown.notLocalGrossPay === null) {
    s.line(['Gross pay of staff not living locally', shownMoney(shown.nonLocalGrossPay), ''], { note: 3 });
    s.line(['Gross pay of staff with no usable postcode', shownMoney(shown.unknownGrossPay), ''], { note: 3 });
  }
  if (shown.notLocalGrossPay !== null) s.line(['Gross pay of staff not known to live locally', shownMoney(shown.notLocalGrossPay), 'not local or no usable postcode, together'], { note: 3 });
  s.line([bold('Local pay share'), shown.localPayShare === null ? WITHHELD_PAY : { value: shown.localPayShare, numFmt: SHARE, bold: true }, 'gross pay of staff living locally / gross pay'], { note: 3 });
  if (w.netPay !== undefined) s.line(['Net pay', shownMoney(shown.netPay), ''], { note: 3 });
  s.line(['Employer NI', shownMoney(shown.employerNi), ''], { note: 3 });
  s.line(['Employer pension', shownMoney(shown.employerPension), ''], { note: 3 });
  s.line([bold('Payroll cost'), shownMoney(shown.payrollCost, { bold: true }), 'gross pay + employer NI + employer pension'], { note: 3 });
  for (const statement of analysis.disclosure.statements) s.line(['Withheld to keep staff pay private', null, statement], { note: 3 });
  if (w.livingWage) {
    s.section('Living Wage');
    s.header(['', 'Value', 'Notes']);
    s.line(['Living Wage rate (per hour)', money(w.livingWage.rate), 'as given in the project file'], { note: 3 });
    if (shown.livingWage) {
      s.line(['Staff with an hourly rate', count(w.livingWage.withRate), ''], { note: 3 });
      s.line(['Paid at least the Living Wage', count(w.livingWage.atOrAbove), ''], { note: 3 });
      s.line([bold('Share paid at least the Living Wage'), { value: w.livingWage.share, numFmt: SHARE, bold: true }, 'of staff with an hourly rate'], { note: 3 });
    } else {
      s.line([`Not shown: fewer than ${MIN_GROUP} staff have an hourly rate.`], { overflow: [1] });
    }
  }
  s.section('Staff by home postcode district');
  s.note(`Districts with fewer than ${MIN_GROUP} staff are pooled so that no small group is shown.`);
  const header = s.header(['District', 'Staff', 'FTE', 'Gross pay', 'Where']);
  for (const group of w.byDistrict) {
    s.line([group.district, count(group.staff), { value: group.fte, numFmt: FTE }, shown.byDistrict ? money(group.grossPay) : WITHHELD_PAY, group.status]);
  }
  s.filter(header, s.row, 5);
  s.fit({ 1: { min: 46, max: 46 }, 2: { min: 16 }, 3: { min: 10 }, 4: { min: 14 }, 5: { min: 10 } });
  s.wrapNotes(3, 40);
  return s;
}

function dataQualitySheet(analysis: Analysis): Sheet {
  const { ledger, spend, findings } = analysis;
  const s = new Sheet('Data quality');
  s.title('Data quality', 'Every row read is either accepted or rejected; rejected rows and other findings are listed with their file and line.');
  s.freeze(2);

  s.section('Reconciliation');
  const header = s.header(['File', 'Role', 'Rows read', 'Rows accepted', 'Rows rejected', '£ accepted', 'Accepted + rejected = read']);
  const check = (row: number, ok: boolean): Styled => calc(`IF(D${row}+E${row}=C${row},"yes","NO")`, ok ? 'yes' : 'NO');
  for (const input of analysis.inputs) {
    const row = s.row + 1;
    const hasMoney = input.source.role === 'spend' || input.source.role === 'payroll';
    s.line([
      input.source.name,
      input.source.role,
      count(input.rowsRead),
      count(input.rowsAccepted),
      count(input.rowsRejected),
      // A payroll's total is the staff's gross pay: printed as the disclosure stage allows.
      input.source.role === 'payroll' ? shownMoney(analysis.published.workforce.grossPay) : hasMoney ? money(input.accepted) : null,
      check(row, input.rowsAccepted + input.rowsRejected === input.rowsRead),
    ]);
  }
  if (analysis.inputs.length === 0) s.line(['No input files were read.']);
  const last = s.row;
  let excludedRow: number | undefined;
  if (ledger && spend && analysis.inputs.length > 0) {
    const total = s.row + 1;
    const spendSum = (column: string, value: number): Styled =>
      calc(`SUMIF(B${header + 1}:B${last},"spend",${column}${header + 1}:${column}${last})`, value, column === 'F' ? MONEY : COUNT);
    s.line(
      [
        'All spend files',
        'spend',
        spendSum('C', ledger.rowsRead),
        spendSum('D', ledger.rowsAccepted),
        spendSum('E', ledger.rowsRejected),
        spendSum('F', ledger.total / 100),
        check(total, ledger.rowsAccepted + ledger.rowsRejected === ledger.rowsRead),
      ],
      { bold: true },
    );
    const agrees = ledger.total === spend.total + ledger.excludedTotal ? 'yes' : 'NO';
    if (analysis.excluded.length === 0) {
      const analysed = s.line(['Spend analysed (sum over suppliers)', null, null, null, null, money(spend.total), calc(`IF(ROUND(F${total}-F${total + 1},2)=0,"yes","NO")`, agrees)]);
      s.noteAt(analysed, 8, 'agrees with £ accepted');
    } else {
      s.line(['Spend analysed (sum over suppliers)', null, null, null, null, money(spend.total)]);
      excludedRow = s.line(['Spend excluded by rule (listed below)', null, null, null, null, null, calc(`IF(ROUND(F${total}-F${total + 1}-F${total + 2},2)=0,"yes","NO")`, agrees)]);
      s.noteAt(excludedRow, 8, 'analysed + excluded agrees with £ accepted');
    }
  }

  if (analysis.excluded.length > 0) {
    s.section('Spend excluded by rule');
    s.note("Accepted payments the project file's exclude rules take out of the analysis (not procurement): counted here once each, under the first rule that takes them.");
    const header = s.header(['Rule', 'Payments', 'Suppliers', '£ excluded', 'Reason']);
    for (const line of analysis.excluded) s.line([line.rule, count(line.payments), count(line.suppliers), money(line.amount), line.reason]);
    const last = s.row;
    const sum = (column: string, value: number, numFmt: string): Styled => calc(`SUM(${column}${header + 1}:${column}${last})`, value, numFmt);
    const excludedTotal = ledger?.excludedTotal ?? 0;
    const totalRow = s.line(['All rules', sum('B', excludedPayments(analysis), COUNT), null, sum('D', excludedTotal / 100, MONEY)], { bold: true });
    if (excludedRow !== undefined) s.set(excludedRow, 6, calc(`D${totalRow}`, excludedTotal / 100, MONEY));
  }

  s.section('Findings by kind');
  const summary = findings.summary();
  if (summary.length === 0) s.line(['No findings.']);
  else {
    s.header(['Code', 'Severity', 'Count', '', 'First occurrence']);
    for (const f of summary) s.line([f.code, f.severity, count(f.count), null, shownMessage(f)]);
  }

  s.section('Findings');
  const detailHeader = s.header(['Code', 'Severity', 'File', 'Line', 'Message', 'Raw row']);
  for (const finding of findings.details) {
    const raw = shownRaw(finding, analysis.inputs) ?? '';
    s.line([finding.code, severityOf(finding.code), finding.file ?? '', finding.line === undefined ? null : count(finding.line), shownMessage(finding), raw]);
  }
  const lastDetail = s.row;
  s.filter(detailHeader, lastDetail, 6);
  s.printTitlesRow = detailHeader;
  for (const [code, omitted] of findings.omitted()) {
    s.line([`${omitted} more ${code} finding(s) are counted above but not listed, to keep the report a readable size.`], { overflow: [1] });
  }
  s.fit({ 1: { min: 24, max: 30 }, 2: { min: 12, max: 18 }, 3: { min: 12, max: 24 }, 4: { min: 10 }, 5: { min: 14, max: 45 }, 6: { min: 14, max: 45 }, 7: { min: 14 } });
  return s;
}

function assumptionsSheet(analysis: Analysis): Sheet {
  const { settings, lm3, ledger } = analysis;
  const s = new Sheet('Assumptions');
  s.title('Assumptions and inputs', 'The conventions behind every figure, and exactly which files were read.');
  s.freeze(2);
  s.section('Conventions');
  s.header(['Convention', 'Setting', 'What it means']);
  const convention = (name: string, setting: Value, meaning: string) => s.line([name, setting, meaning], { note: 3 });
  convention(
    'Wages in Round 2',
    settings.wages === 'net' && lm3?.wages === 'gross' ? 'net asked; gross used' : settings.wages,
    settings.wages === 'gross'
      ? 'R2 counts the gross pay of staff living locally (NEF: survey shares are of gross pay); employer NI and pension count in R1, not R2.'
      : lm3?.wages === 'gross'
        ? 'Net pay was asked for, but not every member of staff has it: R2 counts gross pay for everyone rather than mix the two (see NET_PAY_MISSING); employer NI and pension count in R1, not R2.'
        : 'R2 counts the net pay of staff living locally; employer NI and pension count in R1, not R2.',
  );
  convention(
    'Supplier survey averaging',
    settings.supplierAveraging,
    settings.supplierAveraging === 'unweighted'
      ? "Surveyed local suppliers use their own answer; unsurveyed ones the unweighted mean of the surveyed local suppliers' answers."
      : "Surveyed local suppliers use their own answer; unsurveyed ones the spend-weighted mean of the surveyed local suppliers' answers.",
  );
  convention('Staff survey averaging', 'unweighted', 'The unweighted mean of the staff answers applies to all pay of staff living locally.');
  convention('Unknown location', 'counted as non-local', 'Suppliers and staff whose location is unknown count as non-local in the central figures; the high end of the LM3 range counts them as local. Unknown is never counted as leakage: leakage is money known to leave the area.');
  convention(
    'Coverage threshold',
    share(percentOf(settings.coverageThreshold)),
    `Below this share of spend (or of staff) located, the local share, leakage and LM3 are not stated as findings, only as the range the unknowns allow. Payments to redacted or placeholder payees ("Various", "Sundry") count as not located.${analysis.headlines ? ` This run: ${formatShare(analysis.headlines.coverage.spendLocatedShare)} of spend located.` : ''}`,
  );
  convention(
    'Where a supplier is',
    'the postcode given',
    "Each supplier is placed by the postcode in the supplier register where it has one, else the spend file's (see the Suppliers sheet's source column). That is usually a registered office or invoice address: a national firm's local branch counts where it invoices from, and a local firm invoicing through a head office elsewhere counts as not local. Correct either with the register's local yes/no and a reason.",
  );
  convention('Staff location', 'home postcode', 'Staff are local by home postcode, not workplace.');
  const typeCounts = analysis.spend?.typeSources.filter((t) => t.suppliers > 0).map((t) => (t.source === 'not known' ? `${t.suppliers} not known` : `${t.suppliers} from ${typeSourceLabel(t.source)}`));
  convention(
    'Supplier type',
    'register, then spend file, then charity number',
    "A supplier's type is the supplier register's Type where it gives one; else the spend file's VCSE and SME columns (each column's first yes or no for the supplier; VCSE where both say yes; a no gives no type, as a supplier that is not an SME may be a large firm, a public body or a charity); " +
      "else VCSE where it has a charity number, or a charitable incorporated organisation's company number (CE…, CS…). Any other company number says nothing of size." +
      (typeCounts && typeCounts.length > 0 ? ` This run: ${typeCounts.join(', ')} (each supplier's is in the Suppliers sheet's Type from column).` : ''),
  );
  convention(
    'Round 1',
    lm3 ? shownMoney(analysis.published.lm3.round1) : settings.income !== undefined ? money(settings.income) : 'not given',
    lm3 ? round1BasisLabel(lm3.round1Basis) : settings.income !== undefined ? 'income followed (given)' : 'spend analysed + payroll cost would be used',
  );
  const a = settings.assumptions;
  if (a.supplierPercent === undefined && a.staffPercent === undefined) convention('Round 3 assumptions', 'none', 'Round 3 rests on surveys only.');
  if (a.supplierPercent !== undefined) convention('Assumed supplier local re-spend', share(percentOf(a.supplierPercent)), `used only where there is no supplier survey${a.source ? `; source: ${a.source}` : ''}`);
  if (a.staffPercent !== undefined) convention('Assumed staff local spend', share(percentOf(a.staffPercent)), `used only where there is no staff survey${a.source ? `; source: ${a.source}` : ''}`);
  convention('Local area', settings.area ?? 'not set', areaText(analysis));
  for (const [i, tier] of (analysis.geography?.tiers ?? []).entries()) convention(tier.label === tier.spec ? `Tier ${i + 1}` : `Tier ${i + 1}: ${tier.label}`, tier.spec, tier.terms.join('; '));
  if (analysis.referenceData.directory) {
    convention('District across the boundary', 'unknown', "A supplier known only by a postcode district partly inside the area counts as unknown; the share of the district's postcodes inside gives an estimate, shown beside it.");
  }
  if (ledger) {
    convention('What the spend figures are', spendKindLabel(ledger.kind), contractValuesNote(analysis.inputs, settings.period?.label) ?? 'Each row of the spend files is a payment made.');
  }
  convention('Period', settings.period?.label ?? 'not set', settings.period ? `${formatIsoDate(settings.period.from)} to ${formatIsoDate(settings.period.to)}; payments dated outside it are not used.` : 'every dated row was used');
  if (ledger?.firstDate) convention('Payments dated', formatIsoDate(ledger.firstDate), `to ${formatIsoDate(ledger.lastDate ?? ledger.firstDate)}`);
  convention('Living Wage rate', settings.livingWageRate !== undefined ? money(settings.livingWageRate) : 'not given', 'per hour, as given in the project file');
  convention('Smallest group shown', count(MIN_GROUP), 'No published figure, nor any combination of them, shows the pay of fewer staff than this, exactly or to within 10%.');
  const d = analysis.disclosure;
  convention(
    'Disclosure control',
    d.consent !== undefined ? 'published with consent' : d.statements.length > 0 ? 'figures withheld' : d.smallGroups > 0 ? 'audited: nothing to withhold' : 'no small group',
    d.consent !== undefined
      ? `The project file says: ${d.consent}. Every figure is published as it is.${d.statements.length > 0 ? ` ${d.statements.join(' ')}` : ''}`
      : `Every figure staff pay feeds was audited as a sum of the pay of groups of staff: ${d.smallGroups} group(s) of fewer than ${MIN_GROUP} people to protect.${d.statements.length > 0 ? ` ${d.statements.join(' ')}` : ''}`,
  );
  convention('VAT basis', settings.vatBasis, vatBasisMeaning(settings.vatBasis));
  convention(
    'Excluded spend',
    settings.exclude.length === 0 ? 'none' : rulesText(settings.exclude.length),
    settings.exclude.length === 0
      ? 'No exclude rules: every accepted payment is analysed.'
      : 'Payments the rules below take are accepted but not analysed: they are outside the local share and LM3, on a line of their own.',
  );

  s.section('Input files');
  const header = s.header(['Role', 'File', 'Columns used (field ← header)', 'Encoding or format', 'Delimiter or sheet', 'Header line', 'Size (bytes)', 'SHA-256', 'Path']);
  for (const input of analysis.inputs) {
    const f = input.source;
    s.line([
      f.role,
      f.name,
      f.columns.map((c) => `${c.field} ← ${c.header}${c.how === 'named' ? ' (as named)' : ''}`).join('\n'),
      f.format === 'xlsx' ? 'xlsx workbook' : f.encoding,
      f.format === 'xlsx' ? `sheet "${f.sheet ?? ''}"` : delimiterLabel(f.delimiter),
      count(f.headerLine),
      fingerprint(f) ? count(f.sizeBytes) : 'withheld',
      fingerprint(f)?.sha256 ?? 'withheld: a fingerprint of personal data could confirm a guess at it',
      f.path,
    ]);
  }
  if (analysis.inputs.length === 0) s.line(['none']);
  s.filter(header, s.row, 9);

  const spendFiles = analysis.inputs.filter((input) => input.vat !== undefined);
  if (spendFiles.length > 0) {
    s.section('VAT in the spend files');
    s.note(`Amounts are analysed ${settings.vatBasis} of VAT; each file's amount column, what its header says, and how its amounts were brought to that basis.`);
    s.header(['File', 'Amounts from', 'Its header says', 'VAT column', 'How']);
    for (const input of spendFiles) {
      const vat = input.vat!;
      s.line([input.source.name, vat.amountColumn, vat.columnSays, vat.vatColumn ?? 'none', vatAdjustmentLabel(vat)], { note: 5 });
    }
  }

  if (settings.exclude.length > 0) {
    s.section('Exclude rules');
    s.header(['Rule', 'Reason']);
    for (const rule of settings.exclude) s.line([describeRule(rule), rule.reason], { note: 2 });
  }

  const { directory, deprivation } = analysis.referenceData;
  if (directory || deprivation.length > 0) {
    s.section('Reference data');
    s.header(['Data', 'File', 'What was used']);
    if (directory) {
      const details = `${directory.postcodes.toLocaleString('en-GB')} postcodes; file dated ${formatIsoDate(directory.modified.slice(0, 10))}; imported ${formatIsoDate(directory.importedAt.slice(0, 10))}`;
      s.line(['ONS postcode directory', directory.file, details], { note: 3 });
    }
    for (const table of deprivation) s.line([`English Indices of Deprivation (${table.edition})`, table.source, `deciles by ${table.basis === 'lsoa' ? 'LSOA' : 'council'}`], { note: 3 });
    if (directory) s.note(OGL_ATTRIBUTION);
    if (deprivation.length > 0) s.note(IMD_ATTRIBUTION);
  }

  s.section('Run');
  s.line(['Tool', `${analysis.tool.name} ${analysis.tool.version}`], { overflow: [2] });
  s.line(['Generated', analysis.generatedAt], { overflow: [2] });
  s.line(['Project file', settings.projectFile ? basename(settings.projectFile) : 'none (flags only)'], { overflow: [2] });
  s.fit({ 1: { min: 26, max: 32 }, 2: { min: 16, max: 26 }, 3: { min: 30, max: 40 }, 7: { min: 10 }, 8: { min: 66, max: 66 }, 9: { max: 60 } });
  s.wrapNotes(3, 60);
  return s;
}
