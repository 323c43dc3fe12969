import { formatPounds, type Pence } from '../money.js';
import { FindingLog } from '../findings.js';
import { parseAmount } from './amount.js';
import { SPEND_FIELDS } from './columns.js';
import { type IsoDate, type Period, parseUkDate } from './date.js';
import { Interner, type RecordView } from './delimited.js';
import { type CompiledRule, compileRules, type ExcludedSpend, type ExcludeRule, ruleForCategory, rulesForSupplier } from './exclude.js';
import { openTable, type SourceFile } from './table.js';
import { planVat, type VatBasis, type VatUse } from './vat.js';

/**
 * Spend rows are aggregated as they are read (by supplier, and within it by postcode and category), never kept:
 * a million-row file costs as much memory as its distinct suppliers.
 */
export interface Tally {
  amount: Pence;
  payments: number;
}

/** Adds up by the trimmed text, so `HX1 1RE` and `HX1 1RE ` count as one. */
function tallyOf(tallies: Map<string, Tally>, raw: string): Tally {
  const text = raw.trim();
  let tally = tallies.get(text);
  if (tally === undefined) {
    tally = { amount: 0, payments: 0 };
    tallies.set(text, tally);
  }
  return tally;
}

export interface LedgerSupplier {
  /** The grouping key: the ledger's supplier id when there is one, else the normalised name. */
  key: string;
  supplierId: string;
  /** From the ledger's company and charity number columns, where it has them. */
  companyNumber: string;
  charityNumber: string;
  /** Redacted payees ("REDACTED PERSONAL DATA"): real money with no one to locate, grouped as one line. */
  unattributable?: true;
  /** Each spelling of the name seen, with the spend under it. */
  spellings: Map<string, Spelling>;
  /** Spend by the postcode given on the ledger rows ('' where none was). */
  postcodes: Map<string, Tally>;
  /** Spend by category ('' where none was). */
  categories: Map<string, Tally>;
  // The previous row's values: consecutive rows of a supplier usually repeat them.
  lastPostcode?: string;
  lastPostcodeTally?: Tally;
  lastCategory?: string;
  lastCategoryTally?: Tally;
  amount: Pence;
  payments: number;
  firstDate: IsoDate | undefined;
  lastDate: IsoDate | undefined;
}

export interface Spelling {
  supplier: LedgerSupplier;
  text: string;
  amount: Pence;
  /** The exclude rules that may take this spelling's rows (judged once); null when none can. */
  rules?: CompiledRule[] | null;
}

type RejectCode = 'AMOUNT_UNPARSEABLE' | 'AMOUNT_MISSING' | 'SUPPLIER_MISSING' | 'DATE_OUTSIDE_PERIOD' | 'ROW_SHORT' | 'DUPLICATE_TRANSACTION';

export interface FileTally {
  source: SourceFile;
  /** Data rows: between the header and the footer, blank rows excluded. accepted + rejected = read. */
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
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
  /** Accepted rows paid to a redacted payee, and their sum (part of `accepted`). */
  unattributableRows?: number;
  unattributable?: Pence;
  /** The total the file states on its own footer line, where it has one. */
  statedTotal?: Pence;
  /** Records from the footer line to the end of the file, not read as data. */
  footerRows?: number;
}

export interface SpendLedger {
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
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
}

/**
 * The name as grouping sees it: case, punctuation, spacing, `LTD`/`LIMITED`, `&`/`AND`, a leading
 * `THE` and a leading `*` (purchase-card exports) do not make two suppliers. Ids and company numbers
 * are kept apart by the grouping key, not here.
 */
