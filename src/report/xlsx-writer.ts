import { type ZipEntry, zip } from './zip.js';

/**
 * A small .xlsx (SpreadsheetML) writer: sheets of rows of cells, each cell a value and a look. Strings
 * are shared and each distinct look is one style record, so a sheet of thousands of rows stays small.
 * It writes what our reports use (frozen header rows, filters, print setup) and nothing more.
 */

export interface Font {
  bold?: boolean;
  italic?: boolean;
  /** Points; 11 if not given. */
  size?: number;
  /** ARGB, e.g. `FF555555`. */
  color?: string;
}

export interface Alignment {
  horizontal?: 'left' | 'center' | 'right';
  vertical?: 'top' | 'center' | 'bottom';
  wrapText?: boolean;
  indent?: number;
}

export interface CellStyle {
  /** An Excel number format, e.g. `0.0%`. */
  numFmt?: string;
  font?: Font;
  /** A solid fill's ARGB colour. */
  fill?: string;
  /** A thin line below the cell. */
  borderBottom?: boolean;
  alignment?: Alignment;
  /** A cell a reader may fill in on a protected sheet (every cell is locked by default, as in Excel). */
  unlocked?: boolean;
}

/**
 * A rule on what may be typed into cells, checked by the spreadsheet as it is typed (Excel and LibreOffice
 * both refuse an entry that breaks it, with the error given). The form's reader checks it again: a rule
 * does not stop a paste, nor a program that ignores it.
 */
export interface Validation {
  /** Cells on this sheet, A1-style ranges are built from it. */
  range: Omit<CellRange, 'sheet'>;
  /** `decimal` and `whole`: a number between `min` and `max`; `list`: one of `list`. */
  type: 'decimal' | 'whole' | 'list';
  min?: number;
  max?: number;
  list?: readonly string[];
  /** Shown when a cell of the range is selected. */
  prompt?: { title: string; text: string };
  /** Shown when an entry breaks the rule; the entry is refused. */
  error: { title: string; text: string };
}

/** A formula (without the leading `=`) and its result when written, which a program shows until it recalculates. */
export interface Formula {
  formula: string;
  result: number | string;
}

export interface Cell {
  /** Text is always text, never read as a formula. */
  value: string | number | Formula | null;
  style?: CellStyle;
}

export interface PageSetup {
  /** Portrait if not given. */
  landscape?: boolean;
  /** 9 is A4. */
  paperSize?: number;
  /** Pages across and down to fit the sheet to; 0 is as many as it takes. */
  fitToWidth?: number;
  fitToHeight?: number;
  /** Inches, as the file keeps them; each not given is Excel's default (0.7 left and right, 0.75 top and bottom, 0.3 header and footer). */
  margins?: Margins;
  /** The printed sheet centred between the left and right margins. */
  centerHorizontally?: boolean;
  header?: HeaderFooter;
  footer?: HeaderFooter;
}

export interface Margins {
  left?: number;
  right?: number;
  top?: number;
  bottom?: number;
  header?: number;
  footer?: number;
}

/** What a printed header or footer can show besides text: page number, page count, sheet name, file name, date. */
export type HeaderFooterField = 'page' | 'pages' | 'sheet' | 'file' | 'date';
/** Plain text (an `&` in it is printed as `&`), or text and fields in order, e.g. `['Page ', { field: 'page' }, ' of ', { field: 'pages' }]`. */
export type HeaderFooterText = string | readonly (string | { field: HeaderFooterField })[];

export interface HeaderFooter {
  left?: HeaderFooterText;
  center?: HeaderFooterText;
  right?: HeaderFooterText;
}

/** A cell by row and column, both from 1; `sheet` is a sheet of the same workbook, the one holding the chart if not given. */
export interface CellRef {
  sheet?: string;
  row: number;
  column: number;
}

/** A rectangle of cells, corners included, on `sheet` (the one holding the chart if not given). */
export interface CellRange {
  sheet?: string;
  firstRow: number;
  firstColumn: number;
  lastRow: number;
  lastColumn: number;
}

export interface ChartSeries {
  /** Text, or the cell that holds the series' name. */
  name?: string | CellRef;
  /** One row or one column of labels. */
  categories: CellRange;
  /** One row or one column of numbers, as many as there are categories. */
  values: CellRange;
  /** ARGB; the program's palette if not given. */
  color?: string;
  /** ARGB for each point in turn (a pie's slices), overriding `color`. */
  pointColors?: readonly string[];
}

/**
 * Where a chart sits: over the cells from `from` to `to`, both included, or from `from` over a number of
 * columns and rows. It moves with the cells but keeps its size.
 */
export type ChartAnchor = { from: CellRef; to: CellRef } | { from: CellRef; columns: number; rows: number };

export interface ChartSpec {
  /** `bar` is horizontal bars, `column` vertical ones. */
  type: 'bar' | 'column' | 'pie' | 'doughnut';
  /** Bars and columns: side by side (the default), stacked, or stacked to 100%. */
  grouping?: 'clustered' | 'stacked' | 'percentStacked';
  title?: string;
  /** What the chart shows, for someone who cannot see it (the drawing's description). */
  altText: string;
  series: readonly ChartSeries[];
  anchor: ChartAnchor;
  /** Labels on each bar or slice: its value, or (pies and doughnuts) its share of the whole. */
  dataLabels?: 'value' | 'percent';
  /** An Excel number format for the value axis and value labels, e.g. `"£"#,##0`. */
  numFmt?: string;
  /** Bars and columns: where the value axis starts (the spreadsheet chooses when not given), e.g. 1 for LM3, which is never below 1. */
  valueAxisMin?: number;
  /** Where the legend goes; `none` by default for bars and columns of one series, `right` otherwise. */
  legend?: 'right' | 'left' | 'top' | 'bottom' | 'none';
}

