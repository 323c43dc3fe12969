import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../errors.js';
import type { Interner, RecordView } from '../csv/delimited.js';

/**
 * Spreadsheet input, read as a stream (the zip by yauzl, the sheet's XML by a small scanner of our own)
 * so a large sheet stays flat in memory: each row becomes the same RecordView the CSV reader gives, its
 * cells turned into the text a person sees, so header detection, column choice and the per-row path are
 * shared with CSV. A workbook is a file from outside, so what it may unpack is limited (WORKBOOK_LIMITS).
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

/** Why a workbook is refused: the InputError's code. */
export type WorkbookRefusal =
  | 'XLSX_UNREADABLE'
  | 'XLSX_SHEET_NOT_FOUND'
  | 'XLSX_PART_TOO_LARGE'
  | 'XLSX_COMPRESSION_RATIO'
  | 'XLSX_SIZE_MISMATCH'
  | 'XLSX_CRC_MISMATCH'
  | 'XLSX_XML_ENTITIES';

/**
 * How much this reader unpacks from a workbook, so a zip bomb (kilobytes that inflate to gigabytes) is
 * refused instead of read for as long as it takes. Real workbooks sit far inside these: a sheet of
 * 1,048,576 payment rows (Excel's most) is 150-200 MB of XML compressed 5-20:1, and even empty
 * formatted rows stay near 20:1 because each names its row; its shared strings, every supplier and
 * description distinct, about 100 MB. The zip's directory can lie, so a part is also counted as it
 * inflates and stopped the moment it passes the size it declared.
 */
export const WORKBOOK_LIMITS = {
  /** A sheet is streamed, so its size costs time rather than memory: 1 GiB is five times the largest real one. */
  sheetBytes: 2 ** 30,
  /** The shared strings, styles, workbook and relationships are held in memory while the sheet is read. */
  heldBytes: 2 ** 28,
  /** Deflate can reach about 1030:1; a sheet's XML compresses 5-20:1 (about 300:1 only for identical rows without cell references). */
  ratio: 100,
  /** A part below this is read whatever its ratio: 32 MiB is read in a second or two. */
  ratioFromBytes: 2 ** 25,
  /** A workbook's zip holds a few dozen files; a directory of millions is a bomb of another kind. */
  parts: 10_000,
} as const;

/** Excel's last column is XFD: a cell past it is not in any sheet. */
const MAX_COLUMNS = 16_384;

const SAVE_AGAIN = 'Open it in Excel or LibreOffice and save it again as .xlsx (or export the sheet as CSV), then use that file.';

/** An open workbook: its zip and the files (parts) its directory lists. */
interface Book {
  path: string;
  name: string;
  zip: yauzl.ZipFile;
  parts: Map<string, yauzl.Entry>;
}

function refuse(book: Pick<Book, 'path' | 'name'>, code: WorkbookRefusal, message: string, hint = SAVE_AGAIN): InputError {
  return new InputError(`${book.name} ${message}`, { file: book.path, code, hint });
}

function unreadable(book: Pick<Book, 'path' | 'name'>, why: string): InputError {
  return refuse(
    book,
    'XLSX_UNREADABLE',
    `starts like an Excel workbook (a zip file) but cannot be read as one: ${why}.`,
    'Open it in Excel or LibreOffice and save it again as .xlsx or CSV. An OpenDocument (.ods) file must be saved as .xlsx or CSV too.',
  );
}

/** Something wrong in a part's XML, turned into an InputError naming the file and the part by `partError`. */
class XmlFault extends Error {
  constructor(
    readonly code: 'XLSX_UNREADABLE' | 'XLSX_XML_ENTITIES',
    message: string,
  ) {
    super(message);
  }
}

function partError(book: Book, part: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof XmlFault && error.code === 'XLSX_XML_ENTITIES') {
    return refuse(
      book,
      'XLSX_XML_ENTITIES',
      `is refused: its part ${part} ${error.message}. Excel and LibreOffice never write these; a file that has them can expand without limit or read other files.`,
    );
  }
  return unreadable(book, `its part ${part} ${error instanceof XmlFault ? error.message : `cannot be unpacked (${(error as Error).message})`}`);
}

