import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { tokenizeText } from '../csv/stream.js';
import { UsageError } from '../errors.js';
import { parsePounds } from '../cli/inputs.js';
import { shownText } from '../ingest/columns.js';

/**
 * The batch manifest: one entry per organisation, naming a project file, its inputs directly, or both (a
 * setting given on the entry overrides the project file's). As a CSV, one row per organisation; as JSON, this
 * schema, which `local-impact schema --manifest` prints. Paths are relative to the manifest.
 */
const path = z.string().min(1);

export const organisationSchema = z
  .object({
    organisation: z.string().trim().min(1, 'every organisation needs a name').describe('The organisation, as the reports name it; its outputs are named by a slug of it.'),
    project: path.optional().describe("A project file holding this organisation's settings; the entry's own settings override it."),
    spend: z
      .union([path, z.array(path)])
      .optional()
      .describe('Supplier payments: a file, or a folder whose spend files (.csv, .tsv, .txt, .xlsx; not hidden files, not subfolders) are all read, e.g. a council\'s monthly exports. In a CSV manifest, ";" separates several.'),
    payroll: path.optional().describe('Payroll file.'),
    suppliers: path.optional().describe("Supplier register; overrides the manifest's shared one."),
    supplierSurvey: path.optional().describe('Supplier survey returns.'),
    staffSurvey: path.optional().describe('Staff survey returns.'),
    area: z.string().min(1).optional().describe('What local means for this organisation, as --area (e.g. "Calderdale", "HX,OL14").'),
    tiers: z.array(z.string().min(1)).optional().describe('Other definitions of local, as --tier. In a CSV manifest, ";" separates several.'),
    income: z.number().positive().optional().describe('Round 1 in pounds, as --income.'),
    period: z.string().min(1).optional().describe('As --period: "2024-25", "2024" or "2024-04-01..2025-03-31".'),
    coverageThreshold: z.number().min(0).max(100).optional().describe('As --coverage-threshold.'),
    formerly: z.string().trim().min(1).optional().describe("With batch --previous: the organisation's name in that batch, when it has been renamed since (else it is matched by its name)."),
  })
  .strict();

export const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    suppliers: path.optional().describe("A supplier register shared by every organisation (a consultant's register grows across clients); an organisation's own \"suppliers\" overrides it."),
    organisations: z.array(organisationSchema).min(1).describe('One entry per organisation.'),
  })
  .strict();

export type ManifestOrganisation = z.infer<typeof organisationSchema>;

export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(manifestSchema, { io: 'input' });
}

/** One entry as read: valid (its settings) or not (why), so that a bad row fails alone. */
export type ManifestEntry =
  | { index: number; line: number | undefined; organisation: string; entry: ManifestOrganisation; problem?: undefined }
  | { index: number; line: number | undefined; organisation: string; entry?: undefined; problem: string };

export interface Manifest {
  path: string;
  /** The folder its paths are relative to. */
  folder: string;
  /** The shared supplier register (absolute), if any. */
  suppliers: string | undefined;
  entries: ManifestEntry[];
}

/** The CSV manifest's columns, by their names with case, spaces, dashes and underscores ignored. */
const CSV_COLUMNS: Record<string, keyof ManifestOrganisation> = {
  organisation: 'organisation',
  organization: 'organisation',
  project: 'project',
  spend: 'spend',
  payroll: 'payroll',
  suppliers: 'suppliers',
  suppliersurvey: 'supplierSurvey',
  staffsurvey: 'staffSurvey',
  area: 'area',
  tiers: 'tiers',
  tier: 'tiers',
  income: 'income',
  period: 'period',
  coveragethreshold: 'coverageThreshold',
  formerly: 'formerly',
};

const LISTS = new Set<keyof ManifestOrganisation>(['spend', 'tiers']);

export async function readManifest(manifestPath: string): Promise<Manifest> {
  let text: string;
  try {
    text = (await readFile(manifestPath, 'utf8')).replace(/^\ufeff/, '');
  } catch {
    throw new UsageError(`Cannot read the manifest ${manifestPath}.`, { code: 'MANIFEST_UNREADABLE', file: manifestPath, hint: 'Check the path.' });
  }
  const folder = dirname(resolve(manifestPath));
  if (/\.json$/i.test(manifestPath) || text.trimStart().startsWith('{')) return readJsonManifest(manifestPath, folder, text);
  return readCsvManifest(manifestPath, folder, text);
}