export function normaliseSupplierName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Apostrophes and the dots of initials join up: O'Brien's = OBRIENS, P.L.C. = PLC.
    .replace(/['\u2019.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/\bltd\b/g, 'limited')
    .replace(/\bco\b(?= limited$)/, 'company')
    .replace(/\bpublic limited company$/, 'plc');
}

const LINE_SPAN = 2 ** 32;

const REDACTED = /^\W*(redacted\b|personal (data|information)\b|withheld\b|name withheld\b|private individual\b)/i;

/** A payee name that stands for no one: the council withheld it ("REDACTED PERSONAL DATA"). */
export function isUnattributable(name: string): boolean {
  return REDACTED.test(name);
}

/** A cell that opens a footer: a totals line, a pivot-table block, a copyright or end-of-report line. */
const FOOTER_CELL = /^((grand|overall|report|sub)[\s-]*)?totals?\b[\s:]*$|^(sum|count) of\b|copyright|\u00a9|^end of (report|file|data)\b/i;

/** Whether a row that failed the usual tests is blank, the start of a footer, or just a bad row. */
function classifyOddRow(record: RecordView): 'blank' | 'footer' | undefined {
  let blank = true;
  for (let i = 0; i < record.fieldCount; i++) {
    const text = record.field(i).trim();
    if (text === '') continue;
    blank = false;
    if (FOOTER_CELL.test(text)) return 'footer';
  }
  return blank ? 'blank' : undefined;
}

export async function readSpend(paths: readonly string[], options: ReadSpendOptions = {}): Promise<SpendLedger> {
  const ledger: SpendLedger = {
    suppliers: new Map(),
    files: [],
    findings: new FindingLog(),
    rowsRead: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    total: 0,
    excluded: [],
    excludedTotal: 0,
    firstDate: undefined,
    lastDate: undefined,
  };
  // Raw supplier text (and id) → its spelling and supplier, so a name is normalised once, not once per row.
  const spellings = new Map<string, Spelling>();
  const dates = new Map<string, IsoDate | null>();
  let lastDateText = '';
  let lastDate: IsoDate | null = null;
  const period = options.period;
  const rules = options.exclude && options.exclude.length > 0 ? compileRules(options.exclude, normaliseSupplierName) : undefined;
  /**
   * Merged monthly files overlap: a row whose transaction id, supplier and amount were seen in an earlier
   * file is that payment again. Only with several files, and only for files with a transaction id column,
   * does this cost anything: one string key per row (~100 bytes), so ~100 MB for a million rows.
   * Key → where first seen, as file index × 2^32 + line.
   */
  const firstSeen = paths.length > 1 ? new Map<string, number>() : undefined;
  const fileNames: string[] = [];
  for (const [fileIndex, path] of paths.entries()) {
    const table = await openTable({
      path,
      role: 'spend',
      fields: SPEND_FIELDS,
      explicit: options.columns,
      columnFlag: '--spend-column',
      sheet: options.sheet,
      onProgress: options.onProgress && ((read, total) => options.onProgress!(path, read, total)),
    });
    const file = table.source.name;
    fileNames.push(file);
    const col = table.columns;
    const supplierCol = col.supplier!;
    const choice = (field: string) => table.source.columns.find((c) => c.field === field);
    const vat = planVat(options.vatBasis ?? 'net', choice('amount')!, choice('vat'), file);
    const amountCol = vat.amountIndex;
    const vatCol = vat.vatIndex;
    const vatSign = vat.vatSign;
    const dateCol = col.date ?? -1;
    const postcodeCol = col.postcode ?? -1;
    const idCol = col.supplierId ?? -1;
    const categoryCol = col.category ?? -1;
    const companyCol = col.companyNumber ?? -1;
    const charityCol = col.charityNumber ?? -1;
    const transactionCol = col.transactionId ?? -1;
    const seen = transactionCol >= 0 ? firstSeen : undefined;
    const headerCount = table.source.headers.length;
    const tally: FileTally = {
      source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0, rejectedBy: {}, rowsBlank: 0, unattributableRows: 0, unattributable: 0,
      ...(rules ? { excludedRows: 0, excluded: 0 } : {}),
      vat: vat.use,
    };
    let inFooter = false;
    let footerDataRows = 0;
    let rowsWider = 0;
    /** For a row that is not plainly data: true when it was blank or a footer, and so is not a data row. */
    const setAside = (record: RecordView): boolean => {
      const kind = classifyOddRow(record);
      if (kind === 'blank') {
        tally.rowsBlank!++;
        return true;
      }
      if (kind === 'footer') {
        inFooter = true;
        tally.footerRows = 1;
        table.source.footer = { line: record.line, raw: record.raw() };
        const stated = record.fieldCount > amountCol ? parseAmount(record.field(amountCol)) : undefined;
        if (stated?.ok) {
          const vatStated = vatSign === 0 ? undefined : parseAmount(record.field(vatCol));
          tally.statedTotal = stated.pence + (vatStated?.ok ? vatSign * vatStated.pence : 0);
        }
        return true;
      }
      return false;
    };
    /** After the footer: counted, never summed, and a warning if something there still looks like a payment. */
    const footerRow = (record: RecordView) => {
      tally.footerRows!++;
      if (record.fieldCount > amountCol && record.field(supplierCol).trim() !== '' && parseAmount(record.field(amountCol)).ok) footerDataRows++;
    };
    const findings = ledger.findings;
    const [names, ids, postcodes, categories, dateTexts, companies] = [new Interner(), new Interner(), new Interner(), new Interner(), new Interner(), new Interner()];
    const reject = (record: RecordView, code: RejectCode, args?: Record<string, string | number>) => {
      tally.rowsRead++;
      tally.rowsRejected++;
      tally.rejectedBy![code] = (tally.rejectedBy![code] ?? 0) + 1;
      findings.add({ code, file, line: record.line, raw: record.raw(), args });
    };
    await table.scan((record) => {
      if (inFooter) {
        footerRow(record);
        return;
      }
      if (record.fieldCount <= amountCol) {
        if (!setAside(record)) reject(record, 'ROW_SHORT', { fields: record.fieldCount, expected: headerCount });
        return;
      }
      const amountText = record.field(amountCol);
      const amount = parseAmount(amountText);
      if (!amount.ok) {
        if (setAside(record)) return;
        if (amount.reason === 'empty') reject(record, 'AMOUNT_MISSING');
        else reject(record, 'AMOUNT_UNPARSEABLE', { value: amountText });
        return;
      }
      let date: IsoDate | null = null;
      if (dateCol >= 0) {
        const dateText = record.internedField(dateCol, dateTexts);
        if (dateText === lastDateText) date = lastDate;
        else {
          date = dates.get(dateText) ?? null;
          if (date === null && !dates.has(dateText)) {
            date = parseUkDate(dateText);
            dates.set(dateText, date);
          }
          lastDateText = dateText;
          lastDate = date;
        }
        if (date === null && dateText.trim() !== '') findings.add({ code: 'DATE_UNPARSEABLE', file, line: record.line, args: { value: dateText } });
      }
      if (period) {
        if (date === null) findings.add({ code: 'DATE_MISSING_WITH_PERIOD', file, line: record.line, args: { period: period.label } });
        else if (date < period.from || date > period.to) {
          reject(record, 'DATE_OUTSIDE_PERIOD', { date, period: period.label });
          return;
        }
      }
      const rawName = record.internedField(supplierCol, names);
      const supplierId = idCol >= 0 ? record.internedField(idCol, ids).trim() : '';
      const companyNumber = companyCol >= 0 ? record.internedField(companyCol, companies).trim() : '';
      const nameKey = supplierId === '' && companyNumber === '' ? rawName : `${supplierId}\u0000${companyNumber}\u0000${rawName}`;
      let spelling = spellings.get(nameKey);
      if (spelling === undefined) {
        const text = rawName.trim();
        if (text === '' || FOOTER_CELL.test(text)) {
          // A blank payee is rejected, not "unattributable": issue 2 makes it SUPPLIER_MISSING, and only a
          // payee the council withheld on purpose (a redaction marker) is known to be real money with no name.
          // Wakefield's 15 blank-merchant card rows (fees, FX fees, £0.81–£5.69) stay visible, raw text and all.
          if (!setAside(record)) reject(record, 'SUPPLIER_MISSING');
          return;
        }
        const unattributable = isUnattributable(text);
        const normalised = normaliseSupplierName(text);
        // Two ids, or two company numbers, are two suppliers however alike their names.
        const key = unattributable
          ? 'unattributable'
          : supplierId !== ''
            ? `id:${supplierId}`
            : `name:${normalised}${companyNumber === '' ? '' : `\u0000co:${companyNumber}`}`;
        let supplier = ledger.suppliers.get(key);
        if (supplier === undefined) {
          supplier = {
            key,
            supplierId: unattributable ? '' : supplierId,
            companyNumber: unattributable ? '' : companyNumber,
            charityNumber: unattributable || charityCol < 0 ? '' : record.field(charityCol).trim(),
            ...(unattributable ? { unattributable: true as const } : {}),
            spellings: new Map(),
            postcodes: new Map(),
            categories: new Map(),
            amount: 0,
            payments: 0,
            firstDate: undefined,
            lastDate: undefined,
          };
          ledger.suppliers.set(key, supplier);
        }
        spelling = supplier.spellings.get(text);
        if (spelling === undefined) {
          spelling = { supplier, text, amount: 0, ...(rules ? { rules: rulesForSupplier(rules, text, normalised, supplierId) } : {}) };
          supplier.spellings.set(text, spelling);
        }
        spellings.set(nameKey, spelling);
      }
      const supplier = spelling.supplier;
      let pence = amount.pence;
      if (vatSign !== 0) {
        const vatText = record.field(vatCol);
        const vatAmount = parseAmount(vatText);
        if (vatAmount.ok) pence += vatSign * vatAmount.pence;
        else if (vatAmount.reason !== 'empty') findings.add({ code: 'NUMBER_UNPARSEABLE', file, line: record.line, args: { field: 'VAT', value: vatText } });
      }
      if (seen !== undefined) {
        const transaction = record.field(transactionCol).trim();
        if (transaction !== '') {
          const key = `${transaction}\u0000${supplier.key}\u0000${pence}`;
          const where = seen.get(key);
          if (where === undefined) seen.set(key, fileIndex * LINE_SPAN + record.line);
          else if (Math.floor(where / LINE_SPAN) !== fileIndex) {
            const first = `${fileNames[Math.floor(where / LINE_SPAN)]}:${where % LINE_SPAN}`;
            reject(record, 'DUPLICATE_TRANSACTION', { transaction, supplier: spelling.text, amount: formatPounds(pence), first, again: `${file}:${record.line}` });
            return;
          }
        }
      }
      if (spelling.rules) {
        const rule = ruleForCategory(spelling.rules, categoryCol >= 0 ? record.internedField(categoryCol, categories) : '');
        if (rule !== undefined) {
          rule.line.amount += pence;
          rule.line.payments++;
          rule.keys.add(supplier.key);
          tally.excludedRows!++;
          tally.excluded! += pence;
          tally.rowsRead++;
          tally.rowsAccepted++;
          tally.accepted += pence;
          return;
        }
      }
      if (amount.rounded) findings.add({ code: 'AMOUNT_ROUNDED', file, line: record.line, args: { value: amountText } });
      else if (pence === 0 && amount.nil) findings.add({ code: 'AMOUNT_NIL', file, line: record.line, args: { value: amountText } });
      if (postcodeCol >= 0) {
        const postcode = record.internedField(postcodeCol, postcodes);
        if (postcode !== supplier.lastPostcode) {
          supplier.lastPostcode = postcode;
          supplier.lastPostcodeTally = tallyOf(supplier.postcodes, postcode);
        }
        supplier.lastPostcodeTally!.amount += pence;
        supplier.lastPostcodeTally!.payments++;
      }
      if (categoryCol >= 0) {
        const category = record.internedField(categoryCol, categories);
        if (category !== supplier.lastCategory) {
          supplier.lastCategory = category;
          supplier.lastCategoryTally = tallyOf(supplier.categories, category);
        }
        supplier.lastCategoryTally!.amount += pence;
        supplier.lastCategoryTally!.payments++;
      }
      spelling.amount += pence;
      supplier.amount += pence;
      supplier.payments++;
      if (date !== null) {
        if (supplier.firstDate === undefined || date < supplier.firstDate) supplier.firstDate = date;
        if (supplier.lastDate === undefined || date > supplier.lastDate) supplier.lastDate = date;
      }
      if (supplier.unattributable) {
        tally.unattributableRows!++;
        tally.unattributable! += pence;
      }
      if (record.fieldCount > headerCount) rowsWider++;
      tally.rowsRead++;
      tally.rowsAccepted++;
      tally.accepted += pence;
    });
    for (const finding of table.findings) findings.add(finding);
    for (const finding of vat.findings) findings.add(finding);
    if (firstSeen !== undefined && transactionCol < 0) findings.add({ code: 'DUPLICATES_UNCHECKED', file });
    if (rules?.some((rule) => rule.category !== undefined) && categoryCol < 0) findings.add({ code: 'EXCLUDE_CATEGORY_ABSENT', file });
    const footer = table.source.footer;
    if (footer !== undefined) {
      findings.add({ code: 'FOOTER_NOT_READ', file, line: footer.line, raw: footer.raw, args: { line: footer.line, rows: tally.footerRows ?? 0 } });
      if (tally.statedTotal !== undefined) {
        const difference = tally.statedTotal - tally.accepted;
        findings.add({
          code: difference === 0 ? 'FILE_TOTAL_AGREES' : 'FILE_TOTAL_DIFFERS',
          file,
          line: footer.line,
          args: { stated: formatPounds(tally.statedTotal), accepted: formatPounds(tally.accepted), difference: formatPounds(difference), rejected: tally.rowsRejected },
        });
      }
      if (footerDataRows > 0) findings.add({ code: 'DATA_AFTER_FOOTER', file, line: footer.line, args: { rows: footerDataRows, line: footer.line } });
    }
    if (tally.unattributableRows! > 0) {
      findings.add({ code: 'SUPPLIER_UNATTRIBUTABLE', file, args: { rows: tally.unattributableRows!, amount: formatPounds(tally.unattributable!) } });
    }
    if (rowsWider > 0) findings.add({ code: 'ROWS_WIDER_THAN_HEADER', file, args: { rows: rowsWider, columns: headerCount } });
    ledger.files.push(tally);
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
  for (const [key, supplier] of ledger.suppliers) {
    // Every row of it excluded (or a duplicate of an excluded row): not a supplier of the analysis.
    if (supplier.payments === 0) {
      ledger.suppliers.delete(key);
      continue;
    }
    if (supplier.firstDate !== undefined && (ledger.firstDate === undefined || supplier.firstDate < ledger.firstDate)) ledger.firstDate = supplier.firstDate;
    if (supplier.lastDate !== undefined && (ledger.lastDate === undefined || supplier.lastDate > ledger.lastDate)) ledger.lastDate = supplier.lastDate;
  }
  return ledger;
}
