import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { hashRange } from '../csv/delimited.js';
import { UsageError } from '../errors.js';
import { DIRECTORY_BIN, DIRECTORY_META, dataHome, directoryPath } from '../geo/directory.js';
import { IMD_FILE } from '../geo/imd.js';
import { outputName } from '../report/paths.js';
import type { SummaryJson } from '../report/json.js';
import { TOOL } from '../version.js';
import { writeAllWhole, writeWhole } from '../write-whole.js';
import { combinedWorkbook } from '../report/batch-workbook/index.js';
import { type Manifest, readManifest } from './manifest.js';
import { failureOf, type OrganisationFailure, type OrganisationResult, type OrganisationTask, summaryPath } from './organisation.js';
import { openPool } from './pool.js';
import { readEarlierBatch } from '../compare/load.js';
import { type YearOnYear, yearOnYear } from './year-on-year.js';

export interface BatchOptions {
  /** The output folder: each organisation's workbook and statement, the combined workbook and batch.json. */
  out: string;
  /** The folder inputs may be read from (default: the manifest's). */
  inputsRoot?: string;
  /** A supplier register shared by every organisation, over the manifest's own. */
  suppliers?: string;
  jobs: number;
  strict: boolean;
  allow: string[];
  force: boolean;
  /** An earlier batch.json to compare with (`--previous`): then / now / change for every organisation in both. */
  previous?: string;
  /** Called as each organisation finishes (progress). */
  onResult?: (record: BatchRecord, done: number, total: number) => void;
  /** The version the fingerprints are taken with (tests: a new release re-runs everything). */
  toolVersion?: string;
  now?: () => Date;
}

/** One organisation's line of batch.json. */
export interface BatchRecord {
  organisation: string;
  slug: string;
  /** `done` this run; `unchanged` since the last (its summary is the last run's); `failed`, with why. */
  status: 'done' | 'unchanged' | 'failed';
  /** SHA-256 of everything its reports depend on (null when an input could not be read). */
  fingerprint: string | null;
  /** Its workbook and statement, relative to the working folder (null when it failed). */
  workbook: string | null;
  statement: string | null;
  /** Rows read from its spend files this run (0 when unchanged or failed). */
  rowsRead: number;
  seconds: number;
  /** Its summary JSON, exactly as `run --json` prints it. */
  summary: SummaryJson | null;
  error: OrganisationFailure | null;
}

/** A batch as it ran: every organisation's record, in the manifest's order. */
export interface BatchRun {
  schemaVersion: 1;
  tool: { name: string; version: string };
  manifest: string;
  generatedAt: string;
  counts: { organisations: number; done: number; unchanged: number; failed: number };
  combinedWorkbook: string;
  organisations: BatchRecord[];
  /** Against the earlier batch given with `--previous`; null without it. */
  yearOnYear: YearOnYear | null;
}

/**
 * batch.json: the run's description, and each organisation as its summary JSON exactly as `run --json` prints it
 * (so `compare --organisation NAME` reads one back), with what the batch did with it under `batch`. A failed
 * organisation has only its name and `batch`.
 */
export interface BatchFile extends Omit<BatchRun, 'organisations'> {
  organisations: BatchEntry[];
}

export type BatchEntry = (SummaryJson | { organisation: string }) & { batch: Omit<BatchRecord, 'organisation' | 'summary'> };

/** batch.json's organisations as records again. */
export function recordsOf(file: BatchFile): BatchRecord[] {
  return file.organisations.map(({ batch, ...summary }) => ({ organisation: summary.organisation, ...batch, summary: batch.status === 'failed' ? null : (summary as SummaryJson) }));
}

export const BATCH_JSON = 'batch.json';
export const COMBINED_WORKBOOK = 'batch.xlsx';
/** Slugs the batch's own files take. */
const RESERVED = new Set(['batch']);

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** A file name from an organisation's name: lower case letters, digits and dashes; unique within the batch. */
export function slugs(names: readonly string[]): string[] {
  const taken = new Set<string>(RESERVED);
  return names.map((name) => {
    const base =
      name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/&/g, ' and ')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '') || 'organisation';
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  });
}

/**
 * `local-impact batch`: every organisation of the manifest through the same per-organisation work as `run`,
 * `jobs` at a time, each isolated (a failure is its own line), then the combined workbook and batch.json,
 * written together. Returns what batch.json holds.
 */