function invalid(path: string, message: string): UsageError {
  return new UsageError(`The manifest ${path} cannot be used: ${message}`, {
    code: 'MANIFEST_INVALID',
    file: path,
    hint: 'A manifest is a CSV with a header row (organisation, project, spend, payroll, suppliers, area, income, period …) or a JSON file; `local-impact schema --manifest` prints the JSON form.',
  });
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${shownText(issue.path.join('.')) || '(top level)'}: ${shownText(issue.message)}`)
    .join('; ');
}

function readJsonManifest(path: string, folder: string, text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `it is not valid JSON (${shownText((error as Error).message)}).`);
  }
  // The shape first; each organisation then on its own, so one bad entry fails alone.
  const outline = manifestSchema.extend({ organisations: z.array(z.unknown()).min(1) }).safeParse(json);
  if (!outline.success) throw invalid(path, issuesText(outline.error));
  const entries = outline.data.organisations.map((raw, index): ManifestEntry => {
    const parsed = organisationSchema.safeParse(raw);
    const name = typeof (raw as { organisation?: unknown })?.organisation === 'string' ? ((raw as { organisation: string }).organisation.trim() || `organisation ${index + 1}`) : `organisation ${index + 1}`;
    return parsed.success
      ? { index, line: undefined, organisation: parsed.data.organisation, entry: listed(parsed.data) }
      : { index, line: undefined, organisation: name, problem: `organisations[${index}]: ${issuesText(parsed.error)}` };
  });
  return { path, folder, suppliers: outline.data.suppliers === undefined ? undefined : resolve(folder, outline.data.suppliers), entries };
}

function readCsvManifest(path: string, folder: string, text: string): Manifest {
  const records: { line: number; fields: string[] }[] = [];
  tokenizeText(text, {
    onRecord: (record) => {
      const fields = Array.from({ length: record.fieldCount }, (_, i) => record.field(i).trim());
      if (fields.some((field) => field !== '')) records.push({ line: record.line, fields });
    },
  });
  const [header, ...rows] = records;
  if (!header) throw invalid(path, 'it is empty.');
  const columns = header.fields.map((name) => CSV_COLUMNS[name.toLowerCase().replace(/[\s_-]+/g, '')]);
  const unknown = header.fields.filter((_, i) => columns[i] === undefined);
  if (unknown.length > 0) throw invalid(path, `unknown column(s) ${unknown.map((name) => `"${shownText(name)}"`).join(', ')} on line ${header.line}; the columns are ${[...new Set(Object.values(CSV_COLUMNS))].join(', ')}.`);
  if (!columns.includes('organisation')) throw invalid(path, `no "organisation" column on line ${header.line}.`);
  if (rows.length === 0) throw invalid(path, 'it names no organisation (a header row and no rows).');
  const entries = rows.map(({ line, fields }, index): ManifestEntry => {
    const raw: Record<string, unknown> = {};
    const problems: string[] = [];
    columns.forEach((key, i) => {
      const value = fields[i] ?? '';
      // A blank cell gives no setting: the project file's, or the default, holds.
      if (key === undefined || value === '') return;
      if (LISTS.has(key)) raw[key] = value.split(';').map((part) => part.trim()).filter((part) => part !== '');
      else if (key === 'income') raw[key] = pounds(value) ?? (problems.push(`income "${shownText(value)}" is not an amount in pounds (e.g. 300000 or £1,250,000)`), undefined);
      else if (key === 'coverageThreshold') raw[key] = /^\d{1,3}(\.\d{1,3})?%?$/.test(value) ? Number(value.replace('%', '')) : (problems.push(`coverageThreshold "${shownText(value)}" is not a percentage`), undefined);
      else raw[key] = value;
    });
    if (fields.length > columns.length && fields.slice(columns.length).some((field) => field !== '')) problems.push(`more cells than the header has columns`);
    const parsed = organisationSchema.safeParse(raw);
    const name = typeof raw.organisation === 'string' ? raw.organisation : `row ${index + 1}`;
    if (problems.length === 0 && parsed.success) return { index, line, organisation: parsed.data.organisation, entry: parsed.data };
    const all = [...problems, ...(parsed.success ? [] : [issuesText(parsed.error)])];
    return { index, line, organisation: name, problem: `line ${line}: ${all.join('; ')}` };
  });
  return { path, folder, suppliers: undefined, entries };
}

/** One form for both manifests: spend as a list. */
function listed(entry: ManifestOrganisation): ManifestOrganisation {
  return typeof entry.spend === 'string' ? { ...entry, spend: [entry.spend] } : entry;
}

/** Pounds as --income reads them; undefined when not an amount above £0. */
function pounds(text: string): number | undefined {
  const value = parsePounds(text);
  return Number.isNaN(value) ? undefined : value;
}
