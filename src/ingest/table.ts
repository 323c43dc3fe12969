import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import type { Finding } from '../findings.js';
import { formatPounds } from '../money.js';
import { type ColumnChoice, type ColumnMap, decideSpendFileKind, type FieldSpecs, headerScore, mapColumns, type MappedColumns, plausibleHeader, quoteHeaderRow, quoteList, readsAsHeaderRow, shownText, type SPEND_FIELDS, type SpendFileKind } from './columns.js';
import { type Encoding, isUtf16, type RecordView, type Recovery, scanDelimited, sniffDelimited } from '../csv/delimited.js';
import { detectFormat, type OpenedSheet, openSheet, splitSheet } from './xlsx.js';

/** What the report says about each input file. */
export interface SourceFile {
  /** What the input is: `spend`, `payroll`, `suppliers`, … */
  role: string;
  /** The path it was read from (without a `#Sheet` suffix); what outputs print is `withInputsNamed`'s relative name (report/paths). */
  path: string;
  /** Set for a spreadsheet: whether the name said so or not, the file was an .xlsx workbook. */
  format?: 'xlsx';
  /** The worksheet read, for a spreadsheet. */
  sheet?: string;
  name: string;
  sizeBytes: number;
  /** Filled in once the whole file has been read. */
  sha256: string;
  encoding: Encoding;
  delimiter: string;
  headerLine: number;
  headers: string[];
  columns: ColumnChoice[];
  /** A byte-order mark skipped at the start: 'utf-8', or 'utf-8, encoded twice' (`ï»¿`). */
  bom?: string;
  /** Where a footer or totals block began; nothing from it on was read as data. */
  footer?: { line: number; raw: string };
}

export interface OpenTableOptions<F extends FieldSpecs> {
  path: string;
  role: string;
  fields: F;
  /** Explicit column mapping: field → header. */
  explicit?: Partial<Record<string, string>>;
  /** The flag that maps columns for this role, for messages: `--spend-column`. */
  columnFlag: string;
  /** The worksheet to read when the file is a spreadsheet (a `path#Sheet` suffix wins); else the first. */
  sheet?: string;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Fail with "no data rows" when the file is a header row and nothing else (spend and payroll: nothing to analyse). */
  requireData?: boolean;
  /** A field longer than this is damage: its lines are re-read or rejected (`limits.maxFieldBytes`; default 1 MiB). */
  maxFieldBytes?: number;
  /** Spend: tell a contracts register from payments as the columns are mapped (see decideSpendFileKind). */
  recogniseContracts?: boolean;
}

/** The default field limit: no ledger cell is a megabyte long, and a reader that allows one cannot be made to hold a gigabyte. */
export const MAX_FIELD_BYTES = 1024 * 1024;

export interface OpenTable<F extends FieldSpecs> {
  source: SourceFile;
  columns: ColumnMap<F>;
  /** What the rows are, when `recogniseContracts` asked; payments otherwise. */
  kind: SpendFileKind;
  /** Findings about the file as a whole (encoding, preamble). */
  findings: Finding[];
  /** Reads every data record after the header, once. */
  /** `hashColumns`: the columns whose fields will be interned (see ScanOptions). */
  scan(onRecord: (record: RecordView) => void, hashColumns?: readonly number[]): Promise<void>;
  /** For a delimited file, what a reader of byte ranges needs (see spend-parallel); undefined for a spreadsheet or UTF-16. */
  delimited?: { delimiter: number; encoding: Encoding; bomBytes: number; headerLine: number };
  /** The number of fields the file's rows have: the header's, or the rows' usual width when every row is wider (a trailing unnamed cell). */
  expectedFields: number;
  maxFieldBytes: number;
}

/**
 * Opens an input table (CSV or a spreadsheet's sheet): chooses encoding and delimiter, finds the header row (which may sit below a
 * preamble), maps its columns to fields, and fails with one clear message when a required one is missing.
 */
