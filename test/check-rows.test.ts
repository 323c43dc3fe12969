import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readSpend } from '../src/ingest/spend.js';
import { cli, FIXTURE } from './cli-helper.js';

// `check --rows` and `--rejected`: the table as the tool read it, for a finance lead to reconcile with the ledger.
const dir = mkdtempSync(join(tmpdir(), 'local-impact-rows-'));
const COUNCIL = '../shared/data/council-spend';
let n = 0;
const readCsv = (path: string) => parse(readFileSync(path, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
const pence = (decimal: string) => {
  const [whole, fraction] = decimal.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction);
  return decimal.startsWith('-') ? -value : value;
};

describe('check --rows reproduces every shared council file to the penny', () => {
  for (const file of readdirSync(COUNCIL).filter((f) => f.endsWith('.csv'))) {
    it(file, async () => {
      const rows = join(dir, `rows-${n++}.csv`);
      const rejected = join(dir, `rejected-${n++}.csv`);
      const { code, stderr } = await cli('check', '--spend', join(COUNCIL, file), '--rows', rows, '--rejected', rejected);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect([0, 1]).toContain(code);
      const ledger = await readSpend([join(COUNCIL, file)]);
      const accepted = readCsv(rows);
      expect(accepted).toHaveLength(ledger.rowsAccepted);
      expect(accepted.reduce((sum, row) => sum + pence(row.amount!), 0)).toBe(ledger.total);
      const refused = readCsv(rejected).filter((row) => row.status === 'rejected');
      expect(refused).toHaveLength(ledger.rowsRejected);
      expect(accepted.length + refused.length).toBe(ledger.rowsRead);
    });
  }
});

describe('check --rows and --rejected on a damaged file', () => {
  const damaged = join(dir, 'damaged.csv');
  writeFileSync(
    damaged,
    'Date,Supplier,Amount,Ref\n01/04/2024,"Smith & Sons,10.00,T1\n02/04/2024,=HYPERLINK("x"),20.00,T2\n03/04/2024,Beta, 24""",T3\n04/04/2024,Gamma,$5,T4\n',
  );

  it('lists each accepted row as understood, each rejected and recovered row with its code and raw text', async () => {
    const rows = join(dir, 'd-rows.csv');
    const rejected = join(dir, 'd-rejected.csv');
    const { code } = await cli('check', '--spend', damaged, '--rows', rows, '--rejected', rejected);
    expect(code).toBe(0);
    const text = readFileSync(rows, 'utf8');
    expect(text.startsWith('\ufefffile,line,supplier,amount,date,postcode,category,transaction_id,classed\r\n')).toBe(true);
    expect(readCsv(rows).map((r) => [r.line, r.supplier, r.amount, r.date, r.transaction_id, r.classed])).toEqual([
      ['2', '"Smith & Sons', '10.00', '2024-04-01', 'T1', 'payment, recovered'],
      // A formula is guarded, as in the supplier register.
      ['3', '\'=HYPERLINK("x")', '20.00', '2024-04-02', 'T2', 'payment, recovered'],
    ]);
    expect(readCsv(rejected).map((r) => [r.line, r.status, r.code, r.amount, r.raw])).toEqual([
      ['2', 'recovered', 'QUOTE_SPANS_ROWS', '10.00', '01/04/2024,"Smith & Sons,10.00,T1'],
      ['3', 'recovered', 'QUOTE_SPANS_ROWS', '20.00', '02/04/2024,=HYPERLINK("x"),20.00,T2'],
      ['4', 'rejected', 'AMOUNT_UNPARSEABLE', '', '03/04/2024,Beta, 24""",T3'],
      ['5', 'rejected', 'AMOUNT_NOT_POUNDS', '', '04/04/2024,Gamma,$5,T4'],
    ]);
  });

  it('lists payroll rejections by line and code only, never their text', async () => {
    const payroll = join(dir, 'payroll.csv');
    writeFileSync(payroll, 'Employee ID,Name,Home Postcode,Gross Pay\nE1,Ann Secret,HX1 1AA,20000\nE2,Bob Hidden,HX1 1AB,lots\n');
    const rejected = join(dir, 'p-rejected.csv');
    await cli('check', '--payroll', payroll, '--rejected', rejected);
    const text = readFileSync(rejected, 'utf8');
    expect(readCsv(rejected).map((r) => [r.file, r.line, r.code, r.raw])).toEqual([['payroll.csv', '3', 'GROSS_PAY_UNPARSEABLE', '']]);
    expect(text).not.toMatch(/Bob|Hidden|lots|HX1/);
  });

  it('writes nothing when the check fails, and leaves no temporary file', async () => {
    const rows = join(dir, 'never.csv');
    const { code } = await cli('check', '--spend', join(dir, 'missing.csv'), '--rows', rows);
    expect(code).not.toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('never') || f.startsWith('.local-impact-tmp-'))).toEqual([]);
  });

  it('the bundled example reads whole', async () => {
    const rows = join(dir, 'fixture-rows.csv');
    await cli('check', '--spend', join(FIXTURE, 'payments-2024-25.csv'), '--rows', rows);
    expect(readCsv(rows).reduce((sum, row) => sum + pence(row.amount!), 0)).toBe(47_072_258);
  });
});