export async function runBatch(manifestPath: string, options: BatchOptions): Promise<BatchRun> {
  const manifest = await readManifest(manifestPath);
  // Read first: an earlier batch.json that cannot be used stops the batch before anything is measured.
  const earlier = options.previous === undefined ? undefined : await readEarlierBatch(resolve(options.previous));
  const inputsRoot = realFolder(options.inputsRoot ?? manifest.folder, '--inputs-root');
  const outFolder = resolve(options.out);
  if (existsSync(outFolder) && !statSync(outFolder).isDirectory()) {
    throw new UsageError(`--out ${options.out} is a file: the batch writes a folder of reports.`, { code: 'OUT_NOT_FOLDER', hint: 'Give --out a folder (it is made if it does not exist).' });
  }
  await mkdir(outFolder, { recursive: true });
  const previous = await previousRun(outFolder);
  const names = slugs(manifest.entries.map((entry) => entry.organisation));
  const referenceSha256 = await referenceData();
  const sharedSuppliers = options.suppliers === undefined ? manifest.suppliers : resolve(options.suppliers);
  const toolVersion = options.toolVersion ?? TOOL.version;
  const jobs = Math.max(1, Math.min(options.jobs, manifest.entries.length));

  const pool = await openPool(jobs);
  const records: BatchRecord[] = new Array(manifest.entries.length);
  let finished = 0;
  const settle = (index: number, record: BatchRecord) => {
    records[index] = record;
    options.onResult?.(record, ++finished, manifest.entries.length);
  };
  try {
    await Promise.all(
      manifest.entries.map(async (item, index) => {
        const slug = names[index]!;
        const base = { organisation: item.organisation, slug };
        if (item.problem !== undefined) {
          settle(index, failedRecord(base, { code: 'MANIFEST_ROW_INVALID', message: `${basename(manifest.path)} ${item.problem}`, hint: 'Fix the entry; `local-impact schema --manifest` lists the settings.', exitCode: 2 }, 0));
          return;
        }
        const last = previous.get(slug);
        const task: OrganisationTask = {
          entry: item.entry,
          slug,
          manifestFolder: manifest.folder,
          inputsRoot,
          sharedSuppliers,
          sharedSuppliersFromManifest: options.suppliers === undefined,
          outFolder,
          strict: options.strict,
          allow: options.allow,
          force: options.force,
          toolVersion,
          referenceSha256,
          previousFingerprint: last && reusable(last) ? (last.fingerprint ?? undefined) : undefined,
        };
        // A worker thread that dies (out of memory, a native crash) fails its organisation, not the batch.
        const result = await pool.run(task).catch((error: unknown): OrganisationResult => ({ status: 'failed', error: { ...failureOf(error), code: 'WORKER_FAILED' }, seconds: 0 }));
        // Its whole summary goes to <slug>.json now, and batch.json is made from those files at the end: held
        // here, 300 councils' supplier lists came to gigabytes. Kept whole only to compare with --previous.
        if (result.status === 'done') {
          await writeWhole(summaryPath(outFolder, slug), `${JSON.stringify(result.summary, null, 2)}\n`);
          if (options.previous === undefined) result.summary = slim(result.summary);
        }
        settle(index, recordOf(base, result, last));
      }),
    );
  } finally {
    await pool.close();
  }
  // Compared with --previous, an unchanged organisation's supplier list counts too: read back whole.
  if (options.previous !== undefined) {
    for (const record of records) if (record.status === 'unchanged') record.summary = JSON.parse(await readFile(summaryPath(outFolder, record.slug), 'utf8')) as SummaryJson;
  }

  const batch: BatchRun = {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: toolVersion },
    manifest: outputName(manifest.path),
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    counts: {
      organisations: records.length,
      done: records.filter((r) => r.status === 'done').length,
      unchanged: records.filter((r) => r.status === 'unchanged').length,
      failed: records.filter((r) => r.status === 'failed').length,
    },
    combinedWorkbook: outputName(join(outFolder, COMBINED_WORKBOOK)),
    organisations: records,
    yearOnYear:
      earlier === undefined
        ? null
        : yearOnYear(
            records.map((record, index) => ({ organisation: record.organisation, slug: record.slug, formerly: manifest.entries[index]!.entry?.formerly, summary: record.status === 'failed' ? null : record.summary })),
            earlier.organisations,
            outputName(resolve(options.previous!)),
            earlier.generatedAt,
          ),
  };
  // The combined workbook and batch.json describe the same run: both are written, or neither.
  await writeAllWhole([
    { path: join(outFolder, COMBINED_WORKBOOK), data: combinedWorkbook(batch) },
    { path: join(outFolder, BATCH_JSON), data: batchJsonText(batch, outFolder) },
  ]);
  return batch;
}

