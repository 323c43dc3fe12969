import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { compareRecords } from '../../compare/compare.js';
import { readYear } from '../../compare/load.js';
import { UsageError } from '../../errors.js';
import { renderComparison } from '../../report/compare-terminal.js';
import { comparisonJson } from '../../report/compare-json.js';
import { outputName } from '../../report/paths.js';
import { makeChalk } from '../../report/terminal.js';
import { compareSheet } from '../../report/workbook/compare.js';
import { cellText, writeSheets } from '../../report/workbook/index.js';
import { printSetup } from '../../report/workbook/print.js';
import { TOOL } from '../../version.js';
import { parseOptions } from '../inputs.js';

const options = z
  .object({
    organisation: z.string().trim().min(1, '--organisation needs a name').optional(),
    out: z.string().optional().refine((path) => path === undefined || /\.xlsx$/i.test(path), '--out writes a workbook: its file name must end in .xlsx'),
    force: z.boolean().default(false),
    json: z.boolean().default(false),
    quiet: z.boolean().default(false),
  })
  .strict();

export function compareCommand(): Command {
  return new Command('compare')
    .description('what changed between years: the headlines then / now / change, suppliers that moved, the top suppliers, targets')
    .argument('<this>', "this year: a summary from run --json, a batch.json (with --organisation), or a project file (which is run)")
    .argument('<last>', 'last year, in any of the same forms')
    .argument('[earlier...]', 'earlier years, most recent first')
    .option('--organisation <name>', 'the organisation to take from a batch.json (any of the years given as one)')
    .option('--out <file.xlsx>', 'also write the comparison as a workbook (a Compare sheet with its charts)')
    .option('--force', 'overwrite --out if it exists')
    .option('--json', 'print the comparison as JSON on stdout, and nothing else there')
    .option('--quiet', 'print nothing but errors (and --json output)')
    .action(async (thisYear: string, lastYear: string, earlier: string[], raw: z.input<typeof options>) => {
      const o = parseOptions(options, raw);
      const outPath = o.out === undefined ? null : resolve(o.out);
      if (outPath !== null && existsSync(outPath) && !o.force) throw new UsageError(`${o.out} already exists.`, { hint: 'Add --force to overwrite it, or choose another --out.' });
      // A script's `$last` is empty in the first year, before any summary was kept.
      const blank = [thisYear, lastYear, ...earlier].findIndex((path) => path.trim() === '');
      if (blank >= 0) {
        throw new UsageError(`compare: the ${blank === 0 ? 'first' : blank === 1 ? 'second' : `${blank + 1}th`} file named is empty: there is no ${blank === 0 ? 'year' : "earlier year's summary"} to compare.`, {
          code: 'YEAR_NOT_GIVEN',
          hint: 'In the first year there is nothing to compare with; next year, compare with the summary kept this year.',
        });
      }
      const records = [];
      for (const path of [thisYear, lastYear, ...earlier]) records.push(await readYear(path, { organisation: o.organisation }));
      const comparison = compareRecords(records);
      if (outPath !== null) {
        const periods = comparison.years.map((y) => y.period ?? '?').join(' against ');
        await writeSheets([compareSheet(comparison)], {
          creator: `${TOOL.name} ${TOOL.version}`,
          created: new Date(),
          title: `Year on year: ${cellText(comparison.years[0]!.organisation)}`,
          setup: printSetup(comparison.years[0]!.organisation, periods, `${TOOL.name} ${TOOL.version}`),
        }, outPath);
      }
      if (o.json) process.stdout.write(`${JSON.stringify(comparisonJson(comparison, outPath === null ? null : outputName(outPath)), null, 2)}\n`);
      else if (!o.quiet) {
        process.stdout.write(`${renderComparison(comparison, makeChalk(process.stdout))}\n`);
        if (outPath !== null) process.stdout.write(`Comparison written: ${o.out}\n`);
      }
    });
}
