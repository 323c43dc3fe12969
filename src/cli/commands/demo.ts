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

const options = z.object({
  out: z.string().default(DEMO_OUT),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  quiet: z.boolean().default(false),
});

export function demoCommand(): Command {
  return new Command('demo')
    .description(`run on the bundled example organisation (Calder Valley Community Trust, fictional) and write ${DEMO_OUT}`)
    .option('--out <file.xlsx>', `where to write the workbook (default ${DEMO_OUT})`)
    .option('--force', 'overwrite the report if it exists')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'print nothing but errors')
    .action(async (raw: z.input<typeof options>) => {
      const parsed = parseOptions(options, raw);
      const settings = resolveSettings(await loadProjectFile(DEMO_PROJECT), DEMO_PROJECT, { out: parsed.out });
      await runAnalysis(settings, { ...parsed, report: true, strict: false, allow: [] });
    });
}
