import { type CategorySpend, normaliseSupplierName } from '../domain/supplier.js';
import { FindingLog } from '../findings.js';
import { formatPounds, type Pence } from '../money.js';
import { parseAmount } from './amount.js';
import { dateFromNumber, dateNumber, type IsoDate, type Period, parseUkDate } from './date.js';
import { grown, Interner, type RecordView } from '../csv/delimited.js';
import { PairIndex, PairTally } from './pair-index.js';
import { type CompiledRule, ruleForCategory, rulesForSupplier } from './exclude.js';
import { isUnattributable } from './unattributable.js';
import { DamageLog, lineRange } from './table.js';
import { mergeTypeAnswers, noteTypeAnswers, type TypeAnswers } from './stated-type.js';

/**
 * The per-row path of spend reading: one pass over (part of) one file, adding each row into aggregates.
 * It runs on the main thread, and in a worker thread over the second half of a large file; nothing in
 * it knows which. Rows are never kept: a million-row file costs as much memory as its distinct suppliers.
 */

export interface Tally {
  amount: Pence;
  payments: number;
}

export interface LedgerSupplier {
  /** The grouping key: the ledger's supplier id when there is one, else the normalised name. */
  key: string;
  supplierId: string;
  /** From the ledger's company and charity number columns, where it has them. */
  companyNumber: string;
  charityNumber: string;
  /** What the ledger's SME and VCSE columns answer for it (see stated-type.ts); 0 when nothing. */
  typeAnswers: TypeAnswers;
  /** Payments to no one named (a redaction, a placeholder such as "Various", a blank payee): real money with no one to locate, grouped as one line. */
  unattributable?: true | undefined;
  /** Each spelling of the name seen, with the spend under it. */
  spellings: Map<string, Spelling>;
  /** Spend by the postcode given on the ledger rows, keyed as written ('' where none was); see `trimmedTallies`. */
  postcodes: Map<string, Tally>;
  /** The supplier's number in SpendState.supplierList. */
  seq: number;
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

/** A new supplier with every field present from the start (objects of one shape stay fast). */
function newSupplier(key: string): LedgerSupplier {
  return {
    key,
    supplierId: '',
    companyNumber: '',
    charityNumber: '',
    typeAnswers: 0,
    unattributable: undefined,
    spellings: new Map(),
    postcodes: new Map(),
    seq: -1,
    amount: 0,
    payments: 0,
    firstDate: undefined,
    lastDate: undefined,
  };
}

/** Tallies keyed as the ledger wrote them, added up by trimmed text: `HX1 1RE` and `HX1 1RE ` are one. */
export function trimmedTallies(tallies: Map<string, Tally>): Map<string, Tally> {
  let untrimmed = false;
  for (const raw of tallies.keys()) {
    if (raw !== raw.trim()) {
      untrimmed = true;
      break;
    }
  }
  // Usually every text is written trimmed already: then the map is the answer.
  if (!untrimmed) return tallies;
  const result = new Map<string, Tally>();
  for (const [raw, tally] of tallies) {
    const text = raw.trim();
    const into = result.get(text);
    if (into === undefined) result.set(text, { amount: tally.amount, payments: tally.payments });
    else {
      into.amount += tally.amount;
      into.payments += tally.payments;
    }
  }
  return result;
}

function tallyOf(tallies: Map<string, Tally>, raw: string): Tally {
  let tally = tallies.get(raw);
  if (tally === undefined) {
    tally = { amount: 0, payments: 0 };
    tallies.set(raw, tally);
  }
  return tally;
}

export type RejectCode =
  | 'AMOUNT_UNPARSEABLE' | 'AMOUNT_NOT_POUNDS' | 'AMOUNT_MISSING' | 'SUPPLIER_MISSING' | 'DATE_OUTSIDE_PERIOD' | 'ROW_SHORT' | 'DUPLICATE_TRANSACTION'
  | 'ROW_DAMAGED' | 'FIELD_TOO_LONG' | 'ROW_TOO_WIDE' | 'TABLE_REPEATED';

/** Spend by supplier and category before any is read. */
export function emptyCategorySpend(): CategorySpend {
  return { supplierKeys: [], texts: [], seqs: new Int32Array(0), ids: new Int32Array(0), amounts: new Float64Array(0), payments: new Float64Array(0) };
}

/** What a pass counts. accepted + rejected = read; blank rows, subtotal lines and rows from the footer on are not read. */
export interface PassCounts {
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Sum of accepted rows, excluded spend included. */
  accepted: Pence;
  rejectedBy: Partial<Record<RejectCode, number>>;
  rowsBlank: number;
  /** Subtotal lines ("Sub Total", "April Total") between the data: not read, not summed. */
  rowsSubtotal: number;
  unattributableRows: number;
  /** Money on rejected rows whose amount could be read (a blank payee with no date or reference). */
  rejectedAmount: Pence;
  unattributable: Pence;
  excludedRows: number;
  excluded: Pence;
  /** Rows wider than the header (a trailing unnamed column). */
  rowsWider: number;
  /** Lines of a damaged stretch (a stray quote) re-read on their own and taken as rows (part of rowsRead). */
  rowsRecovered: number;
  /** Lines set aside between a totals line that was not the end of the data and the payments after it. */
  rowsBetweenTables: number;
}

export function emptyCounts(): PassCounts {
  return {
    rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0, rejectedBy: {}, rowsBlank: 0, rowsSubtotal: 0,
    unattributableRows: 0, unattributable: 0, rejectedAmount: 0, excludedRows: 0, excluded: 0, rowsWider: 0, rowsRecovered: 0, rowsBetweenTables: 0,
  };
}

/** How to read one file's rows: decided once per file on the main thread, and sent as is to a worker. */
export interface FilePlan {
  file: string;
  fileIndex: number;
  supplierCol: number;
  amountCol: number;
  /** The VAT column, and +1 / -1 to add it to or take it from each amount; 0 to leave amounts alone. */
  vatCol: number;
  vatSign: number;
  dateCol: number;
  postcodeCol: number;
  idCol: number;
  categoryCol: number;
  companyCol: number;
  charityCol: number;
  /** The yes/no columns stating whether a supplier is an SME, and a VCSE; -1 where the file has none. */
  smeCol: number;
  vcseCol: number;
  /** The transaction id column, or -1: it makes a blank-payee row a payment, and finds repeats when several files are merged. */
  transactionCol: number;
  headerCount: number;
  /** A field longer than this (bytes) is a coded rejection of its lines (`limits.maxFieldBytes`). */
  maxFieldBytes: number;
  /** The header's supplier and amount cells, trimmed and lower-cased: a row that repeats them is a header again. */
  headerSupplier: string;
  headerAmount: string;
  /** The number of fields the file's rows have (the header's, or more when every row has a trailing unnamed cell). */
  expectedFields: number;
  /**
   * The file has more than one table (found on a first read): a row of a later table that repeats a row of an
   * earlier one, character for character, is the same payment again, and is not read twice.
   */
  checkRepeats?: boolean;
  period: Period | undefined;
}

/** A row as the reader understood it, for `check --rows` and `--rejected` (see SpendState.rowSink). */
export type ReadRow =
  | {
      kind: 'accepted';
      file: string;
      line: number;
      supplier: string;
      amount: Pence;
      date: IsoDate | '';
      postcode: string;
      category: string;
      transaction: string;
      /** payment, unattributable, or excluded (with the rule's reason); "recovered" added for a line re-read after damage. */
      classed: string;
    }
  | { kind: 'rejected' | 'recovered'; file: string; line: number; code: string; amount: Pence | undefined; raw: string };

/** One table of a file: from its header line on (0 for the first). */
export interface TableTally {
  headerLine: number;
  lastLine: number;
  rows: number;
  /** Its rows that repeat a row of an earlier table (see FilePlan.checkRepeats), and their money. */
  repeated: number;
  repeatedAmount: Pence;
}

/** A stretch of lines re-read because a quote in it did not close where it should have (see Recovery). */

/** The columns whose fields a pass interns (looks up by their bytes): the reader hashes them as it finds them. */
export function internedColumns(plan: FilePlan): number[] {
  return [plan.supplierCol, plan.postcodeCol, plan.categoryCol, plan.idCol, plan.companyCol, plan.dateCol].filter((column) => column >= 0);
}

/** What all passes of one run share: the suppliers, the caches that save work per row, the findings. */
export class SpendState {
  readonly suppliers = new Map<string, LedgerSupplier>();
  /** Raw supplier text (and id) → its spelling and supplier, so a name is normalised once, not once per row. */
  readonly spellings = new Map<string, Spelling>();
  readonly findings = new FindingLog();
  /** Transaction key → where first seen, as file index × 2^32 + line (only when merging several files). */
  readonly firstSeen: Map<string, number> | undefined;
  /** Sees every row as it is accepted, rejected or recovered (`check --rows`); such a read is never split across threads. */
  rowSink: ((row: ReadRow) => void) | undefined;
  readonly fileNames: string[] = [];
  /** Suppliers by their seq. */
  readonly supplierList: LedgerSupplier[] = [];
  /**
   * Every pass's (supplier, category) tallies, appended as flat columns: 165k pairs a pass on the benchmark
   * file. Merging them into a table as they arrive cost more than reading the rows; appending is sequential,
   * and `finishCategories` groups them by supplier once, in one pass over these arrays.
   */
  private categorySeqs = new Int32Array(1024);
  private categoryIdsOf = new Int32Array(1024);
  private categoryAmounts = new Float64Array(1024);
  private categoryPayments = new Float64Array(1024);
  private categoryCount = 0;
  private readonly categoryIds = new Map<string, number>();
  private readonly categoryTexts: string[] = [];

