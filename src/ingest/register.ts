import { FindingLog } from '../findings.js';
import { REGISTER_FIELDS, STAFF_SURVEY_FIELDS, SUPPLIER_SURVEY_FIELDS } from './columns.js';
import { type MilliPercent, parsePercent } from './percent.js';
import type { FileTally } from './spend.js';
import { openTable } from './table.js';

export type SupplierType = 'SME' | 'VCSE' | 'large' | 'public body';

/** One entry of the supplier register an organisation keeps from year to year. */
export interface RegisterEntry {
  line: number;
  supplier: string;
  supplierId: string;
  postcode: string;
  /** The user's override: true local, false not local, undefined no override. */
  local: boolean | undefined;
  reason: string;
  type: SupplierType | undefined;
  companyNumber: string;
  charityNumber: string;
  sector: string;
}

export interface SupplierRegister {
  entries: RegisterEntry[];
  file: FileTally;
  findings: FindingLog;
}

const YES = new Set(['yes', 'y', 'true', '1', 'local']);
const NO = new Set(['no', 'n', 'false', '0', 'not local', 'non-local', 'nonlocal']);

export function parseSupplierType(text: string): SupplierType | undefined {
  const t = text.trim().toLowerCase().replace(/[^a-z ]/g, '');
  if (t === '') return undefined;
  if (['sme', 'small', 'medium', 'micro', 'small business', 'smallmedium'].includes(t)) return 'SME';
  if (['vcse', 'vcs', 'charity', 'social enterprise', 'voluntary', 'community', 'cic', 'third sector'].includes(t)) return 'VCSE';
  if (['large', 'large business', 'national', 'corporate', 'plc'].includes(t)) return 'large';
  if (['public body', 'public', 'public sector', 'council', 'government', 'nhs'].includes(t)) return 'public body';
  return undefined;
}

export async function readSupplierRegister(path: string): Promise<SupplierRegister> {
  const table = await openTable({ path, role: 'supplier register', fields: REGISTER_FIELDS, columnFlag: '(rename the column)' });
  const c = table.columns;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const entries: RegisterEntry[] = [];
  await table.scan((record) => {
    tally.rowsRead++;
    const get = (i: number | undefined) => (i === undefined ? '' : record.field(i).trim());
    const supplier = get(c.supplier);
    const supplierId = get(c.supplierId);
    if (supplier === '' && supplierId === '') {
      tally.rowsRejected++;
      findings.add({ code: 'SUPPLIER_MISSING', file, line: record.line, raw: record.raw() });
      return;
    }
    const localText = get(c.local).toLowerCase();
    let local: boolean | undefined;
    if (YES.has(localText)) local = true;
    else if (NO.has(localText)) local = false;
    else if (localText !== '') findings.add({ code: 'REGISTER_LOCAL_UNREADABLE', file, line: record.line, args: { value: get(c.local) } });
    const charityNumber = get(c.charityNumber);
    entries.push({
      line: record.line,
      supplier,
      supplierId,
      postcode: get(c.postcode),
      local,
      reason: get(c.reason),
      // A registered charity is a VCSE whatever else the register says.
      type: charityNumber !== '' ? 'VCSE' : parseSupplierType(get(c.type)),
      companyNumber: get(c.companyNumber),
      charityNumber,
      sector: get(c.sector),
    });
    tally.rowsAccepted++;
  });
  findings.addAll(table.findings);
  return { entries, file: tally, findings };
}

export interface SupplierSurveyAnswer {
  line: number;
  supplier: string;
  supplierId: string;
  percent: MilliPercent;
}

export interface Survey<A> {
  answers: A[];
  file: FileTally;
  findings: FindingLog;
}

export async function readSupplierSurvey(path: string): Promise<Survey<SupplierSurveyAnswer>> {
  return readSurvey(path, 'supplier survey', SUPPLIER_SURVEY_FIELDS, (get, line) => {
    const supplier = get('supplier');
    const supplierId = get('supplierId');
    return supplier === '' && supplierId === '' ? null : { line, supplier, supplierId };
  });
}

export interface StaffSurveyAnswer {
  line: number;
  respondent: string;
  percent: MilliPercent;
}

export async function readStaffSurvey(path: string): Promise<Survey<StaffSurveyAnswer>> {
  return readSurvey(path, 'staff survey', STAFF_SURVEY_FIELDS, (get, line) => ({ line, respondent: get('respondent') }));
}

async function readSurvey<F extends typeof SUPPLIER_SURVEY_FIELDS | typeof STAFF_SURVEY_FIELDS, A extends { percent: MilliPercent }>(
  path: string,
  role: string,
  fields: F,
  identify: (get: (field: string) => string, line: number) => Omit<A, 'percent'> | null,
): Promise<Survey<A>> {
  const table = await openTable({ path, role, fields, columnFlag: '(rename the column)' });
  const columns = table.columns as Record<string, number | undefined>;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const answers: A[] = [];
  await table.scan((record) => {
    tally.rowsRead++;
    const get = (field: string) => {
      const index = columns[field];
      return index === undefined ? '' : record.field(index).trim();
    };
    const who = identify(get, record.line);
    if (who === null) {
      tally.rowsRejected++;
      findings.add({ code: 'RESPONDENT_MISSING', file, line: record.line, raw: record.raw() });
      return;
    }
    const percentText = get('percent');
    const percent = parsePercent(percentText);
    if (percent === null) {
      tally.rowsRejected++;
      findings.add({ code: 'PERCENT_UNPARSEABLE', file, line: record.line, raw: record.raw(), args: { value: percentText } });
      return;
    }
    tally.rowsAccepted++;
    answers.push({ ...who, percent } as A);
  });
  findings.addAll(table.findings);
  return { answers, file: tally, findings };
}