export interface Worksheet {
  name: string;
  /** Rows by number from 1, cells by column from 1; a hole is an empty cell. */
  rows: readonly (readonly (Cell | undefined)[] | undefined)[];
  /** Row heights in points, by row number. */
  heights?: readonly (number | undefined)[];
  /** Column widths in characters, by column number. */
  widths?: ReadonlyMap<number, number>;
  /** Rows that stay in view when the rest scroll. */
  frozenRows?: number;
  /** A filter on a header row, over columns A to `columns`. */
  autoFilter?: { headerRow: number; lastRow: number; columns: number };
  /** Cells merged into one, each over its rectangle of this sheet (its value and look are its first cell's). */
  merges?: readonly Omit<CellRange, 'sheet'>[];
  /** A row printed at the top of every page. */
  printTitlesRow?: number;
  /** Rows printed at the top of every page, `first` to `last` included; instead of `printTitlesRow`. */
  printTitleRows?: { first: number; last: number };
  /** The only cells printed. */
  printArea?: CellRange;
  /** Rows that start a new printed page, e.g. a heading's row, so it is printed with its table. */
  rowBreaks?: readonly number[];
  pageSetup?: PageSetup;
  charts?: readonly ChartSpec[];
  /** Protected: only cells styled `unlocked` can be changed (no password: this guards against slips, not people). */
  protect?: boolean;
  validations?: readonly Validation[];
}

export interface Workbook {
  creator: string;
  created: Date;
  title: string;
  sheets: readonly Worksheet[];
}

// Measured on the bench's 5,000-supplier workbook with the postcode directory (3.9 MB of XML): level 1
// takes 17 ms for 0.66 MB, level 5 33 ms for 0.52 MB, the default 6 53 ms for 0.51 MB. A report is
// written on every run and opened once or twice; a quarter more of a small file costs nobody anything.
const COMPRESSION = 1;
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_TEXT = 32_767;

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The workbook as the bytes of an .xlsx file. */
export function xlsx(book: Workbook): Buffer {
  checkSheetNames(book.sheets);
  const strings = new SharedStrings();
  const styles = new StyleSheet();
  // Charts are numbered across the workbook, drawings (one per sheet that has charts) likewise.
  const drawings: { sheet: number; first: number; charts: readonly ChartSpec[] }[] = [];
  let chartCount = 0;
  book.sheets.forEach((sheet, i) => {
    if (!sheet.charts?.length) return;
    drawings.push({ sheet: i, first: chartCount + 1, charts: sheet.charts });
    chartCount += sheet.charts.length;
  });
  const drawingOf = new Map(drawings.map((d, i) => [d.sheet, i + 1]));
  const sheets = book.sheets.map((sheet, i) => worksheetXml(sheet, strings, styles, drawingOf.has(i)));
  const parts: ZipEntry[] = [];
  for (const [i, d] of drawings.entries()) {
    const n = i + 1;
    const holder = book.sheets[d.sheet]!;
    parts.push({ name: `xl/worksheets/_rels/sheet${d.sheet + 1}.xml.rels`, data: relsXml([['drawing', `../drawings/drawing${n}.xml`]]) });
    parts.push({ name: `xl/drawings/drawing${n}.xml`, data: drawingXml(holder, d.charts) });
    parts.push({ name: `xl/drawings/_rels/drawing${n}.xml.rels`, data: relsXml(d.charts.map((_, c) => ['chart', `../charts/chart${d.first + c}.xml`])) });
    d.charts.forEach((chart, c) => parts.push({ name: `xl/charts/chart${d.first + c}.xml`, data: chartXml(chart, holder, book.sheets) }));
  }
  // The workbook, styles and strings before the sheets, so a reader that streams needs nothing it has not seen.
  return zip(
    [
      { name: '[Content_Types].xml', data: contentTypesXml(sheets.length, drawings.length, chartCount) },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'docProps/core.xml', data: coreXml(book) },
      { name: 'docProps/app.xml', data: appXml(book) },
      { name: 'xl/workbook.xml', data: workbookXml(book.sheets) },
      { name: 'xl/_rels/workbook.xml.rels', data: workbookRelsXml(sheets.length) },
      { name: 'xl/styles.xml', data: styles.xml() },
      { name: 'xl/sharedStrings.xml', data: strings.xml() },
      ...sheets.map((data, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data })),
      ...parts,
    ],
    book.created,
    COMPRESSION,
  );
}