  constructor(
    readonly rules: CompiledRule[] | undefined,
    checkDuplicates: boolean,
  ) {
    this.firstSeen = checkDuplicates ? new Map() : undefined;
  }

  addSupplier(supplier: LedgerSupplier): void {
    supplier.seq = this.supplierList.length;
    this.supplierList.push(supplier);
    this.suppliers.set(supplier.key, supplier);
  }

  /** Adds a pass's (key, category) tallies, its keys already resolved to suppliers. */
  addCategories(pairs: PairTallies, suppliers: readonly (Spelling | undefined)[]): void {
    // The pass's category ids → this state's, by trimmed text.
    const ids = pairs.texts.map((text) => {
      const trimmed = text.trim();
      let id = this.categoryIds.get(trimmed);
      if (id === undefined) {
        id = this.categoryTexts.length;
        this.categoryIds.set(trimmed, id);
        this.categoryTexts.push(trimmed);
      }
      return id;
    });
    const needed = this.categoryCount + pairs.keys.length;
    if (needed > this.categorySeqs.length) {
      this.categorySeqs = grown(this.categorySeqs, needed);
      this.categoryIdsOf = grown(this.categoryIdsOf, needed);
      this.categoryAmounts = grown(this.categoryAmounts, needed);
      this.categoryPayments = grown(this.categoryPayments, needed);
    }
    let at = this.categoryCount;
    for (let slot = 0; slot < pairs.keys.length; slot++, at++) {
      this.categorySeqs[at] = suppliers[pairs.keys[slot]!]!.supplier.seq;
      this.categoryIdsOf[at] = ids[pairs.ids[slot]!]!;
      this.categoryAmounts[at] = pairs.amounts[slot]!;
      this.categoryPayments[at] = pairs.payments[slot]!;
    }
    this.categoryCount = at;
  }

