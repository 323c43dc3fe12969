import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Supplier } from '../src/domain/supplier.js';
import { readSupplierRegister, registerCsv } from '../src/ingest/register.js';
import { planRegister } from '../src/pipeline/register.js';
import { readSpend } from '../src/ingest/spend.js';
import { isPlaceholderPayee, isUnattributable, PLACEHOLDER_PAYEES } from '../src/ingest/unattributable.js';
import { cli } from './cli-helper.js';

/**
 * Payees that stand for no one: placeholders ("Various", "Sundry Creditors") and blank payees of rows
 * that are payments (a date or a transaction id) go, like redacted payees, into the one unattributable
 * line: counted in the total, never located, never a supplier in the register.
 */
const dir = mkdtempSync(join(tmpdir(), 'li-placeholders-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('placeholder payee names', () => {
  it('are the whole name, case, punctuation and spacing aside', () => {
    for (const name of PLACEHOLDER_PAYEES) expect(isPlaceholderPayee(name), name).toBe(true);
    for (const name of ['VARIOUS.', 'various providers', 'Various  Suppliers', 'SUNDRY CREDITORS', 'Sundry creditors -', 'sundries', 'MISCELLANEOUS', 'petty-cash', 'CASH', 'n/a', 'N.A.', ' Not applicable ', 'UNKNOWN', 'T.B.C.', '(tbc)']) {
      expect(isUnattributable(name), name).toBe(true);
    }
  });

  it('are not real names that contain the words', () => {
    for (const name of ['Cash Converters Ltd', 'Various Homes Ltd', 'Sundry Supplies Ltd', 'Booker Cash & Carry Ltd', 'Unknown Worlds Ltd', 'TBC Bank', 'Miscellaneous Music Ltd', 'Various - Total Expenses', 'Nationwide']) {
      expect(isUnattributable(name), name).toBe(false);
    }
  });
});

/**
 * One file with each case. Unattributable: Various £100.00, SUNDRY CREDITORS £25.50, n/a £3.33, three
 * blank payees with a date and/or a transaction id (£7.77 + £1.11 + £2.22), REDACTED £12.34 and
 * "Sundry creditors -" £0.05 = 8 rows, £152.32. Suppliers: Cash Converters Ltd £40.00, Various Homes
 * Ltd £500.00. Rejected: the blank payee with neither a date nor a transaction id. Set aside: two
 * blank-payee "Sub Total" lines, one of them dated.
 */
const LEDGER = [
  'Date,Transaction ID,Supplier,Category,Amount',
  '01/04/2024,T1,Various,Grants,100.00',
  '02/04/2024,T2,SUNDRY CREDITORS,Supplies,25.50',
  '03/04/2024,T3,n/a,Supplies,3.33',
  '04/04/2024,T4,Cash Converters Ltd,Supplies,40.00',
  '05/04/2024,T5,,Fees,7.77',
  ',T6,,Fees,1.11',
  '06/04/2024,,,Fees,2.22',
  ',,,Fees,9.99',
  '07/04/2024,T7,Various Homes Ltd,Rent,500.00',
  '08/04/2024,T8,REDACTED PERSONAL DATA,Care,12.34',
  ',,,Sub Total,712.26',
  '09/04/2024,T9,"Sundry creditors -",Supplies,0.05',
  '10/04/2024,,,Sub Total,0.05',
  '',
].join('\r\n');

