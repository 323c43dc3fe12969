import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { loadProjectFile, resolveSettings } from '../../config/settings.js';
import { parseOptions } from '../inputs.js';
import { PACKAGE_ROOT } from '../../version.js';
import { runAnalysis } from './run.js';

/** The bundled fictional organisation: the same files the README and tests use. */
export const DEMO_PROJECT = join(PACKAGE_ROOT, 'fixtures', 'calder-valley-trust', 'project.json');
export const DEMO_OUT = 'local-impact-demo-report.xlsx';
export const DEMO_STATEMENT = 'local-impact-demo-statement.html';

const options = z.object({
  out: z.string().default(DEMO_OUT),
  statement: z.string().optional(),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  quiet: z.boolean().default(false),
});

export function demoCommand(): Command {
  return new Command('demo')
    .description(`run on the bundled example organisation (Calder Valley Community Trust, fictional) and write ${DEMO_OUT} and ${DEMO_STATEMENT}`)
    .option('--out <file.xlsx>', `where to write the workbook (default ${DEMO_OUT})`)
    .option('--statement <file.html>', `where to write the impact statement (default ${DEMO_STATEMENT}, or beside --out)`)
    .option('--force', 'overwrite the report if it exists')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'print nothing but errors')
    .action(async (raw: z.input<typeof options>) => {
      const parsed = parseOptions(options, raw);
      const statement = parsed.statement ?? statementBeside(parsed.out);
      const settings = resolveSettings(await loadProjectFile(DEMO_PROJECT), DEMO_PROJECT, { out: parsed.out, statement });
      await runAnalysis(settings, { ...parsed, statement, report: true, strict: false, allow: [], previous: [] });
    });
}

/** The statement beside the workbook: `report.xlsx` → `report-statement.html`; the default workbook's is DEMO_STATEMENT. */
function statementBeside(out: string): string {
  return out === DEMO_OUT ? DEMO_STATEMENT : `${out.replace(/\.xlsx$/i, '')}-statement.html`;
}