/**
 * Opens a workbook's sheet (the first, or `sheet`) and reads its first `limit` rows; the rest are
 * read by `scan`, from the same pass over the sheet.
 */
export async function openSheet(path: string, options: { sheet?: string; limit: number }): Promise<OpenedSheet> {
  const { size: sizeBytes } = await stat(path);
  const book = await openBook(path);
  let rows: SheetStream | undefined;
  const close = () => {
    rows?.close();
    book.zip.close();
  };
  const fail = (error: unknown): never => {
    close();
    throw error instanceof InputError ? error : unreadable(book, (error as Error).message);
  };
  const workbook = await readWorkbook(book).catch(fail);
  const sheetNames = workbook.sheets.map((s) => s.name);
  const fold = (text: string) => text.trim().toLowerCase();
  const target =
    options.sheet === undefined
      ? workbook.sheets[0]
      : (workbook.sheets.find((s) => s.name === options.sheet) ?? workbook.sheets.find((s) => fold(s.name) === fold(options.sheet!)));
  if (target === undefined) {
    if (options.sheet !== undefined && workbook.sheets.length > 0) {
      fail(
        refuse(book, 'XLSX_SHEET_NOT_FOUND', `has no sheet "${options.sheet}".`, `Its sheets are: ${sheetNames.map((s) => `"${s}"`).join(', ')}. Name one with --sheet, or as ${book.name}#${sheetNames[0]}.`),
      );
    }
    fail(new Error('it holds no worksheet'));
  }
  const strings = workbook.sharedStrings === undefined ? [] : await readStrings(book, workbook.sharedStrings).catch(fail);
  const dateStyles = workbook.styles === undefined ? [] : await readDateStyles(book, workbook.styles).catch(fail);
  let compressedRead = 0;
  const first: SheetRecord[] = [];
  try {
    rows = openRows(book, target!.part, new SheetRows(strings, dateStyles, workbook.date1904), (bytes) => (compressedRead += bytes));
    while (first.length < options.limit) {
      const record = await rows!.next();
      if (record === undefined) break;
      first.push(record);
    }
  } catch (error) {
    fail(error);
  }
  const compressedSize = book.parts.get(target!.part)!.compressedSize;
  return {
    sheet: target!.name,
    sheets: sheetNames,
    sizeBytes,
    records: first.map((r) => ({ line: r.line, fields: r.fields })),
    close,
    async scan(onRecord, { minWidth, onProgress }) {
      // The checksum is of the whole file, read beside the sheet rather than through it.
      const hashing = hashFile(path);
      hashing.catch(() => {});
      const emit = (record: SheetRecord) => {
        if (record.fieldCount < minWidth) record.fieldCount = minWidth;
        onRecord(record);
      };
      for (const record of first) emit(record);
      let n = 0;
      try {
        for (let record = await rows!.next(); record !== undefined; record = await rows!.next()) {
          emit(record);
          if (onProgress && ++n % 1000 === 0) onProgress(Math.min(sizeBytes, Math.round((sizeBytes * compressedRead) / Math.max(compressedSize, 1))), sizeBytes);
        }
        const sha256 = await hashing;
        close();
        onProgress?.(sizeBytes, sizeBytes);
        return sha256;
      } catch (error) {
        return fail(error);
      }
    },
  };
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk as Buffer))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The zip's directory, read whole before any part is: a part is then found by name, in any order. */
async function openBook(path: string): Promise<Book> {
  const named = { path, name: basename(path) };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw unreadable(named, (error as Error).message);
  }
  const parts = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        parts.set(entry.fileName, entry);
        if (parts.size > WORKBOOK_LIMITS.parts) reject(new Error(`it holds over ${WORKBOOK_LIMITS.parts.toLocaleString('en-GB')} files, where a workbook holds a few dozen`));
        else zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw unreadable(named, (error as Error).message);
  }
  return { ...named, zip, parts };
}

/**
 * A part's bytes as they inflate. Refused before reading when its directory entry says it is too large
 * or too compressed, and stopped as soon as it inflates past the size it declared, since that can lie.
 */
