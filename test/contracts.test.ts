import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { resolveSettings } from '../src/config/settings.js';
import { InputError } from '../src/errors.js';
import { readSpend } from '../src/ingest/spend.js';
import { summaryJson } from '../src/report/json.js';
import { renderCheck, renderSummary } from '../src/report/terminal.js';
import { writeWorkbook } from '../src/report/workbook/index.js';
import { rowOf, sheet } from './workbook-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'local-impact-contracts-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');

/** A contracts register: what each contract is worth a year, and when it runs; no payment is in it. */
const REGISTER = write(
  'contracts.csv',
  [
    'Contract Title,Supplier,Supplier Postcode,Annual Value,Total Contract Value,Start Date,End Date',
    'Grounds maintenance,Greenway Grounds Ltd,HX1 1RE,"12,000.00","36,000.00",01/04/2023,31/03/2026',
    'Catering,Pennine Catering Ltd,M1 1AA,8500.50,8500.50,01/06/2024,31/05/2025',
    'Cleaning,Sparkle Cleaning,HX3 5AB,4000,4000,01/04/2020,31/03/2021',
    '',
  ].join('\n'),
);
const plain = new Chalk({ level: 0 });

describe('a contracts register', () => {
  it('is read as contracts: annual values as amounts, its dates not payment dates, nothing checked against the period', async () => {
    const ledger = await readSpend([REGISTER], { period: { label: '2024-25', from: '2024-04-01', to: '2025-03-31' } });
    const [file] = ledger.files;
    expect(ledger.kind).toBe('contracts');
    expect(file!.kind).toBe('contracts');
    expect(file!.source.columns.map((c) => [c.field, c.header])).toEqual([
      ['supplier', 'Supplier'],
      ['amount', 'Annual Value'],
      ['postcode', 'Supplier Postcode'],
    ]);
    expect(file!.source.columns[1]!.note).toBe('annual contract values (a contracts register), not payments');
    // The 2020 contract counts too: the register says what contracts are worth a year, not when money was paid.
    expect(ledger).toMatchObject({ rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, total: 2_450_050, firstDate: undefined, lastDate: undefined });
    expect(ledger.findings.details.map((f) => [f.code, f.file, f.args])).toEqual([['CONTRACT_VALUES', 'contracts.csv', { column: 'Annual Value', period: '2024-25' }]]);
  });

  it('is payments when the user names a date column, and payments files stay payments', async () => {
    const named = await readSpend([REGISTER], { columns: { date: 'Start Date' } });
    expect([named.kind, named.firstDate, named.lastDate, named.findings.count('CONTRACT_VALUES')]).toEqual(['payments', '2020-04-01', '2024-06-01', 0]);
    const payments = write('payments.csv', 'Payment Date,Supplier,Amount,Contract Start Date,Contract End Date\n01/05/2024,Acme Ltd,10.00,01/04/2024,31/03/2025\n');
    expect((await readSpend([payments])).kind).toBe('payments');
    const both = await readSpend([payments, REGISTER]);
    expect([both.kind, both.files.map((f) => f.kind), both.total]).toEqual(['mixed', ['payments', 'contracts'], 2_451_050]);
  });

  it('is refused when its values are for the whole contract: added up, they are not a year of spend', async () => {
    const whole = write('whole.csv', 'Contract Title,Supplier,Contract Value,Start Date,End Date\nCleaning,Sparkle Cleaning,"12,000.00",01/04/2023,31/03/2026\n');
    const error = await readSpend([whole]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('CONTRACT_VALUE_NOT_ANNUAL');
    expect((error as InputError).message).toBe('whole.csv is a contracts register, and its "Contract Value" is a value for the whole contract, not a year: added up, such values are not a year\'s spend.');
  });

  it("Salford's register, as published: no payment date is taken from its Start Date", async () => {
    const ledger = await readSpend([join(DATA, 'salford_contracts_register_2022-07_with_supplier_postcodes.csv')]);
    expect(ledger.kind).toBe('contracts');
    expect(ledger.files[0]!.source.columns.find((c) => c.field === 'date')).toBeUndefined();
    expect(ledger.findings.details.filter((f) => f.code === 'CONTRACT_VALUES').map((f) => f.args)).toEqual([{ column: 'Annual Value', period: undefined }]);
    // "TBC" and "X" in Start Date were read as unparseable payment dates before.
    expect(ledger.findings.count('DATE_UNPARSEABLE')).toBe(0);
  });
});

describe('the report on a contracts register', () => {
  const settings = resolveSettings(undefined, undefined, { spend: [REGISTER], area: 'HX', period: '2024-25', organisation: 'Calder Council' });

  it('says in the terminal summary, check, and JSON that its figures are annual contract values', async () => {
    const analysis = await analyse(settings);
    const summary = renderSummary(analysis, plain, null, { width: undefined }).split('\n');
    expect(summary.slice(0, 3)).toEqual([
      'Calder Council — 2024-25',
      'Local means: HX (postcode area)',
      'Annual contract values, not payments: contracts.csv ("Annual Value") is a contracts register, so its figures are what each contract is worth a year, not what was paid; contracts are not checked against the period 2024-25.',
    ]);
    expect(summary.find((line) => line.includes('Contracts analysed'))).toMatch(/│ Contracts analysed +│ £24,500\.50 +│ 3 contracts, 3 suppliers +│/);
    expect(renderCheck(analysis, plain, { width: undefined })).toContain('  a contracts register: its amounts are annual contract values, not payments, and its start and end dates are not payment dates');
    const json = summaryJson(analysis, null);
    expect(json.spend).toMatchObject({ kind: 'contracts', total: 24500.5, local: 16000, nonLocal: 8500.5 });
    expect(json.findings.find((f) => f.code === 'CONTRACT_VALUES')).toMatchObject({ file: 'contracts.csv', args: { column: 'Annual Value', period: '2024-25' } });
  });

  it('says so on the workbook Summary and Assumptions sheets', async () => {
    const path = join(dir, 'contracts.xlsx');
    await writeWorkbook(await analyse(settings), path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const note = 'Annual contract values, not payments: contracts.csv ("Annual Value") is a contracts register, so its figures are what each contract is worth a year, not what was paid; contracts are not checked against the period 2024-25.';
    const summary = sheet(book, 'Summary');
    expect([rowOf(summary, 'Amounts are').getCell(2).text, rowOf(summary, 'Amounts are').getCell(4).text]).toEqual(['annual contract values', note]);
    expect(rowOf(summary, 'Total contract value analysed').getCell(4).text).toBe('3 suppliers, 3 contracts');
    const assumptions = rowOf(sheet(book, 'Assumptions'), 'What the spend figures are');
    expect([assumptions.getCell(2).text, assumptions.getCell(3).text]).toEqual(['annual contract values', note]);
  });
});
