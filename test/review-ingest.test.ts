import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { InputError } from '../src/errors.js';
import { parsePeriod } from '../src/ingest/date.js';
import { readPayroll } from '../src/ingest/payroll.js';
import { type RegisterEntry, readSupplierRegister, registerCsv, type RegisterPlan, writeRegister } from '../src/ingest/register.js';
import { readSpend } from '../src/ingest/spend.js';

/** Fixes from the ingest review: each test fails without its fix. */
const dir = mkdtempSync(join(tmpdir(), 'li-review-ingest-'));
const write = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('subtotal lines', () => {
  it('sets monthly "Sub Total" rows aside and reads on to the end', async () => {
    const path = write(
      'subtotals.csv',
      [
        'Date,Supplier,Amount',
        '01/04/2024,Acme Ltd,100.00',
        '02/04/2024,Beta Ltd,50.00',
        ',Sub Total,150.00',
        '01/05/2024,Acme Ltd,20.00',
        'Sub-total,,20.00',
        '01/06/2024,Gamma Ltd,7.25',
        '',
      ].join('\n'),
    );
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(17725);
    expect(ledger.rowsRead).toBe(4);
    expect(ledger.rowsAccepted).toBe(4);
    expect(ledger.files[0]!.rowsSubtotal).toBe(2);
    expect(ledger.findings.count('SUBTOTAL_SKIPPED')).toBe(2);
    expect(ledger.findings.details.filter((f) => f.code === 'SUBTOTAL_SKIPPED').map((f) => f.line)).toEqual([4, 6]);
    expect(ledger.findings.count('FOOTER_NOT_READ')).toBe(0);
    expect(ledger.findings.count('FILE_TOTAL_AGREES')).toBe(0);
    expect(ledger.suppliers.size).toBe(3);
  });

  it('sets "April Total" and "Total for May" rows with no date aside; still reads "Total Gas & Power Ltd"', async () => {
    const path = write(
      'period-totals.csv',
      [
        'Date,Supplier,Amount',
        '01/04/2024,Acme Ltd,100.00',
        ',April Total,100.00',
        '01/05/2024,Total Gas & Power Ltd,30.00',
        ',Total for May 2024,30.00',
        ',Total Gas & Power Ltd,1.00',
        '01/06/2024,Acme Ltd,5.00',
        ',Grand Total,136.00',
      ].join('\n'),
    );
    const ledger = await readSpend([path], { period: parsePeriod('2024-04-01..2025-03-31')! });
    expect(ledger.total).toBe(13600);
    expect(ledger.rowsAccepted).toBe(4);
    expect(ledger.files[0]!.rowsSubtotal).toBe(2);
    expect([...ledger.suppliers.values()].map((s) => [s.key, s.amount])).toEqual([
      ['name:acme limited', 10500],
      ['name:total gas and power limited', 3100],
    ]);
    // Only the real payment with no date is worth a word about its date, not the subtotal lines.
    expect(ledger.findings.count('DATE_MISSING_WITH_PERIOD')).toBe(1);
    expect(ledger.findings.count('FILE_TOTAL_AGREES')).toBe(1);
  });

  it('does not say the file total agrees when payments follow the footer', async () => {
    const path = write('total-then-data.csv', 'Supplier,Amount\nAcme Ltd,10.00\nTotal,10.00\nBeta Ltd,5.00\n');
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(1000);
    expect(ledger.findings.count('DATA_AFTER_FOOTER')).toBe(1);
    expect(ledger.findings.count('FILE_TOTAL_AGREES')).toBe(0);
  });
});

describe('payroll totals lines', () => {
  it('does not count a "Total" line as an employee; skips blank rows and reads nothing after the footer', async () => {
    const path = write(
      'payroll-total.csv',
      [
        'Employee ID,Home Postcode,Gross Pay,Employer NI',
        'E1,HX1 1RE,30000.00,3000.00',
        ',,,',
        'E2,LS1 4DY,40000.00,4000.00',
        'Sub Total,,70000.00,7000.00',
        'E3,HX1 1RE,32000.00,3200.00',
        'Total,,1020000,102000',
        'Prepared by payroll,,,',
      ].join('\n'),
    );
    const payroll = await readPayroll(path);
    expect(payroll.employees.map((e) => [e.id, e.grossPay])).toEqual([
      ['E1', 3_000_000],
      ['E2', 4_000_000],
      ['E3', 3_200_000],
    ]);
    expect(payroll.file.rowsRead).toBe(3);
    expect(payroll.file.accepted).toBe(10_200_000);
    expect(payroll.file.rowsBlank).toBe(1);
    expect(payroll.file.rowsSubtotal).toBe(1);
    expect(payroll.file.footerRows).toBe(2);
    expect(payroll.findings.count('FOOTER_NOT_READ')).toBe(1);
    expect(payroll.findings.count('PAYROLL_NO_EMPLOYEE_ID')).toBe(0);
  });

  it('says each row is one person when there is no employee id column', async () => {
    const path = write('payroll-no-id.csv', 'Home Postcode,Gross Pay\nHX1 1RE,2500.00\nHX1 1RE,2500.00\nLS1 4DY,3000.00\n');
    const payroll = await readPayroll(path);
    expect(payroll.employees).toHaveLength(3);
    expect(payroll.findings.count('PAYROLL_NO_EMPLOYEE_ID')).toBe(1);
    expect(payroll.findings.details.find((f) => f.code === 'PAYROLL_NO_EMPLOYEE_ID')!.args).toEqual({ rows: 3 });
  });
});