function worksheetXml(sheet: Worksheet, strings: SharedStrings, styles: StyleSheet, hasDrawing: boolean): Buffer {
  const { data, usedRows, usedColumns } = sheetData(sheet, strings, styles);
  let xml = `${DECLARATION}<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}">`;
  const setup = sheet.pageSetup;
  if (setup?.fitToWidth !== undefined || setup?.fitToHeight !== undefined) xml += '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
  xml += `<dimension ref="${usedRows === 0 ? 'A1' : `A1:${columnLetter(Math.max(usedColumns, 1))}${usedRows}`}"/>`;
  const frozen = sheet.frozenRows ?? 0;
  xml +=
    frozen > 0
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozen}" topLeftCell="A${frozen + 1}" activePane="bottomLeft" state="frozen"/>` +
        `<selection pane="bottomLeft" activeCell="A${frozen + 1}" sqref="A${frozen + 1}"/></sheetView></sheetViews>`
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  // customHeight: every program lays rows out 15 points high (LibreOffice's own default is 12.8), so a caller
  // can tell where printed pages break.
  xml += '<sheetFormatPr defaultRowHeight="15" customHeight="1"/>';
  const widths = [...(sheet.widths ?? [])].sort(([a], [b]) => a - b);
  if (widths.length > 0) {
    xml += '<cols>';
    for (const [c, width] of widths) xml += `<col min="${c}" max="${c}" width="${numberText(width, sheet.name, `column ${c}`)}" customWidth="1"/>`;
    xml += '</cols>';
  }
  xml += '<sheetData>';
  let tail = '</sheetData>';
  // The order of what follows is the schema's; Excel repairs a file that changes it.
  if (sheet.protect) tail += '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0" selectLockedCells="0" selectUnlockedCells="0"/>';
  if (sheet.autoFilter) tail += `<autoFilter ref="${filterRange(sheet.autoFilter, false)}"/>`;
  if (sheet.merges?.length) {
    tail += `<mergeCells count="${sheet.merges.length}">`;
    for (const m of sheet.merges) {
      checkRow(m.firstRow, sheet.name, 'a merged cell');
      checkRow(m.lastRow, sheet.name, 'a merged cell');
      tail += `<mergeCell ref="${columnLetter(m.firstColumn)}${m.firstRow}:${columnLetter(m.lastColumn)}${m.lastRow}"/>`;
    }
    tail += '</mergeCells>';
  }
  if (sheet.validations?.length) tail += validationsXml(sheet.validations, sheet.name);
  if (setup?.centerHorizontally) tail += '<printOptions horizontalCentered="1"/>';
  const m = { ...DEFAULT_MARGINS, ...setup?.margins };
  for (const [side, inches] of Object.entries(m)) {
    if (!(inches >= 0 && inches < 49)) throw new Error(`Sheet ${sheet.name}: a ${side} margin of ${inches} inches cannot be printed`);
  }
  tail += `<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>`;
  if (setup) {
    let attributes = '';
    if (setup.paperSize !== undefined) attributes += ` paperSize="${setup.paperSize}"`;
    if (setup.landscape) attributes += ' orientation="landscape"';
    if (setup.fitToWidth !== undefined) attributes += ` fitToWidth="${setup.fitToWidth}"`;
    if (setup.fitToHeight !== undefined) attributes += ` fitToHeight="${setup.fitToHeight}"`;
    tail += `<pageSetup${attributes}/>`;
    if (setup.header || setup.footer) {
      tail += '<headerFooter>';
      if (setup.header) tail += `<oddHeader>${xstring(headerFooterCode(setup.header, sheet.name))}</oddHeader>`;
      if (setup.footer) tail += `<oddFooter>${xstring(headerFooterCode(setup.footer, sheet.name))}</oddFooter>`;
      tail += '</headerFooter>';
    }
  }
  if (sheet.rowBreaks?.length) {
    const rows = [...new Set(sheet.rowBreaks)].sort((a, b) => a - b);
    for (const row of rows) checkRow(row, sheet.name, 'a page break');
    // A break's id is the last row before it.
    tail += `<rowBreaks count="${rows.length}" manualBreakCount="${rows.length}">${rows.map((row) => `<brk id="${row - 1}" max="${MAX_COLUMNS - 1}" man="1"/>`).join('')}</rowBreaks>`;
  }
  if (hasDrawing) tail += '<drawing r:id="rId1"/>';
  return data.bytes(xml, `${tail}</worksheet>`);
}

const DEFAULT_MARGINS: Required<Margins> = { left: 0.7, right: 0.7, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 };
const FIELD_CODES: Record<HeaderFooterField, string> = { page: '&P', pages: '&N', sheet: '&A', file: '&F', date: '&D' };
const MAX_HEADER_FOOTER = 255;

/** A header or footer in Excel's codes: `&L`, `&C` and `&R` before each part, `&&` for an `&` of the text. */
function headerFooterCode(parts: HeaderFooter, sheet: string): string {
  let code = '';
  for (const [section, text] of [['&L', parts.left], ['&C', parts.center], ['&R', parts.right]] as const) {
    if (text === undefined) continue;
    code += section;
    for (const piece of typeof text === 'string' ? [text] : text) code += typeof piece === 'string' ? piece.replace(/&/g, '&&') : FIELD_CODES[piece.field];
  }
  if (code.length > MAX_HEADER_FOOTER) throw new Error(`Sheet ${sheet}: a header or footer of ${code.length} characters; Excel keeps at most ${MAX_HEADER_FOOTER}`);
  return code;
}

function checkRow(row: number, sheet: string, what: string): void {
  if (!Number.isInteger(row) || row < 1 || row > MAX_ROWS) throw new Error(`Sheet ${sheet}: ${what} at row ${row}; rows are 1 to ${MAX_ROWS}`);
}

/** The rows as `<row>` elements, and the last row and column that hold anything. */
function sheetData(sheet: Worksheet, strings: SharedStrings, styles: StyleSheet): { data: Chunks; usedRows: number; usedColumns: number } {
  const heights = sheet.heights ?? [];
  const lastRow = Math.max(sheet.rows.length, heights.length) - 1;
  if (lastRow > MAX_ROWS) throw new Error(`Sheet ${sheet.name} has ${lastRow} rows; a sheet holds at most ${MAX_ROWS}`);
  const data = new Chunks();
  let usedRows = 0;
  let usedColumns = 0;
  for (let r = 0; r <= lastRow; r++) {
    const cells = sheet.rows[r];
    const height = heights[r];
    if (!cells && height === undefined) continue;
    if (r === 0) throw new Error(`Sheet ${sheet.name}: rows are numbered from 1`);
    let row = '';
    cells?.forEach((cell, c) => {
      if (!cell) return;
      if (c === 0 || c > MAX_COLUMNS) throw new Error(`Sheet ${sheet.name}, row ${r}: no column ${c} (columns are 1 to ${MAX_COLUMNS})`);
      const s = cell.style ? styles.index(cell.style) : 0;
      const value = cell.value;
      if (value === null && s === 0) return;
      const ref = columnLetter(c) + r;
      const attributes = s === 0 ? `r="${ref}"` : `r="${ref}" s="${s}"`;
      usedColumns = Math.max(usedColumns, c);
      if (value === null) row += `<c ${attributes}/>`;
      else if (typeof value === 'string') row += `<c ${attributes} t="s"><v>${strings.index(value, sheet.name, ref)}</v></c>`;
      else if (typeof value === 'number') row += `<c ${attributes}><v>${numberText(value, sheet.name, ref)}</v></c>`;
      else if (typeof value.result === 'string') {
        row += `<c ${attributes} t="str"><f>${xstring(value.formula)}</f><v>${xstring(cellString(value.result, sheet.name, ref))}</v></c>`;
      } else row += `<c ${attributes}><f>${xstring(value.formula)}</f><v>${numberText(value.result, sheet.name, ref)}</v></c>`;
    });
    if (row === '' && height === undefined) continue;
    usedRows = r;
    const size = height === undefined ? '' : ` ht="${numberText(height, sheet.name, `row ${r}`)}" customHeight="1"`;
    data.add(row === '' ? `<row r="${r}"${size}/>` : `<row r="${r}"${size}>${row}</row>`);
  }
  return { data, usedRows, usedColumns };
}

