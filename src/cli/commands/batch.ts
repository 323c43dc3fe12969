import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { BATCH_JSON, type BatchRun, type BatchRecord, defaultJobs, runBatch } from '../../batch/run-batch.js';
import { STATUSES, type YearOnYear, type YearOnYearStatus } from '../../batch/year-on-year.js';
import { UserError } from '../../errors.js';
import { differenceText } from '../../report/compare-words.js';
import { fitLines, terminalLayout } from '../../report/terminal.js';
import { formatPounds } from '../../money.js';
import { parseOptions } from '../inputs.js';
import { allowCodes, WEAKENING } from './run.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const batchOptions = z
  .object({
    out: z.string().trim().min(1, '--out needs a folder').default('local-impact-batch'),
    inputsRoot: z.string().optional(),
    suppliers: z.string().optional(),
    jobs: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return defaultJobs();
        const n = /^\d{1,3}$/.test(text.trim()) ? Number(text) : Number.NaN;
        if (!(n >= 1)) {
          ctx.addIssue({ code: 'custom', message: `--jobs "${text}" is not a number of organisations at once (1 or more)` });
          return z.NEVER;
        }
        return n;
      }),
    strict: z.boolean().default(false),
    allow: allowCodes,
    force: z.boolean().default(false),
    previous: z.string().trim().min(1, '--previous needs the earlier batch.json').optional(),
    json: z.boolean().default(false),
    quiet: z.boolean().default(false),
  })
  .refine((o) => o.strict || o.allow.length === 0, { message: '--allow only has effect with --strict: add --strict, or leave out --allow' });

export function batchCommand(): Command {
  return new Command('batch')
    .description('measure many organisations from a manifest (CSV or JSON), in parallel, each isolated; write each one\'s workbook and statement, a combined workbook and batch.json')
    .argument('<manifest>', 'a CSV (one row per organisation: organisation, project, spend, payroll, suppliers, area, income, period …) or JSON manifest (`local-impact schema --manifest`)')
    .option('--out <folder>', 'the folder to write into: <slug>.xlsx, <slug>.html and <slug>.json per organisation, batch.xlsx, batch.json (default local-impact-batch)')
    .option('--inputs-root <folder>', "the folder inputs may be read from (default: the manifest's own); a path outside it fails its organisation")
    .option('--suppliers <file>', "a supplier register shared by every organisation (over the manifest's \"suppliers\"); an organisation's own register overrides it")
    .option('--jobs <n>', `organisations measured at once (default: the machine's cores, ${defaultJobs()} here)`)
    .option('--strict', `fail an organisation on warnings that weaken a headline: ${WEAKENING.join(', ')}`)
    .option('--allow <code>', 'with --strict, accept this warning knowingly (repeatable)', collect, [] as string[])
    .option('--force', 'measure every organisation again, even those whose inputs, settings and tool version are unchanged')
    .option('--previous <batch.json>', "an earlier batch's batch.json: adds then / now / change for every organisation in both (matched by name; see the manifest's \"formerly\") as a Year on year sheet")
    .option('--json', 'print batch.json on stdout, and nothing else there')
    .option('--quiet', 'print nothing but the failures (and --json output)')
    .action(async (manifest: string, raw: z.input<typeof batchOptions>) => {
      const options = parseOptions(batchOptions, raw);
      const progress = options.quiet ? undefined : progressPrinter(process.stderr);
      const started = performance.now();
      const batch = await runBatch(manifest, { ...options, onResult: progress?.onResult });
      progress?.finish();
      // batch.json as written (made one organisation at a time, too large to build again as one string).
      if (options.json) await pipeline(createReadStream(join(resolve(options.out), BATCH_JSON)), process.stdout, { end: false });
      else if (!options.quiet) process.stdout.write(`${fitLines(summaryText(batch, options.jobs, (performance.now() - started) / 1000), terminalLayout().width)}\n`);
      const failed = batch.organisations.filter((record) => record.status === 'failed');
      if (failed.length > 0) {
        // Last, where it is seen: what failed and what to do; the exit status says some did.
        process.stderr.write(`${failuresText(failed)}\n`);
        throw new UserError(`${failed.length} of ${batch.counts.organisations} organisations failed (listed above); the others were measured.`, { exitCode: 1, code: 'BATCH_FAILED' });
      }
    });
}

