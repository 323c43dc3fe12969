import { FindingLog } from '../findings.js';
import type { Pence } from '../money.js';
import { parseAmount } from './amount.js';
import { PAYROLL_FIELDS } from './columns.js';
import { classifyOddRow } from './spend-pass.js';
import { guardDamage, openTable } from './table.js';
import type { FileTally } from './spend.js';

/**
 * One member of staff, summed over their payroll rows. Personal data: it lives only in memory,
 * and only aggregates of it are ever reported.
 */
export interface Employee {
  /** The payroll's id, or `line N` when the file has none. Never reported. */
  id: string;
  homePostcode: string;
  grossPay: Pence;
  netPay: Pence | undefined;
  employerNi: Pence;
  employerPension: Pence;
  fte: number | undefined;
  hoursPerWeek: number | undefined;
  hourlyRate: Pence | undefined;
}

export interface Payroll {
  employees: Employee[];
  file: FileTally;
  findings: FindingLog;
}

export interface ReadPayrollOptions {
  columns?: Partial<Record<keyof typeof PAYROLL_FIELDS, string>>;
  /** A field longer than this is a coded rejection of its lines (`limits.maxFieldBytes`). */
  maxFieldBytes?: number;
}

export async function readPayroll(path: string, options: ReadPayrollOptions = {}): Promise<Payroll> {
  const table = await openTable({ path, role: 'payroll', fields: PAYROLL_FIELDS, explicit: options.columns, columnFlag: '--payroll-column', requireData: true, maxFieldBytes: options.maxFieldBytes });
  const file = table.source.name;
  const col = table.columns;
  const findings = new FindingLog();
  const tally: FileTally = { source: table.source, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, accepted: 0, rowsBlank: 0 };
  let footer: { line: number } | undefined;
  let footerRows = 0;
  let subtotalRows = 0;
  const byId = new Map<string, Employee>();
  const rowsById = new Map<string, number>();
  const employees: Employee[] = [];
  const optionalMoney = (text: string, field: string, line: number): Pence | undefined => {
    if (text.trim() === '') return undefined;
    const parsed = parseAmount(text);
    if (parsed.ok) return parsed.pence;
    findings.add({ code: 'NUMBER_UNPARSEABLE', file, line, args: { field, value: text } });
    return undefined;
  };
  const optionalNumber = (text: string, field: string, line: number): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    const value = Number(trimmed);
    if (Number.isFinite(value) && value >= 0) return value;
    findings.add({ code: 'NUMBER_UNPARSEABLE', file, line, args: { field, value: text } });
    return undefined;
  };
  const get = (record: { field(i: number): string }, index: number | undefined) => (index === undefined ? '' : record.field(index));
  // Damaged lines are rejected by line and code only: payroll text is personal data.
  const guard = guardDamage(table, tally, findings, true, (record) => {
    // A totals line ("Total,,,1020000") is not a member of staff: as in spend files, reading stops at the
    // footer, and blank rows and subtotal lines are set aside. Payroll files are small: every row is checked.
    if (footer !== undefined) {
      footerRows++;
      return;
    }
    const odd = classifyOddRow(record);
    if (odd === 'blank') {
      tally.rowsBlank!++;
      return;
    }
    if (odd === 'subtotal') {
      subtotalRows++;
      // Payroll rows are personal data: where, never the text.
      findings.add({ code: 'SUBTOTAL_SKIPPED', file, line: record.line });
      return;
    }
    if (odd === 'footer') {
      footer = { line: record.line };
      footerRows = 1;
      return;
    }
    tally.rowsRead++;
    const grossText = get(record, col.grossPay);
    const gross = parseAmount(grossText);
    if (!gross.ok) {
      tally.rowsRejected++;
      findings.add({
        code: gross.reason === 'empty' ? 'GROSS_PAY_MISSING' : 'GROSS_PAY_UNPARSEABLE',
        file,
        line: record.line,
        // The raw row holds names and pay: keep only where it was, never its text.
        args: { value: '(withheld: payroll is personal data)' },
      });
      return;
    }
    const line = record.line;
    const id = get(record, col.employeeId).trim() || `line ${line}`;
    const row: Employee = {
      id,
      homePostcode: get(record, col.homePostcode).trim(),
      grossPay: gross.pence,
      netPay: optionalMoney(get(record, col.netPay), 'Net pay', line),
      employerNi: optionalMoney(get(record, col.employerNi), 'Employer NI', line) ?? 0,
      employerPension: optionalMoney(get(record, col.employerPension), 'Employer pension', line) ?? 0,
      fte: optionalNumber(get(record, col.fte), 'FTE', line),
      hoursPerWeek: optionalNumber(get(record, col.hours), 'Hours', line),
      hourlyRate: optionalMoney(get(record, col.hourlyRate), 'Hourly rate', line),
    };
    tally.rowsAccepted++;
    tally.accepted += gross.pence;
    const existing = byId.get(id);
    if (existing === undefined) {
      byId.set(id, row);
      employees.push(row);
      rowsById.set(id, 1);
      return;
    }
    // Monthly payroll exports repeat each person: add their pay, keep their latest details.
    rowsById.set(id, rowsById.get(id)! + 1);
    existing.grossPay += row.grossPay;
    existing.netPay = existing.netPay === undefined || row.netPay === undefined ? undefined : existing.netPay + row.netPay;
    existing.employerNi += row.employerNi;
    existing.employerPension += row.employerPension;
    if (row.homePostcode !== '') existing.homePostcode = row.homePostcode;
    existing.fte = row.fte ?? existing.fte;
    existing.hoursPerWeek = row.hoursPerWeek ?? existing.hoursPerWeek;
    existing.hourlyRate = row.hourlyRate ?? existing.hourlyRate;
  });
  await table.scan(guard.onRecord);
  guard.finish();
  if (footer !== undefined) {
    tally.footerRows = footerRows;
    findings.add({ code: 'FOOTER_NOT_READ', file, line: footer.line, args: { line: footer.line, rows: footerRows } });
  }
  if (subtotalRows > 0) tally.rowsSubtotal = subtotalRows;
  if (col.employeeId === undefined && tally.rowsAccepted > 1) findings.add({ code: 'PAYROLL_NO_EMPLOYEE_ID', file, args: { rows: tally.rowsAccepted } });
  for (const [, count] of rowsById) {
    if (count > 1) findings.add({ code: 'EMPLOYEE_REPEATED', file, args: { value: '(an employee)', count } });
  }
  findings.addAll(table.findings);
  return { employees, file: tally, findings };
}
