import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../../domain/percent.js';
import { type StepState } from '../../framework/assess.js';
import { formatPounds, formatShare, type Pence } from '../../money.js';
import { WITHHELD_PAY } from '../format.js';
import { type Alignment, type ChartSpec, type CellStyle, type Font, type PageSetup, type Validation, type Worksheet, hasXmlInvalid, XML_INVALID } from '../xlsx-writer.js';

/** The layout layer: formats, looks, and the Sheet that sheet modules build; the writer sees only what it makes. */

export const MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00';
export const SHARE = '0.0%';
/** A change in pounds: signed, and never red (a fall in leakage is good news). */
export const MONEY_CHANGE = '+"£"#,##0.00;-"£"#,##0.00;"£"0.00';
export const SCORE = '0.00';
export const COUNT = '#,##0';
export const FTE = '#,##0.0#';
export const MILES = '#,##0.0';

export const TITLE_FONT: Font = { bold: true, size: 14 };
export const HEADLINE_FONT: Font = { bold: true, size: 16, color: 'FF1F4E9A' };
export const NOTE_FONT: Font = { italic: true, color: 'FF555555' };
export const SECTION_FONT: Font = { bold: true, size: 12 };
export const BOLD_FONT: Font = { bold: true };
export const INPUT_FONT: Font = { color: 'FF1F4E9A' };
export const INPUT_FILL = 'FFEAF1FB';
export const HEADER_FILL = 'FFDDE4EE';
export const STATE_FILL: Record<StepState, string> = { done: 'FFDFF0D8', 'needs data': 'FFFCF3CF', 'not started': 'FFEEEEEE' };
// Worded for the report's reader; what to give (the flag, the project file's key) is the Steps sheet's next action.
export const NOT_PROVIDED_SPEND = 'Not provided: no supplier payments were analysed.';
export { NO_SCORE } from './lm3-formulas.js';
export const NOT_PROVIDED_PAYROLL = 'Not provided: no payroll was analysed, so no staff pay is counted in Round 2.';

export interface Formula {
  formula: string;
  result: number | string;
}

export interface Styled {
  value: number | string | Formula;
  numFmt?: string;
  /** An input the LM3 formulas read: shown in blue. */
  input?: boolean;
  bold?: boolean;
}

export type Value = string | number | null | undefined | Styled;

export const money = (pence: Pence, extra: Partial<Styled> = {}): Styled => ({ value: pence / 100, numFmt: MONEY, ...extra });
/** A figure staff pay feeds, as the disclosure stage publishes it. */
export const shownMoney = (pence: Pence | null, extra: Partial<Styled> = {}): Value => (pence === null ? WITHHELD_PAY : money(pence, extra));
export const shownShare = (fraction: number | null): Value => (fraction === null ? WITHHELD_PAY : { value: fraction, numFmt: SHARE });
export const share = (fraction: number): Styled => ({ value: fraction, numFmt: SHARE });
export const count = (n: number): Styled => ({ value: n, numFmt: COUNT });
export const calc = (formula: string, result: number | string, numFmt?: string): Styled => ({ value: { formula, result }, numFmt });
export const bold = (text: string): Styled => ({ value: text, bold: true });
export const percentOf = (milli: MilliPercent): number => milli / MILLI_PERCENT_WHOLE;

export const MAX_CELL_TEXT = 32_767;

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
export interface CellModel {
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
  /** A cell a reader fills in on a protected sheet (a form's answer cell). */
  unlocked?: boolean;
  /**
   * Prose in a table (a note, a message, a withheld figure's words): laid out by `layOut`, over the empty cells to its
   * right (merged, wrapped) rather than widening a column that other tables' figures share.
   */
  prose?: boolean;
  /** The look above as the writer takes it: set as the sheet is written. */
  style?: CellStyle;
}

export const BOLD_OF = new Map<Font | undefined, Font>([[undefined, BOLD_FONT]]);
export function boldFont(font: Font | undefined): Font {
  let found = BOLD_OF.get(font);
  if (!found) BOLD_OF.set(font, (found = font?.bold ? font : { ...font, bold: true }));
  return found;
}

/**
 * A worksheet built top to bottom in memory (figures are filled in above once the rows they sum are
 * known, and column widths follow the content), then written out in one pass.
 */
