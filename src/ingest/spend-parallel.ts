import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FindingSnapshot } from '../findings.js';
import type { Pence } from '../money.js';
import type { Encoding } from './delimited.js';
import type { ExcludeRule } from './exclude.js';
import { type FilePass, type FilePlan, type LedgerSupplier, newSupplier, type PassCounts, type RejectCode, type SpendState, type Tally } from './spend-pass.js';

/**
 * Reading a large CSV in two halves at once, one on the main thread and one in a worker: the machine has
 * two cores and the per-row path is CPU-bound. The split falls after a newline near the middle; the main
 * thread's half must end exactly there on a record boundary (a quoted field may hold a newline), or the
 * worker's half is thrown away and read again in order. Results are merged as if read in one pass.
 */

/** Files smaller than this are read in one pass: a worker costs ~50 ms to start. */
export function parallelThreshold(): number {
  const fromEnv = Number(process.env.LOCAL_IMPACT_PARALLEL_MIN_BYTES);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 8 * 1024 * 1024;
}

const WORKER = new URL('./spend-worker.js', import.meta.url);

/** Parallel reading needs a second core and the compiled worker (tests that run sources read in one pass). */
export function canReadInParallel(): boolean {
  return availableParallelism() > 1 && process.env.LOCAL_IMPACT_PARALLEL !== '0' && existsSync(fileURLToPath(WORKER));
}

export interface WorkerJob {
  path: string;
  start: number;
  delimiter: number;
  encoding: Encoding;
  plan: FilePlan;
  rules: ExcludeRule[] | undefined;
}

type SerialSupplier = Omit<LedgerSupplier, 'spellings' | 'postcodes' | 'categories' | 'lastPostcode' | 'lastPostcodeTally' | 'passOwner' | 'passSeq'> & {
  spellings: [string, Pence][];
  postcodes: [string, Tally][];
  categories: [string, Tally][];
};

export interface PassResult {
  counts: PassCounts;
  inFooter: boolean;
  footer: { line: number; raw: string } | undefined;
  statedTotal: Pence | undefined;
  footerRows: number;
  footerDataRows: number;
  suppliers: SerialSupplier[];
  rules: { amount: Pence; payments: number; keys: string[] }[] | undefined;
  findings: FindingSnapshot;
  nextLine: number;
  encodingSwitched: boolean;
}

export function serialisePass(state: SpendState, pass: FilePass, nextLine: number, encodingSwitched: boolean): PassResult {
  return {
    counts: pass.counts,
    inFooter: pass.inFooter,
    footer: pass.footer,
    statedTotal: pass.statedTotal,
    footerRows: pass.footerRows,
    footerDataRows: pass.footerDataRows,
    suppliers: [...state.suppliers.values()].map((s) => ({
      key: s.key,
      supplierId: s.supplierId,
      companyNumber: s.companyNumber,
      charityNumber: s.charityNumber,
      ...(s.unattributable ? { unattributable: true as const } : {}),
      spellings: [...s.spellings.values()].map((sp) => [sp.text, sp.amount] as [string, Pence]),
      postcodes: [...s.postcodes.entries()],
      categories: [...s.categories.entries()],
      amount: s.amount,
      payments: s.payments,
      firstDate: s.firstDate,
      lastDate: s.lastDate,
    })),
    rules: state.rules?.map((rule) => ({ amount: rule.line.amount, payments: rule.line.payments, keys: [...rule.keys] })),
    findings: state.findings.snapshot(),
    nextLine,
    encodingSwitched,
  };
}

function addTallies(into: Map<string, Tally>, from: [string, Tally][]): void {
  for (const [text, tally] of from) {
    const mine = into.get(text);
    if (mine === undefined) into.set(text, { amount: tally.amount, payments: tally.payments });
    else {
      mine.amount += tally.amount;
      mine.payments += tally.payments;
    }
  }
}

/**
 * Adds a later part of the same file into the main pass: its suppliers, counts, exclusions and findings
 * (line numbers moved by `lineOffset`, the lines before the part began).
 */
export function mergePass(state: SpendState, pass: FilePass, result: PassResult, lineOffset: number): void {
  for (const s of result.suppliers) {
    let supplier = state.suppliers.get(s.key);
    if (supplier === undefined) {
      supplier = newSupplier(s.key);
      Object.assign(supplier, { supplierId: s.supplierId, companyNumber: s.companyNumber, charityNumber: s.charityNumber, unattributable: s.unattributable });
      state.suppliers.set(s.key, supplier);
    }
    for (const [text, amount] of s.spellings) {
      const spelling = supplier.spellings.get(text);
      if (spelling === undefined) supplier.spellings.set(text, { supplier, text, amount, rules: undefined });
      else spelling.amount += amount;
    }
    addTallies(supplier.postcodes, s.postcodes);
    addTallies(supplier.categories, s.categories);
    supplier.amount += s.amount;
    supplier.payments += s.payments;
    if (supplier.charityNumber === '') supplier.charityNumber = s.charityNumber;
    if (s.firstDate !== undefined && (supplier.firstDate === undefined || s.firstDate < supplier.firstDate)) supplier.firstDate = s.firstDate;
    if (s.lastDate !== undefined && (supplier.lastDate === undefined || s.lastDate > supplier.lastDate)) supplier.lastDate = s.lastDate;
    // The caches of the last row belong to the pass that made them.
    supplier.lastPostcode = undefined;
  }
  result.rules?.forEach((part, i) => {
    const rule = state.rules![i]!;
    rule.line.amount += part.amount;
    rule.line.payments += part.payments;
    for (const key of part.keys) rule.keys.add(key);
  });
  const c = pass.counts;
  const r = result.counts;
  for (const field of ['rowsRead', 'rowsAccepted', 'rowsRejected', 'accepted', 'rowsBlank', 'rowsSubtotal', 'unattributableRows', 'unattributable', 'excludedRows', 'excluded', 'rowsWider'] as const) {
    c[field] += r[field];
  }
  for (const [code, n] of Object.entries(r.rejectedBy) as [RejectCode, number][]) c.rejectedBy[code] = (c.rejectedBy[code] ?? 0) + n;
  if (result.footer) {
    pass.inFooter = true;
    pass.footer = { line: result.footer.line + lineOffset, raw: result.footer.raw };
    pass.statedTotal = result.statedTotal;
    pass.footerRows = result.footerRows;
    pass.footerDataRows = result.footerDataRows;
  }
  state.findings.absorb(result.findings, lineOffset);
}

/** Starts reading the range from `job.start` to the end of the file in a worker thread. */
export function startWorker(job: WorkerJob): { result: Promise<PassResult>; cancel: () => void } {
  // A smaller young generation than the default keeps the second heap ~20 MB lighter at no cost in speed (measured).
  const worker = new Worker(WORKER, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  const result = new Promise<PassResult>((resolve, reject) => {
    worker.once('message', (message: { ok: true; result: PassResult } | { ok: false; error: string }) => {
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`spend worker stopped with exit code ${code}`));
    });
  });
  // A cancelled worker's result is not wanted; keep its rejection from surfacing as unhandled.
  result.catch(() => {});
  return { result, cancel: () => void worker.terminate() };
}
