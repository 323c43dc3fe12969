import { frameworkFormFiles, QUESTIONNAIRE_FILE, TENANTS_FILE } from '../../framework/forms.js';
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import * as clack from '@clack/prompts';
import { Command } from 'commander';
import { z } from 'zod';
import { type Analysis, analyse } from '../../analyse.js';
import { projectJsonSchema, type projectSchema } from '../../config/schema.js';
import { loadProjectFile, resolveSettings, type Settings } from '../../config/settings.js';
import { UsageError, UserError } from '../../errors.js';
import { describeFinding } from '../../findings.js';
import { walkSteps } from '../../framework/walk.js';
import { loadDirectory } from '../../geo/directory.js';
import { resolveArea } from '../../geo/resolve.js';
import { parsePeriod } from '../../ingest/date.js';
import { registerCsv } from '../../ingest/register.js';
import { formatPounds, formatShare } from '../../money.js';
import { outputName, withInputsNamed } from '../../report/paths.js';
import { makeChalk, renderSteps } from '../../report/terminal.js';
import { inputOptionsSchema, parseOptions } from '../inputs.js';
import { checkInputs } from './check.js';
import { walkContext } from './steps.js';
import { registerPlan } from './suppliers.js';
import { formFiles, makeReturnFolders, refuseExisting, RETURNS, SURVEY_FOLDER, writeFiles } from './survey.js';

/**
 * `local-impact init [folder]`: from an empty folder and the accounts package's exports to a project — a guided
 * conversation on a terminal (checking each file as it is named), or the same answers from flags — then the
 * project file, the supplier register, the survey forms, and the walk through the steps.
 */

const PROJECT = 'project.json';
const SCHEMA = 'project.schema.json';
const REGISTER = 'suppliers.csv';

const initOptions = inputOptionsSchema
  .pick({ organisation: true, period: true, income: true, area: true, spend: true, payroll: true, spendColumn: true, payrollColumn: true })
  .extend({ yes: z.boolean().default(false), force: z.boolean().default(false) });

type InitOptions = z.output<typeof initOptions>;

/** What init asks, whether on a terminal or from flags. */
export interface Answers {
  organisation: string | undefined;
  period: string | undefined;
  income: number | undefined;
  area: string | undefined;
  spend: string[];
  payroll: string | undefined;
  spendColumns: Record<string, string>;
  payrollColumns: Record<string, string>;
}

/** The answers a project cannot start without, each with the flag that gives it. */
const REQUIRED: { answer: keyof Answers; flag: string; what: string }[] = [
  { answer: 'organisation', flag: '--organisation', what: 'the organisation measured, as the report names it' },
  { answer: 'period', flag: '--period', what: 'the period, e.g. 2024-25' },
  { answer: 'area', flag: '--area', what: 'what local means, e.g. "HX,OL14" or a council' },
  { answer: 'spend', flag: '--spend', what: 'the supplier payments export' },
];

