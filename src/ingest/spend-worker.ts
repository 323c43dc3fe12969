import { parentPort, workerData } from 'node:worker_threads';
import { normaliseSupplierName } from '../domain/supplier.js';
import { scanDelimited, sha256 } from '../csv/delimited.js';
import { compileRules } from './exclude.js';
import { serialisePass, transferables, type WorkerJob, type WorkerMessage } from './spend-parallel.js';
import { FilePass, internedColumns, SpendState } from './spend-pass.js';
import { mark } from '../timings.js';

/** The worker half of a parallel read: one byte range of one spend file, through the same per-row path. */
const job = workerData as WorkerJob;
mark('worker: loaded');
try {
  const state = new SpendState(job.rules ? compileRules(job.rules, normaliseSupplierName) : undefined, false);
  const pass = new FilePass(state, job.plan);
  let encodingSwitched = false;
  const scanned = await scanDelimited(job.path, {
    hashColumns: internedColumns(job.plan),
    expectedFields: job.plan.expectedFields,
    maxFieldBytes: job.plan.maxFieldBytes,
    delimiter: job.delimiter,
    encoding: job.encoding,
    skipBytes: 0,
    start: job.start,
    firstLine: 1,
    onEncodingChange: () => {
      encodingSwitched = true;
    },
    onRecord: pass.onRecord,
  });
  mark('worker: half read');
  // Not finished here: the tallies go to the main thread by number, and are folded into suppliers there.
  const result = serialisePass(state, pass, scanned.nextLine, encodingSwitched);
  parentPort!.postMessage({ result } satisfies WorkerMessage, transferables(result));
  // While the main thread folds the halves together: the checksum of the whole file, for the report.
  parentPort!.postMessage({ sha256: await sha256(job.path) } satisfies WorkerMessage);
  mark('worker: file hashed');
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage);
}
