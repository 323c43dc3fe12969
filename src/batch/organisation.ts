import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type InputOptions, settingsFrom } from '../cli/inputs.js';
import type { Settings } from '../config/settings.js';
import { sha256 } from '../csv/delimited.js';
import { InputError, UsageError, UserError } from '../errors.js';
import { areaNeedsDirectory } from '../geo/resolve.js';
import { reportOrganisation, requireSpend } from '../pipeline/report-organisation.js';
import type { SummaryJson } from '../report/json.js';
import type { ManifestOrganisation } from './manifest.js';

/** What the pool hands a worker: one organisation, and everything it needs to decide alone (structured-clonable). */
export interface OrganisationTask {
  entry: ManifestOrganisation;
  slug: string;
  /** The manifest's folder: the entry's paths are relative to it. */
  manifestFolder: string;
  /** The real path of the folder every input must lie in (the manifest's, or --inputs-root). */
  inputsRoot: string;
  /** The shared supplier register (absolute), when the entry names none: the manifest's, or --suppliers. */
  sharedSuppliers: string | undefined;
  /** Whether it came from the manifest (held to the inputs root) rather than the command line (the user's own choice, as --out is). */
  sharedSuppliersFromManifest: boolean;
  outFolder: string;
  strict: boolean;
  allow: string[];
  force: boolean;
  toolVersion: string;
  /** SHA-256 of the imported postcode directory and deprivation tables, when imported. */
  referenceSha256: string | undefined;
  /** The fingerprint of this organisation's last successful run, when its outputs are still there. */
  previousFingerprint: string | undefined;
}

export interface OrganisationFailure {
  code: string;
  message: string;
  hint: string | undefined;
  exitCode: number;
}

export type OrganisationResult =
  | { status: 'done'; fingerprint: string | undefined; summary: SummaryJson; workbook: string; statement: string; rowsRead: number; spendFiles: string[]; seconds: number }
  | { status: 'unchanged'; fingerprint: string }
  | { status: 'failed'; error: OrganisationFailure; seconds: number };

/** What a spend folder holds that is read: the usual exports. README files, notes and PDFs beside them are not. */
export const SPEND_EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.xlsx']);

/**
 * One organisation of a batch, exactly as `run` would do it (the same settings resolution, the same
 * reportOrganisation), with the batch's rules around it: every path inside the inputs root, outputs under the
 * slug, and nothing done when its fingerprint matches the last run's. Never throws: a failure is its result,
 * so one organisation's bad file cannot stop the others.
 */
