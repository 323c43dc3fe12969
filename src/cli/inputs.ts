import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { type FlagSettings, loadProjectFile, resolveSettings, type Settings } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { type FieldSpecs, PAYROLL_FIELDS, SPEND_FIELDS } from '../ingest/columns.js';

/** Options shared by run, check and steps, spelled the same everywhere. */
export function addInputOptions(command: Command): Command {
  return command
    .argument('[project-file]', 'project file (JSON) holding these settings; flags override it')
    .option('--spend <file>', 'supplier payments CSV (repeat for several files, e.g. monthly)', collect, [])
    .option('--payroll <file>', 'payroll CSV: gross pay and home postcode per employee')
    .option('--suppliers <file>', 'supplier register CSV: name/id → postcode, local override, type')
    .option('--supplier-survey <file|folder>', 'supplier survey returns: supplier and "local re-spend %", or a folder of filled-in forms')
    .option('--staff-survey <file|folder>', 'staff survey returns: respondent and "local spend %", or a folder of filled-in staff forms')
    .option('--organisation <name>', 'the organisation measured, as the report should name it')
    .option('--income <pounds>', 'Round 1: the income or contract value followed, in pounds')
    .option('--area <spec>', 'what local means: postcode areas/districts/sectors, e.g. "HX,OL14", "HX1-HX7", "HX7 8"; councils, regions or radius:<postcode>:<miles> with the postcode directory')
    .option('--tier <spec>', 'a nested definition of local reported beside the area, e.g. --tier Calderdale --tier "Yorkshire and The Humber"; label=spec names it, e.g. "Greater Manchester=Bolton,Bury,Manchester" (repeatable)', collect, [])
    .option('--period <period>', 'period analysed: 2024-25 (financial year), 2024, or from..to')
    .option('--coverage-threshold <percent>', '% of spend that must be located for headlines to be stated as findings (default 80)')
    .option('--spend-column <field=header>', 'name the spend column for a field, e.g. amount="Net Amount" (repeatable)', collect, [])
    .option('--sheet <name>', 'the worksheet to read in .xlsx spend files (default: the first); or name it per file, payments.xlsx#March')
    .option('--payroll-column <field=header>', 'name the payroll column for a field, e.g. grossPay="Total Gross" (repeatable)', collect, [])
    .addOption(new Option('--debug', 'show stack traces for unexpected errors').hideHelp());
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--spend-column amount="Net Amount"`: a field the reader knows, then the header; a header the file lacks is the file's problem, found on reading. */
const columnMapping = (flag: string, fields: FieldSpecs, example: string) =>
  z.array(z.string()).default([]).transform((pairs, ctx) => {
    const result: Record<string, string> = {};
    for (const pair of pairs) {
      const at = pair.indexOf('=');
      const field = pair.slice(0, Math.max(at, 0)).trim();
      const header = pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
      if (at < 0 || field === '' || header === '') {
        ctx.addIssue({ code: 'custom', message: `${flag} "${pair}" is not field=header (e.g. ${flag} ${example})` });
      } else if (!Object.hasOwn(fields, field)) {
        ctx.addIssue({ code: 'custom', message: `${flag} "${pair}": "${field}" is not a field; the fields are ${Object.keys(fields).join(', ')}` });
      } else {
        result[field] = header;
      }
    }
    return result;
  });

/** Pounds as people write them: `300000`, `£1,250,000`, `1250000.50`; not 0, not `0x10` or `1e6`. */
const POUNDS = /^£?\d[\d,]*(\.\d{1,2})?$/;

/** The pounds `text` is written as, when it is an amount above £0 written that way; else NaN. */
export function parsePounds(text: string): number {
  const trimmed = text.trim();
  const value = POUNDS.test(trimmed) ? Number(trimmed.replace(/[£,]/g, '')) : Number.NaN;
  return value > 0 ? value : Number.NaN;
}

const pounds = z
  .string()
  .transform((text, ctx) => {
    const value = parsePounds(text);
    if (!(value > 0)) {
      ctx.addIssue({ code: 'custom', message: `--income "${text}" is not an amount in pounds above £0 (e.g. 300000 or £1,250,000.00)` });
      return z.NEVER;
    }
    return value;
  })
  .optional();

export const inputOptionsSchema = z.object({
  spend: z.array(z.string()).default([]),
  payroll: z.string().optional(),
  suppliers: z.string().optional(),
  supplierSurvey: z.string().optional(),
  staffSurvey: z.string().optional(),
  organisation: z.string().trim().min(1, '--organisation needs a name').optional(),
  income: pounds,
  coverageThreshold: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const value = /^\s*\d{1,3}(\.\d{1,3})?\s*%?\s*$/.test(text) ? Number(text.replace('%', '')) : Number.NaN;
      if (!(value >= 0 && value <= 100)) {
        ctx.addIssue({ code: 'custom', message: `--coverage-threshold "${text}" is not a percentage from 0 to 100 (e.g. 80)` });
        return z.NEVER;
      }
      return value;
    }),
  area: z.string().optional().refine((spec) => spec === undefined || !spec.includes('='), '--area takes no label (labels are for --tier, e.g. --tier "Greater Manchester=Bolton,Bury")'),
  tier: z.array(z.string().trim().min(1, '--tier needs an area, e.g. --tier "Yorkshire and The Humber"')).default([]),
  period: z.string().optional(),
  spendColumn: columnMapping('--spend-column', SPEND_FIELDS, 'amount="Net Amount"'),
  payrollColumn: columnMapping('--payroll-column', PAYROLL_FIELDS, 'grossPay="Total Gross"'),
  sheet: z.string().trim().min(1, '--sheet needs a worksheet name').optional(),
  debug: z.boolean().optional(),
});

export type InputOptions = z.input<typeof inputOptionsSchema>;

/** Parses raw commander options at the boundary: everything past here is typed and valid. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('\n'), { hint: 'See --help.' });
  return parsed.data;
}

export async function settingsFrom(projectFile: string | undefined, raw: InputOptions & { out?: string; statement?: string; scenario?: string[] }): Promise<Settings> {
  const options = parseOptions(inputOptionsSchema, raw);
  if (projectFile !== undefined && !existsSync(projectFile)) {
    throw new UsageError(`No project file at ${projectFile}.`, {
      hint: /\.(csv|xlsx)$/i.test(projectFile) ? `To analyse a spend file, write --spend ${basename(projectFile)}.` : 'Check the path.',
    });
  }
  const project = projectFile === undefined ? undefined : await loadProjectFile(projectFile);
  const flags: FlagSettings = {
    spend: options.spend,
    payroll: options.payroll,
    suppliers: options.suppliers,
    supplierSurvey: options.supplierSurvey,
    staffSurvey: options.staffSurvey,
    organisation: options.organisation,
    income: options.income,
    coverageThreshold: options.coverageThreshold,
    area: options.area,
    tier: options.tier,
    period: options.period,
    spendColumn: options.spendColumn,
    payrollColumn: options.payrollColumn,
    sheet: options.sheet,
    out: raw.out,
    statement: raw.statement,
    scenario: raw.scenario,
  };
  return resolveSettings(project, projectFile, flags);
}

/** Progress on stderr, only when stderr is a terminal: never on stdout, never when piped. */
export function progressReporter(enabled: boolean): ((file: string, read: number, total: number) => void) | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = 0;
  let lastFile = '';
  return (file, read, total) => {
    const now = Date.now();
    const done = read >= total;
    if (!done && now - last < 100 && file === lastFile) return;
    last = now;
    lastFile = file;
    const percent = total === 0 ? 100 : Math.floor((read / total) * 100);
    process.stderr.write(`\rReading ${basename(file)} ${String(percent).padStart(3)}%${done ? '\n' : ''}`);
  };
}