  /**
   * Spend by supplier and category, one entry per pair: the same category from several passes or
   * spellings added together, each supplier's categories in the order first seen. Call once, when every
   * pass is folded in.
   */
  finishCategories(): CategorySpend {
    const { supplierList, categoryTexts, categorySeqs, categoryIdsOf, categoryAmounts, categoryPayments } = this;
    const count = this.categoryCount;
    // A counting sort by supplier, stable, so each supplier's entries keep the order they came in.
    const starts = new Int32Array(supplierList.length + 1);
    for (let i = 0; i < count; i++) starts[categorySeqs[i]! + 1]!++;
    for (let seq = 0; seq < supplierList.length; seq++) starts[seq + 1]! += starts[seq]!;
    const order = new Int32Array(count);
    const next = starts.slice(0, supplierList.length);
    for (let i = 0; i < count; i++) order[next[categorySeqs[i]!]!++] = i;
    const seqs = new Int32Array(count);
    const ids = new Int32Array(count);
    const amounts = new Float64Array(count);
    const payments = new Float64Array(count);
    let size = 0;
    // Per supplier: where each category id already is among its entries (reset after each supplier).
    const placed = new Int32Array(categoryTexts.length).fill(-1);
    for (let seq = 0; seq < supplierList.length; seq++) {
      const from = starts[seq]!;
      const to = starts[seq + 1]!;
      for (let k = from; k < to; k++) {
        const i = order[k]!;
        const id = categoryIdsOf[i]!;
        let at = placed[id]!;
        if (at < 0) {
          at = placed[id] = size++;
          seqs[at] = seq;
          ids[at] = id;
        }
        amounts[at]! += categoryAmounts[i]!;
        payments[at]! += categoryPayments[i]!;
      }
      for (let k = from; k < to; k++) placed[categoryIdsOf[order[k]!]!] = -1;
    }
    this.categoryCount = 0;
    return {
      supplierKeys: supplierList.map((supplier) => supplier.key),
      texts: [...categoryTexts],
      seqs: seqs.slice(0, size),
      ids: ids.slice(0, size),
      amounts: amounts.slice(0, size),
      payments: payments.slice(0, size),
    };
  }
}

export const LINE_SPAN = 2 ** 32;

/**
 * A cell that opens a footer: a totals line, a pivot-table block, a copyright or end-of-report line.
 * Not a subtotal: monthly `Sub Total` lines sit between the months, and reading goes on past them.
 */
export const FOOTER_CELL = /^((grand|overall|report)[\s-]*)?totals?\b[\s:]*$|^(sum|count) of\b|copyright|^\u00a9|^end of (report|file|data)\b/i;

/** A cell that marks a subtotal line ("Sub Total", "Sub-total: April"): set aside, and reading goes on. */
export const SUBTOTAL_CELL = /^sub[\s-]*totals?\b/i;

/** Words that may stand beside "Total" in a period subtotal's label: months, periods, years, joining words. */
const PERIOD_WORD =
  /^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?|month(ly)?|period|week(ly)?|quarter(ly)?|q[1-4]|p\d{1,2}|year(ly)?|annual|fy|financial|for|of|the|to|and|sub|grand|overall|running|cumulative|payments?|spend|\d+(st|nd|rd|th)?)$/;

/**
 * A supplier cell that is a period's total, not a payee: "April Total", "Total for April 2024", "Q1 totals".
 * Every word besides "total(s)" must be a month, period, year or joining word, so "Total Gas & Power Ltd" is a supplier.
 */
export function isPeriodTotalLabel(text: string): boolean {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  let total = false;
  for (const word of words) {
    if (word === 'total' || word === 'totals' || word === 'subtotal' || word === 'subtotals') total = true;
    else if (!PERIOD_WORD.test(word)) return false;
  }
  return total;
}

export type OddRow = 'blank' | 'footer' | 'subtotal';

/** Whether a row that failed the usual tests is blank, the start of a footer, a subtotal line, or just a bad row. */
export function classifyOddRow(record: Pick<RecordView, 'fieldCount' | 'field'>): OddRow | undefined {
  let blank = true;
  for (let i = 0; i < record.fieldCount; i++) {
    const text = record.field(i).trim();
    if (text === '') continue;
    blank = false;
    if (FOOTER_CELL.test(text)) return 'footer';
    if (SUBTOTAL_CELL.test(text)) return 'subtotal';
  }
  return blank ? 'blank' : undefined;
}

/** Tallies by pair: (key, text id) → amount and payments, with the texts the ids stand for. */
export interface PairTallies {
  texts: string[];
  keys: Int32Array;
  ids: Int32Array;
  amounts: Float64Array;
  payments: Int32Array;
}

/**
 * What a pass tallied, by number: FilePass's per-row arrays cut to size, and the texts behind their ids.
 * Plain data (typed arrays and strings), so a worker posts it cheaply; `foldTallies` adds it into suppliers.
 */
export interface PassTallies {
  /** Per key, its spelling as its first row gave it (name as written, supplier id, company number); null when not a supplier. */
  spellings: ([name: string, supplierId: string, companyNumber: string] | null)[];
  /** Per key, the supplier's charity number as the pass left it. */
  charityNumbers: string[];
  /** Per key, the supplier's SME and VCSE answers as the pass left them. */
  typeAnswers: TypeAnswers[];
  amounts: Float64Array;
  payments: Int32Array;
  /** yyyymmdd, 0 when no row of the key had a date. */
  firstDates: Int32Array;
  lastDates: Int32Array;
  postcodes: PairTallies;
  categories: PairTallies;
}

/** Adds a pass's tallies into the suppliers (made where new, in the order the pass first saw them) and `counts`. */
export function foldTallies(state: SpendState, counts: PassCounts, tallies: PassTallies): void {
  const spellings = tallies.spellings.map((identity) => (identity === null ? undefined : spellingOf(state, ...identity)));
  spellings.forEach((spelling, key) => {
    if (spelling === undefined) return;
    const supplier = spelling.supplier;
    const charity = tallies.charityNumbers[key]!;
    if (supplier.charityNumber === '' && !supplier.unattributable) supplier.charityNumber = charity;
    if (!supplier.unattributable) supplier.typeAnswers = mergeTypeAnswers(supplier.typeAnswers, tallies.typeAnswers[key]!);
    const payments = tallies.payments[key]!;
    if (payments === 0) return;
    const amount = tallies.amounts[key]!;
    spelling.amount += amount;
    supplier.amount += amount;
    supplier.payments += payments;
    if (tallies.firstDates[key] !== 0) {
      const first = dateFromNumber(tallies.firstDates[key]!);
      const last = dateFromNumber(tallies.lastDates[key]!);
      if (supplier.firstDate === undefined || first < supplier.firstDate) supplier.firstDate = first;
      if (supplier.lastDate === undefined || last > supplier.lastDate) supplier.lastDate = last;
    }
    if (supplier.unattributable) {
      counts.unattributableRows += payments;
      counts.unattributable += amount;
    }
  });
  const fold = (pairs: PairTallies, into: (supplier: LedgerSupplier) => Map<string, Tally>) => {
    for (let slot = 0; slot < pairs.keys.length; slot++) {
      if (pairs.payments[slot] === 0) continue;
      const tally = tallyOf(into(spellings[pairs.keys[slot]!]!.supplier), pairs.texts[pairs.ids[slot]!]!);
      tally.amount += pairs.amounts[slot]!;
      tally.payments += pairs.payments[slot]!;
    }
  };
  fold(tallies.postcodes, (supplier) => supplier.postcodes);
  state.addCategories(tallies.categories, spellings);
}