async function* inflatePart(book: Book, entry: yauzl.Entry, limit: number, onCompressed?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const part = entry.fileName;
  const declared = entry.uncompressedSize;
  if (declared > limit) {
    throw refuse(
      book,
      'XLSX_PART_TOO_LARGE',
      `is too large to read: its part ${part} unpacks to ${formatBytes(declared)}, over the ${formatBytes(limit)} this tool reads from one part of a workbook.`,
      'Check that it is the file you meant. If it is, export the sheet as CSV, which is read without this limit.',
    );
  }
  if (declared > WORKBOOK_LIMITS.ratioFromBytes && declared > entry.compressedSize * WORKBOOK_LIMITS.ratio) {
    throw refuse(
      book,
      'XLSX_COMPRESSION_RATIO',
      `looks like a zip bomb: its part ${part} unpacks from ${formatBytes(entry.compressedSize)} to ${formatBytes(declared)}, ${Math.round(declared / Math.max(entry.compressedSize, 1)).toLocaleString('en-GB')}:1, where a workbook's parts compress about 5-20:1 and this tool reads up to ${WORKBOOK_LIMITS.ratio}:1.`,
      'If the file is genuine, open it in Excel and save it again, or export the sheet as CSV, then use that file.',
    );
  }
  if (entry.isEncrypted()) throw unreadable(book, `its part ${part} is encrypted`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw unreadable(book, `its part ${part} is compressed by a method (${entry.compressionMethod}) that Excel does not use`);
  const raw = await book.zip.openReadStreamPromise(entry, { decodeFileData: false });
  if (onCompressed) raw.on('data', (chunk: Buffer) => onCompressed(chunk.length));
  let inflated: Readable = raw;
  if (entry.compressionMethod === 8) {
    const inflate = zlib.createInflateRaw();
    raw.on('error', (error) => inflate.destroy(error));
    inflated = raw.pipe(inflate);
  }
  const mismatch = (bytes: string) =>
    refuse(book, 'XLSX_SIZE_MISMATCH', `is damaged or made to mislead: its part ${part} says it unpacks to ${formatBytes(declared)} but holds ${bytes}.`);
  let bytes = 0;
  let crc = 0;
  try {
    for await (const chunk of inflated as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > declared) throw mismatch(`more (${formatBytes(bytes)} read when it was stopped)`);
      if (crc32) crc = crc32(chunk, crc);
      yield chunk;
    }
  } finally {
    raw.destroy();
    inflated.destroy();
  }
  if (bytes !== declared) throw mismatch(`only ${formatBytes(bytes)}`);
  if (crc32 && crc !== entry.crc32) throw refuse(book, 'XLSX_CRC_MISMATCH', `is damaged: its part ${part} does not match the checksum (CRC-32) its zip directory gives it.`);
}

// Node has zlib.crc32 from 20.15; on earlier 20.x releases a part's checksum goes unchecked.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * Bad XML may be a damaged part rather than a malformed one: then the part is inflated to its end, and
 * its size or checksum, if wrong, is the error to report.
 */
async function damageOr(chunks: AsyncGenerator<Buffer>, error: unknown): Promise<unknown> {
  if (!(error instanceof XmlFault)) return error;
  try {
    while (!(await chunks.next()).done);
  } catch (damage) {
    return damage;
  }
  return error;
}