describe('choosing columns', () => {
  const fail = async (path: string) => {
    const error = await readSpend([path]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  };

  it('takes a "Supplier" column of short names (BT, EE, O2, 3M)', async () => {
    const path = write('short-names.csv', 'Supplier,Amount\nBT,10.00\nEE,5.00\nO2,1.00\n3M,2.00\n');
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(1800);
    expect([...ledger.suppliers.keys()]).toEqual(['name:bt', 'name:ee', 'name:o2', 'name:3m']);
    expect(ledger.files[0]!.source.columns.find((c) => c.field === 'supplier')!.header).toBe('Supplier');
  });

  it('takes an "Amount" column whose first values are mostly bad, and rejects the bad rows one by one', async () => {
    const path = write('bad-amounts.csv', 'Supplier,Amount\nAcme Ltd,10.00\nBeta Ltd,n/a\nGamma Ltd,tbc\nDelta Ltd,see note\n');
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(1000);
    expect(ledger.rowsAccepted).toBe(1);
    expect(ledger.files[0]!.rejectedBy).toEqual({ AMOUNT_UNPARSEABLE: 3 });
  });

  it("suggests each missing field's own likely header, and says why candidates were refused", async () => {
    const path = write('no-columns.csv', 'Vendor Code,Narrative,Cost\nV001,Widgets,10.00\nV002,Gadgets,5.00\n');
    const error = await fail(path);
    expect(error.message).toContain('no supplier column');
    expect(error.message).toContain('no amount column');
    const hint = error.options.hint!;
    expect(hint).toContain('"Vendor Code" was not taken as the supplier column: its values are codes, not names.');
    expect(hint).toContain('--spend-column supplier="Vendor Code"');
    expect(hint).toContain('--spend-column amount="Cost"');
    expect(hint).not.toContain('amount="Vendor Code"');
  });

  it('says plainly when a file has a header row and no data rows', async () => {
    const error = await fail(write('header-only.csv', 'Date,Supplier,Amount\n\n'));
    expect(error.message).toBe('header-only.csv has a header row (line 1) but no data rows.');
    expect(error.exitCode).toBe(1);
  });
});

describe('a file that is not text', () => {
  it('fails with "not a text (CSV) file" rather than listing mojibake as headers', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const error = (await readSpend([write('binary.csv', bytes)]).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('binary.csv is not a text (CSV) file.');
    expect(error.options.hint).not.toContain('Headers found');
  });

  it('reads a UTF-16 "Unicode text" export (with its byte-order mark) as the text it is, payroll too', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Employee ID\tGross Pay\r\nE1\t100.00\r\nE2\t250.50\r\n', 'utf16le')]);
    const payroll = await readPayroll(write('pay.txt', bytes));
    expect(payroll.employees.map((e) => [e.id, e.grossPay])).toEqual([['E1', 10000], ['E2', 25050]]);
    expect(payroll.file.source.encoding).toBe('utf-16le');
    expect(payroll.findings.details.map((f) => f.code)).toContain('ENCODING_UTF16');
  });

  it('still refuses UTF-16 without its byte-order mark, as not text', async () => {
    const bytes = Buffer.from('Employee ID\tGross Pay\r\nE1\t100.00\r\n', 'utf16le');
    const error = (await readPayroll(write('pay-nobom.txt', bytes)).catch((e: unknown) => e)) as InputError;
    expect(error.message).toBe('pay-nobom.txt is not a text (CSV) file.');
    expect(error.options.hint).toContain('CSV UTF-8');
  });
});