/** The spelling of a supplier as a row gives it (name as written, supplier id and company number, trimmed): found, or made with its supplier. */
export function spellingOf(state: SpendState, rawName: string, supplierId: string, companyNumber: string): Spelling {
  const nameKey = supplierId === '' && companyNumber === '' ? rawName : `${supplierId}\u0000${companyNumber}\u0000${rawName}`;
  let spelling = state.spellings.get(nameKey);
  if (spelling === undefined) {
    spelling = spellingFor(state, rawName.trim(), supplierId, companyNumber);
    state.spellings.set(nameKey, spelling);
  }
  return spelling;
}

/** How a blank payee's spelling is shown among the unattributable line's spellings. */
const BLANK_PAYEE = '(blank)';

/** The first row of a spelling: find or make its supplier. Runs once per distinct name, not per row. */
function spellingFor(state: SpendState, name: string, supplierId: string, companyNumber: string): Spelling {
  // A blank name reaches here only from a row that is a payment (see onRecord).
  const text = name === '' ? BLANK_PAYEE : name;
  const unattributable = name === '' || isUnattributable(name);
  const normalised = normaliseSupplierName(name);
  // Two ids, or two company numbers, are two suppliers however alike their names.
  const key = unattributable
    ? 'unattributable'
    : supplierId !== ''
      ? `id:${supplierId}`
      : `name:${normalised}${companyNumber === '' ? '' : `\u0000co:${companyNumber}`}`;
  let supplier = state.suppliers.get(key);
  if (supplier === undefined) {
    supplier = newSupplier(key);
    if (unattributable) supplier.unattributable = true;
    else {
      supplier.supplierId = supplierId;
      supplier.companyNumber = companyNumber;
    }
    state.addSupplier(supplier);
  }
  let spelling = supplier.spellings.get(text);
  if (spelling === undefined) {
    spelling = { supplier, text, amount: 0, rules: undefined };
    supplier.spellings.set(text, spelling);
  }
  // A spelling merged in from a parallel pass arrives without its rules: judge them here, once.
  if (state.rules && spelling.rules === undefined) spelling.rules = rulesForSupplier(state.rules, name, normalised, supplierId);
  return spelling;
}

/** What the rows under one key (a supplier's spelling, with its id and company number) are, decided on its first row. */
const enum Kind {
  Unseen = 0,
  /** A supplier: tallied in the per-key arrays. */
  Supplier,
  /** A supplier some exclude rule may take rows of: each row asks the rules. */
  SupplierWithRules,
  /** A footer or subtotal label: set aside or rejected, row by row. */
  NotSupplier,
  /** A blank payee: unattributable on rows with a date or a transaction id, else rejected or set aside, row by row. */
  BlankName,
  /** "April Total": a subtotal line on rows with no date, a supplier's payment on rows with one. */
  PeriodLabel,
}

/** A date as yyyymmdd (see dateNumber), or NO_DATE. */
function dateCode(date: IsoDate | null): number {
  return date === null ? NO_DATE : dateNumber(date);
}

const NO_DATE = -1;

/**
 * One pass over the rows of one file (or of a byte range of it).
 *
 * The per-row path works on numbers: each repeating text (supplier, postcode, category, and a date in an
 * unusual form) becomes an id from an interner without being decoded; the amount and a dd/mm/yyyy or
 * yyyy-mm-dd date are read from their bytes; and the row adds into typed arrays indexed by the supplier's
 * key id, and into PairTally tables by (key, category) and, from a key's second postcode on, (key,
 * postcode). Only a key's first row touches strings and objects. `finish` folds it all into the suppliers.
 * On the 1M-row bench file, one thread reads ~1.3 million rows a second this way (it was ~0.4 million when
 * each row added into objects and Maps).
 */
export class FilePass {
  readonly counts = emptyCounts();
  inFooter = false;
  footer: { line: number; raw: string } | undefined;
  /** The total the file states on its footer line, where it has one. */
  statedTotal: Pence | undefined;
  /** Records from the footer line on. */
  footerRows = 0;
  /** Rows after the footer that still look like payments. */
  footerDataRows = 0;
  /** Money on those rows. */
  footerDataAmount: Pence = 0;
  /** The tables of the file: a header row repeated inside the data starts another. */
  readonly tables: TableTally[] = [];
  /** The line of the last record seen (to name it when the file ends mid-line). */
  lastLine = 0;
  /** Damaged stretches, said once each: the rule every table reader shares (see table.ts). */
  private readonly damage: DamageLog;
  private readonly names = new Interner();
  private readonly ids = new Interner();
  private readonly companies = new Interner();
  private readonly postcodes = new Interner();
  private readonly categories = new Interner();
  /** Dates repeat, but a column of timestamps would not: past this many texts, a date is parsed on each row. */
  private readonly dateTexts = new Interner(100_000);
  /** By date id: 0 not read yet, NO_DATE, or yyyymmdd. */
  private dateCodes = new Int32Array(1024);
  private readonly periodFrom: number;
  private readonly periodTo: number;
  /** Only when the file has supplier id or company number columns: (id, company) → pair, and (name, pair) → key. */
  private readonly idPairs: PairIndex | undefined;
  private readonly keyPairs: PairIndex | undefined;
  // By key id: what it is, its spelling, and its rows' sum, count and dates.
  private kinds = new Uint8Array(256);
  private keySpellings: (Spelling | undefined)[] = [];
  private keyIdentities: PassTallies['spellings'] = [];
  private keyAmounts = new Float64Array(256);
  private keyPayments = new Int32Array(256);
  private keyFirst = new Int32Array(256);
  private keyLast = new Int32Array(256);
  /**
   * The key's postcode id + 1 while all its rows give the same one (0 = none yet; -1 = several). Most
   * suppliers are paid at one postcode: their postcode tally is then the key's own, and the pair table
   * below is needed only from a key's second postcode on.
   */
  private keyPostcode = new Int32Array(256);
  private keysSeen = 0;
  private readonly postcodeTally = new PairTally();
  private readonly categoryTally = new PairTally();

  constructor(
    private readonly state: SpendState,
    private readonly plan: FilePlan,
  ) {
    this.damage = new DamageLog(plan.file, state.findings, true);
    this.tables.push({ headerLine: 0, lastLine: 0, rows: 0, repeated: 0, repeatedAmount: 0 });
    this.periodFrom = plan.period ? dateCode(plan.period.from) : 0;
    this.periodTo = plan.period ? dateCode(plan.period.to) : 0;
    if (plan.idCol >= 0 || plan.companyCol >= 0) {
      this.idPairs = new PairIndex();
      this.keyPairs = new PairIndex();
    }
  }