export function initCommand(): Command {
  return new Command('init')
    .description('start a project in a folder: a guided conversation on a terminal (or the same answers from flags with --yes), then project.json, the supplier register and the survey forms, and the steps')
    .argument('[folder]', 'the project folder (default: the working folder); made if it does not exist')
    .option('--organisation <name>', 'the organisation measured, as the report should name it')
    .option('--period <period>', 'period analysed: 2024-25 (financial year), 2024, or from..to')
    .option('--income <pounds>', 'Round 1: the income or contract value followed, in pounds')
    .option('--area <spec>', 'what local means: postcode areas/districts, e.g. "HX,OL14"; councils, regions or radius:<postcode>:<miles> with the postcode directory')
    .option('--spend <file>', 'supplier payments export, CSV or .xlsx (repeat for several files)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--payroll <file>', 'payroll export: gross pay and home postcode per employee')
    .option('--spend-column <field=header>', 'name the spend column for a field, e.g. amount="Net Amount" (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--payroll-column <field=header>', 'name the payroll column for a field (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--yes', 'ask nothing: take every answer from the flags (as without a terminal)')
    .option('--force', `overwrite an existing ${PROJECT} and the files init writes beside it`)
    .action(async (folderArg: string | undefined, raw: unknown) => {
      const options = parseOptions(initOptions, raw);
      const folder = resolve(folderArg ?? '.');
      const projectPath = join(folder, PROJECT);
      if (existsSync(projectPath) && !options.force) {
        throw new UsageError(`${outputName(projectPath)} already exists: this folder has a project.`, {
          code: 'PROJECT_EXISTS',
          hint: `Run \`local-impact steps ${outputName(projectPath)}\` to see where it stands, or add --force to start it again.`,
        });
      }
      const given = answersFrom(options);
      const interactive = !options.yes && process.stdin.isTTY === true && process.stdout.isTTY === true;
      const answers = interactive ? await converse(given, folder) : given;
      for (const { answer, flag, what } of REQUIRED) {
        const value = answers[answer];
        if (value === undefined || (Array.isArray(value) && value.length === 0)) {
          throw new UsageError(`init needs ${flag}: ${what}.`, { code: 'INIT_ANSWER_MISSING', hint: interactive ? undefined : 'Without a terminal (or with --yes) every answer comes from the flags; see local-impact init --help.' });
        }
      }
      const files = await projectFiles(folder, answers, options.force);
      refuseExisting(files.map((f) => f.path), options.force);
      await writeFiles(files);
      await makeReturnFolders(join(folder, SURVEY_FOLDER));
      process.stdout.write(`${written(folder, files.map((f) => f.path))}\n\n`);
      // The walk, as `steps` prints it, from the project just written.
      const settings = resolveSettings(await loadProjectFile(projectPath), projectPath, {});
      const analysis = await analyse(settings, { allowNoArea: true });
      process.stdout.write(`${renderSteps(walkSteps(analysis, walkContext(analysis, outputName(projectPath))), makeChalk(process.stdout))}\n`);
    });
}

function answersFrom(options: InitOptions): Answers {
  return {
    organisation: options.organisation,
    period: options.period,
    income: options.income,
    area: options.area,
    spend: options.spend.map((file) => resolve(file)),
    payroll: options.payroll === undefined ? undefined : resolve(options.payroll),
    spendColumns: options.spendColumn,
    payrollColumns: options.payrollColumn,
  };
}

/** The settings of a run on these answers, with the register in the folder kept if one is there. */
function settingsOf(answers: Answers, register?: string): Settings {
  const period = answers.period === undefined ? undefined : answers.period;
  return resolveSettings(undefined, undefined, {
    organisation: answers.organisation,
    period,
    income: answers.income,
    area: answers.area,
    spend: answers.spend,
    payroll: answers.payroll,
    suppliers: register,
    spendColumn: answers.spendColumns,
    payrollColumn: answers.payrollColumns,
  });
}

/** A path as the project file holds it: relative to the project's folder, with forward slashes. */
function fromFolder(folder: string, path: string): string {
  return relative(folder, path).split(sep).join('/') || basename(path);
}

/**
 * Every file init writes, in order: a list, so that one more (the framework questionnaire, a tenants
 * register) is one more entry. Nothing is written until all of them are built.
 */
export async function projectFiles(folder: string, answers: Answers, force: boolean): Promise<{ path: string; data: string | Uint8Array }[]> {
  const registerPath = join(folder, REGISTER);
  // Started again with --force: what was filled in the register is kept, as `suppliers` keeps it.
  const analysis = withInputsNamed(await analyse(settingsOf(answers, force && existsSync(registerPath) ? registerPath : undefined)));
  const project = {
    $schema: `./${SCHEMA}`,
    organisation: answers.organisation,
    period: answers.period,
    ...(answers.income === undefined ? {} : { income: answers.income }),
    area: answers.area,
    inputs: {
      spend: answers.spend.map((file) => fromFolder(folder, file)),
      ...(answers.payroll === undefined ? {} : { payroll: fromFolder(folder, answers.payroll) }),
      suppliers: REGISTER,
      supplierSurvey: `${SURVEY_FOLDER}/${RETURNS.supplier}`,
      staffSurvey: `${SURVEY_FOLDER}/${RETURNS.staff}`,
      // Step 9's forms, written blank below: filled in, they are read where they are.
      framework: QUESTIONNAIRE_FILE,
      tenants: TENANTS_FILE,
    },
    ...(Object.keys(answers.spendColumns).length + Object.keys(answers.payrollColumns).length > 0
      ? { columns: { ...(Object.keys(answers.spendColumns).length > 0 ? { spend: answers.spendColumns } : {}), ...(Object.keys(answers.payrollColumns).length > 0 ? { payroll: answers.payrollColumns } : {}) } }
      : {}),
    out: 'local-impact-report.xlsx',
  } satisfies z.input<typeof projectSchema>;
  return [
    { path: join(folder, PROJECT), data: `${JSON.stringify(project, null, 2)}\n` },
    { path: join(folder, SCHEMA), data: `${JSON.stringify(projectJsonSchema(), null, 2)}\n` },
    { path: registerPath, data: registerCsv(await registerPlan(analysis)) },
    ...formFiles(analysis, join(folder, SURVEY_FOLDER)),
    ...frameworkFormFiles(analysis.settings).map((form) => ({ path: join(folder, form.name), data: form.bytes })),
  ];
}

