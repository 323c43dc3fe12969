import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { MILLI_PERCENT_WHOLE, type MilliPercent } from '../domain/percent.js';
import { cellName, categoryRow, type FormCell, HOUSEHOLD_CATEGORIES, STAFF_FORM, SUPPLIER_FORM, staffFormTexts } from '../domain/survey-forms.js';
import { type Finding, FindingLog } from '../findings.js';
import { staffLocalShare, type SpendingLine } from '../domain/staff-return.js';
import { parseAmount } from './amount.js';
import { STAFF_SURVEY_FIELDS, SUPPLIER_SURVEY_FIELDS } from './columns.js';
import { InputError } from '../errors.js';
import { parsePercent } from './percent.js';
import type { FileTally } from './spend.js';
import { guardDamage, openTable, type SourceFile } from './table.js';
import { detectFormat, openSheet } from './xlsx.js';

/**
 * Survey returns in: a file, or a folder of them (one per respondent). Each is a filled-in form that
 * `survey forms` wrote (read by where its answers sit, and refused if it was changed elsewhere), or a table
 * (CSV or .xlsx, as a survey platform exports it). Every return is used or refused with a coded finding
 * naming its file and cell: nothing is skipped in silence.
 */

export interface SupplierSurveyAnswer {
  line: number;
  supplier: string;
  supplierId: string;
  percent: MilliPercent;
  /** The file the answer came from, when the survey is a folder of returns. */
  file?: string;
  /** The answer's cell on a form. */
  cell?: string;
}

export interface StaffSurveyAnswer {
  line: number;
  respondent: string;
  percent: MilliPercent;
}

export interface Survey<A> {
  answers: A[];
  files: FileTally[];
  findings: FindingLog;
}

type Role = 'supplier survey' | 'staff survey';

export function readSupplierSurvey(path: string): Promise<Survey<SupplierSurveyAnswer>> {
  return readReturns(path, 'supplier survey', SUPPLIER_FORM.mark, readSupplierForm, readSupplierTable);
}

export function readStaffSurvey(path: string): Promise<Survey<StaffSurveyAnswer>> {
  return readReturns(path, 'staff survey', STAFF_FORM.mark, readStaffForm, readStaffTable);
}

type FormReader<A> = (cells: ReadonlyMap<string, string>, tally: FileTally, findings: FindingLog) => A | undefined;
type TableReader<A> = (path: string) => Promise<Survey<A>>;

