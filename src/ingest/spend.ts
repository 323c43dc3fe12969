import { type CategorySpend, normaliseSupplierName } from '../domain/supplier.js';
import { InputError } from '../errors.js';
import { open } from 'node:fs/promises';
import { formatPounds, type Pence } from '../money.js';
import type { FindingLog } from '../findings.js';
import { SPEND_FIELDS, type SpendFileKind } from './columns.js';
import { type IsoDate, type Period } from './date.js';
import { scanDelimited, sha256 } from '../csv/delimited.js';
import { compileRules, type ExcludedSpend, type ExcludeRule } from './exclude.js';
import { canReadInParallel, mergePass, parallelThreshold, startWorker } from './spend-parallel.js';
import { emptyCategorySpend, FilePass, type FilePlan, internedColumns, type LedgerSupplier, type ReadRow, type RejectCode, SpendState, trimmedTallies } from './spend-pass.js';
import { openTable, type OpenTable, type SourceFile } from './table.js';
import { planVat, type VatBasis, type VatUse } from './vat.js';
import { mark } from '../timings.js';

export { isUnattributable } from './unattributable.js';
export type { LedgerSupplier, ReadRow, Spelling, Tally } from './spend-pass.js';

export interface FileTally {
  source: SourceFile;
  /** A spend file's rows: payments, or a contracts register's contracts (their annual values as amounts). */
  kind?: SpendFileKind;
  /** Data rows: between the header and the footer, blank rows excluded. accepted + rejected = read. */
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Survey returns from staff not living locally: rejected on purpose, not misread (part of rowsRejected). */
  rowsNotLocal?: number;
  /** Sum of accepted rows, excluded spend included. */
  accepted: Pence;
  /** Accepted rows taken out of the analysis by the project file's exclude rules, and their sum. */
  excludedRows?: number;
  excluded?: Pence;
  /** How the amounts meet the VAT basis (spend files). */
  vat?: VatUse;
  /** Rejected rows by the finding code that rejected them. */
  rejectedBy?: Partial<Record<RejectCode, number>>;
  /** Rows whose every cell is blank: not data, not counted as read. */
  rowsBlank?: number;
  /** Subtotal lines between the data ("Sub Total", "April Total"): set aside, not counted as read, not summed. */
  rowsSubtotal?: number;
  /** Lines of a damaged stretch (a stray or unclosed quote) re-read on their own and taken as whole rows (part of rowsRead). */
  rowsRecovered?: number;
  /** Accepted rows paid to no one named (redacted, a placeholder such as "Various", or blank), and their sum (part of `accepted`). */
  unattributableRows?: number;
  /** Money on rejected rows whose amount could be read. */
  rejectedAmount?: Pence;
  unattributable?: Pence;
  /** The total the file states on its own footer line, where it has one. */
  statedTotal?: Pence;
  /** Records from the footer line to the end of the file, not read as data. */
  footerRows?: number;
  /** How a large spend file was read: in two halves at once, or finished in order when its split was unsafe. */
  readAs?: 'two halves' | 'two halves, finished in order';
}

export interface SpendLedger {
  /** What the amounts are: payments, a contracts register's annual contract values, or some files of each. */
  kind: SpendFileKind | 'mixed';
  suppliers: Map<string, LedgerSupplier>;
  files: FileTally[];
  findings: FindingLog;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Sum of accepted rows: the suppliers' spend plus `excludedTotal`. */
  total: Pence;
  /** Spend taken out by each exclude rule, in the project file's order (rules that took nothing included). */
  excluded: ExcludedSpend[];
  excludedTotal: Pence;
  /**
   * Settles when every file's `source.sha256` is filled in: a worker thread may still be hashing a large
   * file when its rows are all in, and only the report needs the checksum.
   */
  checksums: Promise<void>;
  /** Spend by supplier and category. */
  categories: CategorySpend;
  firstDate: IsoDate | undefined;
  lastDate: IsoDate | undefined;
}

export interface ReadSpendOptions {
  columns?: Partial<Record<keyof typeof SPEND_FIELDS, string>>;
  period?: Period;
  /** The worksheet to read in spreadsheet spend files (a file's own `path#Sheet` wins); else the first. */
  sheet?: string;
  /** The VAT basis the amounts should be on (default net). */
  vatBasis?: VatBasis;
  /** Spend to take out of the analysis into its own lines. */
  exclude?: readonly ExcludeRule[];
  /** A field longer than this is a coded rejection of its lines (`limits.maxFieldBytes`). */
  maxFieldBytes?: number;
  /** Sees every row as read: accepted (as understood), rejected or recovered (with code and raw text). Files are then read in one pass. */
  onRow?: (row: ReadRow) => void;
  /** Called before the files are read again (a table found repeated): the rows told so far are to be forgotten. */
  onRowsRestart?: () => void;
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
  /** Never read a file as two halves (a batch worker: the pool already keeps every core busy). */
  onePass?: boolean;
}