/**
 * Text added in small pieces, kept as UTF-8 chunks: held as one long string of small pieces until the
 * end, a sheet of thousands of rows costs the garbage collector more than building it does.
 */
class Chunks {
  private readonly buffers: Buffer[] = [];
  private text = '';

  add(text: string): void {
    this.text += text;
    if (this.text.length >= 65_536) this.flush();
  }

  /** Everything added, between `before` and `after`. */
  bytes(before: string, after: string): Buffer {
    this.flush();
    return Buffer.concat([Buffer.from(before), ...this.buffers, Buffer.from(after)]);
  }

  private flush(): void {
    this.buffers.push(Buffer.from(this.text));
    this.text = '';
  }
}

/** A number as text that reads back as the same number; NaN and infinities have no cell form. */
function numberText(value: number, sheet: string, where: string): string {
  if (!Number.isFinite(value)) throw new Error(`Sheet ${sheet}, ${where}: ${value} cannot be written to a spreadsheet`);
  return String(value);
}

/** `1` → `A`, `27` → `AA`. */
export function columnLetter(column: number): string {
  let letters = COLUMN_LETTERS[column];
  if (letters === undefined) {
    letters = '';
    for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    COLUMN_LETTERS[column] = letters;
  }
  return letters;
}
const COLUMN_LETTERS: string[] = [];

function filterRange(filter: NonNullable<Worksheet['autoFilter']>, absolute: boolean): string {
  const $ = absolute ? '$' : '';
  return `${$}A${$}${filter.headerRow}:${$}${columnLetter(filter.columns)}${$}${Math.max(filter.lastRow, filter.headerRow)}`;
}

/** A sheet's name as a formula names it: always quoted, a quote inside doubled. */
function sheetReference(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

const SHEET_NAME_INVALID = /[\\/?*[\]:]/;

function checkSheetNames(sheets: readonly Worksheet[]): void {
  if (sheets.length === 0) throw new Error('A workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const { name } of sheets) {
    if (name.length === 0 || name.length > 31 || SHEET_NAME_INVALID.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new Error(`"${name}" cannot name a sheet: 1 to 31 characters, none of \\ / ? * [ ] :, not starting or ending with '`);
    }
    if (seen.has(name.toLowerCase())) throw new Error(`Two sheets are named "${name}"`);
    seen.add(name.toLowerCase());
  }
}

class SharedStrings {
  private readonly indexes = new Map<string, number>();
  private readonly items = new Chunks();
  private count = 0;

  index(text: string, sheet: string, ref: string): number {
    this.count++;
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.indexes.size;
      this.indexes.set(text, index);
      const preserve = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
      this.items.add(`<si><t${preserve}>${xstring(cellString(text, sheet, ref))}</t></si>`);
    }
    return index;
  }

  xml(): Buffer {
    return this.items.bytes(`${DECLARATION}<sst xmlns="${MAIN}" count="${this.count}" uniqueCount="${this.indexes.size}">`, '</sst>');
  }
}

/** Excel's own number formats, which are referred to by id, not written out. */
const BUILT_IN_FORMATS = new Map([
  ['General', 0],
  ['0', 1],
  ['0.00', 2],
  ['#,##0', 3],
  ['#,##0.00', 4],
  ['0%', 9],
  ['0.00%', 10],
]);
const ARGB = /^[0-9A-Fa-f]{8}$/;

/** styles.xml: each distinct look once, as one cell format (xf) built from deduplicated fonts, fills and formats. */
class StyleSheet {
  private readonly byObject = new Map<CellStyle, number>();
  private readonly xfs = new Map<string, number>([['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', 0]]);
  private readonly numFmts = new Map<string, number>();
  private readonly fonts = new Map<string, number>([[fontXml({}), 0]]);
  /** Colour → fill id; ids 0 and 1 are the two fills every workbook starts with. */
  private readonly fills = new Map<string, number>();

  /** The cell format's index; a style object seen before is not looked at again. */
  index(style: CellStyle): number {
    let index = this.byObject.get(style);
    if (index === undefined) {
      index = this.xf(style);
      this.byObject.set(style, index);
    }
    return index;
  }

  private xf(style: CellStyle): number {
    const numFmtId = style.numFmt === undefined ? 0 : this.numFmtId(style.numFmt);
    const fontId = style.font ? idOf(this.fonts, fontXml(style.font), 0) : 0;
    if (style.fill !== undefined && !ARGB.test(style.fill)) throw new Error(`Fill colour ${style.fill} is not ARGB`);
    const fillId = style.fill === undefined ? 0 : idOf(this.fills, style.fill.toUpperCase(), 2);
    const borderId = style.borderBottom ? 1 : 0;
    const alignment = alignmentXml(style.alignment);
    let xml = `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"`;
    if (numFmtId !== 0) xml += ' applyNumberFormat="1"';
    if (fontId !== 0) xml += ' applyFont="1"';
    if (fillId !== 0) xml += ' applyFill="1"';
    if (borderId !== 0) xml += ' applyBorder="1"';
    if (alignment !== '') xml += ' applyAlignment="1"';
    if (style.unlocked) xml += ' applyProtection="1"';
    const children = alignment + (style.unlocked ? '<protection locked="0"/>' : '');
    xml += children === '' ? '/>' : `>${children}</xf>`;
    return idOf(this.xfs, xml, 0);
  }

  private numFmtId(code: string): number {
    return BUILT_IN_FORMATS.get(code) ?? idOf(this.numFmts, code, 164);
  }