  private reject(record: RecordView, code: RejectCode, args?: Record<string, string | number>): void {
    if (this.state.rowSink !== undefined) this.sinkOdd(record, 'rejected', code);
    const c = this.counts;
    c.rowsRead++;
    c.rowsRejected++;
    c.rejectedBy[code] = (c.rejectedBy[code] ?? 0) + 1;
    this.state.findings.add({ code, file: this.plan.file, line: record.line, raw: record.raw(), args });
  }

  /** For a row that is not plainly data: true when it was blank, a subtotal or a footer, and so is not a data row. */
  private setAside(record: RecordView, kind = classifyOddRow(record)): boolean {
    if (this.isHeaderRow(record)) {
      this.startTable(record);
      return true;
    }
    if (kind === 'blank') {
      this.counts.rowsBlank++;
      return true;
    }
    if (kind === 'subtotal') {
      this.counts.rowsSubtotal++;
      this.state.findings.add({ code: 'SUBTOTAL_SKIPPED', file: this.plan.file, line: record.line, raw: record.raw() });
      return true;
    }
    if (kind === 'footer') {
      const { amountCol, vatCol, vatSign } = this.plan;
      this.inFooter = true;
      this.footerRows = 1;
      this.footer = { line: record.line, raw: record.raw() };
      const stated = record.fieldCount > amountCol ? parseAmount(record.field(amountCol)) : undefined;
      if (stated?.ok) {
        const vatStated = vatSign === 0 ? undefined : parseAmount(record.field(vatCol));
        this.statedTotal = stated.pence + (vatStated?.ok ? vatSign * vatStated.pence : 0);
      }
      return true;
    }
    return false;
  }

