import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MilliPercent } from '../domain/percent.js';
import { UsageError } from '../errors.js';
import { parseTier } from '../geo/area.js';
import { type Period, parsePeriod } from '../ingest/date.js';
import { shownText } from '../ingest/columns.js';
import { checkExcludeRules, type ExcludeRule } from '../ingest/exclude.js';
import { parsePercent } from '../ingest/percent.js';
import { mergeAnswers } from '../ingest/framework-form.js';
import { type Pence, poundsToPence } from '../money.js';
import { parseScenarioSpec, type Scenario, SCENARIO_GRAMMAR } from '../domain/scenario.js';
import { type ProjectFile, projectSchema } from './schema.js';

export const DEFAULT_OUT = 'local-impact-report.xlsx';

/** Everything a run needs, resolved from the project file and the flags that override it. */
export interface Settings {
  projectFile: string | undefined;
  organisation: string;
  period: Period | undefined;
  income: Pence | undefined;
  area: string | undefined;
  /** Nested definitions of local (`--tier`, repeatable), reported side by side; each `label=spec`, or a spec alone. */
  tiers: string[];
  spend: string[];
  payroll: string | undefined;
  suppliers: string | undefined;
  supplierSurvey: string | undefined;
  staffSurvey: string | undefined;
  spendColumns: Record<string, string>;
  payrollColumns: Record<string, string>;
  wages: 'gross' | 'net';
  supplierAveraging: 'unweighted' | 'spend-weighted';
  /** The VAT basis spend is measured on (`conventions.vatBasis`). */
  vatBasis: 'net' | 'gross';
  /** Located share of spend (and staff) a headline needs to be a finding (`conventions.coverageThreshold`, `--coverage-threshold`). */
  coverageThreshold: MilliPercent;
  /** The worksheet to read in spreadsheet spend files (`--sheet`, `inputs.sheet`); else the first. */
  sheet: string | undefined;
  /** Spend taken out of the local share into its own lines (`exclude`). */
  exclude: ExcludeRule[];
  /** A field longer than this is a coded rejection of its lines (`limits.maxFieldBytes`). */
  maxFieldBytes: number;
  assumptions: { supplierPercent?: MilliPercent; staffPercent?: MilliPercent; source?: string };
  livingWageRate: Pence | undefined;
  selfAssessment: NonNullable<ProjectFile['selfAssessment']>;
  /** Step 9: the tenants register, the GVA per job table, and the filled-in questionnaire form. */
  tenants: string | undefined;
  gvaPerJob: string | undefined;
  frameworkForm: string | undefined;
  /** The GVA table's region for enabled GVA (`framework.region`). */
  gvaRegion: string | undefined;
  /** Where staff work, for staff travel (`framework.workplacePostcode`). */
  workplacePostcode: string | undefined;
  /** Step 10: the scenarios to run (all the project file's, or those `--scenario` names), in order. */
  scenarios: Scenario[];
  /** The project file's reason that pay may be published in full (`disclosure`); undefined: the audit withholds. */
  disclosureConsent: string | undefined;
  /** What the organisation aims for (`targets`): shares in exact thousandths of a percent, LM3 as a score. */
  targets: Targets;
  out: string;
  /** Where to write the HTML impact statement (`--statement`, `statement`); undefined: none is written. */
  statement: string | undefined;
}

export interface Targets {
  localShare?: MilliPercent;
  lm3?: number;
  localStaffShare?: MilliPercent;
  locatedShare?: MilliPercent;
}

/** Options from the command line, already typed; undefined means "not given". */
export interface FlagSettings {
  organisation?: string;
  coverageThreshold?: number;
  spend?: string[];
  payroll?: string;
  suppliers?: string;
  supplierSurvey?: string;
  staffSurvey?: string;
  income?: number;
  area?: string;
  tier?: string[];
  period?: string;
  spendColumn?: Record<string, string>;
  payrollColumn?: Record<string, string>;
  sheet?: string;
  out?: string;
  statement?: string;
  /** `--scenario`: a scenario of the project file by name, or the compact form (`shift:10%:category=Cleaning`). */
  scenario?: string[];
}