/** What a read of LEDGER must give, by whichever reader. */
function expectLedger(ledger: Awaited<ReturnType<typeof readSpend>>): void {
  const [file] = ledger.files;
  expect(ledger.rowsRead).toBe(11);
  expect(ledger.rowsAccepted).toBe(10);
  expect(ledger.rowsRejected).toBe(1);
  expect(ledger.rowsAccepted + ledger.rowsRejected).toBe(ledger.rowsRead);
  expect(file!.rejectedBy).toEqual({ SUPPLIER_MISSING: 1 });
  expect(file!.rowsSubtotal).toBe(2);
  expect(file!.unattributableRows).toBe(8);
  expect(file!.unattributable).toBe(15_232);
  expect(ledger.total).toBe(15_232 + 4_000 + 50_000);
  // Nothing is lost: the suppliers and the unattributable line add up to the total.
  expect([...ledger.suppliers.values()].map((s) => [s.key, s.amount, s.payments])).toEqual([
    ['unattributable', 15_232, 8],
    ['name:cash converters limited', 4_000, 1],
    ['name:various homes limited', 50_000, 1],
  ]);
  const line = ledger.suppliers.get('unattributable')!;
  expect([...line.spellings.values()].map((s) => [s.text, s.amount])).toEqual([
    ['Various', 10_000],
    ['SUNDRY CREDITORS', 2_550],
    ['n/a', 333],
    ['(blank)', 1_110],
    ['REDACTED PERSONAL DATA', 1_234],
    ['Sundry creditors -', 5],
  ]);
  expect(ledger.findings.details.filter((f) => f.code === 'SUPPLIER_MISSING').map((f) => [f.line, f.raw])).toEqual([[9, ',,,Fees,9.99']]);
  expect(ledger.findings.details.find((f) => f.code === 'SUPPLIER_UNATTRIBUTABLE')?.args).toEqual({ rows: 8, amount: '£152.32' });
}

describe('a spend file with placeholder and blank payees', () => {
  afterEach(() => {
    vi.resetModules();
  });

  it('puts placeholders and dated or referenced blank payees on the unattributable line, and rejects only the bare blank', async () => {
    expectLedger(await readSpend([write('placeholders.csv', LEDGER)]));
  });

  it('keeps a blank payee with no date or transaction id rejected, and a file with nothing else usable an input error', async () => {
    const path = write('bare.csv', 'Date,Supplier,Amount\n,,5.00\n,,6.00\n');
    await expect(readSpend([path])).rejects.toThrow('bare.csv: none of its 2 row(s) could be used; 2 rejected as SUPPLIER_MISSING (the supplier is blank).');
  });

  it('puts a blank payee with a supplier id on the unattributable line too, never under the id', async () => {
    const path = write('ids.csv', 'Date,Supplier,Supplier ID,Amount\n01/04/2024,Acme Ltd,S1,10.00\n02/04/2024,,S1,2.50\n03/04/2024,Various,S2,1.25\n');
    const ledger = await readSpend([path]);
    expect([...ledger.suppliers.values()].map((s) => [s.key, s.amount])).toEqual([['id:S1', 1_000], ['unattributable', 375]]);
  });
});

const DIST = join(__dirname, '..', 'dist', 'ingest', 'spend.js');

describe.skipIf(!existsSync(DIST))('placeholder and blank payees read in two halves at once', () => {
  afterEach(() => {
    delete process.env.LOCAL_IMPACT_PARALLEL;
    delete process.env.LOCAL_IMPACT_PARALLEL_MIN_BYTES;
  });

  it('gives exactly the one-pass result (dist/, as test/parallel.test.ts)', async () => {
    const lines = ['Date,Transaction ID,Supplier,Amount'];
    for (let i = 0; i < 3000; i++) {
      const supplier = ['Various', '', 'SUNDRY CREDITORS', 'Cash Converters Ltd', 'Acme Ltd'][i % 5];
      const dated = i % 7 !== 0;
      lines.push(`${dated ? `${String(1 + (i % 28)).padStart(2, '0')}/04/2024` : ''},${i % 3 === 0 ? '' : `T${i}`},${supplier},${i % 1000}.${String(i % 100).padStart(2, '0')}`);
    }
    const path = write('halves.csv', `${lines.join('\n')}\n`);
    const { readSpend: distReadSpend } = (await import(DIST)) as { readSpend: typeof readSpend };
    const read = async (parallel: boolean) => {
      process.env.LOCAL_IMPACT_PARALLEL = parallel ? '1' : '0';
      process.env.LOCAL_IMPACT_PARALLEL_MIN_BYTES = '1';
      const ledger = await distReadSpend([path]);
      await ledger.checksums;
      return {
        files: ledger.files.map(({ readAs: _, source: __, ...f }) => f),
        suppliers: [...ledger.suppliers.values()].map((s) => [s.key, s.amount, s.payments, [...s.spellings.values()].map((sp) => [sp.text, sp.amount])]),
        findings: ledger.findings.details.map((f) => [f.code, f.line, f.raw]),
      };
    };
    const parallel = await read(true);
    const sequential = await read(false);
    expect(parallel).toEqual(sequential);
  });
});