  readonly onRecord = (record: RecordView): void => {
    const plan = this.plan;
    const counts = this.counts;
    this.lastLine = record.line;
    if (record.recovery !== undefined) {
      if (this.damaged(record)) return;
    } else if (this.damage.stretch !== undefined) this.damage.close();
    if (this.inFooter) {
      // After a footer: a payment (or a header starting another table) means it was not the end of the data.
      if (!this.readsOn(record)) return;
    }
    if (record.fieldCount <= plan.amountCol) {
      if (!this.setAside(record)) this.reject(record, 'ROW_SHORT', { fields: record.fieldCount, expected: plan.headerCount });
      return;
    }
    // Text beyond the file's usual width: a delimiter inside an unquoted field has shifted the cells, so the
    // amount read may be another column's. Said, with what the amount column holds, and not used.
    if (record.fieldCount > plan.expectedFields && this.tooWide(record)) {
      if (this.isHeaderRow(record)) {
        this.startTable(record);
        return;
      }
      const shifted = parseAmount(record.field(plan.amountCol));
      if (shifted.ok) this.counts.rejectedAmount += shifted.pence;
      this.reject(record, 'ROW_TOO_WIDE', { fields: record.fieldCount, expected: plan.expectedFields, ...(shifted.ok ? { amount: formatPounds(shifted.pence) } : {}), value: record.field(plan.amountCol) });
      return;
    }
    let pence = record.plainPence(plan.amountCol);
    let amountText = '';
    let rounded = false;
    let nil = false;
    if (pence !== pence) {
      // Not a plain number: the full parser reads it, or says why not.
      amountText = record.field(plan.amountCol);
      const amount = parseAmount(amountText);
      if (!amount.ok) {
        if (this.setAside(record)) return;
        if (amount.reason === 'empty') this.reject(record, 'AMOUNT_MISSING');
        else if (amount.reason === 'currency') this.reject(record, 'AMOUNT_NOT_POUNDS', { value: amountText, currency: amount.currency });
        else this.reject(record, 'AMOUNT_UNPARSEABLE', { value: amountText });
        return;
      }
      pence = amount.pence;
      rounded = amount.rounded;
      nil = amount.nil === true;
    }

    let date = NO_DATE;
    let dateId = -1;
    // Most dates are written dd/mm/yyyy or yyyy-mm-dd: read from the bytes; the rest go through the interner.
    if (plan.dateCol >= 0 && (date = record.plainDate(plan.dateCol)) === 0) {
      date = NO_DATE;
      dateId = record.fieldId(plan.dateCol, this.dateTexts);
      if (dateId < 0) date = dateCode(parseUkDate(record.field(plan.dateCol)));
      else {
        if (dateId >= this.dateCodes.length) this.dateCodes = grown(this.dateCodes, dateId + 1);
        date = this.dateCodes[dateId]!;
        if (date === 0) date = this.dateCodes[dateId] = dateCode(parseUkDate(this.dateTexts.texts[dateId]!));
      }
    }
    if (plan.period && date !== NO_DATE && (date < this.periodFrom || date > this.periodTo)) {
      this.reject(record, 'DATE_OUTSIDE_PERIOD', { date: dateFromNumber(date), period: plan.period.label });
      return;
    }
    const nameId = record.fieldId(plan.supplierCol, this.names);
    let key = nameId;
    if (this.keyPairs !== undefined) {
      const id = plan.idCol >= 0 ? record.fieldId(plan.idCol, this.ids) : -1;
      const company = plan.companyCol >= 0 ? record.fieldId(plan.companyCol, this.companies) : -1;
      key = this.keyPairs.slot(nameId, this.idPairs!.slot(id, company));
    }
    if (key >= this.keysSeen) this.growKeys(key);
    let kind = this.kinds[key]!;
    if (kind === Kind.Unseen) kind = this.kinds[key] = this.classify(key, record, nameId);
    if (kind === Kind.BlankName) {
      // A total label in any cell makes a blank-payee row a totals line, dated or not: read as a payment,
      // its money would count twice. Else a date or a transaction id makes it a payment to no one named,
      // unattributable like a redaction (Wakefield's 15 blank-merchant card fees); with neither, nothing does.
      // A dated row is a payment, whatever its text: a cell saying "Copyright licensing" must not end the file.
      const odd = classifyOddRow(record);
      if (odd !== undefined && !(odd === 'footer' && date !== NO_DATE)) {
        this.setAside(record, odd);
        return;
      }
      if (date === NO_DATE && !this.hasTransaction(record)) {
        this.counts.rejectedAmount += pence;
        this.reject(record, 'SUPPLIER_MISSING');
        return;
      }
      kind = this.spellingOf(key, record).rules ? Kind.SupplierWithRules : Kind.Supplier;
    }
    // A row with an amount and a date or a transaction id is a payment, whatever its words: "Copyright
    // Consultancy Ltd" is a supplier, not the end of the file.
    if (kind === Kind.NotSupplier && (date !== NO_DATE || this.hasTransaction(record))) kind = this.spellingOf(key, record).rules ? Kind.SupplierWithRules : Kind.Supplier;
    if (kind === Kind.NotSupplier || (kind === Kind.PeriodLabel && date === NO_DATE)) {
      if (kind === Kind.PeriodLabel) this.setAside(record, 'subtotal');
      else if (!this.setAside(record)) {
        this.counts.rejectedAmount += pence;
        this.reject(record, 'SUPPLIER_MISSING');
      }
      return;
    }
    if (kind === Kind.PeriodLabel) kind = this.spellingOf(key, record).rules ? Kind.SupplierWithRules : Kind.Supplier;
    const file = plan.file;
    const findings = this.state.findings;
    // Said only of rows that are data: a subtotal or footer line above needs no word about its date.
    if (date === NO_DATE) {
      const dateText = dateId >= 0 ? this.dateTexts.texts[dateId]! : plan.dateCol >= 0 ? record.field(plan.dateCol) : '';
      if (dateText.trim() !== '') findings.add({ code: 'DATE_UNPARSEABLE', file, line: record.line, args: { value: dateText } });
      if (plan.period) findings.add({ code: 'DATE_MISSING_WITH_PERIOD', file, line: record.line, args: { period: plan.period.label } });
    }
    if (plan.charityCol >= 0) {
      // The first charity number given for the supplier, whichever row gives it (as a read in two halves merges it).
      const supplier = this.spellingOf(key, record).supplier;
      if (supplier.charityNumber === '' && !supplier.unattributable) supplier.charityNumber = record.field(plan.charityCol).trim();
    }
    if (plan.smeCol >= 0 || plan.vcseCol >= 0) {
      // Each column's first yes or no for the supplier, and whether its rows disagree.
      const supplier = this.spellingOf(key, record).supplier;
      if (!supplier.unattributable) supplier.typeAnswers = noteTypeAnswers(supplier.typeAnswers, plan.smeCol >= 0 ? record.field(plan.smeCol) : '', plan.vcseCol >= 0 ? record.field(plan.vcseCol) : '');
    }
    if (plan.vatSign !== 0) {
      const vatText = record.field(plan.vatCol);
      const vatAmount = parseAmount(vatText);
      if (vatAmount.ok) pence += plan.vatSign * vatAmount.pence;
      else if (vatAmount.reason !== 'empty') findings.add({ code: 'NUMBER_UNPARSEABLE', file, line: record.line, args: { field: 'VAT', value: vatText } });
    }
    const seen = this.state.firstSeen;
    if (seen !== undefined && plan.transactionCol >= 0 && this.isDuplicate(record, seen, key, pence)) return;
    if (kind === Kind.SupplierWithRules) {
      const spelling = this.spellingOf(key, record);
      const category = plan.categoryCol >= 0 ? this.categories.texts[record.fieldId(plan.categoryCol, this.categories)] ?? record.field(plan.categoryCol) : '';
      const rule = ruleForCategory(spelling.rules!, category);
      if (rule !== undefined) {
        rule.line.amount += pence;
        rule.line.payments++;
        rule.keys.add(spelling.supplier.key);
        counts.excludedRows++;
        counts.excluded += pence;
        if (this.state.rowSink !== undefined) this.sinkAccepted(record, pence, date, `excluded: ${rule.line.reason}`);
        counts.rowsRead++;
        counts.rowsAccepted++;
        counts.accepted += pence;
        return;
      }
    }
    if (plan.checkRepeats === true && this.isRepeat(record, pence, date)) return;
    if (rounded) findings.add({ code: 'AMOUNT_ROUNDED', file, line: record.line, args: { value: amountText } });
    else if (pence === 0 && nil) findings.add({ code: 'AMOUNT_NIL', file, line: record.line, args: { value: amountText } });
    if (plan.postcodeCol >= 0) {
      const postcode = record.fieldId(plan.postcodeCol, this.postcodes);
      const only = this.keyPostcode[key]! - 1;
      if (only !== postcode) {
        if (only === -1) this.keyPostcode[key] = postcode + 1;
        else {
          // A second postcode: the rows so far (all at the first) move to the pair table, and this one joins them.
          if (only >= 0) {
            this.postcodeTally.addTotals(key, only, this.keyAmounts[key]!, this.keyPayments[key]!);
            this.keyPostcode[key] = -1;
          }
          this.postcodeTally.add(key, postcode, pence);
        }
      } else if (only < 0) this.postcodeTally.add(key, postcode, pence);
    }
    if (plan.categoryCol >= 0) this.categoryTally.add(key, record.fieldId(plan.categoryCol, this.categories), pence);
    this.keyAmounts[key]! += pence;
    this.keyPayments[key]!++;
    if (date !== NO_DATE) {
      const first = this.keyFirst[key]!;
      if (first === 0 || date < first) this.keyFirst[key] = date;
      if (date > this.keyLast[key]!) this.keyLast[key] = date;
    }
    if (record.fieldCount > plan.headerCount) counts.rowsWider++;
    counts.rowsRead++;
    counts.rowsAccepted++;
    counts.accepted += pence;
    if (this.state.rowSink !== undefined) this.sinkAccepted(record, pence, date, this.spellingOf(key, record).supplier.unattributable ? 'unattributable' : 'payment');
  };

  private sinkAccepted(record: RecordView, pence: Pence, date: number, classed: string): void {
    const plan = this.plan;
    const text = (col: number) => (col >= 0 ? record.field(col).trim() : '');
    this.state.rowSink!({
      kind: 'accepted',
      file: plan.file,
      line: record.line,
      supplier: text(plan.supplierCol),
      amount: pence,
      date: date === NO_DATE ? '' : dateFromNumber(date),
      postcode: text(plan.postcodeCol),
      category: text(plan.categoryCol),
      transaction: text(plan.transactionCol),
      classed: record.recovery === undefined ? classed : `${classed}, recovered`,
    });
  }

  private sinkOdd(record: RecordView, kind: 'rejected' | 'recovered', code: string): void {
    const plan = this.plan;
    const amount = this.amountIfWhole(record);
    this.state.rowSink!({ kind, file: plan.file, line: record.line, code, amount: amount?.ok ? amount.pence : undefined, raw: record.raw() });
  }

