import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { settingsFrom } from '../src/cli/inputs.js';
import { InputError } from '../src/errors.js';
import { readSupplierRegister } from '../src/ingest/register.js';
import { readSpend } from '../src/ingest/spend.js';
import { numberText } from '../src/ingest/xlsx.js';

const dir = mkdtempSync(join(tmpdir(), 'local-impact-xlsx-'));

/** A council-style workbook: a notes sheet first, then payments below a two-line preamble. */
async function writeWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const notes = workbook.addWorksheet('Notes');
  notes.addRow(['About this file']);
  notes.addRow(['Payments over £500']);
  const payments = workbook.addWorksheet('March 2025');
  payments.addRow(['Payments over £500, March 2025']);
  payments.addRow([]);
  payments.addRow(['Payment Date', 'Supplier Name', 'Net Amount', 'Postcode', 'Transaction ID']);
  const date = (day: number) => new Date(Date.UTC(2025, 2, day));
  payments.addRow([date(3), 'Acme Ltd', 1234.56, 'HX1 1RE', 'T1']);
  payments.addRow([date(4), 'Beta & Sons', 0.1 + 0.2, 'LS1 4AP', 'T2']);
  payments.addRow([date(5), 'ACME LIMITED', { formula: 'C4*2', result: 2469.12 }, 'HX1 1RE', 'T3']);
  payments.addRow(['06/03/2025', 'Gamma CIC', '£1,000.00', '', 'T4']);
  payments.addRow([date(7), '', 50, '', 'T5']);
  payments.addRow([date(8), 'Delta', -12.5]);
  payments.addRow(['Total', '', 4691.48]);
  // A date-formatted formula cell: its result is an Excel serial.
  const row = payments.getRow(6);
  row.getCell(1).numFmt = 'dd/mm/yyyy';
  await workbook.xlsx.writeFile(path);
}

