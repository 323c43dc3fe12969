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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`Cannot read ${path}: it does not exist or is not readable.`, { file: path, code: 'YEAR_UNREADABLE', hint: 'Give a summary written by `run --json`, a batch.json, or a project file.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new InputError(`${path} is not JSON: ${shownText((error as Error).message)}.`, {
      file: path,
      code: 'YEAR_NOT_JSON',
      hint: 'Give a summary written by `run --json` (not the terminal summary), a batch.json, or a project file.',
    });
  }
  if (json !== null && typeof json === 'object' && 'schemaVersion' in json) return record(json, path);
  if (json !== null && typeof json === 'object' && Array.isArray((json as { organisations?: unknown }).organisations)) {
    return fromBatch((json as { organisations: unknown[] }).organisations, path, options.organisation);
  }
  // Anything else is taken for a project file, which says what is wrong with it if it is not one.
  const settings = resolveSettings(await loadProjectFile(path), path, {});
  const analysis = withInputsNamed(await analyse(settings));
  refuseUnreportable(analysis.findings);
  return summaryJson(analysis, null);
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
    if (organisations.length === 1) return record(organisations[0] as object, path, ' (its one organisation)');
    throw new UsageError(`${basename(path)} is a batch of ${organisations.length} organisations: say which to compare.`, { code: 'YEAR_BATCH_PICK', hint: `Add --organisation NAME; it holds ${list}.` });
  }
  const key = wanted.trim().toLowerCase();
  const at = named.findIndex((name) => name.trim().toLowerCase() === key);
  if (at < 0) throw new InputError(`${basename(path)} has no organisation "${shownText(wanted)}".`, { file: path, code: 'YEAR_BATCH_MISSING', hint: `It holds ${list}.` });
  return record(organisations[at] as object, path, ` (organisation "${shownText(named[at]!)}")`);
}