export async function readSpend(paths: readonly string[], options: ReadSpendOptions = {}): Promise<SpendLedger> {
  const first = await readSpendOnce(paths, options);
  if (first.repeats.size === 0) return first.ledger;
  // A second table is known only once it is reached: the file is read again, each row of a later table checked
  // against the earlier tables' rows, so a payment repeated in it is set aside with its money, not summed twice.
  // Rare, so a second pass is cheap; and only then are rows kept to compare.
  await first.ledger.checksums;
  // The re-read tells every row again: only its rows are the ledger's.
  options.onRowsRestart?.();
  return (await readSpendOnce(paths, options, first.repeats)).ledger;
}

/** Whether the file's last character ends a line (LF, or CR in old Mac files), in its encoding. */
async function endsWithLineBreak(path: string, encoding: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 2) return true;
    const last = Buffer.alloc(2);
    await handle.read(last, 0, 2, size - 2);
    const [a, b] = [last[0]!, last[1]!];
    if (encoding === 'utf-16le') return (a === 0x0a || a === 0x0d) && b === 0;
    if (encoding === 'utf-16be') return a === 0 && (b === 0x0a || b === 0x0d);
    return b === 0x0a || b === 0x0d;
  } finally {
    await handle.close();
  }
}

/** The files (by index) with more than one table: read again, row by row against the earlier tables. */
type Repeats = Set<number>;

