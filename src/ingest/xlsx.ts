import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import yauzl from 'yauzl';
import type { Cell, CellValue, Row } from 'exceljs';
import { InputError } from '../errors.js';
import type { Interner, RecordView } from '../csv/delimited.js';

/**
 * Spreadsheet input, read as a stream (exceljs' WorkbookReader) so a large sheet stays flat in
 * memory: each row becomes the same RecordView the CSV reader gives, its cells turned into the text
 * a person sees, so header detection, column choice and the per-row path are shared with CSV.
 */

export type FileFormat = 'delimited' | 'xlsx';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** The start of an XML or HTML document (after any byte-order mark and blank space). */
const MARKUP = /^<(\?xml|!--|!doctype)/;

function notCsv(path: string, what: string, hint: string): InputError {
  return new InputError(`${basename(path)} is ${what}.`, { file: path, code: 'FILE_NOT_CSV', hint });
}

/** What the first bytes say a file is, whatever its name: a "CSV" may be a workbook renamed. */
export async function detectFormat(path: string): Promise<FileFormat> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(512);
  let bytes: number;
  try {
    ({ bytesRead: bytes } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  if (bytes >= 4 && head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (bytes >= 4 && head.subarray(0, 4).equals(OLE)) {
    throw notCsv(path, 'an old binary Excel workbook (.xls), which this tool does not read', 'Open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook) or as CSV, then use that file.');
  }
  // Files that are plainly something else are named for what they are, and nothing of them is quoted.
  const text = head.subarray(0, bytes).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<table') || (MARKUP.test(text) && /<(html|body|table)\b/.test(text))) {
    throw notCsv(path, 'a web page (HTML), not a spreadsheet or CSV; some systems export "Excel" files this way', 'Open it in Excel or LibreOffice and save it as .xlsx or CSV, then use that file.');
  }
  if (MARKUP.test(text)) {
    throw notCsv(path, 'an XML file, not a spreadsheet or CSV', 'If it is an "XML Spreadsheet 2003", open it in Excel or LibreOffice and save it as .xlsx or CSV; otherwise export the data again as CSV.');
  }
  if (text.startsWith('%pdf-')) {
    throw notCsv(path, 'a PDF document, not a spreadsheet or CSV', 'A PDF holds no table the tool can read: export the data again, as CSV or .xlsx, from the system it came from.');
  }
  if (/^(\{\s*("|\})|\[\s*(\{|\[|"|\]))/.test(text)) {
    throw notCsv(path, 'a JSON file, not a spreadsheet or CSV', 'Export the data again as CSV or .xlsx, with a header row.');
  }
  return 'delimited';
}

/**
 * `payments.xlsx#March` names a sheet of a workbook. The suffix is read only when the path as given
 * does not exist and the part before the last `#` does, so a file whose name holds `#` still opens.
 */
export function splitSheet(path: string, exists: (path: string) => boolean): { path: string; sheet?: string } {
  const at = path.lastIndexOf('#');
  if (at <= 0 || at === path.length - 1 || exists(path) || !exists(path.slice(0, at))) return { path };
  return { path: path.slice(0, at), sheet: path.slice(at + 1) };
}

/** One spreadsheet row as a record: its cells already text, blank cells ''. */
class SheetRecord implements RecordView {
  fieldCount: number;
  /** A spreadsheet's cells come whole: nothing to recover. */
  readonly recovery = undefined;
  constructor(
    readonly line: number,
    readonly fields: string[],
  ) {
    this.fieldCount = fields.length;
  }
  field(index: number): string {
    return this.fields[index] ?? '';
  }
  raw(): string {
    return this.fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
  }
  fieldId(index: number, interner: Interner): number {
    return interner.idOf(this.fields[index] ?? '');
  }
  plainPence(): number {
    // Cells arrive as text already: parseAmount reads them.
    return NaN;
  }
  plainDate(): number {
    return 0;
  }
}

export interface OpenedSheet {
  /** The sheet read, and every sheet in the workbook. */
  sheet: string;
  sheets: string[];
  sizeBytes: number;
  /** The first rows, as the CSV sniffer gives them. */
  records: { line: number; fields: string[] }[];
  /**
   * Reads every row once, the first ones included, and returns the file's SHA-256. `minWidth` pads
   * each row: a spreadsheet leaves out trailing blank cells, which are blank, not missing.
   */
  scan(onRecord: (record: RecordView) => void, options: { minWidth: number; onProgress?: (read: number, total: number) => void }): Promise<string>;
  /** Stops reading (when the table is refused before its scan). */
  close(): void;
}

interface StreamWorksheet extends AsyncIterable<Row> {
  id?: number | string;
  name?: string;
}

export interface SheetEntry {
  name: string;
  /** The number in its part name, `xl/worksheets/sheet<N>.xml`. */
  partNumber: string;
}

/**
 * The workbook's sheets in tab order, from its zip directory. exceljs' stream reader names a sheet
 * only when xl/workbook.xml comes before it in the zip (Excel writes it first; exceljs itself last,
 * and then fails on a sheet that follows the shared strings), so the sheet is chosen by part name.
 */
export async function listSheets(path: string): Promise<SheetEntry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (error, z) => (error || !z ? reject(error ?? new Error('not a zip file')) : resolve(z))),
  );
  const wanted = new Map<string, string>([['xl/workbook.xml', ''], ['xl/_rels/workbook.xml.rels', '']]);
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!wanted.has(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error(`cannot read ${entry.fileName}`));
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          wanted.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  const attribute = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  const targets = new Map<string, string>();
  for (const [tag] of wanted.get('xl/_rels/workbook.xml.rels')!.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    if (id !== undefined && target !== undefined) targets.set(id, target);
  }
  const sheets: SheetEntry[] = [];
  for (const [tag] of wanted.get('xl/workbook.xml')!.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const target = targets.get(attribute(tag, 'r:id') ?? '');
    const partNumber = target === undefined ? undefined : /worksheets\/sheet(\d+)\.xml$/.exec(target)?.[1];
    if (name !== undefined && partNumber !== undefined) sheets.push({ name: xmlText(name), partNumber });
  }
  return sheets;
}

