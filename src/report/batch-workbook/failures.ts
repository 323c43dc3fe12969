import type { BatchRun } from '../../batch/run-batch.js';
import { Sheet } from '../workbook/layout.js';

/** The organisations that failed, each with the coded message its own `run` would have given and what to do. */
export function failuresSheet(batch: BatchRun): Sheet {
  const s = new Sheet('Failures');
  const failed = batch.organisations.filter((record) => record.status === 'failed');
  s.title(
    failed.length === 0 ? 'No organisation failed' : `${failed.length} of ${batch.counts.organisations} organisations failed`,
    failed.length === 0 ? undefined : 'Each failed alone: the others were measured. Fix what is said here and run the batch again; organisations whose inputs have not changed are not measured again.',
  );
  if (failed.length > 0) {
    const header = s.header(['Organisation', 'Code', 'What went wrong', 'What to do']);
    s.printTitlesRow = header;
    for (const record of failed) s.line([record.organisation, record.error?.code ?? '', record.error?.message ?? '', record.error?.hint ?? '']);
  }
  s.fit({ 1: { min: 24, max: 40 }, 2: { max: 28 }, 3: { max: 70 }, 4: { max: 60 } });
  return s;
}
