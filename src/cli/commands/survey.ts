import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { Analysis } from '../../analyse.js';
import { analyse } from '../../analyse.js';
import { inputsFolder } from '../../config/settings.js';
import { UsageError, UserError } from '../../errors.js';
import { formatPounds } from '../../money.js';
import { surveyFormFiles, surveyedSuppliers } from '../../report/forms.js';
import { outputName } from '../../report/paths.js';
import { writeAllWhole } from '../../write-whole.js';
import { addInputOptions, type InputOptions, parseOptions, progressReporter, settingsFrom } from '../inputs.js';

/** Where a project keeps its forms, and the folders the filled-in returns go in (what init names as the surveys). */
export const SURVEY_FOLDER = 'surveys';
/** Inside the forms folder: where the filled-in returns are saved, and what the project file's surveys name. */
export const RETURNS = { supplier: 'supplier-returns', staff: 'staff-returns' } as const;

const formOptions = z.object({
  out: z.string().optional(),
  force: z.boolean().default(false),
});

export function surveyCommand(): Command {
  const survey = new Command('survey').description('survey forms for Round 3: out to local suppliers and staff, and back in as returns');
  survey.addCommand(
    addInputOptions(new Command('forms'))
      .description('write the survey forms: one per local supplier (ranked by spend, each showing only its own spend), an anonymous staff form (and a printable page), a tracking sheet, and the same as CSV')
      .option('--out <folder>', `the folder to write them in (default: ${SURVEY_FOLDER}/ beside the project file, or in the working folder)`)
      .option('--force', 'overwrite forms written before')
      .action(async (projectFile: string | undefined, raw: InputOptions & z.input<typeof formOptions>) => {
        const options = parseOptions(formOptions, raw);
        const settings = await settingsFrom(projectFile, raw);
        if (settings.spend.length === 0) throw new UsageError('No spend file given: the supplier forms are for the local suppliers it pays.', { hint: 'Give --spend payments.csv, or a project file.' });
        const folder = resolve(options.out ?? join(inputsFolder(settings.projectFile), SURVEY_FOLDER));
        const analysis = await analyse(settings, { onProgress: progressReporter(true) });
        const files = formFiles(analysis, folder);
        refuseExisting(files.map((f) => f.path), options.force);
        await writeFiles(files);
        await makeReturnFolders(folder);
        process.stdout.write(`${formsSummary(analysis, outputName(folder))}\n`);
      }),
  );
  return survey;
}

/** The forms as files to write, under `folder`. */
export function formFiles(analysis: Analysis, folder: string): { path: string; data: string | Uint8Array }[] {
  return surveyFormFiles(analysis).map((file) => ({ path: join(folder, file.path), data: file.data }));
}

/** Refuses before writing anything when a file is there already (`--force` overwrites). */
export function refuseExisting(paths: readonly string[], force: boolean): void {
  if (force) return;
  const there = paths.filter((path) => existsSync(path));
  if (there.length > 0) {
    throw new UsageError(`${outputName(there[0]!)}${there.length > 1 ? ` and ${there.length - 1} other file(s)` : ''} already exist${there.length > 1 ? '' : 's'}.`, {
      code: 'OUTPUT_EXISTS',
      hint: 'Add --force to overwrite them (answers already typed into a form written here would be lost), or choose another --out.',
    });
  }
}

/** Every file whole or none (write-whole), each folder made first. */
export async function writeFiles(files: readonly { path: string; data: string | Uint8Array }[]): Promise<void> {
  try {
    for (const folder of new Set(files.map((f) => dirname(f.path)))) await mkdir(folder, { recursive: true });
    await writeAllWhole(files);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
      throw new UserError(`Cannot write ${(error as NodeJS.ErrnoException).path ?? 'the files'}: ${(error as Error).message}`, { exitCode: 1, hint: 'If a form is open in Excel, close it and run again.' });
    }
    throw error;
  }
}

export async function makeReturnFolders(folder: string): Promise<void> {
  for (const name of Object.values(RETURNS)) await mkdir(join(folder, name), { recursive: true });
}

/** What was written, in a few lines: who the forms go to, and where the returns go. */
export function formsSummary(analysis: Analysis, folder: string): string {
  const suppliers = surveyedSuppliers(analysis);
  const local = suppliers.reduce((sum, s) => sum + s.amount, 0);
  const top = suppliers.slice(0, 3).map((s) => s.name).join(', ');
  return [
    `Survey forms written to ${folder}/:`,
    `  supplier-forms/   ${suppliers.length} forms, one per local supplier (${formatPounds(local, { whole: true })} of spend), largest first${top ? `: ${top}…` : ''}`,
    '  staff-form.xlsx   the anonymous staff form (staff-form.html to print)',
    '  survey-tracking.xlsx   who was sent a form and who has replied',
    '  supplier-survey.csv, staff-survey.csv   the same questions, for a survey platform',
    `Save the returns in ${folder}/${RETURNS.supplier}/ and ${folder}/${RETURNS.staff}/ (filled-in forms, or a platform's CSV export).`,
  ].join('\n');
}