/** A project file may hold anything: its problems are listed up to a screenful. */
const SETTING_PROBLEMS_SHOWN = 10;
const SETTING_PROBLEM_MAX = 200;

export async function loadProjectFile(path: string): Promise<ProjectFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the project file ${path}.`, { file: path, code: 'PROJECT_UNREADABLE', hint: 'Check the path, or run without a project file and give --spend and --area.' });
  }
  const body = text.replace(/^\ufeff/, '');
  // A CSV, a web page or a binary file given as the project file: say so, quoting none of it.
  if (!body.trimStart().startsWith('{')) {
    throw new UsageError(`${path} is not a project file: a project file is one JSON object, starting with "{".`, {
      file: path,
      code: 'PROJECT_NOT_JSON',
      hint: 'Run `local-impact schema` to see its settings. To analyse a spend file without one, give it with --spend.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    // The parser quotes a few characters around the fault; shown safely, as the file may hold anything.
    throw new UsageError(`The project file ${path} is not valid JSON: ${shownText((error as Error).message)}.`, { file: path, code: 'PROJECT_NOT_JSON' });
  }
  const parsed = projectSchema.safeParse(json);
  if (!parsed.success) {
    // Setting names come from the file: shown safely, and no more than a screenful of them.
    const problems = parsed.error.issues.slice(0, SETTING_PROBLEMS_SHOWN).map((issue) => {
      const line = `  ${shownText(issue.path.join('.')) || '(top level)'}: ${shownText(issue.message)}`;
      return line.length > SETTING_PROBLEM_MAX ? `${line.slice(0, SETTING_PROBLEM_MAX)}…` : line;
    });
    const more = parsed.error.issues.length - problems.length;
    if (more > 0) problems.push(`  and ${more} more`);
    throw new UsageError(`The project file ${path} has settings this tool cannot use:\n${problems.join('\n')}`, {
      file: path,
      code: 'PROJECT_INVALID',
      hint: 'Run `local-impact schema` to see every setting with its description.',
    });
  }
  return parsed.data;
}

function percentSetting(value: number | undefined, name: string): MilliPercent | undefined {
  if (value === undefined) return undefined;
  const parsed = parsePercent(String(value));
  if (parsed === null) throw new UsageError(`${name} must be a percentage from 0 to 100 with at most 3 decimals; got ${value}.`);
  return parsed;
}

/** The folder a project's paths are relative to: the project file's, or the working folder without one. */
export function inputsFolder(projectPath: string | undefined): string {
  return projectPath ? dirname(resolve(projectPath)) : process.cwd();
}

/** The project-file settings that name a file the tool writes, each with the flag that names it instead. */
const PROJECT_OUTPUTS = { out: '--out', statement: '--statement' } as const;

/**
 * Where an output the project file names is written, from the project's folder. A project file may come from
 * someone else: its inputs may be read from anywhere, but it writes only inside its own folder, judged after
 * `..` and the symlinks of the folders that exist. An output elsewhere must be given on the command line.
 */
function projectOutput(base: string, setting: keyof typeof PROJECT_OUTPUTS, path: string, projectPath: string | undefined): string {
  const target = resolve(base, path);
  const written = join(realExisting(dirname(target)), basename(target));
  const from = relative(realExisting(base), written);
  if (from === '..' || from.startsWith(`..${sep}`) || isAbsolute(from)) {
    const flag = PROJECT_OUTPUTS[setting];
    throw new UsageError(`The project file${projectPath === undefined ? '' : ` ${projectPath}`} names "${setting}": "${path}", outside its own folder (it would write ${written}).`, {
      code: 'OUTPUT_OUTSIDE_PROJECT',
      file: projectPath,
      hint: `A project file writes only inside its folder. Give the path on the command line with ${flag} instead, or name a file inside the project's folder.`,
    });
  }
  return target;
}