async function readSpendOnce(paths: readonly string[], options: ReadSpendOptions, repeats?: Repeats): Promise<{ ledger: SpendLedger; repeats: Repeats }> {
  const found: Repeats = new Set();
  const rules = options.exclude && options.exclude.length > 0 ? compileRules(options.exclude, normaliseSupplierName) : undefined;
  /**
   * Merged monthly files overlap: a row whose transaction id, supplier and amount were seen in an earlier
   * file is that payment again. Only with several files, and only for files with a transaction id column,
   * does this cost anything: one string key per row (~100 bytes), so ~100 MB for a million rows.
   */
  const state = new SpendState(rules, paths.length > 1);
  state.rowSink = options.onRow;
  const ledger: SpendLedger = {
    kind: 'payments',
    suppliers: state.suppliers,
    files: [],
    findings: state.findings,
    rowsRead: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    total: 0,
    excluded: [],
    excludedTotal: 0,
    categories: emptyCategorySpend(),
    checksums: Promise.resolve(),
    firstDate: undefined,
    lastDate: undefined,
  };
  /** Checksums still being computed by a worker thread. */
  const pending: Promise<void>[] = [];
  for (const [fileIndex, path] of paths.entries()) {
    const table = await openTable({
      path,
      role: 'spend',
      fields: SPEND_FIELDS,
      explicit: options.columns,
      columnFlag: '--spend-column',
      requireData: true,
      recogniseContracts: true,
      sheet: options.sheet,
      maxFieldBytes: options.maxFieldBytes,
      onProgress: options.onProgress && ((read, total) => options.onProgress!(path, read, total)),
    });
    const file = table.source.name;
    state.fileNames.push(file);
    const col = table.columns;
    const choice = (field: string) => table.source.columns.find((c) => c.field === field);
    const vat = planVat(options.vatBasis ?? 'net', choice('amount')!, choice('vat'), file);
    const plan: FilePlan = {
      file,
      fileIndex,
      supplierCol: col.supplier!,
      amountCol: vat.amountIndex,
      vatCol: vat.vatIndex,
      vatSign: vat.vatSign,
      dateCol: col.date ?? -1,
      postcodeCol: col.postcode ?? -1,
      idCol: col.supplierId ?? -1,
      categoryCol: col.category ?? -1,
      companyCol: col.companyNumber ?? -1,
      charityCol: col.charityNumber ?? -1,
      smeCol: col.sme ?? -1,
      vcseCol: col.vcse ?? -1,
      transactionCol: col.transactionId ?? -1,
      headerCount: table.source.headers.length,
      headerSupplier: table.source.headers[col.supplier!]!.trim().toLowerCase(),
      headerAmount: table.source.headers[vat.amountIndex]!.trim().toLowerCase(),
      expectedFields: table.expectedFields,
      maxFieldBytes: table.maxFieldBytes,
      ...(repeats?.has(fileIndex) ? { checkRepeats: true } : {}),
      // A contract's start date is not a payment date: contracts are not checked against the period (the report says so).
      period: table.kind === 'contracts' ? undefined : options.period,
    };
    const pass = new FilePass(state, plan);
    const readAs = await scanInParallel(table, plan, pass, state, options, pending);
    if (readAs === undefined) {
      await table.scan(pass.onRecord, internedColumns(plan));
      pass.finish();
      if (repeats === undefined && pass.tables.length > 1) found.add(fileIndex);
    }
    if (table.source.format !== 'xlsx' && pass.lastLine > 0 && !(await endsWithLineBreak(table.source.path, table.source.encoding))) {
      // A file cut off in sending ends mid-line, and its last amount may be cut short ("123.4" of "123.45").
      state.findings.add({ code: 'FILE_ENDS_MID_LINE', file, line: pass.lastLine, args: { line: pass.lastLine } });
    }
    for (const copy of pass.tables) {
      if (copy.repeated === 0) continue;
      state.findings.add({
        code: 'TABLES_REPEATED',
        file,
        line: copy.headerLine,
        args: { lines: `${copy.headerLine}\u2013${copy.lastLine}`, repeated: copy.repeated, rows: copy.rows + copy.repeated, amount: formatPounds(copy.repeatedAmount) },
      });
    }
    const findings = state.findings;
    for (const finding of table.findings) findings.add(finding);
    for (const finding of vat.findings) findings.add(finding);
    if (table.kind === 'contracts') findings.add({ code: 'CONTRACT_VALUES', file, args: { column: choice('amount')!.header, period: options.period?.label } });
    if (state.firstSeen !== undefined && col.transactionId === undefined) findings.add({ code: 'DUPLICATES_UNCHECKED', file });
    if (rules?.some((rule) => rule.category !== undefined) && plan.categoryCol < 0) findings.add({ code: 'EXCLUDE_CATEGORY_ABSENT', file });
    const c = pass.counts;
    // A file whose every row repeats an earlier file's was counted there; any other file with no row used is unusable.
    if (c.rowsAccepted === 0 && !c.rejectedBy.DUPLICATE_TRANSACTION) throw nothingUsable(file, table.source.path, c, pass, plan);
    const tally: FileTally = {
      source: table.source,
      kind: table.kind,
      rowsRead: c.rowsRead,
      rowsAccepted: c.rowsAccepted,
      rowsRejected: c.rowsRejected,
      accepted: c.accepted,
      rejectedBy: c.rejectedBy,
      rowsBlank: c.rowsBlank,
      ...(c.rowsSubtotal > 0 ? { rowsSubtotal: c.rowsSubtotal } : {}),
      ...(c.rowsRecovered > 0 ? { rowsRecovered: c.rowsRecovered } : {}),
      unattributableRows: c.unattributableRows,
      rejectedAmount: c.rejectedAmount,
      unattributable: c.unattributable,
      ...(rules ? { excludedRows: c.excludedRows, excluded: c.excluded } : {}),
      vat: vat.use,
      ...(pass.footer ? { footerRows: pass.footerRows } : {}),
      ...(pass.statedTotal !== undefined ? { statedTotal: pass.statedTotal } : {}),
      ...(readAs ? { readAs } : {}),
    };
    const footer = pass.footer;
    if (footer !== undefined) {
      table.source.footer = footer;
      findings.add({ code: 'FOOTER_NOT_READ', file, line: footer.line, raw: footer.raw, args: { line: footer.line, rows: pass.footerRows } });
      // Payments after the footer mean the footer was not the end of the data: its total proves nothing.
      if (pass.statedTotal !== undefined && !(pass.footerDataRows > 0 && pass.statedTotal === c.accepted)) {
        const difference = pass.statedTotal - c.accepted;
        findings.add({
          code: difference === 0 ? 'FILE_TOTAL_AGREES' : 'FILE_TOTAL_DIFFERS',
          file,
          line: footer.line,
          args: { stated: formatPounds(pass.statedTotal), accepted: formatPounds(c.accepted), difference: formatPounds(Math.abs(difference)), direction: difference < 0 ? 'over' : 'short', rejected: c.rowsRejected },
        });
      }
      if (pass.footerDataRows > 0) findings.add({ code: 'DATA_AFTER_FOOTER', file, line: footer.line, args: { rows: pass.footerDataRows, line: footer.line, amount: formatPounds(pass.footerDataAmount) } });
    }
    if (c.unattributableRows > 0) {
      findings.add({ code: 'SUPPLIER_UNATTRIBUTABLE', file, args: { rows: c.unattributableRows, amount: formatPounds(c.unattributable) } });
    }
    if (c.rowsWider > 0) findings.add({ code: 'ROWS_WIDER_THAN_HEADER', file, args: { rows: c.rowsWider, columns: plan.headerCount } });
    ledger.files.push(tally);
    ledger.kind = fileIndex === 0 || ledger.kind === table.kind ? table.kind : 'mixed';
    ledger.rowsRead += tally.rowsRead;
    ledger.rowsAccepted += tally.rowsAccepted;
    ledger.rowsRejected += tally.rowsRejected;
    ledger.total += tally.accepted;
  }
  for (const rule of rules ?? []) {
    rule.line.suppliers = rule.keys.size;
    ledger.excluded.push(rule.line);
    ledger.excludedTotal += rule.line.amount;
    const args = { rule: rule.line.rule, reason: rule.line.reason, amount: formatPounds(rule.line.amount), payments: rule.line.payments, suppliers: rule.line.suppliers };
    ledger.findings.add({ code: rule.line.payments === 0 ? 'EXCLUDE_RULE_UNUSED' : 'SPEND_EXCLUDED', args });
  }
  ledger.categories = state.finishCategories();
  for (const [key, supplier] of ledger.suppliers) {
    // Every row of it excluded (or a duplicate of an excluded row): not a supplier of the analysis.
    if (supplier.payments === 0) {
      ledger.suppliers.delete(key);
      continue;
    }
    // The per-row path keys tallies as written; consumers see them by trimmed text.
    supplier.postcodes = trimmedTallies(supplier.postcodes);
    if (supplier.firstDate !== undefined && (ledger.firstDate === undefined || supplier.firstDate < ledger.firstDate)) ledger.firstDate = supplier.firstDate;
    if (supplier.lastDate !== undefined && (ledger.lastDate === undefined || supplier.lastDate > ledger.lastDate)) ledger.lastDate = supplier.lastDate;
  }
  ledger.checksums = Promise.all(pending).then(() => undefined);
  // Awaited by the caller; until then, a failure must not surface as unhandled.
  ledger.checksums.catch(() => undefined);
  return { ledger, repeats: found };
}