export async function openTable<F extends FieldSpecs>(options: OpenTableOptions<F>): Promise<OpenTable<F>> {
  const { path, sheet: sheetInPath } = splitSheet(options.path, existsSync);
  const name = basename(path);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path} is a folder, not a file.`, { file: path, code: 'FILE_IS_FOLDER' });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`Cannot read ${options.role} file ${path}: it does not exist or is not readable.`, {
      file: path,
      code: 'FILE_UNREADABLE',
      hint: 'Check the path (relative paths in a project file are relative to the project file).',
    });
  }
  // A spreadsheet is found by its first bytes, so a workbook saved under a .csv name is read as one.
  const workbook: OpenedSheet | undefined =
    (await detectFormat(path)) === 'xlsx' ? await openSheet(path, { sheet: sheetInPath ?? options.sheet, limit: 200 }) : undefined;
  try {
    return await mapTable(options, path, name, workbook);
  } catch (error) {
    workbook?.close();
    throw error;
  }
}

async function mapTable<F extends FieldSpecs>(options: OpenTableOptions<F>, path: string, name: string, workbook: OpenedSheet | undefined): Promise<OpenTable<F>> {
  const { fields } = options;
  const sniffed = workbook
    ? { records: workbook.records, encoding: 'utf-8' as const, delimiter: '', bomBytes: 0, sizeBytes: workbook.sizeBytes, complete: workbook.records.length < 200, notText: false }
    : await sniffDelimited(path, 200);
  if (sniffed.notText) {
    throw new InputError(`${name} is not a text (CSV) file.`, {
      file: path,
      code: 'FILE_NOT_TEXT',
      hint: `Give the ${options.role} as CSV or .xlsx. If it is a "Unicode text" (UTF-16) export, save it again as "CSV UTF-8".`,
    });
  }
  if (sniffed.records.length === 0 && !workbook && sniffed.sizeBytes > sniffed.bomBytes) {
    // Text, but no line of it ends within what is read to find the header: one line of a size no header row has.
    throw new InputError(`${name} does not read as a CSV table: its first line runs on past all the tool reads to find a header row.`, {
      file: path,
      code: 'NOT_A_TABLE',
      hint: `Check that this is the ${options.role} file, saved as CSV or .xlsx with a header row.`,
    });
  }
  if (sniffed.records.length === 0) {
    throw new InputError(`${workbook ? `${name} (sheet "${workbook.sheet}")` : name} is empty: no header row and no data.`, {
      file: path,
      code: 'FILE_EMPTY',
      hint: workbook && workbook.sheets.length > 1 ? `Its sheets are: ${quoteList(workbook.sheets)}; name another with --sheet.` : `Export the ${options.role} again, with a header row.`,
    });
  }
  const explicitHeaders = Object.values(options.explicit ?? {}).filter((h): h is string => h !== undefined);
  const headerRecord = findHeader(fields, sniffed.records, explicitHeaders);
  const headers = headerRecord.fields;
  const samples = headers.map(() => [] as string[]);
  for (const record of sniffed.records) {
    if (record.line <= headerRecord.line) continue;
    record.fields.forEach((value, i) => {
      const text = value.trim();
      if (i < samples.length && text !== '') samples[i]!.push(text);
    });
  }
  const where = workbook ? `${name} (sheet "${workbook.sheet}")` : name;
  // A row that is no header row (one long line, a page of text) means the file is not a table: say so, quoting only its start.
  const notATable = () =>
    new InputError(`${where} does not read as a CSV table: it has no header row. Line ${headerRecord.line}, the likeliest, is ${quoteHeaderRow(headers)}.`, {
      file: path,
      line: headerRecord.line,
      code: 'NOT_A_TABLE',
      hint: `Check that this is the ${options.role} file, saved as CSV or .xlsx with a header row.`,
    });
  const headerRow = readsAsHeaderRow(headers);
  if (options.requireData && sniffed.complete && samples.every((values) => values.length === 0)) {
    if (!headerRow) throw notATable();
    throw new InputError(`${where} has a header row (line ${headerRecord.line}) but no data rows.`, {
      file: path,
      line: headerRecord.line,
      code: 'NO_DATA_ROWS',
      hint: `Headers found: ${quoteHeaderRow(headers)}.\nExport the ${options.role} again with its rows${workbook && workbook.sheets.length > 1 ? `, or name another sheet with --sheet (its sheets are: ${quoteList(workbook.sheets)})` : ''}.`,
    });
  }
  const mapped = mapColumns(fields, headers, options.explicit ?? {}, { file: name, flag: options.columnFlag }, samples);
  if (!headerRow && (mapped.ambiguous.length > 0 || mapped.missingRequired.length > 0)) throw notATable();
  if (mapped.ambiguous.length > 0) {
    const { field, headers: rivals } = mapped.ambiguous[0]!;
    throw new InputError(`${name}: ${rivals.length} columns could be the ${field} column (${fields[field]!.describe}): ${quoteList(rivals)}; the tool will not guess.`, {
      file: path,
      line: headerRecord.line,
      code: 'COLUMN_AMBIGUOUS',
      column: { field, describe: fields[field]!.describe, headers: rivals },
      hint: `Headers found: ${quoteHeaderRow(headers)}.\nName the column with ${options.columnFlag} ${field}="${shownText(rivals[0]!)}" (or another of them).`,
    });
  }
  if (mapped.missingRequired.length > 0) {
    const missing = mapped.missingRequired;
    // Each field's own likeliest header: a column refused for it, else one whose values look like it.
    const taken = new Set(mapped.choices.map((c) => c.index));
    const reasons: string[] = [];
    const flags = missing.map((f) => {
      const refused = mapped.refused[f] ?? [];
      for (const r of refused) reasons.push(`${quoteList([r.header])} was not taken as the ${f} column: ${r.why}.`);
      const suggestion = refused[0]?.header ?? plausibleHeader(fields[f]!, headers, samples, taken);
      return `${options.columnFlag} ${f}="${suggestion === undefined ? `<the ${f} header>` : shownText(suggestion)}"`;
    });
    throw new InputError(
      `${name}: no ${missing.map((f) => `${f} column (${fields[f]!.describe})`).join(' and no ')} found on the header row (line ${headerRecord.line}).`,
      {
        file: path,
        line: headerRecord.line,
        code: 'COLUMN_MISSING',
        column: { field: missing[0]!, describe: fields[missing[0]!]!.describe, headers: [...(mapped.refused[missing[0]!] ?? []).map((r) => r.header), ...headers.filter((h) => h.trim() !== '' && !(mapped.refused[missing[0]!] ?? []).some((r) => r.header === h))] },
        hint: [`Headers found: ${quoteHeaderRow(headers)}.`, ...reasons, `Name the column with ${flags.join(' ')} (check it is the right one).`].join('\n'),
      },
    );
  }
  const kind = options.recogniseContracts
    ? decideSpendFileKind(headers, mapped as unknown as MappedColumns<typeof SPEND_FIELDS>, { file: where, path, line: headerRecord.line })
    : 'payments';
  const findings: Finding[] = [];
  if (sniffed.encoding === 'windows-1252') findings.push({ code: 'ENCODING_WINDOWS_1252', file: name });
  if (isUtf16(sniffed.encoding)) findings.push({ code: 'ENCODING_UTF16', file: name, args: { encoding: sniffed.encoding.toUpperCase() } });
  const expectedFields = usualWidth(headers.length, sniffed.records.filter((r) => r.line > headerRecord.line));
  const maxFieldBytes = options.maxFieldBytes ?? MAX_FIELD_BYTES;
  if (headerRecord.line > 1) {
    findings.push({ code: 'HEADER_NOT_FIRST_LINE', file: name, line: headerRecord.line, args: { line: headerRecord.line, skipped: headerRecord.line - 1 } });
  }
  const source: SourceFile = {
    role: options.role,
    path,
    name,
    sizeBytes: sniffed.sizeBytes,
    sha256: '',
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    headerLine: headerRecord.line,
    headers,
    columns: mapped.choices,
    ...(workbook ? { format: 'xlsx' as const, sheet: workbook.sheet } : {}),
    ...(sniffed.bomBytes === 3 ? { bom: 'utf-8' } : sniffed.bomBytes === 6 ? { bom: 'utf-8, encoded twice' } : {}),
  };
  if (sniffed.bomBytes === 6) findings.push({ code: 'BOM_DOUBLE_ENCODED', file: name });
  return {
    source,
    columns: mapped.columns,
    kind,
    findings,
    expectedFields,
    maxFieldBytes,
    ...(workbook || isUtf16(sniffed.encoding) ? {} : { delimited: { delimiter: sniffed.delimiter.charCodeAt(0), encoding: sniffed.encoding, bomBytes: sniffed.bomBytes, headerLine: headerRecord.line } }),
    async scan(onRecord, hashColumns) {
      if (workbook) {
        source.sha256 = await workbook.scan(
          (record) => {
            if (record.line > headerRecord.line) onRecord(record);
          },
          { minWidth: headers.length, onProgress: options.onProgress },
        );
        return;
      }
      const hash = createHash('sha256');
      await scanDelimited(path, {
        delimiter: sniffed.delimiter.charCodeAt(0),
        encoding: sniffed.encoding,
        skipBytes: sniffed.bomBytes,
        onChunk: (chunk) => hash.update(chunk),
        hashColumns,
        expectedFields,
        maxFieldBytes,
        onProgress: options.onProgress,
        onEncodingChange: (encoding) => {
          if (source.encoding !== encoding) findings.push({ code: 'ENCODING_WINDOWS_1252', file: name });
          source.encoding = encoding;
        },
        onRecord: (record) => {
          if (record.line > headerRecord.line) onRecord(record);
        },
      });
      source.sha256 = hash.digest('hex');
    },
  };
}

/**
 * The header is the first record naming every required field and at least two fields in all,
 * or the first record holding every explicitly named header; failing both, the first record
 * (and the column mapping then explains what is missing).
 */
function findHeader(
  fields: FieldSpecs,
  records: readonly { line: number; fields: string[] }[],
  explicitHeaders: readonly string[],
): { line: number; fields: string[] } {
  const requiredCount = Object.values(fields).filter((f) => f.required).length;
  for (const record of records) {
    const score = headerScore(fields, record.fields);
    if (score.required === requiredCount && score.matched >= Math.min(2, Object.keys(fields).length)) return record;
  }
  if (explicitHeaders.length > 0) {
    const wanted = explicitHeaders.map((h) => h.trim().toLowerCase());
    const found = records.find((record) => {
      const cells = new Set(record.fields.map((f) => f.trim().toLowerCase()));
      return wanted.every((h) => cells.has(h));
    });
    if (found) return found;
  }
  // Otherwise the first record with most named fields, preferring earlier ones.
  let best = records[0]!;
  let bestMatched = headerScore(fields, best.fields).matched;
  for (const record of records.slice(1, 30)) {
    const matched = headerScore(fields, record.fields).matched;
    if (matched > bestMatched) {
      best = record;
      bestMatched = matched;
    }
  }
  return best;
}

/**
 * The width a file's rows have: the header's, unless most rows sampled carry text past it (Newcastle's every
 * row ends in an unnamed "#N/A"), when it is theirs. A row wider than this, with text there, is damage.
 */
function usualWidth(headerWidth: number, records: readonly { fields: string[] }[]): number {
  const widths = new Map<number, number>();
  for (const record of records) {
    let width = record.fields.length;
    while (width > headerWidth && record.fields[width - 1]!.trim() === '') width--;
    widths.set(width, (widths.get(width) ?? 0) + 1);
  }
  let usual = headerWidth;
  let most = 0;
  for (const [width, count] of widths) if (count > most || (count === most && width > usual)) [usual, most] = [width, count];
  return Math.max(headerWidth, most * 2 > records.length ? usual : headerWidth);
}

/** A damaged stretch (see `Recovery`): the lines a stray quote or an over-long field ran together, as a reader re-reads them one by one. */
export interface DamagedStretch {
  code: Recovery['code'];
  firstLine: number;
  lastLine: number;
  /** Lines re-read as whole rows and used. */
  recovered: number[];
  /** Lines not used, each with its own finding (ROW_DAMAGED, FIELD_TOO_LONG). */
  rejected: number;
  /** Money (pence) on its lines whose amount could be read: the spend pass counts it; other tables have none. */
  amount: number;
}

/**
 * The one rule for damaged stretches, for every reader of a table (the spend pass, payroll, register, surveys):
 * a stretch's lines are grouped by the line it began on, each is recovered or rejected by its reader, and the
 * stretch is said once (QUOTE_DAMAGE) when a line outside it comes, or the file ends — unless it is one over-long
 * field that nothing was recovered from, whose own finding says it all.
 */
export class DamageLog {
  /** The stretch being read, if any: a field, not a getter, since every row of a file asks. */
  stretch: DamagedStretch | undefined;

  constructor(
    private readonly file: string,
    private readonly findings: { add(finding: Finding): void },
    /** Whether the stretch's money is said (the spend pass's `amount`). */
    private readonly withMoney: boolean,
  ) {}

  /** The stretch a re-read line belongs to: the one being read, or (the one before said) a new one. */
  enter(recovery: Recovery): DamagedStretch {
    if (this.stretch?.firstLine === recovery.firstLine) return this.stretch;
    this.close();
    return (this.stretch = { code: recovery.code, firstLine: recovery.firstLine, lastLine: recovery.lastLine, recovered: [], rejected: 0, amount: 0 });
  }

  /** Says the stretch being read, if any, and ends it. */
  close(): void {
    const stretch = this.stretch;
    if (stretch === undefined) return;
    this.stretch = undefined;
    if (stretch.code === 'FIELD_TOO_LONG' && stretch.recovered.length === 0) return;
    this.findings.add({
      code: 'QUOTE_DAMAGE',
      file: this.file,
      line: stretch.firstLine,
      args: {
        lines: lineRange(stretch.firstLine, stretch.lastLine),
        count: stretch.lastLine - stretch.firstLine + 1,
        recovered: stretch.recovered.length,
        recoveredLines: lineList(stretch.recovered),
        rejected: stretch.rejected,
        amount: this.withMoney ? formatPounds(stretch.amount) : undefined,
        unclosed: stretch.code === 'QUOTE_SPANS_ROWS' ? 0 : 1,
      },
    });
  }
}

/** "12–15", or "12" for one line. */
export function lineRange(first: number, last: number): string {
  return first === last ? String(first) : `${first}\u2013${last}`;
}

/** Lines as runs: "3\u20135, 9, 12". */
export function lineList(lines: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    runs.push(lineRange(lines[i]!, lines[j]!));
    i = j + 1;
  }
  return runs.join(', ');
}

/**
 * For the small tables (payroll, register, surveys), what the spend pass does for spend: a line of a damaged
 * stretch (see `Recovery`) that re-reads as a whole row is read as one; any other is rejected with its code.
 * Each stretch is then said once (QUOTE_DAMAGE, by `DamageLog`), without money. `personal`: the row's text is never kept.
 */
export function guardDamage(
  table: Pick<OpenTable<FieldSpecs>, 'source' | 'expectedFields' | 'maxFieldBytes'>,
  tally: { rowsRead: number; rowsRejected: number },
  findings: { add(finding: Finding): void },
  personal: boolean,
  onRecord: (record: RecordView) => void,
): { onRecord: (record: RecordView) => void; finish: () => void } {
  const file = table.source.name;
  const damage = new DamageLog(file, findings, false);
  return {
    finish: () => damage.close(),
    onRecord: (record) => {
      const recovery = record.recovery;
      if (recovery === undefined) {
        if (damage.stretch !== undefined) damage.close();
        onRecord(record);
        return;
      }
      const stretch = damage.enter(recovery);
      const whole = record.fieldCount === table.source.headers.length || record.fieldCount === table.expectedFields;
      if (whole && recovery.code !== 'FIELD_TOO_LONG') {
        stretch.recovered.push(record.line);
        onRecord(record);
        return;
      }
      tally.rowsRead++;
      tally.rowsRejected++;
      stretch.rejected++;
      const raw = personal ? undefined : record.raw();
      if (record.fieldCount === 0) findings.add({ code: 'FIELD_TOO_LONG', file, line: record.line, raw, args: { bytes: recovery.bytes ?? 0, limit: table.maxFieldBytes } });
      else findings.add({ code: 'ROW_DAMAGED', file, line: record.line, raw, args: { lines: lineRange(recovery.firstLine, recovery.lastLine) } });
    },
  };
}