/** On a terminal, one line kept up to date; otherwise one plain line per organisation as it finishes. */
function progressPrinter(stream: NodeJS.WriteStream): { onResult: (record: BatchRecord, done: number, total: number) => void; finish: () => void } {
  const started = performance.now();
  let rows = 0;
  let drawn = false;
  return {
    onResult: (record, done, total) => {
      rows += record.rowsRead;
      if (stream.isTTY) {
        const elapsed = (performance.now() - started) / 1000;
        const left = done < total ? `, about ${Math.ceil((elapsed / done) * (total - done))} s left` : '';
        stream.write(`\r\u001b[KOrganisations ${done}/${total}, ${rows.toLocaleString('en-GB')} rows read${left}`);
        drawn = true;
      } else {
        stream.write(`${lineOf(record)}\n`);
      }
    },
    finish: () => {
      if (drawn) stream.write('\n');
    },
  };
}

function lineOf(record: BatchRecord): string {
  if (record.status === 'failed') return `failed     ${record.slug}: ${record.error?.code}: ${firstLine(record.error?.message ?? '')}`;
  if (record.status === 'unchanged') return `unchanged  ${record.slug}`;
  const total = record.summary?.spend ? formatPounds(Math.round(record.summary.spend.total * 100)) : '';
  return `done       ${record.slug}: ${record.rowsRead.toLocaleString('en-GB')} rows, ${total} (${record.seconds.toFixed(1)} s)`;
}

const firstLine = (text: string) => text.split('\n')[0]!;

function summaryText(batch: BatchRun, jobs: number, seconds: number): string {
  const { counts } = batch;
  const folder = batch.combinedWorkbook.replace(/[^/]*$/, '');
  return [
    `${counts.organisations} organisations: ${counts.done} measured, ${counts.unchanged} unchanged, ${counts.failed} failed (${Math.min(jobs, counts.organisations)} at a time, ${seconds.toFixed(1)} s).`,
    `Combined workbook: ${batch.combinedWorkbook}`,
    `Each organisation: ${folder}<slug>.xlsx, <slug>.html and <slug>.json`,
    `Every summary: ${folder}batch.json`,
    ...(batch.yearOnYear ? yearOnYearText(batch.yearOnYear) : []),
  ].join('\n');
}

/** With --previous: how many were compared, who is new or gone, and each warning `compare` would give. */
function yearOnYearText(y: YearOnYear): string[] {
  const { counts } = y;
  const others = STATUSES.filter((status) => !['compared', 'new', 'not in this batch'].includes(status) && counts[status] > 0).map((status) => `${counts[status]} ${status}`);
  const named = (status: YearOnYearStatus) => y.organisations.filter((o) => o.status === status).map((o) => o.organisation);
  return [
    `Year on year against ${y.previous}: ${counts.compared} compared, ${counts.new} new, ${counts['not in this batch']} not in this batch${others.length > 0 ? `, ${others.join(', ')}` : ''} (the Year on year sheet).`,
    ...(counts.new > 0 ? [`  new: ${named('new').join(', ')}`] : []),
    ...(counts['not in this batch'] > 0 ? [`  not in this batch: ${named('not in this batch').join(', ')}`] : []),
    ...(['failed then', 'unreadable then', 'ambiguous'] as const).flatMap((status) => (counts[status] > 0 ? [`  ${status}: ${named(status).join(', ')}`] : [])),
    ...y.organisations.flatMap((o) => (o.comparison?.differences ?? []).map((d) => `! ${o.organisation}: ${differenceText(d, o.comparison!)}`)),
  ];
}

function failuresText(failed: readonly BatchRecord[]): string {
  const lines = [`Failed (${failed.length}):`];
  for (const record of failed) {
    lines.push(`  ${record.organisation} (${record.slug}): ${record.error?.code}`);
    for (const line of (record.error?.message ?? '').split('\n')) lines.push(`    ${line}`);
    if (record.error?.hint) lines.push(`    ${record.error.hint}`);
  }
  return lines.join('\n');
}
