import { parentPort, workerData } from 'node:worker_threads';
import { scanDelimited } from './delimited.js';
import { compileRules } from './exclude.js';
import { serialisePass, transferables, type WorkerJob } from './spend-parallel.js';
import { FilePass, normaliseSupplierName, SpendState } from './spend-pass.js';

/** The worker half of a parallel read: one byte range of one spend file, through the same per-row path. */
const job = workerData as WorkerJob;
try {
  const state = new SpendState(job.rules ? compileRules(job.rules, normaliseSupplierName) : undefined, false);
  const pass = new FilePass(state, job.plan);
  let encodingSwitched = false;
  const scanned = await scanDelimited(job.path, {
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
  // Not finished here: the tallies go to the main thread by number, and are folded into suppliers there.
  const result = serialisePass(state, pass, scanned.nextLine, encodingSwitched);
  parentPort!.postMessage({ ok: true, result }, transferables(result));
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