function written(folder: string, paths: readonly string[]): string {
  const forms = paths.filter((p) => p.includes(`${sep}supplier-forms${sep}`)).length;
  return [
    `Project written in ${outputName(folder) || '.'}:`,
    `  ${PROJECT}          the answers (${SCHEMA} lets an editor complete it)`,
    `  ${REGISTER}         every supplier paid, the unlocated first: fill in postcodes`,
    `  ${SURVEY_FOLDER}/            ${forms} supplier forms, the staff form, a tracking sheet, CSV forms`,
    `  ${SURVEY_FOLDER}/${RETURNS.supplier}/, ${SURVEY_FOLDER}/${RETURNS.staff}/   where the returns go`,
    `  ${QUESTIONNAIRE_FILE}   step 9: characteristics 2–7, to answer`,
    `  ${TENANTS_FILE}         step 9: the organisation's tenants, if it lets space`,
  ].join('\n');
}

/** Ctrl-C or Escape at any question: nothing is written. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new UserError('Cancelled: nothing was written.', { exitCode: 130, code: 'CANCELLED' });
  return value as Exclude<T, symbol>;
}

/** What `check` found in a file, in a few lines for the conversation. */
function found(analysis: Analysis): string {
  const lines: string[] = [];
  for (const input of analysis.inputs) {
    const columns = input.source.columns.map((c) => `${c.field} ← "${c.header}"`).join(', ');
    lines.push(`${input.source.name}: ${input.rowsRead} rows read, ${input.rowsAccepted} used, ${input.rowsRejected} not used`);
    lines.push(`  columns: ${columns}`);
  }
  if (analysis.spend) {
    lines.push(`  ${analysis.spend.suppliers} suppliers, ${formatPounds(analysis.spend.total, { whole: true })}${analysis.area ? `; ${formatShare(analysis.spend.locatedShare)} of spend located` : ''}`);
  }
  if (analysis.workforce) lines.push(`  ${analysis.workforce.staff} staff, ${analysis.workforce.localStaff} living locally`);
  for (const f of analysis.findings.summary().filter((s) => s.severity !== 'info').slice(0, 4)) lines.push(`  ${f.code}${f.count > 1 ? ` ×${f.count}` : ''}: ${describeFinding(f).slice(0, 100)}`);
  return lines.join('\n');
}

/**
 * Checks a file as it is named, as `check` does; where the tool cannot choose a column, asks which it is, and
 * checks again. Returns the columns named on the way.
 */
async function checkFile(role: 'spend' | 'payroll', file: string, answers: Answers): Promise<void> {
  for (;;) {
    const settings = settingsOf({ ...answers, spend: role === 'spend' ? [file] : [], payroll: role === 'payroll' ? file : undefined });
    try {
      const spinner = clack.spinner();
      spinner.start(`Checking ${basename(file)}`);
      let analysis: Analysis;
      try {
        analysis = await checkInputs(settings);
      } finally {
        spinner.stop(`Checked ${basename(file)}`);
      }
      clack.log.info(found(analysis));
      return;
    } catch (error) {
      const column = error instanceof UserError ? error.options.column : undefined;
      if (!column || column.headers.length === 0) throw error;
      clack.log.warn((error as UserError).message);
      const header = answered(
        await clack.select({
          message: `Which column is the ${column.field} (${column.describe})?`,
          options: column.headers.slice(0, 30).map((h) => ({ value: h, label: h })),
        }),
      );
      (role === 'spend' ? answers.spendColumns : answers.payrollColumns)[column.field] = header;
    }
  }
}