export class Sheet {
  row = 0;
  readonly rows: CellModel[][] = [];
  readonly heights: number[] = [];
  readonly widths = new Map<number, number>();
  frozen: number | undefined;
  autoFilter: Worksheet['autoFilter'];
  /** The header row, printed at the top of every page. */
  printTitlesRow: number | undefined;
  private readonly headerWidths = new Map<number, number>();
  private readonly headerRows: number[] = [];
  /** The rows of its section headings, kept with their tables when printed (see print.ts). */
  readonly sections: number[] = [];
  /**
   * Where each block starts: the title's row, then each section heading's. A block is one table (or a few lines)
   * under its heading, up to the next block; print.ts keeps blocks whole where it can.
   */
  readonly blocks: number[] = [];
  /** Cells merged into one (prose over the empty cells to its right). */
  readonly merges: { firstRow: number; firstColumn: number; lastRow: number; lastColumn: number }[] = [];
  /** Rows after a section heading that must print on its page (a chart beside it); else a few. */
  readonly keep = new Map<number, number>();
  /** Charts drawn over cells (this sheet's or others'). */
  charts: ChartSpec[] = [];
  /** Rows other sheets refer to by a name (`score`, `r1`): their figure is in column B. */
  readonly marks = new Map<string, number>();
  /** A form's rules on what may be typed in its answer cells, and whether only those cells can be changed. */
  readonly validations: Validation[] = [];
  protect = false;

  constructor(readonly name: string) {}

  /** Names the row a figure is on, for another sheet's formulas to refer to (see `refTo`). */
  mark(key: string, row: number): number {
    this.marks.set(key, row);
    return row;
  }

  /** The figure a mark names, as a live reference from another sheet (`'LM3'!$B$23`), cached with what this sheet shows there; undefined when there is none. */
  refTo(key: string, extra: Partial<Styled> = {}): Styled | undefined {
    const row = this.marks.get(key);
    if (row === undefined) return undefined;
    const cell = this.cell(row, 2);
    const shown = cell.value !== null && typeof cell.value === 'object' ? cell.value.result : cell.value;
    // Only a number is worth referring to: a withheld figure is its words, printed as they are.
    if (typeof shown !== 'number') return undefined;
    return { value: { formula: `${sheetRef(this.name)}!$B$${row}`, result: shown }, numFmt: cell.numFmt, ...extra };
  }

  /** The number a mark's figure shows, when it is a number (not withheld). */
  numberAt(key: string): number | undefined {
    const row = this.marks.get(key);
    if (row === undefined) return undefined;
    const value = this.cell(row, 2).value;
    const shown = value !== null && typeof value === 'object' ? value.result : value;
    return typeof shown === 'number' ? shown : undefined;
  }

  title(text: string, note?: string): void {
    this.row++;
    this.blocks.push(this.row);
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
    this.sections.push(this.row);
    this.blocks.push(this.row);
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
    this.headerRows.push(this.row);
    return this.row;
  }

  /** A header over a column of numbers stands right, over its figures (`fit` calls it once the rows are in). */
  private alignHeaders(): void {
    for (const row of this.headerRows) {
      (this.rows[row] ?? []).forEach((cell, column) => {
        const below = this.rows[row + 1]?.[column];
        const shown = below === undefined ? undefined : shownText(below);
        if (typeof shown === 'number') cell.alignment = HEADER_RIGHT;
        // Over a column of notes (indented off the figures to their left), indented as they are: not "ChangeBetter?".
        else if (below?.alignment?.indent) cell.alignment = HEADER_INDENTED;
      });
    }
  }

  /** `overflow`: columns whose text runs on over the empty cells to its right; `note`: the column of a note beside a figure. */
  line(values: readonly Value[], options: { bold?: boolean; overflow?: number[]; note?: number } = {}): number {
    this.row++;
    values.forEach((value, i) => {
      const cell = this.set(this.row, i + 1, value);
      if (options.bold) cell.font = boldFont(cell.font);
      if (options.overflow?.includes(i + 1) || options.note === i + 1) cell.unsized = cell.prose = true;
      cell.alignment = options.note === i + 1 ? NOTE_ALIGNMENT : TOP;
    });
    return this.row;
  }