function xmlText(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

/**
 * Opens a workbook's sheet (the first, or `sheet`) and reads its first `limit` rows; the rest are
 * read by `scan`, from the same pass over the file.
 */
export async function openSheet(path: string, options: { sheet?: string; limit: number }): Promise<OpenedSheet> {
  const name = basename(path);
  const fail = (error: unknown): never => {
    stream?.destroy();
    if (error instanceof InputError) throw error;
    throw new InputError(`${name} starts like an Excel workbook (a zip file) but cannot be read as one: ${(error as Error).message}.`, {
      file: path,
      hint: 'Open it in Excel or LibreOffice and save it again as .xlsx or CSV. An OpenDocument (.ods) file must be saved as .xlsx or CSV too.',
    });
  };
  let stream: ReturnType<typeof createReadStream> | undefined;
  const sheetList = await listSheets(path).catch(fail);
  const sheetNames = sheetList.map((s) => s.name);
  const fold = (text: string) => text.trim().toLowerCase();
  const target = options.sheet === undefined ? sheetList[0] : sheetList.find((s) => s.name === options.sheet) ?? sheetList.find((s) => fold(s.name) === fold(options.sheet!));
  if (target === undefined) {
    if (options.sheet !== undefined && sheetList.length > 0) {
      throw new InputError(`${name} has no sheet "${options.sheet}".`, {
        file: path,
        hint: `Its sheets are: ${sheetNames.map((s) => `"${s}"`).join(', ')}. Name one with --sheet, or as ${name}#${sheetNames[0]}.`,
      });
    }
    fail(new Error('it holds no worksheet'));
  }
  // Loaded here, not at the top: exceljs takes ~0.25 s to load, and most inputs are CSV. (Required, not
  // imported: the bundled program runs as CommonJS compiled from a code cache, which has no import().)
  const ExcelJS = createRequire(import.meta.url)('exceljs') as typeof import('exceljs');
  const hash = createHash('sha256');
  let bytesRead = 0;
  const { size: sizeBytes } = await stat(path);
  stream = createReadStream(path);
  stream.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytesRead += chunk.length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  // Without it exceljs fails on a sheet read before xl/workbook.xml; the sheet is then known by its part number.
  (reader as unknown as { model: unknown }).model = { sheets: [] };
  const isTarget = (sheet: StreamWorksheet) => (sheet.name !== undefined ? sheet.name === target!.name : String(sheet.id) === target!.partNumber);
  const sheets = reader[Symbol.asyncIterator]() as AsyncGenerator<StreamWorksheet>;
  let chosen: StreamWorksheet | undefined;
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      if (isTarget(next.value)) {
        chosen = next.value;
        break;
      }
      await skip(next.value);
    }
  } catch (error) {
    fail(error);
  }
  if (chosen === undefined) fail(new Error(`its sheet "${target!.name}" could not be found in it`));
  const rows = chosen![Symbol.asyncIterator]();
  let previousLine = 0;
  /** The next non-blank row, or undefined at the end of the sheet. */
  const nextRecord = async (): Promise<SheetRecord | undefined> => {
    for (;;) {
      const next = await rows.next();
      if (next.done) return undefined;
      const row = next.value;
      // A row's number may be left out of the file; then it follows the one before.
      const line = Number.isFinite(row.number) && row.number > previousLine ? row.number : previousLine + 1;
      previousLine = line;
      const fields = rowTexts(row);
      if (fields.length > 0) return new SheetRecord(line, fields);
    }
  };
  const first: SheetRecord[] = [];
  try {
    while (first.length < options.limit) {
      const record = await nextRecord();
      if (record === undefined) break;
      first.push(record);
    }
  } catch (error) {
    fail(error);
  }
  return {
    sheet: target!.name,
    sheets: sheetNames,
    sizeBytes,
    records: first.map((r) => ({ line: r.line, fields: r.fields })),
    close: () => stream!.destroy(),
    async scan(onRecord, { minWidth, onProgress }) {
      const emit = (record: SheetRecord) => {
        if (record.fieldCount < minWidth) record.fieldCount = minWidth;
        onRecord(record);
      };
      for (const record of first) emit(record);
      let n = 0;
      try {
        for (;;) {
          const record = await nextRecord();
          if (record === undefined) break;
          emit(record);
          if (onProgress && ++n % 1000 === 0) onProgress(bytesRead, sizeBytes);
        }
        // Read to the end of the file, past the other sheets, so the checksum covers all of it.
        for (let next = await sheets.next(); !next.done; next = await sheets.next()) await skip(next.value);
      } catch (error) {
        if (error instanceof InputError) throw error;
        fail(error);
      }
      onProgress?.(sizeBytes, sizeBytes);
      return hash.digest('hex');
    },
  };
}