  /** A line of a damaged stretch: true when it was dealt with (rejected or skipped), false when it is a whole row, to read as any other. */
  private damaged(record: RecordView): boolean {
    const recovery = record.recovery!;
    const plan = this.plan;
    const group = this.damage.enter(recovery);
    // The header again, inside the stretch: another table starts, as it would outside one.
    if (this.isHeaderRow(record)) {
      group.recovered.push(record.line);
      this.startTable(record);
      return true;
    }
    if (recovery.code === 'FIELD_TOO_LONG' && record.fieldCount === 0) {
      group.rejected++;
      this.reject(record, 'FIELD_TOO_LONG', { bytes: recovery.bytes ?? 0, limit: plan.maxFieldBytes });
      return true;
    }
    // Unambiguous: the line has the file's number of fields and a readable amount. (A line of another width has
    // no amount to trust: its cells may have shifted, so none is counted as money at stake.)
    const amount = this.amountIfWhole(record);
    if (amount?.ok) {
      group.amount += amount.pence;
      group.recovered.push(record.line);
      this.counts.rowsRecovered++;
      if (this.state.rowSink !== undefined) this.sinkOdd(record, 'recovered', recovery.code);
      return false;
    }
    if (classifyOddRow(record) === 'blank') {
      this.counts.rowsBlank++;
      return true;
    }
    group.rejected++;
    this.reject(record, 'ROW_DAMAGED', { lines: lineRange(group.firstLine, group.lastLine) });
    return true;
  }

  /** The amount column as read, where the row has the file's width: in any other, its cells may have shifted. */
  private amountIfWhole(record: RecordView): ReturnType<typeof parseAmount> | undefined {
    const plan = this.plan;
    return record.fieldCount === plan.headerCount || record.fieldCount === plan.expectedFields ? parseAmount(record.field(plan.amountCol)) : undefined;
  }

  /** A row that repeats the header's supplier and amount cells, in their places or (its cells shifted) anywhere: the header again. */
  private isHeaderRow(record: RecordView): boolean {
    const plan = this.plan;
    if (
      record.fieldCount > plan.amountCol &&
      record.field(plan.amountCol).trim().toLowerCase() === plan.headerAmount &&
      record.field(plan.supplierCol).trim().toLowerCase() === plan.headerSupplier
    ) {
      return true;
    }
    let supplier = false;
    let amount = false;
    for (let i = 0; i < record.fieldCount; i++) {
      const text = record.field(i).trim().toLowerCase();
      if (text === plan.headerSupplier) supplier = true;
      else if (text === plan.headerAmount) amount = true;
    }
    return supplier && amount;
  }

  /** A header row inside the data: another table of the same columns starts here. */
  private startTable(record: RecordView): void {
    for (const row of this.tableRows) this.earlierRows.add(row);
    this.tableRows.clear();
    this.tables.push({ headerLine: record.line, lastLine: record.line, rows: 0, repeated: 0, repeatedAmount: 0 });
    this.state.findings.add({ code: 'HEADER_REPEATED', file: this.plan.file, line: record.line, args: { line: record.line, table: this.tables.length } });
  }

  /** Rows of the tables before the current one, and of the current one, as written. */
  private earlierRows = new Set<string>();
  private tableRows = new Set<string>();

  /**
   * True when the payment, in a later table, is one of an earlier table's: the same supplier and amount, and the
   * same transaction id (or, with none, the same date); however its other cells read.
   * Rejected, its money kept. Within one table, two such rows are two payments, as always.
   */
  private isRepeat(record: RecordView, pence: Pence, date: number): boolean {
    const plan = this.plan;
    // A stray quote in one copy is not another supplier; a transaction id, where there is one, names the payment
    // whatever its date cell says.
    const supplier = record.field(plan.supplierCol).replaceAll('"', '').trim().toLowerCase();
    const transaction = plan.transactionCol >= 0 ? record.field(plan.transactionCol).replaceAll('"', '').trim() : '';
    const key = transaction !== '' ? `t\u0000${transaction}\u0000${pence}\u0000${supplier}` : `d\u0000${date}\u0000${pence}\u0000${supplier}`;
    const table = this.tables[this.tables.length - 1]!;
    if (this.tables.length > 1 && this.earlierRows.has(key)) {
      this.counts.rejectedAmount += pence;
      table.repeatedAmount += pence;
      table.repeated++;
      table.lastLine = record.line;
      this.reject(record, 'TABLE_REPEATED', { table: this.tables.length });
      return true;
    }
    // Taken: a row of this table (its size and extent are said only on a read that checks repeats).
    this.tableRows.add(key);
    table.rows++;
    table.lastLine = record.line;
    return false;
  }

  /**
   * In a footer: true when this row shows the footer was not the end of the data (a payment: an amount with a
   * date or a transaction id; or the header again, starting another table), and so reading goes on from it.
   */
  private readsOn(record: RecordView): boolean {
    const plan = this.plan;
    const header = this.isHeaderRow(record);
    const amount = !header && record.fieldCount > plan.amountCol ? parseAmount(record.field(plan.amountCol)) : undefined;
    const payment =
      amount?.ok === true &&
      ((plan.dateCol >= 0 && parseUkDate(record.field(plan.dateCol)) !== null) || this.hasTransaction(record));
    if (!header && !payment) {
      this.footerRows++;
      if (amount?.ok && record.field(plan.supplierCol).trim() !== '') {
        this.footerDataRows++;
        this.footerDataAmount += amount.pence;
      }
      return false;
    }
    // Not a footer after all: a totals line inside the data. Its lines are set aside, and said.
    const footer = this.footer!;
    this.state.findings.add({
      code: 'FOOTER_NOT_LAST',
      file: plan.file,
      line: footer.line,
      raw: footer.raw,
      args: { line: footer.line, resumed: record.line, between: this.footerRows - 1, stated: this.statedTotal === undefined ? '' : formatPounds(this.statedTotal) },
    });
    this.counts.rowsSubtotal++;
    this.counts.rowsBetweenTables += this.footerRows - 1;
    this.inFooter = false;
    this.footer = undefined;
    this.statedTotal = undefined;
    this.footerRows = 0;
    this.footerDataRows = 0;
    this.footerDataAmount = 0;
    return true;
  }