/** 1,000 bytes, 48.5 MB, 1 GB: binary units, as Windows shows a file's size. */
function formatBytes(bytes: number): string {
  const [unit, size] = bytes >= 2 ** 30 ? ['GB', 2 ** 30] : bytes >= 2 ** 20 ? ['MB', 2 ** 20] : bytes >= 2 ** 10 ? ['KB', 2 ** 10] : ['bytes', 1];
  return `${size === 1 ? bytes.toLocaleString('en-GB') : (bytes / (size as number)).toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/** Reads a part held in memory (all but the sheet) through `handler`. */
async function readPart(book: Book, part: string, handler: XmlHandler): Promise<void> {
  const entry = book.parts.get(part);
  if (entry === undefined) throw unreadable(book, `it has no ${part}`);
  const scanner = new XmlScanner(handler);
  const chunks = inflatePart(book, entry, WORKBOOK_LIMITS.heldBytes);
  try {
    for (let chunk = await chunks.next(); !chunk.done; chunk = await chunks.next()) scanner.write(chunk.value);
    scanner.end();
  } catch (error) {
    throw partError(book, part, await damageOr(chunks, error));
  }
}

interface SheetEntry {
  name: string;
  /** Its part in the zip, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
}

interface WorkbookParts {
  /** The worksheets in tab order. */
  sheets: SheetEntry[];
  date1904: boolean;
  sharedStrings?: string;
  styles?: string;
}

/** The workbook's sheets in tab order and the parts they share, from xl/workbook.xml and its relationships. */
async function readWorkbook(book: Book): Promise<WorkbookParts> {
  const relations = new Map<string, { type: string; part: string }>();
  await readPart(book, 'xl/_rels/workbook.xml.rels', {
    ...IGNORE_TEXT,
    open(name, tag) {
      if (name !== 'Relationship' || attribute(tag, 'TargetMode') === 'External') return;
      const id = attribute(tag, 'Id');
      const target = attribute(tag, 'Target');
      if (id !== undefined && target !== undefined) relations.set(id, { type: attribute(tag, 'Type') ?? '', part: partPath('xl/', target) });
    },
  });
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  await readPart(book, 'xl/workbook.xml', {
    ...IGNORE_TEXT,
    open(name, tag) {
      if (name === 'workbookPr') date1904 = /^(1|true)$/.test(attribute(tag, 'date1904') ?? '');
      if (name !== 'sheet') return;
      const sheetName = attribute(tag, 'name');
      const relation = relations.get(attribute(tag, 'r:id') ?? '');
      if (sheetName !== undefined && relation?.type.endsWith('/worksheet')) sheets.push({ name: sheetName, part: relation.part });
    },
  });
  const shared = (type: string, fallback: string) => [...relations.values()].find((r) => r.type.endsWith(type))?.part ?? (book.parts.has(fallback) ? fallback : undefined);
  const sharedStrings = shared('/sharedStrings', 'xl/sharedStrings.xml');
  const styles = shared('/styles', 'xl/styles.xml');
  return { sheets, date1904, ...(sharedStrings === undefined ? {} : { sharedStrings }), ...(styles === undefined ? {} : { styles }) };
}

/** A relationship's target as a part name: relative to the folder of the part that names it, or from the root. */
function partPath(folder: string, target: string): string {
  const segments: string[] = [];
  for (const segment of (target.startsWith('/') ? target.slice(1) : folder + target).split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

/** The shared strings, each `<si>`'s text runs joined; phonetic guides (`<rPh>`) are not part of the text. */
async function readStrings(book: Book, part: string): Promise<string[]> {
  const strings: string[] = [];
  let text = '';
  let inString = false;
  let phonetic = 0;
  await readPart(book, part, {
    wantText: false,
    open(name) {
      if (name === 'si') {
        text = '';
        inString = true;
      } else if (name === 'rPh') phonetic++;
      else if (name === 't' && inString && phonetic === 0) this.wantText = true;
    },
    close(name) {
      if (name === 't') this.wantText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        strings.push(text);
        inString = false;
      }
    },
    text(chunk) {
      text += chunk;
    },
  });
  return strings;
}

/** Excel's built-in date formats, which styles.xml refers to by number without writing them out. */
const BUILTIN_DATE_FORMATS = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58];

/** For each cell style (`s` on a cell), whether its number format shows a date. */
async function readDateStyles(book: Book, part: string): Promise<boolean[]> {
  const formats = new Map<string, string>(BUILTIN_DATE_FORMATS.map((id) => [String(id), 'yyyy-mm-dd']));
  const styleFormats: string[] = [];
  let inFormats = false;
  let inCellStyles = false;
  await readPart(book, part, {
    ...IGNORE_TEXT,
    open(name, tag) {
      if (name === 'numFmts') inFormats = true;
      else if (name === 'cellXfs') inCellStyles = true;
      else if (name === 'numFmt' && inFormats) formats.set(attribute(tag, 'numFmtId') ?? '', attribute(tag, 'formatCode') ?? '');
      else if (name === 'xf' && inCellStyles) styleFormats.push(attribute(tag, 'numFmtId') ?? '0');
    },
    close(name) {
      if (name === 'numFmts') inFormats = false;
      else if (name === 'cellXfs') inCellStyles = false;
    },
  });
  return styleFormats.map((id) => isDateFormat(formats.get(id)));
}

interface SheetStream {
  /** The next row that has a cell with text, or undefined at the end of the sheet. */
  next(): Promise<SheetRecord | undefined>;
  close(): void;
}

/** Reads a sheet's rows on demand, a chunk of its XML at a time. */
function openRows(book: Book, part: string, rows: SheetRows, onCompressed: (bytes: number) => void): SheetStream {
  const entry = book.parts.get(part);
  if (entry === undefined) throw unreadable(book, `its sheet's part ${part} is missing`);
  const chunks = inflatePart(book, entry, WORKBOOK_LIMITS.sheetBytes, onCompressed);
  const scanner = new XmlScanner(rows);
  let done = false;
  let at = 0;
  return {
    async next() {
      try {
        while (at === rows.ready.length) {
          if (done) return undefined;
          rows.ready.length = 0;
          at = 0;
          const chunk = await chunks.next();
          if (chunk.done) {
            scanner.end();
            done = true;
          } else scanner.write(chunk.value);
        }
        return rows.ready[at++];
      } catch (error) {
        done = true;
        throw partError(book, part, await damageOr(chunks, error));
      }
    },
    close() {
      done = true;
      void chunks.return(undefined).catch(() => {});
    },
  };
}