/**
 * Reads past a sheet not wanted. exceljs may have parked it in a temporary file that it deletes once
 * the next sheet is asked for; a sheet left unread then fails to open it, so each is read through.
 */
async function skip(sheet: StreamWorksheet): Promise<void> {
  for await (const _row of sheet);
}

/** The row's cells as text, without trailing blank cells; [] for a blank row. */
function rowTexts(row: Row): string[] {
  const fields: string[] = [];
  let last = -1;
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    const text = cellText(cell);
    if (text === '') return;
    while (fields.length < column - 1) fields.push('');
    fields[column - 1] = text;
    last = column - 1;
  });
  fields.length = last + 1;
  for (let i = 0; i < fields.length; i++) if (fields[i] === undefined) fields[i] = '';
  return fields;
}

/** The text a person sees in the cell, in the forms the CSV path reads: ISO dates, plain numbers. */
export function cellText(cell: Pick<Cell, 'value' | 'numFmt'>): string {
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) ? serialText(value) : numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && 'error' in result) return String((result as { error: string }).error);
    return valueText(result as CellValue, numFmt);
  }
  if ('text' in value) return String((value as { text: unknown }).text);
  return '';
}

/**
 * A number as Excel shows it: to 15 significant digits, the precision Excel keeps, so a float stored
 * as 1234.5599999999999 or 0.30000000000000004 reads as 1234.56 and 0.3 and parses to exact pence.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!text.includes('e')) return text;
  // Very small or very large: write it out in full rather than as 1e-7.
  return rounded.toFixed(20).replace(/\.?0+$/, '');
}

function isoDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** A formula's numeric result in a date-formatted cell: an Excel serial (1900 system). */
function serialText(serial: number): string {
  return isoDate(new Date(Math.round((serial - 25569) * 86_400_000)));
}

/** Whether a number format shows a date: d, m or y outside quoted text, brackets and escapes. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt || numFmt === 'General') return false;
  const bare = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dy]/i.test(bare) || /m/i.test(bare.replace(/[hs]:?m+|m+:?s/gi, ''));
}
