import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { analyse } from '../../analyse.js';
import type { Settings } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { summaryJson } from '../../report/json.js';
import { makeChalk, renderSummary, renderWarnings } from '../../report/terminal.js';
import { writeWorkbook } from '../../report/workbook.js';
import { addInputOptions, type InputOptions, parseOptions, progressReporter, settingsFrom } from '../inputs.js';
import { mark } from '../../timings.js';

const outputOptions = z.object({
  out: z.string().optional(),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  quiet: z.boolean().default(false),
});

export function runCommand(): Command {
  return addInputOptions(new Command('run'))
    .description('measure local spend, leakage and LM3, and write the workbook report')
    .option('--out <file.xlsx>', 'where to write the workbook (default local-impact-report.xlsx)')
    .option('--force', 'overwrite the report if it exists')
    .option('--json', 'print the summary as JSON on stdout, and nothing else there')
    .option('--quiet', 'print nothing but errors (and --json output)')
    .action(async (projectFile: string | undefined, raw: InputOptions & z.input<typeof outputOptions>) => {
      const settings = await settingsFrom(projectFile, raw);
      await runAnalysis(settings, parseOptions(outputOptions, raw));
    });
}

export async function runAnalysis(settings: Settings, options: z.output<typeof outputOptions>): Promise<void> {
  if (settings.spend.length === 0) {
    throw new UsageError('No spend file given.', { hint: 'Give --spend payments.csv (or "inputs.spend" in a project file). Try `local-impact demo` to see a finished report.' });
  }
  const outPath = resolve(settings.out);
  if (!outPath.toLowerCase().endsWith('.xlsx')) throw new UsageError(`The report must be an .xlsx file; got ${settings.out}.`);
  // Refuse before reading anything, so a long run does not end in a refusal.
  if (existsSync(outPath) && !options.force) {
    throw new UsageError(`${settings.out} already exists.`, { hint: 'Add --force to overwrite it, or choose another --out.' });
  }
  const analysis = await analyse(settings, { onProgress: progressReporter(!options.quiet && !options.json) });
  mark('analysed');
  await writeWorkbook(analysis, outPath);
  mark('workbook written');
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summaryJson(analysis, outPath), null, 2)}\n`);
    // stdout stays pure JSON; the warnings a person should see go beside it.
    const warnings = options.quiet ? [] : renderWarnings(analysis, makeChalk(process.stderr));
    if (warnings.length > 0) process.stderr.write(`${warnings.join('\n')}\n`);
  } else if (!options.quiet) {
    process.stdout.write(`${renderSummary(analysis, makeChalk(process.stdout), outPath)}\n`);
  }
}