/**
 * A sheet's XML turned into records. A cell is placed by its reference (`r="C7"`) or, without one, in
 * the column after the cell before it; a row is numbered by its `r` or, without one (or with one that
 * goes back), as the row after the one before. Blank rows are passed over; blank cells are ''.
 */
class SheetRows implements XmlHandler {
  wantText = false;
  /** Rows finished and not yet taken. */
  readonly ready: SheetRecord[] = [];
  private inData = false;
  private fields: string[] | undefined;
  private line = 0;
  private column = -1;
  private inCell = false;
  private type = '';
  private style = 0;
  private value = '';
  private inlineText = '';
  private inInline = false;
  private phonetic = 0;
  private capturing: 'value' | 'inline' = 'value';

  constructor(
    private readonly strings: readonly string[],
    private readonly dateStyles: readonly boolean[],
    private readonly date1904: boolean,
  ) {}

  open(name: string, tag: string): void {
    switch (name) {
      case 'sheetData':
        this.inData = true;
        break;
      case 'row':
        if (this.inData) {
          const r = attribute(tag, 'r');
          const number = r === undefined ? NaN : Number(r);
          this.line = Number.isInteger(number) && number > this.line ? number : this.line + 1;
          this.fields = [];
          this.column = -1;
        }
        break;
      case 'c':
        if (this.fields !== undefined) {
          const reference = attribute(tag, 'r');
          const column = reference === undefined ? -1 : columnIndex(reference);
          this.column = column >= 0 ? column : this.column + 1;
          if (this.column >= MAX_COLUMNS) throw new XmlFault('XLSX_UNREADABLE', `has a cell in row ${this.line} beyond column XFD, the last a sheet can have`);
          this.type = attribute(tag, 't') ?? 'n';
          this.style = Number(attribute(tag, 's') ?? 0);
          this.value = '';
          this.inlineText = '';
          this.inCell = true;
        }
        break;
      case 'v':
        if (this.inCell) {
          this.capturing = 'value';
          this.wantText = true;
        }
        break;
      case 'is':
        this.inInline = this.inCell;
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) {
          this.capturing = 'inline';
          this.wantText = true;
        }
        break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.wantText = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c':
        if (this.inCell) {
          this.inCell = false;
          const text = cellText(this.type, this.value, this.inlineText, this.dateStyles[this.style] === true, this.strings, this.date1904);
          if (text !== '') {
            const fields = this.fields!;
            while (fields.length < this.column) fields.push('');
            // A cell given twice in one row is damage: both texts kept, so the row is refused with what it holds
            // (an amount of "100 | 50" is not a number), never read as the last one in silence.
            const earlier = fields[this.column];
            fields[this.column] = earlier === undefined || earlier === '' ? text : `${earlier} | ${text}`;
          }
        }
        break;
      case 'row':
        if (this.fields !== undefined) {
          if (this.fields.length > 0) this.ready.push(new SheetRecord(this.line, this.fields));
          this.fields = undefined;
        }
        break;
      case 'sheetData':
        this.inData = false;
        break;
    }
  }

  text(text: string): void {
    if (this.capturing === 'value') this.value += text;
    else this.inlineText += text;
  }
}

