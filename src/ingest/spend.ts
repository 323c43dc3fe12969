import type { Pence } from '../money.js';
import { FindingLog } from '../findings.js';
import { parseAmount } from './amount.js';
import { SPEND_FIELDS } from './columns.js';
import { type IsoDate, type Period, parseUkDate } from './date.js';
import { Interner, type RecordView } from './delimited.js';
import { openTable, type SourceFile } from './table.js';

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
}

type RejectCode = 'AMOUNT_UNPARSEABLE' | 'AMOUNT_MISSING' | 'SUPPLIER_MISSING' | 'DATE_OUTSIDE_PERIOD' | 'ROW_SHORT';

export interface FileTally {
  source: SourceFile;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Sum of accepted rows. */
  accepted: Pence;
}

export interface SpendLedger {
  suppliers: Map<string, LedgerSupplier>;
  files: FileTally[];
  findings: FindingLog;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  total: Pence;
  firstDate: IsoDate | undefined;
  lastDate: IsoDate | undefined;
}

export interface ReadSpendOptions {
  columns?: Partial<Record<keyof typeof SPEND_FIELDS, string>>;
  period?: Period;
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
}

/** Case, spacing and surrounding punctuation do not make two suppliers. */
export function normaliseSupplierName(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
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
    firstDate: undefined,
    lastDate: undefined,
  };
  // Raw supplier text (and id) → its spelling and supplier, so a name is normalised once, not once per row.
  const spellings = new Map<string, Spelling>();
  const dates = new Map<string, IsoDate | null>();
  let lastDateText = '';
  let lastDate: IsoDate | null = null;
  const period = options.period;
  for (const path of paths) {
    const table = await openTable({
      path,
      role: 'spend',
      fields: SPEND_FIELDS,
      explicit: options.columns,
      columnFlag: '--spend-column',
      onProgress: options.onProgress && ((read, total) => options.onProgress!(path, read, total)),
    });
    const file = table.source.name;
    const col = table.columns;
    const supplierCol = col.supplier!;
    const amountCol = col.amount!;
    const dateCol = col.date ?? -1;
    const postcodeCol = col.postcode ?? -1;
    const idCol = col.supplierId ?? -1;
    const categoryCol = col.category ?? -1;
    const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
    const findings = ledger.findings;
    const [names, ids, postcodes, categories, dateTexts] = [new Interner(), new Interner(), new Interner(), new Interner(), new Interner()];
    const reject = (record: RecordView, code: RejectCode, args?: Record<string, string | number>) => {
      tally.rowsRejected++;
      findings.add({ code, file, line: record.line, raw: record.raw(), args });
    };
    await table.scan((record) => {
      tally.rowsRead++;
      if (record.fieldCount <= amountCol) {
        reject(record, 'ROW_SHORT', { fields: record.fieldCount, expected: table.source.headers.length });
        return;
      }
      const amountText = record.field(amountCol);
      const amount = parseAmount(amountText);
      if (!amount.ok) {
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
      const nameKey = supplierId === '' ? rawName : `${supplierId}\u0000${rawName}`;
      let spelling = spellings.get(nameKey);
      if (spelling === undefined) {
        const text = rawName.trim();
        if (text === '') {
          reject(record, 'SUPPLIER_MISSING');
          return;
        }
        const key = supplierId === '' ? `name:${normaliseSupplierName(text)}` : `id:${supplierId}`;
        let supplier = ledger.suppliers.get(key);
        if (supplier === undefined) {
          supplier = { key, supplierId, spellings: new Map(), postcodes: new Map(), categories: new Map(), amount: 0, payments: 0, firstDate: undefined, lastDate: undefined };
          ledger.suppliers.set(key, supplier);
        }
        spelling = supplier.spellings.get(text);
        if (spelling === undefined) {
          spelling = { supplier, text, amount: 0 };
          supplier.spellings.set(text, spelling);
        }
        spellings.set(nameKey, spelling);
      }
      const supplier = spelling.supplier;
      if (amount.rounded) findings.add({ code: 'AMOUNT_ROUNDED', file, line: record.line, args: { value: amountText } });
      else if (amount.pence === 0 && amount.nil) findings.add({ code: 'AMOUNT_NIL', file, line: record.line, args: { value: amountText } });
      if (postcodeCol >= 0) {
        const postcode = record.internedField(postcodeCol, postcodes);
        if (postcode !== supplier.lastPostcode) {
          supplier.lastPostcode = postcode;
          supplier.lastPostcodeTally = tallyOf(supplier.postcodes, postcode);
        }
        supplier.lastPostcodeTally!.amount += amount.pence;
        supplier.lastPostcodeTally!.payments++;
      }
      if (categoryCol >= 0) {
        const category = record.internedField(categoryCol, categories);
        if (category !== supplier.lastCategory) {
          supplier.lastCategory = category;
          supplier.lastCategoryTally = tallyOf(supplier.categories, category);
        }
        supplier.lastCategoryTally!.amount += amount.pence;
        supplier.lastCategoryTally!.payments++;
      }
      spelling.amount += amount.pence;
      supplier.amount += amount.pence;
      supplier.payments++;
      if (date !== null) {
        if (supplier.firstDate === undefined || date < supplier.firstDate) supplier.firstDate = date;
        if (supplier.lastDate === undefined || date > supplier.lastDate) supplier.lastDate = date;
      }
      tally.rowsAccepted++;
      tally.accepted += amount.pence;
    });
    for (const finding of table.findings) findings.add(finding);
    ledger.files.push(tally);
    ledger.rowsRead += tally.rowsRead;
    ledger.rowsAccepted += tally.rowsAccepted;
    ledger.rowsRejected += tally.rowsRejected;
    ledger.total += tally.accepted;
  }
  for (const supplier of ledger.suppliers.values()) {
    if (supplier.firstDate !== undefined && (ledger.firstDate === undefined || supplier.firstDate < ledger.firstDate)) ledger.firstDate = supplier.firstDate;
    if (supplier.lastDate !== undefined && (ledger.lastDate === undefined || supplier.lastDate > ledger.lastDate)) ledger.lastDate = supplier.lastDate;
  }
  return ledger;
}