/** The real path of `path`: its nearest existing folder with symlinks resolved, then the parts not yet made. */
function realExisting(path: string): string {
  const parent = dirname(path);
  if (existsSync(path) || parent === path) return realpathSync(path);
  return join(realExisting(parent), basename(path));
}

/** Project-file paths are relative to the project file; flag paths to the working directory. */
export function resolveSettings(project: ProjectFile | undefined, projectPath: string | undefined, flags: FlagSettings): Settings {
  const base = inputsFolder(projectPath);
  const fromProject = (path: string | undefined) => (path === undefined ? undefined : resolve(base, path));
  const p = project ?? projectSchema.parse({});
  const projectSpend = p.inputs.spend === undefined ? [] : Array.isArray(p.inputs.spend) ? p.inputs.spend : [p.inputs.spend];
  const periodText = flags.period ?? p.period;
  let period: Period | undefined;
  if (periodText !== undefined) {
    period = parsePeriod(periodText) ?? undefined;
    if (!period) throw new UsageError(`"${periodText}" is not a period.`, { hint: 'Use a financial year (2024-25), a calendar year (2024) or from..to (2024-04-01..2025-03-31).' });
  }
  const income = flags.income ?? p.income;
  checkExcludeRules(p.exclude ?? []);
  if (income !== undefined && (!Number.isFinite(income) || income <= 0)) throw new UsageError(`--income must be a positive number of pounds; got ${income}.`);
  const answerProblems = mergeAnswers(undefined, p.selfAssessment ?? {}).problems;
  if (answerProblems.length > 0) {
    throw new UsageError(
      `The project file's selfAssessment has answers this tool cannot use:\n${answerProblems.slice(0, SETTING_PROBLEMS_SHOWN).map((a) => `  ${shownText(a.question)}: ${shownText(a.value)} is not ${a.expected}`).join('\n')}`,
      { file: projectPath, code: 'FRAMEWORK_ANSWER_INVALID', hint: 'Run `local-impact framework questions` for each question, its id and the answer it takes.' },
    );
  }
  const tiers = flags.tier && flags.tier.length > 0 ? flags.tier : (p.tiers ?? []).map((t) => (typeof t === 'string' ? t : `${t.label}=${t.area}`));
  // An empty label or area ("=Bolton", "GM=") is refused here, before anything is read.
  for (const tier of tiers) parseTier(tier);
  return {
    projectFile: projectPath,
    organisation: flags.organisation ?? p.organisation ?? 'Your organisation',
    period,
    income: income === undefined ? undefined : poundsToPence(income),
    area: flags.area ?? p.area,
    tiers,
    spend: flags.spend && flags.spend.length > 0 ? flags.spend : projectSpend.map((path) => resolve(base, path)),
    payroll: flags.payroll ?? fromProject(p.inputs.payroll),
    suppliers: flags.suppliers ?? fromProject(p.inputs.suppliers),
    supplierSurvey: flags.supplierSurvey ?? fromProject(p.inputs.supplierSurvey),
    staffSurvey: flags.staffSurvey ?? fromProject(p.inputs.staffSurvey),
    spendColumns: { ...(p.columns.spend ?? {}), ...(flags.spendColumn ?? {}) },
    payrollColumns: { ...(p.columns.payroll ?? {}), ...(flags.payrollColumn ?? {}) },
    wages: p.conventions.wages,
    supplierAveraging: p.conventions.supplierAveraging,
    vatBasis: p.conventions.vatBasis,
    coverageThreshold: percentSetting(flags.coverageThreshold ?? p.conventions.coverageThreshold, flags.coverageThreshold === undefined ? 'conventions.coverageThreshold' : '--coverage-threshold')!,
    sheet: flags.sheet ?? p.inputs.sheet,
    exclude: p.exclude ?? [],
    maxFieldBytes: p.limits.maxFieldBytes,
    assumptions: {
      supplierPercent: percentSetting(p.assumptions.supplierLocalRespendPercent, 'assumptions.supplierLocalRespendPercent'),
      staffPercent: percentSetting(p.assumptions.staffLocalSpendPercent, 'assumptions.staffLocalSpendPercent'),
      source: p.assumptions.source,
    },
    livingWageRate: p.livingWage ? poundsToPence(p.livingWage.hourlyRate) : undefined,
    selfAssessment: p.selfAssessment ?? {},
    tenants: fromProject(p.inputs.tenants),
    gvaPerJob: fromProject(p.inputs.gvaPerJob),
    frameworkForm: fromProject(p.inputs.framework),
    gvaRegion: p.framework?.region,
    workplacePostcode: p.framework?.workplacePostcode,
    scenarios: chooseScenarios(p, flags.scenario ?? []),
    disclosureConsent: p.disclosure?.reason,
    targets: dropUndefined({
      localShare: percentSetting(p.targets?.localSharePercent, 'targets.localSharePercent'),
      lm3: p.targets?.lm3,
      localStaffShare: percentSetting(p.targets?.localStaffSharePercent, 'targets.localStaffSharePercent'),
      locatedShare: percentSetting(p.targets?.locatedSharePercent, 'targets.locatedSharePercent'),
    }),
    out: flags.out ?? (p.out !== undefined ? projectOutput(base, 'out', p.out, projectPath) : DEFAULT_OUT),
    statement: flags.statement ?? (p.statement !== undefined ? projectOutput(base, 'statement', p.statement, projectPath) : undefined),
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The project file's scenarios as the measures take them. */
function projectScenarios(p: ProjectFile): Scenario[] {
  const names = new Set<string>();
  return (p.scenarios ?? []).map((s) => {
    if (names.has(s.name)) throw new UsageError(`The project file has two scenarios named "${s.name}".`, { code: 'SCENARIO_REPEATED', hint: 'Give each scenario its own name.' });
    names.add(s.name);
    const percent = (value: number | undefined, key: string) => percentSetting(value, `scenarios "${s.name}" ${key}`);
    if (s.kind === 'shift') {
      if (s.category !== undefined && s.suppliers !== undefined) throw new UsageError(`Scenario "${s.name}" names a category and suppliers: give one of them.`, { code: 'SCENARIO_INVALID' });
      return { kind: 'shift', name: s.name, share: percent(s.share, 'share')!, category: s.category, suppliers: s.suppliers, respend: percent(s.respendPercent, 'respendPercent') };
    }
    if (s.kind === 'recruit') return { kind: 'recruit', name: s.name, posts: s.posts };
    if (s.supplierLocalRespendPercent === undefined && s.staffLocalSpendPercent === undefined) {
      throw new UsageError(`Scenario "${s.name}" changes no assumption.`, { code: 'SCENARIO_INVALID', hint: 'Give supplierLocalRespendPercent or staffLocalSpendPercent.' });
    }
    return { kind: 'survey', name: s.name, supplierRespend: percent(s.supplierLocalRespendPercent, 'supplierLocalRespendPercent'), staffSpend: percent(s.staffLocalSpendPercent, 'staffLocalSpendPercent') };
  });
}

/** Every scenario of the project file, or only those `--scenario` names: by name, else in the compact form. */
function chooseScenarios(p: ProjectFile, asked: readonly string[]): Scenario[] {
  const defined = projectScenarios(p);
  if (asked.length === 0) return defined;
  return asked.map((spec) => {
    const named = defined.find((s) => s.name === spec);
    if (named) return named;
    const parsed = parseScenarioSpec(spec, parsePercent);
    if (typeof parsed !== 'string') return parsed;
    const names = defined.map((s) => `"${s.name}"`).join(', ');
    throw new UsageError(`--scenario "${spec}": no scenario of that name${names ? ` (the project file has ${names})` : ''}, and not the compact form: ${parsed}.`, {
      code: 'SCENARIO_UNKNOWN',
      hint: `The compact forms: ${SCENARIO_GRAMMAR.join('; ')}.`,
    });
  });
}