async function readReturns<A>(path: string, role: Role, mark: string, readForm: FormReader<A>, readTable: TableReader<A>): Promise<Survey<A>> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new InputError(`Cannot read ${role} returns at ${path}: no such file or folder.`, { file: path, code: 'FILE_UNREADABLE', hint: 'Check the path (a project file\'s paths are relative to it).' });
  }
  if (!info.isDirectory()) {
    const one = await readReturn(path, role, mark, readForm, readTable);
    return role === 'staff survey' ? { ...one, findings: withheldAnswers(one.findings) } : one;
  }
  const survey: Survey<A> = { answers: [], files: [], findings: new FindingLog() };
  const folder = `${basename(path)}/`;
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  // A staff return's file name may be its author's ("jane-smith.xlsx"): it is named by its place in the folder.
  const staff = role === 'staff survey';
  const named = (i: number, name: string) => (staff ? staffReturnName(folder, i + 1, entries.length) : `${folder}${name}`);
  const staffTally: FileTally = { source: folderSource(path, folder, role), rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  for (const [i, entry] of entries.entries()) {
    const file = join(path, entry.name);
    const name = named(i, entry.name);
    const skip = (code: 'SURVEY_LOCK_FILE_SKIPPED' | 'SURVEY_HIDDEN_FILE_SKIPPED' | 'SURVEY_FOLDER_SKIPPED' | 'SURVEY_FILE_SKIPPED') => survey.findings.add({ code, file: name, args: code === 'SURVEY_FILE_SKIPPED' ? { extension: staff ? undefined : extname(entry.name) || undefined } : {} });
    if (entry.isDirectory()) skip('SURVEY_FOLDER_SKIPPED');
    else if (entry.name.startsWith('~$')) skip('SURVEY_LOCK_FILE_SKIPPED');
    else if (entry.name.startsWith('.')) skip('SURVEY_HIDDEN_FILE_SKIPPED');
    else if (!/^\.(xlsx|csv)$/i.test(extname(entry.name))) skip('SURVEY_FILE_SKIPPED');
    else {
      let one: Survey<A>;
      try {
        one = await readReturn(file, role, mark, readForm, readTable);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        // A damaged return is one return not used, not the end of the run.
        survey.findings.add({ code: 'SURVEY_FILE_NOT_READ', file: name, args: { role, reason: staff ? undefined : error.message, hint: error.options.hint } });
        const tally: FileTally = staff ? staffTally : { source: folderSource(file, entry.name, role), rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
        tally.rowsRead++;
        tally.rowsRejected++;
        if (!staff) survey.files.push(tally);
        continue;
      }
      survey.answers.push(...one.answers);
      if (staff) {
        for (const tally of one.files) {
          staffTally.rowsRead += tally.rowsRead;
          staffTally.rowsAccepted += tally.rowsAccepted;
          staffTally.rowsRejected += tally.rowsRejected;
          staffTally.rowsNotLocal = (staffTally.rowsNotLocal ?? 0) + (tally.rowsNotLocal ?? 0);
          staffTally.source.sizeBytes += tally.source.sizeBytes;
        }
        survey.findings.merge(withheldAnswers(one.findings, name, one.files[0]?.source.format === 'xlsx' && one.files[0].source.headers.length === 0));
      } else {
        survey.files.push(...one.files);
        survey.findings.merge(one.findings);
      }
    }
  }
  if (staff) survey.files.push(staffTally);
  return survey;
}

/** How a staff return in a folder is named in every output: by its place in the folder, never by its file name. */
export function staffReturnName(folder: string, place: number, of: number): string {
  return `${folder}, file ${place} of ${of} in name order`;
}

/** A folder of returns (or a return that could not be read) as an input: counted, with no table of its own. */
function folderSource(path: string, name: string, role: Role): SourceFile {
  return { role, path, name, sizeBytes: 0, sha256: '', encoding: 'utf-8', delimiter: '', headerLine: 0, headers: [], columns: [] };
}

/** Arguments of a finding that hold what a respondent wrote. */
const ANSWER_ARGS = ['value', 'found'];

/**
 * A staff return's findings as they may leave ingest: its answers dropped (a staff return is one person's answers;
 * its raw row the renderers withhold by role), named `name` when it is one of a folder's returns; a form's finding keeps its cell, not its row.
 */
function withheldAnswers(log: FindingLog, name?: string, form = false): FindingLog {
  const out = new FindingLog();
  const strip = (f: Finding): Finding => {
    const { line, args, ...rest } = f;
    const kept = args && Object.fromEntries(Object.entries(args).filter(([key]) => !ANSWER_ARGS.includes(key)));
    return { ...rest, ...(name === undefined ? {} : { file: name }), ...(form || line === undefined ? {} : { line }), ...(kept ? { args: kept } : {}) };
  };
  const { details, extra } = log.snapshot();
  out.absorb({ details: details.map(strip), extra: extra.map(([code, n, f]) => [code, n, strip(f)]) });
  return out;
}

async function readReturn<A>(path: string, role: Role, mark: string, readForm: FormReader<A>, readTable: TableReader<A>): Promise<Survey<A>> {
  const cells = (await detectFormat(path)) === 'xlsx' ? await formCells(path, mark) : undefined;
  if (cells === undefined) {
    const table = await readTable(path);
    for (const tally of table.files) tally.rowsNotLocal = table.findings.count('STAFF_RETURN_NOT_LOCAL');
    return table;
  }
  const findings = new FindingLog();
  const source: SourceFile = {
    role,
    path,
    name: basename(path),
    sizeBytes: cells.sizeBytes,
    sha256: cells.sha256,
    encoding: 'utf-8',
    delimiter: '',
    headerLine: 0,
    headers: [],
    columns: [],
    format: 'xlsx',
    sheet: cells.sheet,
  };
  const tally: FileTally = { source, rowsRead: 1, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const answer = readForm(cells.cells, tally, findings);
  if (answer === undefined) tally.rowsRejected = 1;
  else tally.rowsAccepted = 1;
  tally.rowsNotLocal = findings.count('STAFF_RETURN_NOT_LOCAL');
  return { answers: answer === undefined ? [] : [answer], files: [tally], findings };
}

/** A form's cells by name (`B14` → its text), when the workbook is one of our forms; else undefined. */
async function formCells(path: string, mark: string): Promise<{ cells: Map<string, string>; sheet: string; sha256: string; sizeBytes: number } | undefined> {
  const sheet = await openSheet(path, { limit: 3 });
  if (sheet.records.find((r) => r.line === 2)?.fields[0]?.trim() !== mark) {
    sheet.close();
    return undefined;
  }
  const cells = new Map<string, string>();
  const sha256 = await sheet.scan(
    (record) => {
      for (let i = 0; i < record.fieldCount; i++) {
        const text = record.field(i).trim();
        if (text !== '') cells.set(cellName({ row: record.line, column: i + 1 }), text);
      }
    },
    { minWidth: 0 },
  );
  return { cells, sheet: sheet.sheet, sha256, sizeBytes: sheet.sizeBytes };
}

/**
 * The cells outside a form's answers must hold what the form was written with: any other text means it was
 * edited outside its cells (a question reworded, a row inserted that moved the answers), and is refused.
 */
function checkFixed(cells: ReadonlyMap<string, string>, texts: readonly [FormCell, string][], mark: string, open: readonly FormCell[], file: string, findings: FindingLog): boolean {
  const expected = new Map<string, string>([['A2', mark], ...texts.map(([at, text]): [string, string] => [cellName(at), text])]);
  const free = new Set(open.map(cellName));
  const edits: Finding[] = [];
  const edited = (cell: string, found: string, wanted: string) => edits.push({ code: 'SURVEY_FORM_EDITED', file, line: Number(/\d+/.exec(cell)![0]), args: { cell, found, expected: wanted } });
  for (const [cell, text] of cells) {
    const wanted = expected.get(cell);
    if (wanted !== undefined ? wanted !== text : !free.has(cell)) edited(cell, text, wanted ?? '(an empty cell)');
  }
  for (const [cell, wanted] of expected) if (!cells.has(cell)) edited(cell, '', wanted);
  edits.sort((a, b) => a.line! - b.line! || String(a.args!.cell).localeCompare(String(b.args!.cell)));
  findings.addAll(edits);
  return edits.length === 0;
}

type Read<T> = { ok: true; value: T } | { ok: false; finding: Finding } | { ok: 'blank' };

/**
 * A percentage as typed: on a form, a cell formatted as a percentage holds a fraction (35% is 0.35); in a
 * CSV, a number from 0 to 100. `35%` as text reads the same in both. Rounded to a thousandth of a point.
 */
function percentCell(text: string | undefined, scale: 'fraction' | 'percent', where: { file: string; line: number; cell: string }): Read<MilliPercent> {
  const t = (text ?? '').trim();
  if (t === '') return { ok: 'blank' };
  const out = (value: string): Read<MilliPercent> => ({ ok: false, finding: { code: 'SURVEY_PERCENT_OUT_OF_RANGE', file: where.file, line: where.line, args: { cell: where.cell, value } } });
  if (t.endsWith('%')) {
    const parsed = parsePercent(t);
    if (parsed !== null) return { ok: true, value: parsed };
    const number = Number(t.slice(0, -1).trim());
    if (Number.isFinite(number)) return out(t);
  } else {
    const number = Number(t);
    if (Number.isFinite(number) && t !== '') {
      const milli = Math.round(number * (scale === 'fraction' ? MILLI_PERCENT_WHOLE : 1000));
      if (milli < 0 || milli > MILLI_PERCENT_WHOLE) return out(scale === 'fraction' ? `${String(Number((number * 100).toPrecision(12)))}%` : t);
      return { ok: true, value: milli };
    }
  }
  return { ok: false, finding: { code: 'SURVEY_ANSWER_UNREADABLE', file: where.file, line: where.line, args: { cell: where.cell, value: t, wanted: 'a percentage' } } };
}

function readSupplierForm(cells: ReadonlyMap<string, string>, tally: FileTally, findings: FindingLog): SupplierSurveyAnswer | undefined {
  const file = tally.source.name;
  const { identity, answers, computed } = SUPPLIER_FORM;
  if (!checkFixed(cells, SUPPLIER_FORM.texts, SUPPLIER_FORM.mark, [...Object.values(identity), ...Object.values(answers), ...computed], file, findings)) return undefined;
  const questions = [
    { at: answers.staff, question: 'Question 1 (the share of costs paid to staff living in the area)' },
    { at: answers.suppliers, question: 'Question 2 (the share of costs paid to suppliers in the area)' },
  ];
  const values: MilliPercent[] = [];
  for (const { at, question } of questions) {
    const cell = cellName(at);
    const read = percentCell(cells.get(cell), 'fraction', { file, line: at.row, cell });
    if (read.ok === 'blank') findings.add({ code: 'SURVEY_ANSWER_BLANK', file, line: at.row, args: { cell, question } });
    else if (!read.ok) findings.add(read.finding);
    else values.push(read.value);
  }
  if (values.length < questions.length) return undefined;
  const percent = values[0]! + values[1]!;
  if (percent > MILLI_PERCENT_WHOLE) {
    findings.add({ code: 'SURVEY_SHARES_OVER_100', file, line: answers.staff.row, args: { cells: `${cellName(answers.staff)} and ${cellName(answers.suppliers)}`, total: `${percent / 1000}%` } });
    return undefined;
  }
  return { line: answers.staff.row, supplier: cells.get(cellName(identity.supplier)) ?? '', supplierId: cells.get(cellName(identity.supplierId)) ?? '', percent, file, cell: cellName(identity.supplier) };
}

/** One category of a staff return as given: its three answers and where they are. */
interface CategoryAnswers {
  label: string;
  amount: { text: string | undefined; cell: string };
  share: { text: string | undefined; cell: string };
  local: { text: string | undefined; cell: string };
}

/**
 * A staff return, from a form or a table row: amounts (or shares of pay) normalised by their sum, each times
 * its % local (staffLocalShare). Refused, with the cell, when it mixes amounts and shares, leaves a category's
 * % local blank where money is given, or says the respondent does not live in the area.
 */
function convertStaffReturn(
  categories: readonly CategoryAnswers[],
  lives: { text: string | undefined; cell: string } | undefined,
  where: { file: string; line: number },
  scale: 'fraction' | 'percent',
  findings: FindingLog,
): MilliPercent | undefined {
  const { file, line } = where;
  const before = findings.total;
  const given = (text: string | undefined) => (text ?? '').trim() !== '';
  if (lives !== undefined) {
    const answer = (lives.text ?? '').trim().toLowerCase();
    if (answer === '') findings.add({ code: 'SURVEY_ANSWER_BLANK', file, line, args: { cell: lives.cell, question: '"Do you live in the area?"' } });
    else if (['no', 'n', 'false'].includes(answer)) {
      findings.add({ code: 'STAFF_RETURN_NOT_LOCAL', file, line, args: { cell: lives.cell } });
      return undefined;
    } else if (!['yes', 'y', 'true'].includes(answer)) findings.add({ code: 'SURVEY_ANSWER_UNREADABLE', file, line, args: { cell: lives.cell, value: lives.text, wanted: 'Yes or No' } });
  }
  const amounts = categories.some((c) => given(c.amount.text));
  const firstShare = categories.find((c) => given(c.share.text));
  if (amounts && firstShare) {
    findings.add({ code: 'STAFF_RETURN_MIXED', file, line, args: { cell: firstShare.share.cell } });
    return undefined;
  }
  if (!amounts && !firstShare) {
    findings.add({ code: 'STAFF_RETURN_EMPTY', file, line, args: { cells: `${categories[0]!.amount.cell}–${categories.at(-1)!.share.cell}` } });
    return undefined;
  }
  const lines: SpendingLine[] = [];
  for (const c of categories) {
    const weightText = amounts ? c.amount : c.share;
    if (!given(weightText.text)) continue;
    let weight: number | undefined;
    if (amounts) {
      const parsed = parseAmount(weightText.text!);
      if (parsed.ok && parsed.pence >= 0) weight = parsed.pence;
      else findings.add({ code: 'SURVEY_ANSWER_UNREADABLE', file, line, args: { cell: weightText.cell, value: weightText.text, wanted: 'an amount in pounds' } });
    } else {
      const read = percentCell(weightText.text, scale, { file, line, cell: weightText.cell });
      if (read.ok === true) weight = read.value;
      else if (read.ok === false) findings.add(read.finding);
    }
    const local = percentCell(c.local.text, scale, { file, line, cell: c.local.cell });
    if (local.ok === 'blank') {
      if (weight !== 0) findings.add({ code: 'SURVEY_ANSWER_BLANK', file, line, args: { cell: c.local.cell, question: `The share of ${c.label.toLowerCase()} spent in the area` } });
    } else if (!local.ok) findings.add(local.finding);
    else if (weight !== undefined) lines.push({ weight, local: local.value });
  }
  if (findings.total > before) return undefined;
  const share = staffLocalShare(lines);
  if (share === undefined) findings.add({ code: 'STAFF_RETURN_EMPTY', file, line, args: { cells: `${categories[0]!.amount.cell}–${categories.at(-1)!.share.cell}` } });
  return share;
}

function readStaffForm(cells: ReadonlyMap<string, string>, tally: FileTally, findings: FindingLog): StaffSurveyAnswer | undefined {
  const file = tally.source.name;
  const { amount, share, local } = STAFF_FORM.columns;
  const open = HOUSEHOLD_CATEGORIES.flatMap((_, i) => [amount, share, local].map((column) => ({ row: categoryRow(i), column })));
  if (!checkFixed(cells, staffFormTexts(), STAFF_FORM.mark, [...Object.values(STAFF_FORM.identity), ...open, STAFF_FORM.livesLocally, ...STAFF_FORM.computed], file, findings)) return undefined;
  const at = (row: number, column: number) => {
    const cell = cellName({ row, column });
    return { text: cells.get(cell), cell };
  };
  const categories = HOUSEHOLD_CATEGORIES.map((c, i) => ({ label: c.label, amount: at(categoryRow(i), amount), share: at(categoryRow(i), share), local: at(categoryRow(i), local) }));
  const livesAt = cellName(STAFF_FORM.livesLocally);
  const percent = convertStaffReturn(categories, { text: cells.get(livesAt), cell: livesAt }, { file, line: STAFF_FORM.firstCategoryRow }, 'fraction', findings);
  return percent === undefined ? undefined : { line: STAFF_FORM.firstCategoryRow, respondent: '', percent };
}

/** A survey table: one row per return. */
/** A table's "local (re-)spend %" column, or a coded rejection of its row (undefined). */
function percentColumn(get: (field: string) => { text: string }, where: { file: string; line: number; raw: () => string }, findings: FindingLog): MilliPercent | undefined {
  const text = get('percent').text;
  const percent = parsePercent(text);
  if (percent === null) findings.add({ code: 'PERCENT_UNPARSEABLE', file: where.file, line: where.line, raw: where.raw(), args: { value: text } });
  return percent ?? undefined;
}

async function readTable<A>(
  path: string,
  role: Role,
  fields: typeof SUPPLIER_SURVEY_FIELDS | typeof STAFF_SURVEY_FIELDS,
  read: (get: (field: string) => { text: string; cell: string }, has: (field: string) => boolean, where: { file: string; line: number; raw: () => string }, findings: FindingLog) => A | undefined,
): Promise<Survey<A>> {
  const table = await openTable({ path, role, fields, columnFlag: '(rename the column)' });
  const columns = table.columns as Record<string, number | undefined>;
  const headers = table.source.headers;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const answers: A[] = [];
  const has = (field: string) => columns[field] !== undefined;
  const guard = guardDamage(table, tally, findings, role === 'staff survey', (record) => {
    tally.rowsRead++;
    const get = (field: string) => {
      const index = columns[field];
      return { text: index === undefined ? '' : record.field(index).trim(), cell: index === undefined ? field : `"${headers[index]!.trim()}"` };
    };
    const answer = read(get, has, { file, line: record.line, raw: () => record.raw() }, findings);
    if (answer === undefined) tally.rowsRejected++;
    else {
      tally.rowsAccepted++;
      answers.push(answer);
    }
  });
  await table.scan(guard.onRecord);
  guard.finish();
  findings.addAll(table.findings);
  return { answers, files: [tally], findings };
}

function noAnswerColumn(path: string, role: Role, wanted: string): InputError {
  return new InputError(`${basename(path)}: no column with the ${role}'s answers.`, { file: path, code: 'COLUMN_MISSING', hint: `Give ${wanted}, as the CSV form \`local-impact survey forms\` writes has them.` });
}

async function readSupplierTable(path: string): Promise<Survey<SupplierSurveyAnswer>> {
  let checked = false;
  return readTable(path, 'supplier survey', SUPPLIER_SURVEY_FIELDS, (get, has, where, findings) => {
    if (!checked && !has('percent') && !(has('staffPercent') && has('suppliersPercent'))) throw noAnswerColumn(path, 'supplier survey', 'a "Local re-spend %" column, or "Staff in the area %" and "Suppliers in the area %"');
    checked = true;
    const supplier = get('supplier').text;
    const supplierId = get('supplierId').text;
    if (supplier === '' && supplierId === '') {
      findings.add({ code: 'RESPONDENT_MISSING', file: where.file, line: where.line, raw: where.raw() });
      return undefined;
    }
    if (has('percent')) {
      const percent = percentColumn(get, where, findings);
      return percent === undefined ? undefined : { line: where.line, supplier, supplierId, percent };
    }
    const parts: MilliPercent[] = [];
    for (const [field, question] of [['staffPercent', 'The share of costs paid to staff in the area'], ['suppliersPercent', 'The share of costs paid to suppliers in the area']] as const) {
      const { text, cell } = get(field);
      const read = percentCell(text, 'percent', { file: where.file, line: where.line, cell });
      if (read.ok === 'blank') findings.add({ code: 'SURVEY_ANSWER_BLANK', file: where.file, line: where.line, args: { cell, question } });
      else if (!read.ok) findings.add(read.finding);
      else parts.push(read.value);
    }
    if (parts.length < 2) return undefined;
    const percent = parts[0]! + parts[1]!;
    if (percent > MILLI_PERCENT_WHOLE) {
      findings.add({ code: 'SURVEY_SHARES_OVER_100', file: where.file, line: where.line, args: { cells: `${get('staffPercent').cell} and ${get('suppliersPercent').cell}`, total: `${percent / 1000}%` } });
      return undefined;
    }
    return { line: where.line, supplier, supplierId, percent };
  });
}

async function readStaffTable(path: string): Promise<Survey<StaffSurveyAnswer>> {
  let checked = false;
  return readTable(path, 'staff survey', STAFF_SURVEY_FIELDS, (get, has, where, findings) => {
    const byCategory = HOUSEHOLD_CATEGORIES.some((c) => has(`${c.key}Local`));
    if (!checked && !has('percent') && !byCategory) throw noAnswerColumn(path, 'staff survey', 'a "Local spend %" column, or the household categories');
    checked = true;
    const respondent = get('respondent').text;
    if (has('percent')) {
      const percent = percentColumn(get, where, findings);
      return percent === undefined ? undefined : { line: where.line, respondent, percent };
    }
    const categories = HOUSEHOLD_CATEGORIES.map((c) => ({ label: c.label, amount: get(`${c.key}Amount`), share: get(`${c.key}Share`), local: get(`${c.key}Local`) }));
    const percent = convertStaffReturn(categories, has('livesLocally') ? get('livesLocally') : undefined, where, 'percent', findings);
    return percent === undefined ? undefined : { line: where.line, respondent, percent };
  });
}