  xml(): string {
    let xml = `${DECLARATION}<styleSheet xmlns="${MAIN}">`;
    if (this.numFmts.size > 0) {
      xml += `<numFmts count="${this.numFmts.size}">`;
      for (const [code, id] of this.numFmts) xml += `<numFmt numFmtId="${id}" formatCode="${xstring(code)}"/>`;
      xml += '</numFmts>';
    }
    xml += `<fonts count="${this.fonts.size}">${[...this.fonts.keys()].join('')}</fonts>`;
    xml += `<fills count="${this.fills.size + 2}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`;
    for (const colour of this.fills.keys()) xml += `<fill><patternFill patternType="solid"><fgColor rgb="${colour}"/><bgColor indexed="64"/></patternFill></fill>`;
    xml += '</fills>';
    xml += '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"/><diagonal/></border></borders>';
    xml += '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>';
    xml += `<cellXfs count="${this.xfs.size}">${[...this.xfs.keys()].join('')}</cellXfs>`;
    xml += '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>';
    return `${xml}</styleSheet>`;
  }
}

/** The id of `key` in `ids`, numbered from `first` in the order first seen. */
function idOf(ids: Map<string, number>, key: string, first: number): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = first + ids.size));
  return id;
}

function fontXml(font: Font): string {
  const size = font.size ?? 11;
  if (!(size > 0 && size < 410)) throw new Error(`Font size ${size} is not one a spreadsheet can show`);
  if (font.color !== undefined && !ARGB.test(font.color)) throw new Error(`Font colour ${font.color} is not ARGB`);
  return (
    `<font>${font.bold ? '<b/>' : ''}${font.italic ? '<i/>' : ''}<sz val="${size}"/>` +
    `${font.color === undefined ? '' : `<color rgb="${font.color.toUpperCase()}"/>`}<name val="Calibri"/><family val="2"/></font>`
  );
}

const MAX_VALIDATION_TEXT = { title: 32, text: 255 };
/** A list's items are written inline, comma-separated in quotes: Excel keeps at most 255 characters of them. */
const MAX_LIST = 255;

function validationsXml(validations: readonly Validation[], sheet: string): string {
  let xml = `<dataValidations count="${validations.length}">`;
  for (const v of validations) {
    const { firstRow, firstColumn, lastRow, lastColumn } = v.range;
    checkRow(firstRow, sheet, 'a validation');
    checkRow(lastRow, sheet, 'a validation');
    const sqref = `${columnLetter(firstColumn)}${firstRow}:${columnLetter(lastColumn)}${lastRow}`;
    let attributes = ` type="${v.type}" allowBlank="1" showErrorMessage="1" errorStyle="stop"`;
    let formulas: string;
    if (v.type === 'list') {
      const items = v.list ?? [];
      if (items.length === 0 || items.some((item) => item.includes(',') || item.includes('"'))) {
        throw new Error(`Sheet ${sheet}: a list validation needs items without commas or quotes`);
      }
      const list = items.join(',');
      if (list.length > MAX_LIST) throw new Error(`Sheet ${sheet}: a list validation of ${list.length} characters; Excel keeps at most ${MAX_LIST}`);
      formulas = `<formula1>${xstring(`"${list}"`)}</formula1>`;
    } else {
      if (v.min === undefined || v.max === undefined || !(v.min <= v.max)) throw new Error(`Sheet ${sheet}: a ${v.type} validation needs min ≤ max`);
      attributes += ' operator="between"';
      formulas = `<formula1>${numberText(v.min, sheet, sqref)}</formula1><formula2>${numberText(v.max, sheet, sqref)}</formula2>`;
    }
    const texts: [string, string | undefined, number][] = [
      ['errorTitle', v.error.title, MAX_VALIDATION_TEXT.title],
      ['error', v.error.text, MAX_VALIDATION_TEXT.text],
      ['promptTitle', v.prompt?.title, MAX_VALIDATION_TEXT.title],
      ['prompt', v.prompt?.text, MAX_VALIDATION_TEXT.text],
    ];
    if (v.prompt) attributes += ' showInputMessage="1"';
    for (const [name, text, max] of texts) {
      if (text === undefined) continue;
      if (text.length > max) throw new Error(`Sheet ${sheet}: a validation's ${name} of ${text.length} characters; Excel keeps at most ${max}`);
      attributes += ` ${name}="${xstring(text)}"`;
    }
    xml += `<dataValidation${attributes} sqref="${sqref}">${formulas}</dataValidation>`;
  }
  return `${xml}</dataValidations>`;
}

function alignmentXml(alignment: Alignment | undefined): string {
  if (!alignment) return '';
  let attributes = '';
  if (alignment.horizontal) attributes += ` horizontal="${alignment.horizontal}"`;
  if (alignment.vertical) attributes += ` vertical="${alignment.vertical}"`;
  if (alignment.wrapText) attributes += ' wrapText="1"';
  if (alignment.indent) attributes += ` indent="${alignment.indent}"`;
  return attributes === '' ? '' : `<alignment${attributes}/>`;
}