const REJECTED_AS: Record<RejectCode, string> = {
  AMOUNT_UNPARSEABLE: 'the amount is not a number of pounds',
  AMOUNT_NOT_POUNDS: 'the amount is in another currency',
  ROW_DAMAGED: 'a line of a stretch a stray quote damaged',
  FIELD_TOO_LONG: 'a line longer than the field limit',
  ROW_TOO_WIDE: 'cells shifted by a delimiter inside a field',
  TABLE_REPEATED: 'a table repeated in the file',
  AMOUNT_MISSING: 'the amount is blank',
  SUPPLIER_MISSING: 'the supplier is blank',
  DATE_OUTSIDE_PERIOD: 'dated outside the period',
  ROW_SHORT: 'too few fields to reach the amount column',
  DUPLICATE_TRANSACTION: 'already read from an earlier file',
};

/** A spend file none of whose rows could be used: nothing to analyse, so the input is unusable (exit 1). */
function nothingUsable(file: string, path: string, c: FilePass['counts'], pass: FilePass, plan: FilePlan): InputError {
  const reasons = (Object.entries(c.rejectedBy) as [RejectCode, number][]).sort((a, b) => b[1] - a[1]);
  const main = reasons[0];
  if (main === undefined) {
    const why = pass.footer ? `the footer on line ${pass.footer.line} comes before any payment` : 'it has no payment rows';
    return new InputError(`${file}: no row could be used: ${why}.`, { file: path, hint: 'Check that this is the spend file, with a row for each payment below its header.' });
  }
  const [code, count] = main;
  const others = reasons.slice(1).map(([other, n]) => `${n} ${other}`);
  const hint =
    code === 'DATE_OUTSIDE_PERIOD'
      ? `The period is ${plan.period?.label ?? 'as given'}: check --period (or the project file's period) against the dates in the file.`
      : code === 'AMOUNT_UNPARSEABLE' || code === 'AMOUNT_MISSING'
        ? 'Check that the amount column is the right one: name it with --spend-column amount="<header>".'
        : 'Check the file and the columns chosen for it (run `local-impact check` to see them).';
  return new InputError(
    `${file}: none of its ${c.rowsRead} row(s) could be used; ${count} rejected as ${code} (${REJECTED_AS[code]})${others.length > 0 ? `, and ${others.join(', ')}` : ''}.`,
    { file: path, hint },
  );
}