describe('the supplier register and its plan', () => {
  it('reads an entry named for no one as unattributable, kept as written', async () => {
    const path = write('register.csv', 'Supplier,Postcode,Local\nVarious,HX1 1RE,yes\nREDACTED PERSONAL DATA,,\nCash Converters Ltd,HX1 2AB,\n');
    const register = await readSupplierRegister(path);
    expect(register.entries.map((e) => [e.supplier, e.postcode, e.unattributable])).toEqual([
      ['Various', 'HX1 1RE', true],
      ['REDACTED PERSONAL DATA', '', true],
      ['Cash Converters Ltd', 'HX1 2AB', undefined],
    ]);
    expect(register.file).toMatchObject({ rowsRead: 3, rowsAccepted: 3, rowsRejected: 0 });
  });

  it('matches no supplier to such an entry, and keeps it at the end saying why', async () => {
    const register = await readSupplierRegister(write('plan.csv', 'Supplier,Supplier ID,Postcode,Local\nVarious,S9,HX1 1RE,yes\n'));
    const supplier = (over: Partial<Supplier>): Supplier => ({
      key: 'id:S9', name: 'Various Homes Ltd', spellings: [{ text: 'Various Homes Ltd', amount: 700 }], supplierId: 'S9', postcode: '', postcodeSource: 'none',
      status: 'unknown', basis: 'NO_POSTCODE', overrideReason: '', type: undefined, typeSource: undefined, sector: '', amount: 700, payments: 1, surveyPercent: undefined, ...over,
    });
    const unattributable = supplier({ key: 'unattributable', name: 'Unattributable', spellings: [{ text: 'Various', amount: 300 }], supplierId: '', amount: 300, unattributable: true });
    const plan = planRegister([supplier({}), unattributable], register.entries);
    expect(plan.rows.map((r) => [r.supplier?.name, r.entry?.supplier])).toEqual([['Various Homes Ltd', undefined], [undefined, 'Various']]);
    expect([plan.attributable, plan.located, plan.unattributable]).toEqual([700, 0, 300]);
    expect(registerCsv(plan).split('\r\n')[2]).toBe('Various,S9,,,HX1 1RE,yes,,,,unattributable: not a supplier,0.00,0,,,');
  });

  it('suppliers: "Various" and a blank payee are unattributable spend, not suppliers to locate', async () => {
    const spend = write('spend.csv', 'Date,Supplier,Postcode,Amount\n01/04/2024,Various,HX1 1RE,1000.00\n02/04/2024,Acme Ltd,HX1 1RE,250.00\n03/04/2024,Beta Ltd,,100.00\n04/04/2024,,HX1 1RE,5.00\n');
    const suppliers = write('suppliers.csv', 'Supplier,Postcode,Local,Reason\nVarious,HX1 1RE,yes,council says so\nBeta Ltd,HX2 0AA,,\n');
    const out = join(dir, 'out.csv');
    const result = await cli('suppliers', '--spend', spend, '--area', 'HX', '--suppliers', suppliers, '--out', out, '--json');
    expect(result.code).toBe(0);
    // Of all spend, as the coverage rule counts it: the £10.05 to payees named for no one cannot be located.
    expect(JSON.parse(result.stdout)).toMatchObject({ suppliers: 2, unlocatedSuppliers: 0, keptFromRegister: 1, attributableSpend: 350, locatedShare: 35_000 / 135_500, unattributableSpend: 1005 });
    const lines = readFileSync(out, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 1).concat(line.split(',').slice(9, 11)))).toEqual([
      ['Acme Ltd', 'local', '250.00'],
      ['Beta Ltd', 'local', '100.00'],
      ['Various', 'unattributable: not a supplier', '0.00'],
    ]);
  });
});