function workbookXml(sheets: readonly Worksheet[]): string {
  let names = '';
  sheets.forEach((sheet, i) => {
    const reference = sheetReference(sheet.name);
    if (sheet.autoFilter) {
      names += `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xstring(reference)}!${filterRange(sheet.autoFilter, true)}</definedName>`;
    }
    if (sheet.printTitlesRow !== undefined && sheet.printTitleRows) throw new Error(`Sheet ${sheet.name}: printTitlesRow and printTitleRows both given`);
    const titles = sheet.printTitleRows ?? (sheet.printTitlesRow === undefined ? undefined : { first: sheet.printTitlesRow, last: sheet.printTitlesRow });
    if (titles) {
      checkRow(titles.first, sheet.name, 'print titles');
      checkRow(titles.last, sheet.name, 'print titles');
      if (titles.last < titles.first) throw new Error(`Sheet ${sheet.name}: print titles from row ${titles.first} to row ${titles.last}`);
      names += `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xstring(reference)}!$${titles.first}:$${titles.last}</definedName>`;
    }
    if (sheet.printArea) {
      names += `<definedName name="_xlnm.Print_Area" localSheetId="${i}">${xstring(rangeFormula(sheet.printArea, sheet.name))}</definedName>`;
    }
  });
  return (
    `${DECLARATION}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><workbookPr/><bookViews><workbookView/></bookViews><sheets>` +
    sheets.map((sheet, i) => `<sheet name="${xstring(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    `</sheets>${names === '' ? '' : `<definedNames>${names}</definedNames>`}<calcPr calcId="171027"/></workbook>`
  );
}

function workbookRelsXml(sheetCount: number): string {
  const type = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  let xml = `${DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">`;
  for (let i = 1; i <= sheetCount; i++) xml += `<Relationship Id="rId${i}" Type="${type}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  xml += `<Relationship Id="rId${sheetCount + 1}" Type="${type}/styles" Target="styles.xml"/>`;
  xml += `<Relationship Id="rId${sheetCount + 2}" Type="${type}/sharedStrings" Target="sharedStrings.xml"/>`;
  return `${xml}</Relationships>`;
}

function contentTypesXml(sheetCount: number, drawingCount: number, chartCount: number): string {
  const office = 'application/vnd.openxmlformats-officedocument';
  let xml =
    `${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${office}.spreadsheetml.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${office}.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="${office}.spreadsheetml.sharedStrings+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    `<Override PartName="/docProps/app.xml" ContentType="${office}.extended-properties+xml"/>`;
  for (let i = 1; i <= sheetCount; i++) xml += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${office}.spreadsheetml.worksheet+xml"/>`;
  for (let i = 1; i <= drawingCount; i++) xml += `<Override PartName="/xl/drawings/drawing${i}.xml" ContentType="${office}.drawing+xml"/>`;
  for (let i = 1; i <= chartCount; i++) xml += `<Override PartName="/xl/charts/chart${i}.xml" ContentType="${office}.drawingml.chart+xml"/>`;
  return `${xml}</Types>`;
}

/** A part's relationships, `rId1` on in the order given, each a type (the last word of its URI) and a target. */
function relsXml(targets: readonly (readonly [string, string])[]): string {
  let xml = `${DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">`;
  targets.forEach(([type, target], i) => (xml += `<Relationship Id="rId${i + 1}" Type="${RELATIONSHIPS}/${type}" Target="${target}"/>`));
  return `${xml}</Relationships>`;
}

const ROOT_RELS =
  `${DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  `<Relationship Id="rId2" Type="${PACKAGE_RELATIONSHIPS}/metadata/core-properties" Target="docProps/core.xml"/>` +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
  '</Relationships>';

function coreXml(book: Workbook): string {
  const created = book.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(book.title)}</dc:title><dc:creator>${xml(book.creator)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

function appXml(book: Workbook): string {
  return `${DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${xml(book.creator)}</Application></Properties>`;
}

const CHART = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const DRAWING_MAIN = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const SPREADSHEET_DRAWING = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';

/** A range as a formula names it: `'Sheet'!$B$4:$B$6`, or `'Sheet'!$B$4` for one cell. */
function rangeFormula(range: Omit<CellRange, 'sheet'>, sheet: string): string {
  const { firstRow, firstColumn, lastRow, lastColumn } = range;
  for (const row of [firstRow, lastRow]) checkRow(row, sheet, 'a range');
  for (const column of [firstColumn, lastColumn]) {
    if (!Number.isInteger(column) || column < 1 || column > MAX_COLUMNS) throw new Error(`Sheet ${sheet}: a range at column ${column}; columns are 1 to ${MAX_COLUMNS}`);
  }
  if (lastRow < firstRow || lastColumn < firstColumn) throw new Error(`Sheet ${sheet}: a range from row ${firstRow}, column ${firstColumn} to row ${lastRow}, column ${lastColumn}`);
  const first = `$${columnLetter(firstColumn)}$${firstRow}`;
  const last = `$${columnLetter(lastColumn)}$${lastRow}`;
  return `${sheetReference(sheet)}!${first === last ? first : `${first}:${last}`}`;
}

/** The sheet a chart's range or cell is on, found as Excel finds it, regardless of case. */
function sheetNamed(sheets: readonly Worksheet[], name: string, chart: string): Worksheet {
  const sheet = sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!sheet) throw new Error(`Chart "${chart}" refers to a sheet "${name}" the workbook does not have`);
  return sheet;
}

/** Each cell's value in a one-row or one-column range, as last calculated, in order. */
function rangeValues(sheet: Worksheet, range: CellRange, chart: string): (string | number | undefined)[] {
  if (range.firstRow !== range.lastRow && range.firstColumn !== range.lastColumn) {
    throw new Error(`Chart "${chart}": a series' range must be one row or one column, not ${rangeFormula(range, sheet.name)}`);
  }
  const values: (string | number | undefined)[] = [];
  for (let r = range.firstRow; r <= range.lastRow; r++) {
    for (let c = range.firstColumn; c <= range.lastColumn; c++) {
      const value = sheet.rows[r]?.[c]?.value;
      values.push(value === null || value === undefined ? undefined : typeof value === 'object' ? value.result : value);
    }
  }
  return values;
}

/** A colour as DrawingML gives it: RGB, with the alpha of ARGB when it is not opaque. */
function colourXml(argb: string, chart: string): string {
  if (!ARGB.test(argb)) throw new Error(`Chart "${chart}": colour ${argb} is not ARGB`);
  const alpha = parseInt(argb.slice(0, 2), 16);
  const rgb = argb.slice(2).toUpperCase();
  return alpha === 255 ? `<a:srgbClr val="${rgb}"/>` : `<a:srgbClr val="${rgb}"><a:alpha val="${Math.round((alpha / 255) * 100_000)}"/></a:srgbClr>`;
}

const fillXml = (argb: string, chart: string) => `<c:spPr><a:solidFill>${colourXml(argb, chart)}</a:solidFill></c:spPr>`;

/**
 * A chart's top edge sits this far (EMU: 3 points) inside its first row: on the row's edge, where a page break may
 * fall, LibreOffice prints the edge as a stray line at the foot of the page before.
 */
const CHART_TOP_INSET = 38_100;

/** The drawing that places a sheet's charts: each anchored to cells, described for a screen reader. */
function drawingXml(sheet: Worksheet, charts: readonly ChartSpec[]): string {
  let out = `${DECLARATION}<xdr:wsDr xmlns:xdr="${SPREADSHEET_DRAWING}" xmlns:a="${DRAWING_MAIN}">`;
  charts.forEach((chart, i) => {
    const { from } = chart.anchor;
    const to = 'to' in chart.anchor ? chart.anchor.to : { row: from.row + chart.anchor.rows - 1, column: from.column + chart.anchor.columns - 1 };
    const name = chart.title ?? `Chart ${i + 1}`;
    // Checked as a range is: on the sheet, `to` not before `from`. Corners are 0-based; `to` is included, so the far corner is at the start of the cell after it.
    rangeFormula({ firstRow: from.row, firstColumn: from.column, lastRow: to.row, lastColumn: to.column }, sheet.name);
    const corner = (column: number, row: number, rowOff = 0) => `<xdr:col>${column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>${rowOff}</xdr:rowOff>`;
    out +=
      `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${corner(from.column - 1, from.row - 1, CHART_TOP_INSET)}</xdr:from><xdr:to>${corner(to.column, to.row)}</xdr:to>` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${xml(name)}" descr="${xml(chart.altText)}"/>` +
      '<xdr:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></xdr:cNvGraphicFramePr></xdr:nvGraphicFramePr>' +
      '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
      `<a:graphic><a:graphicData uri="${CHART}"><c:chart xmlns:c="${CHART}" xmlns:r="${RELATIONSHIPS}" r:id="rId${i + 1}"/></a:graphicData></a:graphic>` +
      '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>';
  });
  return `${out}</xdr:wsDr>`;
}

/** Office's default chart colours, in its order. */
const PALETTE = ['FF4472C4', 'FFED7D31', 'FFA5A5A5', 'FFFFC000', 'FF5B9BD5', 'FF70AD47', 'FF264478', 'FF9E480E', 'FF636363', 'FF997300'];
const LEGEND_POSITIONS = { right: 'r', left: 'l', top: 't', bottom: 'b' } as const;
const CATEGORY_AXIS = 1;
const VALUE_AXIS = 2;

/** A chart part: its title, one plot of the series, axes for bars and columns, a legend; each range's values cached. */
function chartXml(chart: ChartSpec, holder: Worksheet, sheets: readonly Worksheet[]): string {
  const label = chart.title ?? chart.altText;
  if (chart.series.length === 0) throw new Error(`Chart "${label}" has no series`);
  const bars = chart.type === 'bar' || chart.type === 'column';
  if (!bars && chart.grouping !== undefined) throw new Error(`Chart "${label}": a ${chart.type} has no grouping`);
  if (bars && chart.dataLabels === 'percent') throw new Error(`Chart "${label}": only a pie or doughnut labels its share of the whole`);
  const valueFormat = chart.numFmt ?? 'General';
  let series = '';
  chart.series.forEach((s, i) => {
    const categoriesSheet = sheetNamed(sheets, s.categories.sheet ?? holder.name, label);
    const valuesSheet = sheetNamed(sheets, s.values.sheet ?? holder.name, label);
    const categories = rangeValues(categoriesSheet, s.categories, label);
    const values = rangeValues(valuesSheet, s.values, label);
    if (categories.length !== values.length) {
      throw new Error(`Chart "${label}": ${categories.length} categories but ${values.length} values in series ${i + 1}`);
    }
    series += `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>`;
    if (typeof s.name === 'string') series += `<c:tx><c:v>${xml(s.name)}</c:v></c:tx>`;
    else if (s.name) {
      const nameSheet = sheetNamed(sheets, s.name.sheet ?? holder.name, label);
      const cell = { firstRow: s.name.row, firstColumn: s.name.column, lastRow: s.name.row, lastColumn: s.name.column };
      series += `<c:tx><c:strRef><c:f>${xml(rangeFormula(cell, nameSheet.name))}</c:f>${strCache(rangeValues(nameSheet, cell, label))}</c:strRef></c:tx>`;
    }
    // Colours are always written: without a theme part, which this writer does not write, LibreOffice draws the automatic ones as nothing.
    const pointColors = s.pointColors ?? (bars || s.color !== undefined ? [] : values.map((_, p) => PALETTE[p % PALETTE.length]!));
    const fill = s.color ?? (bars ? PALETTE[i % PALETTE.length] : undefined);
    if (fill !== undefined) series += fillXml(fill, label);
    if (bars) series += '<c:invertIfNegative val="0"/>';
    pointColors.forEach((colour, p) => {
      series += `<c:dPt><c:idx val="${p}"/>${bars ? '<c:invertIfNegative val="0"/>' : ''}<c:bubble3D val="0"/>${fillXml(colour, label)}</c:dPt>`;
    });
    if (chart.dataLabels) series += dataLabelsXml(chart, chart.dataLabels, valueFormat);
    series += `<c:cat><c:strRef><c:f>${xml(rangeFormula(s.categories, categoriesSheet.name))}</c:f>${strCache(categories)}</c:strRef></c:cat>`;
    series += `<c:val><c:numRef><c:f>${xml(rangeFormula(s.values, valuesSheet.name))}</c:f>${numCache(values, valueFormat)}</c:numRef></c:val>`;
    series += '</c:ser>';
  });

  let plot: string;
  if (bars) {
    const grouping = chart.grouping ?? 'clustered';
    const horizontal = chart.type === 'bar';
    const numFmt = `<c:numFmt formatCode="${xml(valueFormat)}" sourceLinked="${chart.numFmt === undefined ? 1 : 0}"/>`;
    const ticks = '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>';
    // Horizontal bars read top down, as the table they come from does; the value axis then crosses at the bottom.
    plot =
      `<c:barChart><c:barDir val="${horizontal ? 'bar' : 'col'}"/><c:grouping val="${grouping}"/><c:varyColors val="0"/>${series}` +
      `<c:gapWidth val="${grouping === 'clustered' ? 80 : 60}"/>${grouping === 'clustered' ? '' : '<c:overlap val="100"/>'}` +
      `<c:axId val="${CATEGORY_AXIS}"/><c:axId val="${VALUE_AXIS}"/></c:barChart>` +
      `<c:catAx><c:axId val="${CATEGORY_AXIS}"/><c:scaling><c:orientation val="${horizontal ? 'maxMin' : 'minMax'}"/></c:scaling><c:delete val="0"/>` +
      `<c:axPos val="${horizontal ? 'l' : 'b'}"/><c:numFmt formatCode="General" sourceLinked="1"/>${ticks}` +
      // Every category named, in a size that lets ten supplier names stand beside their bars (left alone, every other one is dropped).
      `<c:txPr>${horizontal ? '<a:bodyPr rot="0" vert="horz" wrap="none"/>' : '<a:bodyPr/>'}<a:lstStyle/><a:p><a:pPr><a:defRPr sz="${horizontal ? 800 : 900}"/></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>` +
      `<c:crossAx val="${VALUE_AXIS}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
      `<c:valAx><c:axId val="${VALUE_AXIS}"/><c:scaling><c:orientation val="minMax"/>${chart.valueAxisMin === undefined ? '' : `<c:min val="${chart.valueAxisMin}"/>`}</c:scaling><c:delete val="0"/>` +
      `<c:axPos val="${horizontal ? 'b' : 'l'}"/><c:majorGridlines/>${numFmt}${ticks}` +
      // Level figures under horizontal bars, small enough not to be turned on their side.
      (horizontal ? '<c:txPr><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="800"/></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>' : '') +
      `<c:crossAx val="${CATEGORY_AXIS}"/><c:crosses val="${horizontal ? 'max' : 'autoZero'}"/><c:crossBetween val="between"/></c:valAx>`;
  } else if (chart.type === 'pie') {
    plot = `<c:pieChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/></c:pieChart>`;
  } else {
    plot = `<c:doughnutChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/><c:holeSize val="50"/></c:doughnutChart>`;
  }

  const legend = chart.legend ?? (bars && chart.series.length === 1 ? 'none' : 'right');
  const title =
    chart.title === undefined
      ? '<c:autoTitleDeleted val="1"/>'
      : `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="en-GB" sz="1200" b="1"/><a:t>${xml(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>` +
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>';
  return (
    `${DECLARATION}<c:chartSpace xmlns:c="${CHART}" xmlns:a="${DRAWING_MAIN}" xmlns:r="${RELATIONSHIPS}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:plotArea><c:layout/>${plot}</c:plotArea>` +
    (legend === 'none' ? '' : `<c:legend><c:legendPos val="${LEGEND_POSITIONS[legend]}"/><c:overlay val="0"/></c:legend>`) +
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
  );
}

/** Where a label goes: Excel repairs a file that puts one outside a stacked bar, or positions one on a doughnut at all. */
function labelPosition(chart: ChartSpec): string | undefined {
  if (chart.type === 'doughnut') return undefined;
  if (chart.type === 'pie') return 'bestFit';
  return (chart.grouping ?? 'clustered') === 'clustered' ? 'outEnd' : 'ctr';
}

function dataLabelsXml(chart: ChartSpec, shown: 'value' | 'percent', numFmt: string): string {
  const percent = shown === 'percent';
  const bars = chart.type === 'bar' || chart.type === 'column';
  const position = labelPosition(chart);
  return (
    `<c:dLbls>${percent ? '' : `<c:numFmt formatCode="${xml(numFmt)}" sourceLinked="0"/>`}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>` +
    `${position === undefined ? '' : `<c:dLblPos val="${position}"/>`}<c:showLegendKey val="0"/><c:showVal val="${percent ? 0 : 1}"/><c:showCatName val="0"/>` +
    `<c:showSerName val="0"/><c:showPercent val="${percent ? 1 : 0}"/><c:showBubbleSize val="0"/>${bars ? '' : '<c:showLeaderLines val="1"/>'}</c:dLbls>`
  );
}

/** Labels as last calculated, so the chart is drawn before the program recalculates; an empty cell has no point. */
function strCache(values: readonly (string | number | undefined)[]): string {
  let out = `<c:strCache><c:ptCount val="${values.length}"/>`;
  values.forEach((value, i) => {
    if (value !== undefined) out += `<c:pt idx="${i}"><c:v>${xml(String(value))}</c:v></c:pt>`;
  });
  return `${out}</c:strCache>`;
}

/** Numbers as last calculated; a cell of text or nothing has no point, as in the program's own cache. */
function numCache(values: readonly (string | number | undefined)[], format: string): string {
  let out = `<c:numCache><c:formatCode>${xml(format)}</c:formatCode><c:ptCount val="${values.length}"/>`;
  values.forEach((value, i) => {
    if (typeof value === 'number' && Number.isFinite(value)) out += `<c:pt idx="${i}"><c:v>${value}</c:v></c:pt>`;
  });
  return `${out}</c:numCache>`;
}

// XML 1.0 cannot carry these characters at all, escaped or not.
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any control character or surrogate: one simple class, so the common case (none) is one fast scan. */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Whether XML cannot hold the text (a control character, or half a surrogate pair). */
export function hasXmlInvalid(text: string): boolean {
  return SUSPECT.test(text) && text.search(XML_INVALID) !== -1;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' };

/** Text for an element or a quoted attribute; line breaks and tabs as references, so no parser normalises them. */
function xml(text: string): string {
  if (hasXmlInvalid(text)) throw new Error(`Text with a character XML cannot hold: ${JSON.stringify(text.slice(0, 80))}`);
  return text.replace(/[&<>"\r\n\t]/g, (c) => ESCAPES[c]!);
}

/** Text in a SpreadsheetML part: Excel reads `_x0041_` as "A", so a literal one has its underscore escaped as `_x005F_`. */
function xstring(text: string): string {
  return xml(text).replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** A cell's text, which Excel caps at 32,767 characters. */
function cellString(text: string, sheet: string, ref: string): string {
  if (text.length > MAX_TEXT) throw new Error(`Sheet ${sheet}, ${ref}: ${text.length} characters; a cell holds at most ${MAX_TEXT}`);
  return text;
}