describe('spreadsheet input', () => {
  it('reads a sheet below its preamble with dates as dates and floats to the exact penny', async () => {
    const path = join(dir, 'march.xlsx');
    await writeWorkbook(path);
    const ledger = await readSpend([path], { sheet: 'March 2025' });
    const [file] = ledger.files;
    expect(file!.source.format).toBe('xlsx');
    expect(file!.source.sheet).toBe('March 2025');
    expect(file!.source.headerLine).toBe(3);
    expect(file!.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ledger.rowsRead).toBe(6);
    // The blank-payee row (dated, transaction T5) is a payment to no one named: accepted, unattributable.
    expect(ledger.rowsAccepted).toBe(6);
    expect(file!.rejectedBy).toEqual({});
    expect(file).toMatchObject({ unattributableRows: 1, unattributable: 5000 });
    // 1234.56 + 0.30 + 2469.12 + 1000.00 + 50.00 (unattributable) - 12.50
    expect(ledger.total).toBe(123456 + 30 + 246912 + 100000 + 5000 - 1250);
    // The sheet's own "Total" row (£4,691.48) leaves out the £50.00 to the blank payee: it no longer agrees. The rows
    // accepted come to £4,741.48, £50.00 over it: the difference is the amount, its sign the direction.
    expect(file!.statedTotal).toBe(469148);
    expect(ledger.findings.count('FILE_TOTAL_AGREES')).toBe(0);
    expect(ledger.findings.details.filter((f) => f.code === 'FILE_TOTAL_DIFFERS')).toEqual([
      { code: 'FILE_TOTAL_DIFFERS', file: 'march.xlsx', line: 10, args: { stated: '£4,691.48', accepted: '£4,741.48', difference: '£50.00', direction: 'over', rejected: 0 } },
    ]);
    expect(ledger.firstDate).toBe('2025-03-03');
    expect(ledger.lastDate).toBe('2025-03-08');
    const acme = [...ledger.suppliers.values()].find((s) => s.key === 'name:acme limited')!;
    expect(acme.amount).toBe(123456 + 246912);
    expect(acme.spellings.size).toBe(2);
    expect(ledger.findings.count('AMOUNT_ROUNDED')).toBe(0);
    expect(ledger.findings.count('SUPPLIER_MISSING')).toBe(0);
    expect(ledger.findings.details.filter((f) => f.code === 'SUPPLIER_UNATTRIBUTABLE')).toEqual([
      { code: 'SUPPLIER_UNATTRIBUTABLE', file: 'march.xlsx', args: { rows: 1, amount: '£50.00' } },
    ]);
    const unattributable = ledger.suppliers.get('unattributable')!;
    expect([unattributable.amount, unattributable.payments, [...unattributable.spellings.keys()]]).toEqual([5000, 1, ['(blank)']]);
  });

  it('reads the first sheet by default, a #Sheet suffix, and refuses a sheet that is not there', async () => {
    const path = join(dir, 'book.xlsx');
    await writeWorkbook(path);
    await expect(readSpend([path])).rejects.toThrow(/no supplier column|no amount column/);
    const ledger = await readSpend([`${path}#March 2025`]);
    expect(ledger.rowsAccepted).toBe(6);
    const error = await readSpend([path], { sheet: 'April' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('book.xlsx has no sheet "April".');
    expect((error as InputError).options.hint).toMatch(/"Notes", "March 2025"/);
  });

  it('reads a "CSV" that is really a workbook, and refuses an old .xls with what to do', async () => {
    const path = join(dir, 'payments.csv');
    await writeWorkbook(path);
    const ledger = await readSpend([path], { sheet: 'March 2025' });
    expect(ledger.total).toBe(474148);
    const xls = join(dir, 'old.csv');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    await expect(readSpend([xls])).rejects.toThrow(/old binary Excel workbook \(\.xls\)/);
    const zip = join(dir, 'not-a-workbook.xlsx');
    writeFileSync(zip, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]));
    await expect(readSpend([zip])).rejects.toBeInstanceOf(InputError);
  });

  it('takes --sheet from the command line, and reads a supplier register kept as a workbook', async () => {
    const path = join(dir, 'flag.xlsx');
    await writeWorkbook(path);
    const settings = await settingsFrom(undefined, { spend: [path], sheet: 'March 2025' });
    expect(settings.sheet).toBe('March 2025');
    const analysis = await analyse(settings, { allowNoArea: true });
    expect(analysis.ledger).toMatchObject({ rowsRead: 6, rowsAccepted: 6, total: 474_148 });
    expect(analysis.inputs[0]!.source).toMatchObject({ format: 'xlsx', sheet: 'March 2025', headerLine: 3 });

    const registerPath = join(dir, 'register.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Suppliers');
    sheet.addRow(['Supplier', 'Supplier ID', 'Postcode', 'Type', 'Company Number']);
    sheet.addRow(['Acme Ltd', 1001, 'HX1 1RE', 'SME', '01234567']);
    sheet.addRow(['Gamma CIC', 1002, 'LS1 4AP', 'VCSE']);
    await workbook.xlsx.writeFile(registerPath);
    const register = await readSupplierRegister(registerPath);
    expect(register.entries.map((e) => [e.supplier, e.supplierId, e.postcode, e.type, e.companyNumber])).toEqual([
      ['Acme Ltd', '1001', 'HX1 1RE', 'SME', '01234567'],
      ['Gamma CIC', '1002', 'LS1 4AP', 'VCSE', ''],
    ]);
  });

  it('writes numbers as Excel shows them, to 15 significant digits', () => {
    expect(numberText(1234.56)).toBe('1234.56');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1234.5599999999999)).toBe('1234.56');
    expect(numberText(-12.5)).toBe('-12.5');
    expect(numberText(123456789012)).toBe('123456789012');
    expect(numberText(1e-7)).toBe('0.0000001');
  });
});