/** A summary without its supplier list, all the combined workbook needs: the list is in its <slug>.json. */
function slim(summary: SummaryJson): SummaryJson {
  return { ...summary, suppliers: [] };
}

/**
 * batch.json, one organisation at a time, each read back whole from its <slug>.json: as one string it was the
 * largest thing the batch held (about 1.3 MB an organisation of 5,000 suppliers).
 */
async function* batchJsonText(run: BatchRun, outFolder: string): AsyncIterable<string> {
  const PLACE = '\u0000organisations\u0000';
  const [before, after] = JSON.stringify({ ...run, organisations: PLACE }, null, 2).split(JSON.stringify(PLACE)) as [string, string];
  yield `${before}[`;
  for (const [i, { organisation, summary, ...batch }] of run.organisations.entries()) {
    const whole = summary === null ? { organisation } : (JSON.parse(await readFile(summaryPath(outFolder, batch.slug), 'utf8')) as SummaryJson);
    yield `${i === 0 ? '' : ','}\n    ${JSON.stringify({ ...whole, batch }, null, 2).replace(/\n/g, '\n    ')}`;
  }
  yield `${run.organisations.length === 0 ? '' : '\n  '}]${after}\n`;
}

function failedRecord(base: { organisation: string; slug: string }, error: OrganisationFailure, seconds: number): BatchRecord {
  return { ...base, status: 'failed', fingerprint: null, workbook: null, statement: null, rowsRead: 0, seconds, summary: null, error };
}

function recordOf(base: { organisation: string; slug: string }, result: OrganisationResult, last: BatchRecord | undefined): BatchRecord {
  if (result.status === 'failed') return failedRecord(base, result.error, result.seconds);
  if (result.status === 'unchanged') return { ...last!, ...base, status: 'unchanged', fingerprint: result.fingerprint, rowsRead: 0, seconds: 0, error: null };
  return {
    ...base,
    status: 'done',
    fingerprint: result.fingerprint ?? null,
    workbook: outputName(result.workbook),
    statement: outputName(result.statement),
    rowsRead: result.rowsRead,
    seconds: result.seconds,
    summary: result.summary,
    error: null,
  };
}

/** A last run's organisation may be skipped only when it succeeded and its reports are still where it wrote them. */
function reusable(record: BatchRecord): boolean {
  return record.status !== 'failed' && record.summary !== null && record.workbook !== null && record.statement !== null && existsSync(record.workbook) && existsSync(record.statement) && existsSync(summaryPath(dirname(resolve(record.workbook)), record.slug));
}

/** The last run's batch.json, by slug; nothing when there is none or it cannot be read (everything then runs). */
async function previousRun(outFolder: string): Promise<Map<string, BatchRecord>> {
  try {
    // Each organisation's supplier list is dropped as it is read: its whole summary is in <slug>.json.
    const last = JSON.parse(await readFile(join(outFolder, BATCH_JSON), 'utf8'), function (this: Record<string, unknown>, key, value) {
      return key === 'suppliers' && Array.isArray(value) && 'schemaVersion' in this && 'batch' in this ? [] : value;
    }) as BatchFile;
    if (last.schemaVersion !== 1 || !Array.isArray(last.organisations) || !last.organisations.every((entry) => typeof entry?.batch?.slug === 'string')) return new Map();
    return new Map(recordsOf(last).map((record) => [record.slug, record]));
  } catch {
    return new Map();
  }
}

function realFolder(path: string, flag: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`${flag} ${path} is not a folder.`, { code: 'INPUTS_ROOT_MISSING', hint: 'Give the folder that holds the inputs the manifest names.' });
  }
  return realpathSync(path);
}

/** One SHA-256 over the imported postcode directory and deprivation tables (undefined when none is imported). */
async function referenceData(): Promise<string | undefined> {
  const folder = directoryPath(dataHome());
  const files = [DIRECTORY_META, DIRECTORY_BIN, IMD_FILE.lsoa, IMD_FILE.council].map((name) => join(folder, name)).filter((path) => existsSync(path));
  if (files.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const path of files) {
    hash.update(`\0${basename(path)}\0`);
    await hashRange(hash, path, 0, statSync(path).size);
  }
  return hash.digest('hex');
}

export type { Manifest };