describe('a spend file with no row usable', () => {
  const outside = () => write('outside.csv', 'Date,Supplier,Amount\n01/04/2023,Acme Ltd,10.00\n02/04/2023,Beta Ltd,5.00\n03/05/2024,Gamma Ltd,1.00\n');

  it('is an input error naming the file and the main reason with its count', async () => {
    const error = (await readSpend([outside()], { period: parsePeriod('2024-04-01..2024-04-30')! }).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('outside.csv: none of its 3 row(s) could be used; 3 rejected as DATE_OUTSIDE_PERIOD (dated outside the period).');
  });

  it('gives the commonest reason first when rows fail for several', async () => {
    const path = write('unparseable.csv', 'Supplier,Amount\nAcme Ltd,n/a\nBeta Ltd,tbc\n,5.00\n');
    const error = (await readSpend([path]).catch((e: unknown) => e)) as InputError;
    expect(error.message).toBe('unparseable.csv: none of its 3 row(s) could be used; 2 rejected as AMOUNT_UNPARSEABLE (the amount is not a number of pounds), and 1 SUPPLIER_MISSING.');
  });

  it('makes both run and check exit 1', async () => {
    const path = outside();
    for (const command of ['run', 'check']) {
      let stderr = '';
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
      try {
        const code = await main(['node', 'local-impact', command, '--spend', path, '--area', 'HX', '--period', '2024-04-01..2024-04-30', ...(command === 'run' ? ['--out', join(dir, 'r.xlsx')] : [])]);
        expect(code, command).toBe(1);
        expect(stderr, command).toContain('outside.csv: none of its 3 row(s) could be used; 3 rejected as DATE_OUTSIDE_PERIOD');
      } finally {
        out.mockRestore();
        err.mockRestore();
      }
    }
  });
});

describe('the supplier register written as CSV', () => {
  const entry = (supplier: string, reason: string, extra: Record<string, string>): RegisterEntry => ({
    line: 0, supplier, supplierId: '', postcode: 'HX1 1RE', local: true, reason, type: undefined, companyNumber: '', charityNumber: '', sector: '', extra,
  });
  const plan = (entries: RegisterEntry[]): RegisterPlan => ({
    rows: entries.map((e) => ({ supplier: undefined, entry: e, located: true, locatedShareIfDone: undefined })),
    attributable: 0, located: 0, unattributable: 0, toReach: [],
  });
  const entries = [
    entry('=HYPERLINK("http://x.example","click")', '+1 rating', { Notes: '@SUM(A1)' }),
    entry('-Acme Ltd', "'=already quoted", { Notes: '-12.50' }),
    entry('Plain Ltd', "it's fine", { Notes: "'-5" }),
  ];

  it('guards cells a spreadsheet would run as formulas', () => {
    const lines = registerCsv(plan(entries)).split('\r\n');
    expect(lines[1]!.startsWith('"\'=HYPERLINK(""http://x.example"",""click"")"')).toBe(true);
    expect(lines[1]).toContain(",'+1 rating,");
    expect(lines[1]).toContain(",'@SUM(A1),");
    expect(lines[2]!.startsWith("'-Acme Ltd,")).toBe(true);
    expect(lines[2]).toContain(",''=already quoted,");
    // A plain negative number is not a formula: left as a number.
    expect(lines[2]).toContain(',-12.50,');
  });

  it('reads back exactly what was written', async () => {
    const path = join(dir, 'register.csv');
    await writeRegister(path, plan(entries));
    const read = await readSupplierRegister(path);
    expect(read.entries.map((e) => [e.supplier, e.reason, e.extra])).toEqual([
      ['=HYPERLINK("http://x.example","click")', '+1 rating', { Notes: '@SUM(A1)' }],
      ['-Acme Ltd', "'=already quoted", { Notes: '-12.50' }],
      ['Plain Ltd', "it's fine", { Notes: "'-5" }],
    ]);
  });

  it('replaces an existing register whole, leaving no temporary file beside it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'li-register-'));
    const path = join(folder, 'suppliers.csv');
    writeFileSync(path, 'old contents that are much longer than the new register will be '.repeat(100));
    const before = statSync(path).ino;
    await writeRegister(path, plan(entries.slice(2)));
    // A new file renamed into place, not the old one truncated and written over.
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(folder)).toEqual(['suppliers.csv']);
    expect(readFileSync(path, 'utf8')).toBe(registerCsv(plan(entries.slice(2))));
  });
});

describe('check shows subtotal rows it skipped', () => {
  it('counts them in the terminal and JSON output', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { cli } = await import('./cli-helper.js');
    const dir = mkdtempSync(join(tmpdir(), 'local-impact-subtotal-'));
    const path = join(dir, 'months.csv');
    writeFileSync(path, 'Date,Supplier,Amount\n01/04/2024,Acme Ltd,100.00\n,Sub Total,100.00\n01/05/2024,Acme Ltd,200.00\n,Sub Total,200.00\n');
    const text = await cli('check', '--spend', path);
    expect(text.stdout).toContain('subtotal rows skipped (not summed): 2');
    const json = JSON.parse((await cli('check', '--spend', path, '--json')).stdout);
    expect(json.files[0]).toMatchObject({ rowsRead: 2, rowsAccepted: 2, rowsSubtotal: 2, acceptedTotal: 300 });
  });
});
