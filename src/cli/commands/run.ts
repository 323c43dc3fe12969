import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { Settings } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { readYear } from '../../compare/load.js';
import { renderTrend } from '../../report/compare-terminal.js';
import type { SummaryRecord } from '../../report/record.js';
import { outputName } from '../../report/paths.js';
import { reportOrganisation, requireSpend } from '../../pipeline/report-organisation.js';
import { makeChalk, renderSummary, renderWarnings } from '../../report/terminal.js';
import { writeWhole } from '../../write-whole.js';
import { FINDING_CODES, findingDefinition } from '../../findings.js';
import { SCENARIO_GRAMMAR } from '../../domain/scenario.js';
import { addInputOptions, type InputOptions, parseOptions, progressReporter, settingsFrom } from '../inputs.js';

export const WEAKENING = FINDING_CODES.filter((code) => findingDefinition(code).weakens === true);

/** `--allow CODE` (repeatable): weakening warnings accepted knowingly under --strict, upper-cased. */
export const allowCodes = z
  .array(z.string())
  .default([])
  .transform((codes, ctx) => {
    const upper = codes.map((code) => code.trim().toUpperCase());
    for (const code of upper) {
      if (!(WEAKENING as string[]).includes(code)) ctx.addIssue({ code: 'custom', message: `--allow ${code}: not a warning --strict fails on (those are ${WEAKENING.join(', ')})` });
    }
    return upper;
  });

const outputOptions = z.object({
  out: z.string().optional(),
  statement: z.string().optional().refine((path) => path === undefined || /\.html?$/i.test(path), '--statement writes an HTML page: its file name must end in .html'),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  /** `--json-out FILE`: the summary record written whole to FILE, only when the run succeeds. */
  jsonOut: z.string().trim().min(1, '--json-out needs a file').optional().refine((path) => path === undefined || /\.json$/i.test(path), '--json-out writes the summary record: its file name must end in .json'),
  quiet: z.boolean().default(false),
  /** `--no-report`: commander's negation sets report to false. */
  report: z.boolean().default(true),
  strict: z.boolean().default(false),
  /** `--previous last-year.json` (repeatable): the years to compare with, most recent first. */
  previous: z.array(z.string()).default([]),
  allow: allowCodes,
})
  .refine((o) => o.strict || o.allow.length === 0, { message: '--allow only has effect with --strict: add --strict, or leave out --allow' })
  .refine((o) => o.report || o.out === undefined, { message: '--out has no effect with --no-report: leave out one of them' });

export function runCommand(): Command {
  return addInputOptions(new Command('run'))
    .description('measure local spend, leakage and LM3, and write the workbook report')
    .option('--out <file.xlsx>', 'where to write the workbook (default local-impact-report.xlsx)')
    .option('--statement <file.html>', 'also write a one-page HTML impact statement (prints to A4; attach it to an email)')
    .option('--force', 'overwrite the report (and the statement) if it exists')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .option('--json-out <file.json>', 'also write the summary JSON to this file, whole, and only when the run succeeds (nothing is left behind when it fails, e.g. under --strict)')
    .option('--quiet', 'print nothing but errors (and --json output)')
    .option('--no-report', 'measure and print, but write no workbook (e.g. with --json in scripts)')
    .option('--strict', `fail (exit 1, nothing written) on warnings that weaken a headline: ${WEAKENING.join(', ')}`)
    .option(
      '--scenario <name-or-spec>',
      `step 10: run this scenario of the project file (by name) instead of all of them, or one given as ${SCENARIO_GRAMMAR.join(' | ')} (repeatable)`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--allow <code>', 'with --strict, accept this warning knowingly (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--previous <file>', "an earlier year to compare with: its summary (run --json) or project file; adds a Compare sheet and a line of trend (repeatable, most recent first)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .action(async (projectFile: string | undefined, raw: InputOptions & z.input<typeof outputOptions> & { scenario?: string[] }) => {
      const settings = await settingsFrom(projectFile, raw);
      await runAnalysis(settings, parseOptions(outputOptions, raw));
    });
}

export async function runAnalysis(settings: Settings, options: z.output<typeof outputOptions>): Promise<void> {
  requireSpend(settings);
  const outPath = options.report ? resolve(settings.out) : null;
  if (outPath !== null) {
    if (!outPath.toLowerCase().endsWith('.xlsx')) throw new UsageError(`The report must be an .xlsx file; got ${settings.out}.`);
    // Refuse before reading anything, so a long run does not end in a refusal.
    if (existsSync(outPath) && !options.force) {
      throw new UsageError(`${settings.out} already exists.`, { hint: 'Add --force to overwrite it, or choose another --out.' });
    }
  }
  const jsonOutPath = options.jsonOut === undefined ? null : resolve(options.jsonOut);
  if (jsonOutPath !== null) {
    if (existsSync(jsonOutPath) && !options.force) throw new UsageError(`${options.jsonOut} already exists.`, { hint: 'Add --force to overwrite it, or choose another --json-out.' });
    if (jsonOutPath === outPath) throw new UsageError('The summary JSON and the workbook cannot be the same file.');
  }
  // Earlier years are read first: a summary that cannot be used stops the run before anything is measured.
  const previous: SummaryRecord[] = [];
  for (const path of options.previous) previous.push(await readYear(path));
  const statementPath = settings.statement === undefined ? null : resolve(settings.statement);
  if (statementPath !== null) {
    if (!/\.html?$/i.test(statementPath)) throw new UsageError(`The statement is an HTML page: its file name must end in .html; got ${settings.statement}.`);
    if (existsSync(statementPath) && !options.force) {
      throw new UsageError(`${settings.statement} already exists.`, { hint: 'Add --force to overwrite it, or choose another --statement.' });
    }
    if (statementPath === outPath) throw new UsageError('The statement and the workbook cannot be the same file.');
    if (statementPath === jsonOutPath) throw new UsageError('The statement and the summary JSON cannot be the same file.');
  }
  // The terminal may echo the --out the user typed.
  const { analysis, reportName, summary: record, comparison } = await reportOrganisation(settings, {
    outPath,
    statementPath,
    strict: options.strict,
    allow: options.allow,
    previous,
    onProgress: progressReporter(!options.quiet && !options.json),
  });
  // Written last, once the reports are: a script that keeps the record finds one only for a run that succeeded.
  if (jsonOutPath !== null) await writeWhole(jsonOutPath, `${JSON.stringify(record, null, 2)}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    // stdout stays pure JSON; the warnings a person should see go beside it.
    const warnings = options.quiet ? [] : [...renderWarnings(analysis, makeChalk(process.stderr)), ...(comparison ? renderTrend(comparison, makeChalk(process.stderr)) : [])];
    if (warnings.length > 0) process.stderr.write(`${warnings.join('\n')}\n`);
  } else if (!options.quiet) {
    process.stdout.write(`${renderSummary(analysis, makeChalk(process.stdout), reportName && (options.out ?? reportName))}\n`);
    if (comparison) process.stdout.write(`${renderTrend(comparison, makeChalk(process.stdout)).join('\n')}\n`);
    if (statementPath !== null) process.stdout.write(`Statement written: ${options.statement ?? outputName(statementPath)}\n`);
    if (jsonOutPath !== null) process.stdout.write(`Summary JSON written: ${options.jsonOut}\n`);
  }
}