  /** A non-empty cell past the file's usual width. */
  private tooWide(record: RecordView): boolean {
    for (let i = this.plan.expectedFields; i < record.fieldCount; i++) if (record.field(i).trim() !== '') return true;
    return false;
  }

  /** A key's first row: what its rows are, and (for a supplier) its spelling. */
  private classify(key: number, record: RecordView, nameId: number): Kind {
    const plan = this.plan;
    const text = this.names.texts[nameId]!.trim();
    if (text === '') return Kind.BlankName;
    if (FOOTER_CELL.test(text) || SUBTOTAL_CELL.test(text)) return Kind.NotSupplier;
    const supplierId = plan.idCol >= 0 ? record.field(plan.idCol).trim() : '';
    // "April Total" with no supplier id: a month's subtotal on rows with no date (see onRecord).
    if (supplierId === '' && isPeriodTotalLabel(text)) return Kind.PeriodLabel;
    return this.spellingOf(key, record).rules ? Kind.SupplierWithRules : Kind.Supplier;
  }

  /** The key's spelling, found or made on its first row. */
  private spellingOf(key: number, record: RecordView): Spelling {
    let spelling = this.keySpellings[key];
    if (spelling !== undefined) return spelling;
    const plan = this.plan;
    const identity: [string, string, string] = [
      record.field(plan.supplierCol),
      plan.idCol >= 0 ? record.field(plan.idCol).trim() : '',
      plan.companyCol >= 0 ? record.field(plan.companyCol).trim() : '',
    ];
    spelling = spellingOf(this.state, ...identity);
    this.keySpellings[key] = spelling;
    this.keyIdentities[key] = identity;
    return spelling;
  }

  private hasTransaction(record: RecordView): boolean {
    return this.plan.transactionCol >= 0 && record.field(this.plan.transactionCol).trim() !== '';
  }

  /** Merged files: true (the row rejected) when this transaction, supplier and amount came in an earlier file. */
  private isDuplicate(record: RecordView, seen: Map<string, number>, key: number, pence: Pence): boolean {
    const plan = this.plan;
    const transaction = record.field(plan.transactionCol).trim();
    if (transaction === '') return false;
    const spelling = this.spellingOf(key, record);
    const id = `${transaction}\u0000${spelling.supplier.key}\u0000${pence}`;
    const where = seen.get(id);
    if (where === undefined) seen.set(id, plan.fileIndex * LINE_SPAN + record.line);
    else if (Math.floor(where / LINE_SPAN) !== plan.fileIndex) {
      const first = `${this.state.fileNames[Math.floor(where / LINE_SPAN)]}:${where % LINE_SPAN}`;
      this.reject(record, 'DUPLICATE_TRANSACTION', { transaction, supplier: spelling.text, amount: formatPounds(pence), first, again: `${plan.file}:${record.line}` });
      return true;
    }
    return false;
  }

  private growKeys(key: number): void {
    if (key >= this.kinds.length) {
      const size = key + 1;
      this.kinds = grown(this.kinds, size);
      this.keyAmounts = grown(this.keyAmounts, size);
      this.keyPayments = grown(this.keyPayments, size);
      this.keyFirst = grown(this.keyFirst, size);
      this.keyLast = grown(this.keyLast, size);
      this.keyPostcode = grown(this.keyPostcode, size);
    }
    this.keysSeen = key + 1;
  }

  /** Folds what the pass tallied into the suppliers. Call once, when the pass has read its rows. */
  finish(): void {
    foldTallies(this.state, this.counts, this.takeTallies());
  }

  /** Spend by key and postcode: keys paid at one postcode from their own totals, the rest from the pair table. */
  private postcodeTallies(): PairTallies {
    const pairs = pairTallies(this.postcodeTally, this.postcodes.texts);
    let single = 0;
    for (let key = 0; key < this.keysSeen; key++) if (this.keyPostcode[key]! > 0) single++;
    if (single === 0) return pairs;
    const size = single + pairs.keys.length;
    const keys = new Int32Array(size);
    const ids = new Int32Array(size);
    const amounts = new Float64Array(size);
    const payments = new Int32Array(size);
    let i = 0;
    for (let key = 0; key < this.keysSeen; key++) {
      const only = this.keyPostcode[key]! - 1;
      if (only < 0) continue;
      keys[i] = key;
      ids[i] = only;
      amounts[i] = this.keyAmounts[key]!;
      payments[i++] = this.keyPayments[key]!;
    }
    keys.set(pairs.keys, i);
    ids.set(pairs.ids, i);
    amounts.set(pairs.amounts, i);
    payments.set(pairs.payments, i);
    return { texts: pairs.texts, keys, ids, amounts, payments };
  }

  /** What the pass has tallied (copied out, for a worker to post), leaving its tallies empty. */
  takeTallies(): PassTallies {
    this.damage.close();
    const keys = this.keysSeen;
    const spellings: PassTallies['spellings'] = [];
    const charityNumbers: string[] = [];
    const typeAnswers: TypeAnswers[] = [];
    for (let key = 0; key < keys; key++) {
      spellings.push(this.keyIdentities[key] ?? null);
      charityNumbers.push(this.keySpellings[key]?.supplier.charityNumber ?? '');
      typeAnswers.push(this.keySpellings[key]?.supplier.typeAnswers ?? 0);
    }
    const tallies: PassTallies = {
      spellings,
      charityNumbers,
      typeAnswers,
      amounts: this.keyAmounts.slice(0, keys),
      payments: this.keyPayments.slice(0, keys),
      firstDates: this.keyFirst.slice(0, keys),
      lastDates: this.keyLast.slice(0, keys),
      postcodes: this.postcodeTallies(),
      categories: pairTallies(this.categoryTally, this.categories.texts),
    };
    this.keyAmounts.fill(0);
    this.keyPayments.fill(0);
    this.keyFirst.fill(0);
    this.keyLast.fill(0);
    this.keyPostcode.fill(0);
    this.postcodeTally.clear();
    this.categoryTally.clear();
    return tallies;
  }
}

function pairTallies(tally: PairTally, texts: string[]): PairTallies {
  const keys = new Int32Array(tally.size);
  const ids = new Int32Array(tally.size);
  const amounts = new Float64Array(tally.size);
  const payments = new Int32Array(tally.size);
  let i = 0;
  tally.forEach((key, id, amount, count) => {
    keys[i] = key;
    ids[i] = id;
    amounts[i] = amount;
    payments[i++] = count;
  });
  return { texts: [...texts], keys, ids, amounts, payments };
}
