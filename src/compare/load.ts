import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyse } from '../analyse.js';
import { loadProjectFile, resolveSettings } from '../config/settings.js';
import { InputError, UsageError } from '../errors.js';
import { shownText } from '../ingest/columns.js';
import { refuseUnreportable } from '../pipeline/headlines.js';
import { summaryJson } from '../report/json.js';
import { withInputsNamed } from '../report/paths.js';
import { SCHEMA_VERSION, type SummaryRecord, summaryRecord } from '../report/record.js';

/**
 * One year for `compare` (and `run --previous`): a summary record (`run --json`), one organisation of a batch
 * (`{ "organisations": [ … ] }`, picked by name), or a project file, which is run here.
 */
export async function readYear(path: string, options: { organisation?: string } = {}): Promise<SummaryRecord> {
  const json = await readJson(path, 'Give a summary written by `run --json` (not the terminal summary), a batch.json, or a project file.');
  // A batch.json first: it has a schemaVersion of its own (the batch's), beside its organisations' summaries.
  if (json !== null && typeof json === 'object' && Array.isArray((json as { organisations?: unknown }).organisations)) {
    return fromBatch((json as { organisations: unknown[] }).organisations, path, options.organisation);
  }
  if (json !== null && typeof json === 'object' && 'schemaVersion' in json) return record(json, path);
  // Anything else is taken for a project file, which says what is wrong with it if it is not one.
  const settings = resolveSettings(await loadProjectFile(path), path, {});
  const analysis = withInputsNamed(await analyse(settings));
  refuseUnreportable(analysis.findings);
  return summaryJson(analysis, null);
}

/** The file as JSON, or a coded InputError naming it. */
async function readJson(path: string, hint: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`Cannot read ${path}: it does not exist or is not readable.`, { file: path, code: 'YEAR_UNREADABLE', hint });
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new InputError(`${path} is not JSON: ${shownText((error as Error).message)}.`, { file: path, code: 'YEAR_NOT_JSON', hint });
  }
}

/** One organisation of an earlier batch.json, as `batch --previous` reads it. */
export interface EarlierOrganisation {
  organisation: string;
  /** Its summary; null when it failed in that batch, or its summary cannot be compared (`problem`). */
  record: SummaryRecord | null;
  failed: boolean;
  problem: { code: string; message: string } | null;
}

/**
 * An earlier batch.json (`batch --previous`): each organisation's summary, read as `compare --organisation`
 * reads one. A file that is not a batch.json stops the batch before anything is measured; one organisation
 * whose summary cannot be compared (an older schema version, an edited file) is said on its own line.
 */
export async function readEarlierBatch(path: string): Promise<{ generatedAt: string | null; organisations: EarlierOrganisation[] }> {
  const hint = 'Give the batch.json an earlier `local-impact batch` wrote into its --out folder.';
  const json = await readJson(path, hint);
  const organisations = json !== null && typeof json === 'object' ? (json as { organisations?: unknown }).organisations : undefined;
  if (!Array.isArray(organisations)) throw new InputError(`${path} is not a batch.json: it has no "organisations" list.`, { file: path, code: 'PREVIOUS_NOT_A_BATCH', hint });
  const generatedAt = (json as { generatedAt?: unknown }).generatedAt;
  return {
    generatedAt: typeof generatedAt === 'string' ? generatedAt : null,
    organisations: organisations.map((entry, index): EarlierOrganisation => {
      const object = entry !== null && typeof entry === 'object' ? (entry as { organisation?: unknown; batch?: { status?: unknown } }) : {};
      const organisation = typeof object.organisation === 'string' ? object.organisation : '';
      if (object.batch?.status === 'failed') return { organisation, record: null, failed: true, problem: null };
      try {
        return { organisation, record: batchEntry(entry, path, ` (organisation ${index + 1}, "${shownText(organisation)}")`), failed: false, problem: null };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return { organisation, record: null, failed: false, problem: { code: error.code ?? 'YEAR_NOT_A_RECORD', message: error.message } };
      }
    }),
  };
}

function record(json: object, path: string, where = ''): SummaryRecord {
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw new InputError(`${path}${where} is a summary of schemaVersion ${shownText(String(version))}; compare reads version ${SCHEMA_VERSION}, which lists the suppliers and settings a comparison needs.`, {
      file: path,
      code: 'YEAR_SCHEMA_VERSION',
      hint: typeof version === 'number' && version < SCHEMA_VERSION ? "Give that year's project file instead (compare runs it), or run it again with this version and --json." : 'Use the version of local-impact that wrote it, or a newer one.',
    });
  }
  const parsed = summaryRecord.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new InputError(`${path}${where} is not a summary record as run --json writes it: ${shownText(first.path.join('.') || '(top level)')}: ${shownText(first.message)}${parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : ''}.`, {
      file: path,
      code: 'YEAR_NOT_A_RECORD',
      hint: 'Give the file `run --json` wrote, unedited; `local-impact schema --json-summary` prints its schema.',
    });
  }
  return parsed.data;
}

function fromBatch(organisations: unknown[], path: string, wanted: string | undefined): SummaryRecord {
  const named = organisations.map((entry) => (entry !== null && typeof entry === 'object' ? String((entry as { organisation?: unknown }).organisation ?? '') : ''));
  const list = named.map((name) => `"${shownText(name)}"`).join(', ');
  if (wanted === undefined) {
    if (organisations.length === 1) return batchEntry(organisations[0], path, ' (its one organisation)');
    throw new UsageError(`${basename(path)} is a batch of ${organisations.length} organisations: say which to compare.`, { code: 'YEAR_BATCH_PICK', hint: `Add --organisation NAME; it holds ${list}.` });
  }
  const key = wanted.trim().toLowerCase();
  const at = named.findIndex((name) => name.trim().toLowerCase() === key);
  if (at < 0) throw new InputError(`${basename(path)} has no organisation "${shownText(wanted)}".`, { file: path, code: 'YEAR_BATCH_MISSING', hint: `It holds ${list}.` });
  return batchEntry(organisations[at], path, ` (organisation "${shownText(named[at]!)}")`);
}

/** One organisation of a batch.json as the summary it holds: without what the batch did with it (`batch`). */
function batchEntry(entry: unknown, path: string, where: string): SummaryRecord {
  const { batch, ...summary } = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, unknown> & { batch?: { status?: unknown } };
  if (batch?.status === 'failed') {
    throw new InputError(`${path}${where} failed in that batch: it has no figures to compare.`, { file: path, code: 'YEAR_BATCH_FAILED', hint: "Give that year's project file instead (compare runs it), or the summary of a run that succeeded." });
  }
  return record(summary, path, where);
}
