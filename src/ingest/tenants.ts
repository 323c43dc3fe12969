import { FindingLog } from '../findings.js';
import type { GvaRow, Tenant } from '../domain/tenant.js';
import { formatPounds } from '../money.js';
import { parseAmount } from './amount.js';
import { GVA_FIELDS, TENANT_FIELDS } from './columns.js';
import type { FileTally } from './spend.js';
import { guardDamage, openTable } from './table.js';

/** Step 9's inputs: the tenants register and the GVA per job table, CSV or .xlsx, read by the one table reader. */
export interface Read<T> {
  rows: T[];
  file: FileTally;
  findings: FindingLog;
}

const YES = new Set(['yes', 'y', 'true', '1', 'local']);
const NO = new Set(['no', 'n', 'false', '0', 'not local', 'non-local']);

export async function readTenants(path: string): Promise<Read<Tenant>> {
  const table = await openTable({ path, role: 'tenants', fields: TENANT_FIELDS, columnFlag: '(rename the column)' });
  const c = table.columns;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const rows: Tenant[] = [];
  const guard = guardDamage(table, tally, findings, false, (record) => {
    tally.rowsRead++;
    const get = (i: number | undefined) => (i === undefined ? '' : record.field(i).trim());
    const reject = (finding: Parameters<FindingLog['add']>[0]) => {
      tally.rowsRejected++;
      findings.add({ ...finding, file, line: record.line, raw: record.raw() });
    };
    const name = get(c.tenant);
    if (name === '') return reject({ code: 'TENANT_MISSING' });
    const jobsText = get(c.jobs).replace(/,/g, '');
    if (!/^\d{1,7}$/.test(jobsText)) return reject({ code: 'TENANT_JOBS_UNREADABLE', args: { value: get(c.jobs) } });
    const number = (field: string, text: string): number | undefined => {
      if (text === '') return undefined;
      const value = /^\d+(\.\d+)?$/.test(text.replace(/,/g, '')) ? Number(text.replace(/,/g, '')) : Number.NaN;
      if (Number.isNaN(value)) findings.add({ code: 'TENANT_NUMBER_UNREADABLE', file, line: record.line, args: { field, value: text } });
      return Number.isNaN(value) ? undefined : value;
    };
    const gvaText = get(c.gva);
    const gva = gvaText === '' ? undefined : parseAmount(gvaText);
    if (gva && !gva.ok) findings.add({ code: 'TENANT_NUMBER_UNREADABLE', file, line: record.line, args: { field: 'GVA', value: gvaText } });
    const localText = get(c.local).toLowerCase();
    rows.push({
      line: record.line,
      name,
      industry: get(c.industry),
      jobs: Number(jobsText),
      fte: number('FTE', get(c.fte)),
      local: YES.has(localText) ? true : NO.has(localText) ? false : undefined,
      ownGva: gva?.ok ? gva.pence : undefined,
    });
    tally.rowsAccepted++;
  });
  await table.scan(guard.onRecord);
  guard.finish();
  findings.addAll(table.findings);
  return { rows, file: tally, findings };
}

export async function readGvaTable(path: string): Promise<Read<GvaRow>> {
  const table = await openTable({ path, role: 'GVA per job', fields: GVA_FIELDS, columnFlag: '(rename the column)' });
  const c = table.columns;
  const file = table.source.name;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0 };
  const rows: GvaRow[] = [];
  const seen = new Map<string, GvaRow>();
  const guard = guardDamage(table, tally, findings, false, (record) => {
    tally.rowsRead++;
    const get = (i: number | undefined) => (i === undefined ? '' : record.field(i).trim());
    const region = get(c.region);
    const industry = get(c.industry);
    if (region === '' || industry === '') {
      tally.rowsRejected++;
      findings.add({ code: 'GVA_ROW_INCOMPLETE', file, line: record.line, raw: record.raw() });
      return;
    }
    const amount = parseAmount(get(c.gvaPerJob));
    if (!amount.ok || amount.pence < 0) {
      tally.rowsRejected++;
      findings.add({ code: 'GVA_ROW_UNREADABLE', file, line: record.line, raw: record.raw(), args: { value: get(c.gvaPerJob) } });
      return;
    }
    // The same region and industry twice would leave the figure used to whichever came first: the repeat is refused.
    const key = `${region.toLowerCase()}|${industry.toLowerCase().replace(/\s+/g, '').replace(/[–—]/g, '-')}`;
    const first = seen.get(key);
    if (first) {
      tally.rowsRejected++;
      findings.add({ code: 'GVA_ROW_REPEATED', file, line: record.line, raw: record.raw(), args: { region, industry, first: first.line, value: formatPounds(amount.pence), firstValue: formatPounds(first.gvaPerJob) } });
      return;
    }
    const row: GvaRow = { line: record.line, region, industry, gvaPerJob: amount.pence, source: get(c.source), year: get(c.year) };
    seen.set(key, row);
    rows.push(row);
    tally.rowsAccepted++;
  });
  await table.scan(guard.onRecord);
  guard.finish();
  findings.addAll(table.findings);
  return { rows, file: tally, findings };
}