export async function batchOrganisation(task: OrganisationTask): Promise<OrganisationResult> {
  const started = performance.now();
  try {
    const settings = await organisationSettings(task);
    requireSpend(settings);
    const fingerprint = await fingerprintOf(settings, task);
    if (!task.force && fingerprint !== undefined && fingerprint === task.previousFingerprint) return { status: 'unchanged', fingerprint };
    const { analysis, summary } = await reportOrganisation(settings, {
      outPath: settings.out,
      statementPath: settings.statement!,
      strict: task.strict,
      allow: task.allow,
      // The pool keeps every core busy with organisations: no file is split between two threads as well.
      onePass: true,
    });
    return {
      status: 'done',
      fingerprint,
      summary,
      workbook: settings.out,
      statement: settings.statement!,
      rowsRead: analysis.ledger?.rowsRead ?? 0,
      spendFiles: settings.spend,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    return { status: 'failed', error: failureOf(error), seconds: (performance.now() - started) / 1000 };
  }
}

/** The same coded message `run` would give; anything else is a bug, said as one. */
export function failureOf(error: unknown): OrganisationFailure {
  if (error instanceof UserError) {
    return {
      code: error.code ?? (error instanceof InputError ? 'INPUT_UNUSABLE' : 'SETTINGS_INVALID'),
      message: error.message,
      hint: error.options.hint,
      exitCode: error.exitCode,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'BUG', message: `unexpected error: ${message}`, hint: 'This is a bug. Run `local-impact run` on this organisation with --debug for details, and report it with them.', exitCode: 70 };
}

/** The entry's settings over its project file's, as `run` resolves flags over a project file; its outputs under its slug. */
async function organisationSettings(task: OrganisationTask): Promise<Settings> {
  const { entry } = task;
  const at = (path: string | undefined, what: string): string | undefined => (path === undefined ? undefined : confined(task, resolve(task.manifestFolder, path), what, path));
  const project = at(entry.project, 'project');
  const spendPaths = typeof entry.spend === 'string' ? [entry.spend] : (entry.spend ?? []);
  const spend: string[] = [];
  for (const path of spendPaths) spend.push(...(await spendFiles(task, at(path, 'spend')!)));
  const raw: InputOptions & { out: string; statement: string } = {
    spend,
    payroll: at(entry.payroll, 'payroll'),
    suppliers: at(entry.suppliers, 'suppliers') ?? (task.sharedSuppliers && task.sharedSuppliersFromManifest ? confined(task, task.sharedSuppliers, 'the shared suppliers register') : task.sharedSuppliers),
    supplierSurvey: at(entry.supplierSurvey, 'supplierSurvey'),
    staffSurvey: at(entry.staffSurvey, 'staffSurvey'),
    organisation: entry.organisation,
    income: entry.income === undefined ? undefined : String(entry.income),
    area: entry.area,
    tier: entry.tiers ?? [],
    period: entry.period,
    coverageThreshold: entry.coverageThreshold === undefined ? undefined : String(entry.coverageThreshold),
    out: join(task.outFolder, `${task.slug}.xlsx`),
    statement: join(task.outFolder, `${task.slug}.html`),
  };
  const settings = await settingsFrom(project, raw);
  // A project file's own inputs are held to the same folder as the manifest's (a register given with --suppliers is not the manifest's).
  for (const [what, path] of inputPaths(settings)) if (!(path === task.sharedSuppliers && !task.sharedSuppliersFromManifest)) confined(task, path, what);
  refuseOverwritingInputs(settings, task.slug, project);
  return settings;
}

/** Every input file the settings name, with the setting that names it. */
function inputPaths(settings: Settings): [string, string][] {
  const named: [string, string | undefined][] = [
    ...settings.spend.map((path): [string, string] => ['spend', path]),
    ['payroll', settings.payroll],
    ['suppliers', settings.suppliers],
    ['supplierSurvey', settings.supplierSurvey],
    ['staffSurvey', settings.staffSurvey],
    ['tenants', settings.tenants],
    ['gvaPerJob', settings.gvaPerJob],
    ['framework', settings.frameworkForm],
  ];
  return named.filter((pair): pair is [string, string] => pair[1] !== undefined);
}

/** Each organisation's whole summary, beside its workbook: `<slug>.json` ("batch" is a reserved slug). */
export function summaryPath(outFolder: string, slug: string): string {
  return join(outFolder, `${slug}.json`);
}

/** An organisation's reports are written under its slug: never over one of the files it reads (an --out folder that holds the inputs, a slug that is an input's name). */
function refuseOverwritingInputs(settings: Settings, slug: string, project: string | undefined): void {
  const inputs = new Map(inputPaths(settings).map(([what, path]) => [realExisting(onDisk(path)), what]));
  if (project !== undefined) inputs.set(realExisting(project), 'project');
  for (const output of [settings.out, settings.statement!, summaryPath(dirname(settings.out), slug)]) {
    const what = inputs.get(realExisting(output));
    if (what !== undefined) {
      throw new UsageError(`Its report ${output} would overwrite its own ${what} file.`, {
        code: 'OUTPUT_IS_INPUT',
        file: output,
        hint: 'Give --out a folder that holds no inputs (e.g. a new "reports" folder), or rename the input file.',
      });
    }
  }
}

/** A file's SHA-256, or a folder's (survey returns): its files' names and contents, in name order, not hidden ones. */
async function contentSha256(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return sha256(path);
  const hash = createHash('sha256');
  for (const name of (await readdir(path)).sort()) {
    if (name.startsWith('.') || !statSync(join(path, name)).isFile()) continue;
    hash.update(`\0${name}\0${await sha256(join(path, name))}`);
  }
  return hash.digest('hex');
}

/** `payments.xlsx#March` names a file and a sheet: the file is what is on disk. */
function onDisk(path: string): string {
  return existsSync(path) ? path : path.replace(/#[^#/\\]*$/, '');
}

/**
 * `path`, when it lies inside the inputs root once `..` and symlinks are followed (a file that does not exist is
 * judged by its nearest existing folder, and then fails to be read as `run` would say); else a coded error.
 */
export function confined(task: Pick<OrganisationTask, 'inputsRoot'>, path: string, what: string, written = path): string {
  const real = realExisting(onDisk(path));
  const from = relative(task.inputsRoot, real);
  if (from === '..' || from.startsWith(`..${sep}`) || isAbsolute(from)) {
    throw new UsageError(`${what} "${written}" is outside the folder this manifest may read (${task.inputsRoot}).`, {
      code: 'PATH_OUTSIDE_INPUTS',
      file: path,
      hint: 'A manifest reads only inside its own folder: move the file there, or give --inputs-root DIR to allow a folder that holds it.',
    });
  }
  return path;
}

function realExisting(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realExisting(parent), basename(path));
}

/** A spend file as given, or a folder's spend files in name order (not hidden, not subfolders, not the batch's output folder). */
async function spendFiles(task: OrganisationTask, path: string): Promise<string[]> {
  if (!existsSync(path) || !statSync(path).isDirectory()) return [path];
  const outFolder = realExisting(task.outFolder);
  const names = (await readdir(path)).sort();
  const files = names
    .filter((name) => !name.startsWith('.') && SPEND_EXTENSIONS.has(extname(name).toLowerCase()))
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile() && dirname(realExisting(file)) !== outFolder)
    .map((file) => confined(task, file, 'spend'));
  if (files.length === 0) {
    throw new InputError(`The spend folder ${path} holds no spend file (${[...SPEND_EXTENSIONS].join(', ')}; hidden files and subfolders are not read).`, {
      code: 'SPEND_FOLDER_EMPTY',
      file: path,
      hint: 'Put the payment exports in the folder, or name the files themselves in the manifest.',
    });
  }
  return files;
}

/**
 * What the organisation's reports depend on, as one SHA-256: the tool's version, every setting, each input
 * file's content, the batch's --strict rule, and the postcode directory and deprivation tables when the area
 * needs them. Undefined when an input cannot be read: the run then says why, as `run` would.
 */
async function fingerprintOf(settings: Settings, task: OrganisationTask): Promise<string | undefined> {
  const needsReference = [settings.area, ...settings.tiers].some((spec) => spec !== undefined && areaNeedsDirectory(spec));
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ tool: task.toolVersion, settings, strict: task.strict, allow: task.allow, reference: needsReference ? (task.referenceSha256 ?? null) : null }));
  try {
    for (const [, path] of inputPaths(settings)) hash.update(`\0${path}\0${await contentSha256(onDisk(path))}`);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