/** The 0-based column of a cell reference (`A1` 0, `AB12` 27), or -1 when it is not one. */
function columnIndex(reference: string): number {
  let column = 0;
  let i = 0;
  // Four letters are past XFD already; reading more would only overflow.
  for (; i < reference.length && i < 4; i++) {
    const code = reference.charCodeAt(i) & ~0x20;
    if (code < 0x41 || code > 0x5a) break;
    column = column * 26 + (code - 0x40);
  }
  return i === 0 ? -1 : column - 1;
}

/** The text a person sees in the cell, in the forms the CSV path reads: ISO dates, plain numbers. */
function cellText(type: string, value: string, inlineText: string, dateStyle: boolean, strings: readonly string[], date1904: boolean): string {
  switch (type) {
    case 's':
      // An index past the shared strings is damage, said in the cell's place rather than read as a blank.
      return value === '' ? '' : (strings[Number(value)] ?? `#REF! (shared string ${value} is missing)`);
    case 'inlineStr':
      return inlineText || value;
    case 'str':
    case 'e':
      return value;
    case 'b':
      return value === '' ? '' : value.trim() === '0' || value.trim().toLowerCase() === 'false' ? 'FALSE' : 'TRUE';
    case 'd':
      return /^\d{4}-\d\d-\d\d/.test(value) ? value.slice(0, 10) : value;
    default: {
      if (value.trim() === '') return '';
      const number = Number(value);
      if (!Number.isFinite(number)) return value.trim();
      return dateStyle ? serialText(number, date1904) : numberText(number);
    }
  }
}

/** An XML part read as a stream: element starts and ends, names without their namespace prefix, and text. */
interface XmlHandler {
  /** Whether the text from here on is wanted (a value or a string); other text is passed over undecoded. */
  wantText: boolean;
  /** `tag` is the start tag's text after its name, for `attribute`. An empty element (`<c/>`) is opened, then closed. */
  open(name: string, tag: string): void;
  close(name: string): void;
  text(text: string): void;
}

const IGNORE_TEXT: XmlHandler = { wantText: false, open() {}, close() {}, text() {} };

/** No real token is this long: a cell holds at most 32,767 characters. A longer one is a broken or hostile file. */
const MAX_TOKEN = 2 ** 20;
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/**
 * A streaming reader for the XML a workbook holds: enough of XML for SpreadsheetML, and no DOCTYPE, so
 * no entity can be declared (the "billion laughs") nor point outside the file.
 */