  /** A note beside a figure written earlier. */
  noteAt(row: number, column: number, text: string): void {
    const cell = this.set(row, column, text);
    cell.alignment = NOTE_ALIGNMENT;
    cell.unsized = cell.prose = true;
  }

  /** The cell, created empty if it is not there yet. */
  cell(row: number, column: number): CellModel {
    const cells = (this.rows[row] ??= []);
    return (cells[column] ??= { value: null });
  }

  set(row: number, column: number, value: Value): CellModel {
    const cell = this.cell(row, column);
    if (value === undefined || value === null || value === '') return cell;
    // A figure filled in later stands at the top of its row, level with the label and the wrapped text beside it.
    cell.alignment ??= TOP;
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

  /**
   * Column widths from the content: a column is as wide as the widest figure, label or header word of the tables
   * that share it (up to its `max`). Text longer than `max` is prose: where the cells to its right are empty it is
   * laid over them (see `layOut`), so one table's long text never widens a column another table's figures own;
   * only where it has no empty cell beside it does it take its column to `max`, and wrap there.
   */
  fit(limits: Record<number, { min?: number; max?: number }> = {}, fallback = { min: 8, max: 50 }): void {
    this.alignHeaders();
    const longest = new Map<number, number>();
    const long: [CellModel, number, number][] = [];
    this.rows.forEach((cells, row) => {
      cells?.forEach((cell, column) => {
        if (cell.value === null || cell.unsized) return;
        const max = limits[column]?.max ?? fallback.max;
        const length = displayLength(cell);
        if (typeof cell.value === 'string' && cell.value.includes('\n')) cell.alignment = wrapped(cell.alignment);
        else if (typeof shownText(cell) === 'string' && length > max) {
          cell.prose = true;
          long.push([cell, row, column]);
          return;
        } else if (length > max) cell.alignment = wrapped(cell.alignment);
        longest.set(column, Math.max(longest.get(column) ?? 0, Math.min(length, max)));
      });
    });
    const columns = new Set([...longest.keys(), ...this.headerWidths.keys()]);
    const widthOf = (column: number) => {
      const { min = fallback.min, max = fallback.max } = limits[column] ?? {};
      const content = Math.max(longest.get(column) ?? 0, this.headerWidths.get(column) ?? 0);
      return Math.min(Math.max(content + 2, min), max + 2);
    };
    for (const column of columns) this.widths.set(column, widthOf(column));
    // Long text with no empty cell beside it (its neighbours hold figures) sizes its column after all, to its max.
    const edge = this.tableEdge();
    for (const [, row, column] of long) {
      if (this.span(row, column, edge, Infinity).last === column) {
        longest.set(column, limits[column]?.max ?? fallback.max);
        this.widths.set(column, widthOf(column));
      }
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
   * Lays out prose once the widths are final: text longer than its column runs over the empty cells to its right,
   * up to the table's right edge, merged into one cell and wrapped there when it needs more than one line. Prose
   * with no empty cell beside it wraps in its own column; a note past the tables' edge runs on as it is.
   */
  layOut(): void {
    const edge = this.tableEdge();
    this.rows.forEach((cells, row) => {
      cells?.forEach((cell, column) => {
        const text = shownText(cell);
        if (!cell.prose || cell.alignment?.wrapText || typeof text !== 'string' || column > edge) return;
        const needed = displayLength(cell) + 2;
        if (needed <= this.widthAt(column)) return;
        const span = this.span(row, column, edge, needed);
        // A note that cannot take the cells beside it runs on over the page as before; it sizes nothing.
        if (span.width >= needed || (cell.unsized && span.last === column)) return;
        // Nor does one that, with every cell to its right empty, runs on within the printed page's width.
        const empty = (cells as (CellModel | undefined)[]).every((other, c) => c <= column || other === undefined || other.value === null);
        if (empty && this.offset(column) + TEXT_PER_CHARACTER * (needed - 2) <= Math.max(PAGE_CHARACTERS, this.offset(edge + 1))) return;
        if (span.last > column) this.merges.push({ firstRow: row, firstColumn: column, lastRow: row, lastColumn: span.last });
        cell.alignment = wrapped(cell.alignment);
        this.heights[row] = Math.max(this.heights[row] ?? 15, 15 * wrappedLines(text, span.width));
      });
    });
  }

  /** The empty cells to the right of a cell, up to `edge`, that give it `needed` characters (or all there are). */
  private span(row: number, column: number, edge: number, needed: number): { last: number; width: number } {
    const cells = this.rows[row] ?? [];
    let last = column;
    let width = this.widthAt(column);
    while (width < needed && last < edge && (cells[last + 1]?.value ?? null) === null) width += this.widthAt(++last);
    return { last, width };
  }

  /** Where a column starts, in characters from the sheet's left edge. */
  private offset(column: number): number {
    let offset = 0;
    for (let c = 1; c < column; c++) offset += this.widthAt(c);
    return offset;
  }

  private widthAt(column: number): number {
    return this.widths.get(column) ?? DEFAULT_COLUMN_WIDTH;
  }

  /** The rightmost column a table uses: a header's, or a figure's or label's (prose and notes do not count). */
  tableEdge(): number {
    let edge = Math.max(1, ...this.headerWidths.keys());
    for (const cells of this.rows) cells?.forEach((cell, column) => void (cell.value !== null && !cell.unsized && !cell.prose && column > edge && (edge = column)));
    return edge;
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
}

/** A sheet's name as a formula refers to it: quoted, with its quotes doubled. */
export function sheetRef(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

/** A column's width in characters when the sheet does not set it (the spreadsheet's default). */
export const DEFAULT_COLUMN_WIDTH = 8.43;
/** How many characters (column units) an A4 landscape page holds across at full size, within print.ts's margins. */
export const PAGE_CHARACTERS = 137;
/** How wide a character of running text is, in column units (Calibri's letters against its digits), at the narrowest. */
export const TEXT_PER_CHARACTER = 0.8;

export const TOP: Alignment = { vertical: 'top' };
export const NOTE_ALIGNMENT: Alignment = { indent: 1, vertical: 'top' };
export const HEADER_ALIGNMENT: Alignment = { wrapText: true, vertical: 'bottom' };
export const HEADER_RIGHT: Alignment = { wrapText: true, vertical: 'bottom', horizontal: 'right' };
export const HEADER_INDENTED: Alignment = { wrapText: true, vertical: 'bottom', indent: 1 };
export const CENTRE: Alignment = { horizontal: 'center', vertical: 'top' };

export const WRAPPED = new Map<Alignment | undefined, Alignment>();
export function wrapped(alignment: Alignment | undefined): Alignment {
  let found = WRAPPED.get(alignment);
  // A header keeps standing on its row's foot, with the other headers; everything else wraps from the top.
  if (!found) WRAPPED.set(alignment, (found = { ...alignment, wrapText: true, vertical: alignment?.vertical ?? 'top' }));
  return found;
}

export function shownText(cell: CellModel): unknown {
  const value = cell.value;
  return value !== null && typeof value === 'object' ? value.result : value;
}

/** Lines a text takes when wrapped at spaces in a column this wide (a column unit is one digit; text runs a little narrower). */
export function wrappedLines(text: string, width: number): number {
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

export function displayLength(cell: CellModel): number {
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
export function poundsLength(pence: Pence): number {
  const digits = String(Math.floor(Math.abs(pence) / 100)).length;
  return (pence < 0 ? 1 : 0) + 1 + digits + Math.floor((digits - 1) / 3) + 3;
}

/**
 * Cells that look alike share one style object, so the writer sees a few dozen distinct objects for
 * a workbook of thousands of suppliers and looks at each once, not once per cell.
 */
export class Styles {
  /** numFmt → font → fill → underline → alignment → style; fonts and alignments are shared constants, so identity is enough. */
  private readonly tree = new Map<unknown, unknown>();

  of(cell: CellModel): CellStyle {
    let node = this.tree;
    for (const part of [cell.numFmt, cell.font, cell.fill, cell.underline === true, cell.unlocked === true]) {
      let next = node.get(part) as Map<unknown, unknown> | undefined;
      if (!next) node.set(part, (next = new Map()));
      node = next;
    }
    let style = node.get(cell.alignment) as CellStyle | undefined;
    if (!style) {
      style = { numFmt: cell.numFmt, font: cell.font, fill: cell.fill, borderBottom: cell.underline, alignment: cell.alignment, ...(cell.unlocked ? { unlocked: true } : {}) };
      node.set(cell.alignment, style);
    }
    return style;
  }
}