/**
 * Reads a large delimited file as two halves at once (see spend-parallel.ts). Returns undefined, having read
 * nothing, when the file is small, a spreadsheet, or part of a duplicate check across files (which needs
 * rows in file order).
 */
async function scanInParallel(
  table: OpenTable<typeof SPEND_FIELDS>,
  plan: FilePlan,
  pass: FilePass,
  state: SpendState,
  options: ReadSpendOptions,
  pending: Promise<void>[],
): Promise<FileTally['readAs']> {
  const layout = table.delimited;
  const { path, sizeBytes: size } = table.source;
  if (!layout || options.onePass === true || size < parallelThreshold() || state.firstSeen !== undefined || state.rowSink !== undefined || !canReadInParallel()) return undefined;
  const split = await splitPoint(path, size);
  if (split === undefined) return undefined;
  mark('worker started');
  const worker = startWorker({ path, start: split, delimiter: layout.delimiter, encoding: layout.encoding, plan, rules: options.exclude ? [...options.exclude] : undefined });
  const source = table.source;
  const encodingChanged = () => {
    if (source.encoding !== 'windows-1252') table.findings.push({ code: 'ENCODING_WINDOWS_1252', file: source.name });
    source.encoding = 'windows-1252';
  };
  const progress = options.onProgress;
  const first = await scanDelimited(path, {
    hashColumns: internedColumns(plan),
    expectedFields: plan.expectedFields,
    maxFieldBytes: plan.maxFieldBytes,
    delimiter: layout.delimiter,
    encoding: layout.encoding,
    skipBytes: layout.bomBytes,
    end: split,
    // Both halves advance together: report the first half's progress for the whole file.
    onProgress: progress && ((read) => progress(path, Math.min(size, read * 2), size)),
    onEncodingChange: encodingChanged,
    onRecord: (record) => {
      if (record.line > layout.headerLine) pass.onRecord(record);
    },
  });
  mark('first half read');
  // Clean: the first half ended on a record boundary, not in a footer, and in the encoding the worker read
  // with (had this thread found Windows-1252 bytes, one pass would decode the rest as Windows-1252 too).
  const clean = first.unconsumedBytes === 0 && !pass.inFooter && source.encoding === layout.encoding;
  // The first half's suppliers are made before the second half's arrive, as in one pass; folding them now,
  // while the worker reads on, keeps this out of the wait. (Read on in order below, the pass folds the rest then.)
  if (clean) pass.finish();
  const result = clean ? await worker.result.catch(() => undefined) : undefined;
  if (result !== undefined) {
    mark('second half received');
    mergePass(state, pass, result, first.nextLine - 1);
    if (result.encodingSwitched) encodingChanged();
    // Usually ready by the time the file's suppliers are all in: the worker hashed while this thread merged.
    pending.push(
      worker.sha256.catch(() => sha256(path)).then((digest) => {
        source.sha256 = digest;
      }),
    );
  } else {
    // The split fell inside a quoted field, the first half ended in a footer, or the worker failed:
    // read on in order from where the first half stopped.
    worker.cancel();
    await scanDelimited(path, {
      hashColumns: internedColumns(plan),
      expectedFields: plan.expectedFields,
      maxFieldBytes: plan.maxFieldBytes,
      delimiter: layout.delimiter,
      encoding: source.encoding,
      skipBytes: 0,
      start: split - first.unconsumedBytes,
      firstLine: first.nextLine,
      onEncodingChange: encodingChanged,
      onRecord: pass.onRecord,
    });
    pass.finish();
    source.sha256 = await sha256(path);
  }
  progress?.(path, size, size);
  return result !== undefined ? 'two halves' : 'two halves, finished in order';
}

/**
 * How many more bytes than half this thread reads, so the halves end together: the worker starts late (it
 * starts a thread and loads its code, ~75 ms) and posts its tallies at the end (~20 ms), while this thread
 * folds its own half (~50 ms) before the worker's arrives. Measured on the 2-core bench machine, where
 * reading runs at ~60 MB/s a thread.
 */
const WORKER_START_BYTES = 4 * 1024 * 1024;

/** The byte after the first newline past this thread's share of the file; undefined if there is none. */
async function splitPoint(path: string, size: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const middle = Math.floor(Math.min((size + WORKER_START_BYTES) / 2, size * 0.75));
    const window = Buffer.alloc(Math.min(1024 * 1024, size - middle));
    const { bytesRead } = await handle.read(window, 0, window.length, middle);
    const at = window.subarray(0, bytesRead).indexOf(0x0a);
    return at < 0 || middle + at + 1 >= size ? undefined : middle + at + 1;
  } finally {
    await handle.close();
  }
}