const fileExists = (text: string | undefined) => (text && existsSync(resolve(text.trim())) ? undefined : 'No such file: give its path (drag it here from a file window).');

/** The guided conversation: each question in turn, the flags given as its first answers. */
async function converse(given: Answers, folder: string): Promise<Answers> {
  const answers: Answers = { ...given, spend: [...given.spend], spendColumns: { ...given.spendColumns }, payrollColumns: { ...given.payrollColumns } };
  clack.intro(`A new local-impact project in ${outputName(folder) || 'this folder'}`);
  answers.organisation = answered(
    await clack.text({ message: 'Which organisation is this for?', initialValue: given.organisation, validate: (v) => (v?.trim() ? undefined : 'Give its name, as the report should print it.') }),
  ).trim();
  answers.period = answered(
    await clack.text({ message: 'Which period? (a financial year 2024-25, a year 2024, or 2024-04-01..2025-03-31)', placeholder: '2024-25', initialValue: given.period, validate: (v) => (v && parsePeriod(v.trim()) ? undefined : 'Not a period: e.g. 2024-25.') }),
  ).trim();
  const income = answered(
    await clack.text({
      message: 'The income or contract value followed (Round 1), in pounds — blank to use spend + payroll',
      initialValue: given.income === undefined ? undefined : String(given.income),
      validate: (v) => (!v?.trim() || inputOptionsSchema.shape.income.safeParse(v).success ? undefined : 'An amount in pounds, e.g. 1250000.'),
    }),
  ).trim();
  answers.income = income === '' ? undefined : inputOptionsSchema.shape.income.parse(income);
  const directory = loadDirectory();
  const councils = directory?.meta.councils ?? [];
  if (given.area === undefined && councils.length > 0) {
    answers.area = answered(
      await clack.autocomplete({
        message: 'Which council area is local? (type to search)',
        options: councils.filter((c) => c.successor === undefined).map((c) => ({ value: c.name, label: c.name, hint: c.code })),
        maxItems: 8,
      }),
    );
  } else {
    answers.area = answered(
      await clack.text({
        message: councils.length > 0 ? 'What is local?' : 'What is local? Postcode districts or areas, comma-separated (import the postcode directory with `local-impact geo import` to choose a council)',
        placeholder: 'HX,OL14',
        initialValue: given.area,
        validate: (v) => {
          if (!v?.trim()) return 'Say what local means, e.g. HX,OL14.';
          try {
            resolveArea(v.trim(), directory);
            return undefined;
          } catch (error) {
            return error instanceof UserError ? error.message : String(error);
          }
        },
      }),
    ).trim();
  }
  if (answers.spend.length === 0) {
    for (;;) {
      const file = answered(
        await clack.text({ message: answers.spend.length === 0 ? 'The supplier payments export (CSV or .xlsx)' : 'Another payments file? (blank if none)', validate: (v) => (answers.spend.length > 0 && !v?.trim() ? undefined : fileExists(v)) }),
      ).trim();
      if (file === '') break;
      await checkFile('spend', resolve(file), answers);
      answers.spend.push(resolve(file));
    }
  } else for (const file of answers.spend) await checkFile('spend', file, answers);
  if (answers.payroll === undefined) {
    const file = answered(await clack.text({ message: 'The payroll export, with home postcodes (blank if none)', validate: (v) => (!v?.trim() ? undefined : fileExists(v)) })).trim();
    if (file !== '') answers.payroll = resolve(file);
  }
  if (answers.payroll !== undefined) await checkFile('payroll', answers.payroll, answers);
  const go = answered(await clack.confirm({ message: `Write the project, the supplier register and the survey forms in ${outputName(folder) || 'this folder'}?` }));
  if (!go) throw new UserError('Nothing was written.', { exitCode: 130, code: 'CANCELLED' });
  clack.outro('Writing the project.');
  return answers;
}