class XmlScanner {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  private started = false;

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: Buffer): void {
    if (!this.started) {
      this.started = true;
      if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        throw new XmlFault('XLSX_UNREADABLE', 'is UTF-16 text, which this tool does not read');
      }
    }
    this.scan(this.pending + this.decoder.write(chunk));
  }

  end(): void {
    this.scan(this.pending + this.decoder.end());
    if (this.pending.trim() !== '') throw new XmlFault('XLSX_UNREADABLE', 'ends in the middle of its XML');
  }

  private scan(buf: string): void {
    const handler = this.handler;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      // Text with no tag after it yet stays pending: its end, and an entity in it, may be in the next chunk.
      if (lt < 0) break;
      if (lt > pos && handler.wantText) handler.text(decodeEntities(buf.slice(pos, lt)));
      pos = lt;
      const next = buf.charCodeAt(lt + 1);
      if (next === SLASH) {
        const gt = buf.indexOf('>', lt + 2);
        if (gt < 0) break;
        handler.close(localName(buf.slice(lt + 2, gt).trimEnd()));
        pos = gt + 1;
      } else if (next === QUESTION) {
        const end = buf.indexOf('?>', lt + 2);
        if (end < 0) break;
        pos = end + 2;
      } else if (next === BANG) {
        if (buf.startsWith('<!--', lt)) {
          const end = buf.indexOf('-->', lt + 4);
          if (end < 0) break;
          pos = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          const end = buf.indexOf(']]>', lt + 9);
          if (end < 0) break;
          if (handler.wantText) handler.text(buf.slice(lt + 9, end));
          pos = end + 3;
        } else if (buf.length - lt < 9) {
          break;
        } else if (buf.slice(lt, lt + 9).toUpperCase() === '<!DOCTYPE') {
          throw new XmlFault('XLSX_XML_ENTITIES', 'declares XML entities (it has a DOCTYPE)');
        } else {
          throw new XmlFault('XLSX_UNREADABLE', `is not well-formed XML (${JSON.stringify(buf.slice(lt, lt + 9))})`);
        }
      } else {
        // A start tag ends at the first > outside an attribute's quotes.
        const length = buf.length;
        let gt = lt + 1;
        for (let quote = 0; gt < length; gt++) {
          const code = buf.charCodeAt(gt);
          if (quote !== 0) {
            if (code === quote) quote = 0;
          } else if (code === GT) break;
          else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) quote = code;
        }
        if (gt === length) break;
        const empty = buf.charCodeAt(gt - 1) === SLASH;
        let nameEnd = lt + 1;
        while (nameEnd < gt && !isSpace(buf.charCodeAt(nameEnd)) && buf.charCodeAt(nameEnd) !== SLASH) nameEnd++;
        if (nameEnd === lt + 1) throw new XmlFault('XLSX_UNREADABLE', `is not well-formed XML (${JSON.stringify(buf.slice(lt, Math.min(gt + 1, lt + 20)))})`);
        const name = localName(buf.slice(lt + 1, nameEnd));
        pos = gt + 1;
        handler.open(name, buf.slice(nameEnd, empty ? gt - 1 : gt));
        if (empty) handler.close(name);
      }
    }
    this.pending = buf.slice(pos);
    if (this.pending.length > MAX_TOKEN) {
      const what = this.pending.charCodeAt(0) === LT ? 'an XML tag that does not end' : 'text without any XML tag';
      throw new XmlFault('XLSX_UNREADABLE', `has ${what} for over ${formatBytes(MAX_TOKEN)}`);
    }
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** An attribute's value in a start tag's text (what follows its name), its entities decoded. */
function attribute(tag: string, name: string): string | undefined {
  const length = tag.length;
  let i = 0;
  while (i < length) {
    while (i < length && isSpace(tag.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < length && tag.charCodeAt(i) !== EQUALS && !isSpace(tag.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < length && isSpace(tag.charCodeAt(i))) i++;
    if (tag.charCodeAt(i) !== EQUALS) return undefined;
    i++;
    while (i < length && isSpace(tag.charCodeAt(i))) i++;
    const quote = tag.charCodeAt(i);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return undefined;
    const valueEnd = tag.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", i + 1);
    if (valueEnd < 0) return undefined;
    if (nameEnd - nameStart === name.length && tag.startsWith(name, nameStart)) return decodeEntities(tag.slice(i + 1, valueEnd));
    i = valueEnd + 1;
  }
  return undefined;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five predefined entities and character references; any other entity needs a DOCTYPE, so is refused. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&<\s]{1,32});/g, (whole, reference: string) => {
    const predefined = PREDEFINED[reference];
    if (predefined !== undefined) return predefined;
    const code = reference.startsWith('#x') ? parseInt(reference.slice(2), 16) : reference.startsWith('#') ? parseInt(reference.slice(1), 10) : NaN;
    if (Number.isInteger(code) && code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    if (reference.startsWith('#')) return '\uFFFD';
    throw new XmlFault('XLSX_XML_ENTITIES', `refers to an XML entity (${whole}) that only a DOCTYPE could declare`);
  });
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

/** A number in a date-formatted cell: an Excel serial, counted from 1900 or, in a workbook that says so, 1904. */
function serialText(serial: number, date1904: boolean): string {
  return isoDate(new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)));
}

/** Whether a number format shows a date: d, m or y outside quoted text, brackets and escapes. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt || numFmt === 'General') return false;
  const bare = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dy]/i.test(bare) || /m/i.test(bare.replace(/[hs]:?m+|m+:?s/gi, ''));
}
