import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { CHARACTERISTICS, MEASURED_ITEMS, QUESTIONNAIRE_CREDIT, QUESTIONS, RATING_RULE } from '../../framework/approach.js';
import { frameworkFormFiles } from '../../framework/forms.js';
import { UsageError } from '../../errors.js';
import { writeWhole } from '../../write-whole.js';
import { loadProjectFile, resolveSettings } from '../../config/settings.js';
import { parseOptions } from '../inputs.js';

// `--out <folder>` as `survey forms` and `batch` spell it; `--dir`, its first name, still works.
const formsOptions = z.object({ out: z.string().optional(), dir: z.string().optional(), force: z.boolean().default(false) }).transform(({ out, dir, force }) => ({ dir: out ?? dir ?? '.', force }));

/** `framework forms` writes the questionnaire and the tenants register; `framework questions` lists the questions. */
export function frameworkCommand(): Command {
  const framework = new Command('framework').description('step 9: the Economic Resilience Framework questionnaire and the tenants register');
  framework
    .command('forms')
    .description('write the questionnaire for characteristics 2–7 and a blank tenants register, as .xlsx forms that check what is typed')
    .argument('[project-file]', "project file: the forms carry its organisation and its answers so far")
    .option('--out <folder>', 'the folder to write them into (default: the working folder)')
    .addOption(new Option('--dir <folder>').hideHelp())
    .option('--force', 'overwrite forms already there')
    .action(async (projectFile: string | undefined, raw: z.input<typeof formsOptions>) => {
      const options = parseOptions(formsOptions, raw);
      const project = projectFile === undefined ? undefined : await loadProjectFile(projectFile);
      const settings = resolveSettings(project, projectFile, {});
      const folder = resolve(options.dir);
      if (!existsSync(folder)) throw new UsageError(`The folder ${options.dir} does not exist.`, { hint: 'Create it, or give another --out.' });
      const files = frameworkFormFiles(settings);
      // Refuse before writing anything, so that no form is left half-replaced.
      for (const file of files) {
        if (existsSync(join(folder, file.name)) && !options.force) throw new UsageError(`${join(options.dir, file.name)} already exists.`, { hint: 'Add --force to overwrite it (answers in it are lost), or give another --out.' });
      }
      for (const file of files) {
        await writeWhole(join(folder, file.name), file.bytes);
        process.stdout.write(`Written: ${join(options.dir, file.name)}\n`);
      }
      process.stdout.write('Fill them in, then name them in the project file: "inputs": { "framework": "framework-questionnaire.xlsx", "tenants": "tenants-register.xlsx", "gvaPerJob": "gva-per-job.csv" }.\n');
    });
  framework
    .command('questions')
    .description('list the questions for characteristics 2–7 with their ids, the answers they take, and the rating rule')
    .action(() => {
      const lines: string[] = [QUESTIONNAIRE_CREDIT, ''];
      for (const c of CHARACTERISTICS.filter((x) => x.number > 1)) {
        lines.push(`${c.number}. ${c.name}`);
        for (const q of QUESTIONS.filter((x) => x.characteristic === c.number)) lines.push(`  ${q.id}  ${q.text} (${q.kind})`);
        for (const m of MEASURED_ITEMS.filter((x) => x.characteristic === c.number)) lines.push(`  ${m.id} measured: ${m.text}`);
      }
      lines.push('', 'Rating:', ...RATING_RULE.map((r) => `  ${r}`));
      lines.push('', 'In the project file: "selfAssessment": { "3": { "answers": { "3.1": true, "3.2": false }, "evidence": "in your own words" } }');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  return framework;
}
