import { zip } from './zip.js';

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
  landscape?: boolean;
  /** 9 is A4. */
  paperSize?: number;
  /** Pages across and down to fit the sheet to; 0 is as many as it takes. */
  fitToWidth?: number;
  fitToHeight?: number;
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
  /** A row printed at the top of every page. */
  printTitlesRow?: number;
  pageSetup?: PageSetup;
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
  const sheets = book.sheets.map((sheet) => worksheetXml(sheet, strings, styles));
  // The workbook, styles and strings before the sheets, so a reader that streams needs nothing it has not seen.
  return zip(
    [
      { name: '[Content_Types].xml', data: contentTypesXml(sheets.length) },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'docProps/core.xml', data: coreXml(book) },
      { name: 'docProps/app.xml', data: appXml(book) },
      { name: 'xl/workbook.xml', data: workbookXml(book.sheets) },
      { name: 'xl/_rels/workbook.xml.rels', data: workbookRelsXml(sheets.length) },
      { name: 'xl/styles.xml', data: styles.xml() },
      { name: 'xl/sharedStrings.xml', data: strings.xml() },
      ...sheets.map((data, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data })),
    ],
    book.created,
    COMPRESSION,
  );
}

function worksheetXml(sheet: Worksheet, strings: SharedStrings, styles: StyleSheet): Buffer {
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
  xml += '<sheetFormatPr defaultRowHeight="15"/>';
  const widths = [...(sheet.widths ?? [])].sort(([a], [b]) => a - b);
  if (widths.length > 0) {
    xml += '<cols>';
    for (const [c, width] of widths) xml += `<col min="${c}" max="${c}" width="${numberText(width, sheet.name, `column ${c}`)}" customWidth="1"/>`;
    xml += '</cols>';
  }
  xml += '<sheetData>';
  let tail = '</sheetData>';
  if (sheet.autoFilter) tail += `<autoFilter ref="${filterRange(sheet.autoFilter, false)}"/>`;
  tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  if (setup) {
    let attributes = '';
    if (setup.paperSize !== undefined) attributes += ` paperSize="${setup.paperSize}"`;
    if (setup.landscape) attributes += ' orientation="landscape"';
    if (setup.fitToWidth !== undefined) attributes += ` fitToWidth="${setup.fitToWidth}"`;
    if (setup.fitToHeight !== undefined) attributes += ` fitToHeight="${setup.fitToHeight}"`;
    tail += `<pageSetup${attributes}/>`;
  }
  return data.bytes(xml, `${tail}</worksheet>`);
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
    xml += alignment === '' ? '/>' : ` applyAlignment="1">${alignment}</xf>`;
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
    if (sheet.printTitlesRow !== undefined) {
      const row = sheet.printTitlesRow;
      names += `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xstring(reference)}!$${row}:$${row}</definedName>`;
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

function contentTypesXml(sheetCount: number): string {
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
  return `${xml}</Types>`;
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
