import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSupplierRegister } from '../src/ingest/register.js';
import { readSpend } from '../src/ingest/spend.js';

// Broken and hostile spend files, each a class of damage seen in real ledgers: every row is accepted or
// rejected with a code, and the money on every damaged line is said. Figures worked by hand.
const dir = mkdtempSync(join(tmpdir(), 'local-impact-hostile-'));
let n = 0;
const write = (text: string) => {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, text);
  return path;
};
const codes = (ledger: Awaited<ReturnType<typeof readSpend>>) => ledger.findings.details.map((f) => f.code);
const found = (ledger: Awaited<ReturnType<typeof readSpend>>, code: string) => ledger.findings.details.filter((f) => f.code === code);
const amounts = (ledger: Awaited<ReturnType<typeof readSpend>>) => Object.fromEntries([...ledger.suppliers.values()].map((s) => [s.spellings.keys().next().value, s.amount]));

describe('a stray quote swallows no rows in silence', () => {
  it('re-reads the lines a stray quote ran over, recovers each whole row, and says so with the money', async () => {
    const ledger = await readSpend([
      write('Date,Supplier,Amount\n01/04/2024,"Smith & Sons,10.00\n02/04/2024,Jones,20.00\n03/04/2024,"Brown",30.00\n04/04/2024,Green,40.00\n'),
    ]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([4, 4, 0, 10000]);
    expect(amounts(ledger)).toEqual({ '"Smith & Sons': 1000, Jones: 2000, Brown: 3000, Green: 4000 });
    expect(ledger.files[0]!.rowsRecovered).toBe(3);
    const [damage] = found(ledger, 'QUOTE_DAMAGE');
    expect(damage).toMatchObject({ line: 2, args: { lines: '2\u20134', recovered: 3, recoveredLines: '2\u20134', rejected: 0, amount: '£60.00' } });
  });

  it('an unclosed quote to the end of the file: whole rows recovered, the rest rejected with their money', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,"Smith,10.00\nnotes, more notes\n03/04/2024,Jones,20.00\n')]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([4, 3, 1, 3500]);
    expect(found(ledger, 'ROW_DAMAGED').map((f) => f.line)).toEqual([4]);
    expect(found(ledger, 'QUOTE_DAMAGE')[0]!.args).toMatchObject({ lines: '3\u20135', recovered: 2, recoveredLines: '3, 5', rejected: 1, amount: '£30.00' });
  });

  it('is one rule for every table: a supplier register damaged alike says its stretch alike, without the money', async () => {
    const spend = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,"Smith,10.00\nnotes, more notes\n03/04/2024,Jones,20.00\n')]);
    const register = await readSupplierRegister(write('Date,Supplier,Postcode\n01/04/2024,Acme,HX1 1AA\n02/04/2024,"Smith,HX1 1AB\nnotes, more notes\n03/04/2024,Jones,HX1 1AC\n'));
    const said = (findings: { code: string; line?: number; args?: Record<string, unknown> }[]): Record<string, unknown>[] =>
      findings.filter((f) => f.code === 'QUOTE_DAMAGE').map((f) => ({ line: f.line, ...f.args }));
    const { amount, ...stretch } = said(spend.findings.details)[0]!;
    expect(amount).toBe('£30.00');
    expect(said(register.findings.details)).toEqual([{ ...stretch, amount: undefined }]);
    expect(register.findings.details.filter((f) => f.code === 'ROW_DAMAGED').map((f) => f.line)).toEqual([4]);
    // Lines recovered in a run are named as one ("2–4"), and a one-line stretch re-read whole is said too: the
    // register's reader once listed "2, 3, 4" and kept quiet about the second.
    for (const tail of ['01/04/2024,"Smith & Sons,X\n02/04/2024,Jones,Y\n03/04/2024,"Brown",Z\n04/04/2024,Green,W\n', '01/04/2024,Acme,X\n02/04/2024,"Smith,Y\n']) {
      const money = tail.replace(/,([XYZW])\n/g, (_, letter: string) => `,${'XYZW'.indexOf(letter) + 1}0.00\n`);
      const postcodes = tail.replace(/,([XYZW])\n/g, (_, letter: string) => `,HX1 ${'XYZW'.indexOf(letter) + 1}AA\n`);
      const inSpend = said((await readSpend([write(`Date,Supplier,Amount\n${money}`)])).findings.details);
      const inRegister = said((await readSupplierRegister(write(`Date,Supplier,Postcode\n${postcodes}`))).findings.details);
      expect(inSpend).toHaveLength(1);
      expect(inRegister).toEqual(inSpend.map((f) => ({ ...f, amount: undefined })));
    }
  });

  it('a real multi-line field (an address) is read as one field and raises nothing', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,"Smith & Sons\nUnit 4, High St",10.00\n02/04/2024,Jones,20.00\n')]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.total]).toEqual([2, 2, 3000]);
    expect(codes(ledger)).not.toContain('QUOTE_DAMAGE');
  });

  it('a field over limits.maxFieldBytes is a coded rejection, and the rows after it are read', async () => {
    const long = 'x'.repeat(5000);
    const ledger = await readSpend([write(`Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,${long},7.00\n03/04/2024,Jones,20.00\n`)], { maxFieldBytes: 2048 });
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([3, 2, 1, 2500]);
    expect(found(ledger, 'FIELD_TOO_LONG')[0]).toMatchObject({ line: 3, args: { limit: 2048 } });
    expect(found(ledger, 'FIELD_TOO_LONG')[0]!.raw!.length).toBeLessThanOrEqual(240);
  });
});

describe('no wrong amount accepted in silence', () => {
  it('a quote mark in the amount, or another currency, is rejected with the raw text', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme, 24"""\n02/04/2024,Beta,$12.00\n03/04/2024,Gamma,€5\n04/04/2024,Delta,GBP 3.00\n')]);
    expect([ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([1, 3, 300]);
    expect(found(ledger, 'AMOUNT_UNPARSEABLE').map((f) => [f.line, f.args?.value])).toEqual([[2, ' 24"""']]);
    expect(found(ledger, 'AMOUNT_NOT_POUNDS').map((f) => [f.line, f.args?.currency])).toEqual([[3, '$'], [4, '€']]);
  });

  it('a row whose cells a stray comma shifted is rejected, its money said; a file-wide trailing cell is not damage', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount,Ref\n01/04/2024,Acme,5.00,A1\n02/04/2024,Smith, J,12,B2\n03/04/2024,Jones,20.00,C3\n')]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([3, 2, 1, 2500]);
    expect(found(ledger, 'ROW_TOO_WIDE')[0]).toMatchObject({ line: 3, args: { fields: 5, expected: 4, value: ' J' } });
    expect(ledger.files[0]!.rejectedAmount).toBe(0);
    // Newcastle's shape: every row carries an unnamed "#N/A" past the header.
    const wide = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00,#N/A\n02/04/2024,Jones,20.00,#N/A\n')]);
    expect([wide.rowsAccepted, wide.rowsRejected, wide.total]).toEqual([2, 0, 2500]);
  });
});

describe('no payment lost to a guess about the footer', () => {
  const NAMES = ['Acme Copyright Consultancy', 'Total Fitness Ltd', 'Grand Central Hotels', 'Summary Services Ltd', 'Total'];

  it.each([
    ['first', (rows: string[]) => [...NAMES.map((name, i) => `0${i + 1}/04/2024,${name},1.00`), ...rows]],
    ['last', (rows: string[]) => [...rows, ...NAMES.map((name, i) => `0${i + 1}/05/2024,${name},1.00`)]],
    ['many times', (rows: string[]) => rows.flatMap((row, i) => [row, `1${i % 9}/06/2024,${NAMES[i % NAMES.length]},1.00`])],
  ])('dated payments to suppliers with footer-like names, placed %s, are all read', async (_where, place) => {
    const rows = Array.from({ length: 20 }, (_, i) => `1${i % 9}/04/2024,Supplier ${i},2.00`);
    const lines = place(rows);
    const ledger = await readSpend([write(`Date,Supplier,Amount\n${lines.join('\n')}\n`)]);
    const named = lines.length - rows.length;
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.total]).toEqual([lines.length, lines.length, 20 * 200 + named * 100]);
    expect(codes(ledger)).not.toContain('FOOTER_NOT_READ');
  });

  it('a totals line followed by more payments is not the end: it is set aside and reading goes on', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount,Ref\n01/04/2024,Acme,5.00,T1\nTotal,,5.00,\n\nCopyright Calder Council,,,\n02/05/2024,Jones,20.00,T2\n,Beta,7.00,T3\n')]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.total]).toEqual([3, 3, 3200]);
    expect(found(ledger, 'FOOTER_NOT_LAST')[0]).toMatchObject({ line: 3, args: { resumed: 6, between: 1, stated: '£5.00' } });
    expect(codes(ledger)).not.toContain('FOOTER_NOT_READ');
  });

  it('a real footer still ends the data, and undated rows after it are said with their money', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,Jones,20.00\nTotal,,25.00\nAcme,,5.00\nSummary by supplier,Jones,20.00\n')]);
    expect([ledger.rowsRead, ledger.total]).toEqual([2, 2500]);
    expect(codes(ledger)).toEqual(expect.arrayContaining(['FOOTER_NOT_READ', 'DATA_AFTER_FOOTER']));
    expect(found(ledger, 'DATA_AFTER_FOOTER')[0]!.args).toMatchObject({ rows: 1, amount: '£20.00' });
  });
});

describe('two tables in one file', () => {
  it('a second header starts a second table: a finding, not a rejected payment, and both tables read', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,Jones,20.00\n\nDate,Supplier,Amount\n01/05/2024,Beta,7.00\n')]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([3, 3, 0, 3200]);
    expect(found(ledger, 'HEADER_REPEATED')[0]).toMatchObject({ line: 5, args: { table: 2 } });
  });

  it('a file holding the same table twice is never summed twice: the copy is rejected with its money', async () => {
    const table = 'Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,Jones,20.00\n03/04/2024,Beta,7.25\n';
    const ledger = await readSpend([write(`${table}${table}`)]);
    expect([ledger.rowsRead, ledger.rowsAccepted, ledger.rowsRejected, ledger.total]).toEqual([6, 3, 3, 3225]);
    expect(found(ledger, 'TABLE_REPEATED').map((f) => f.line)).toEqual([6, 7, 8]);
    expect(found(ledger, 'TABLES_REPEATED')[0]!.args).toMatchObject({ lines: '5\u20138', repeated: 3, rows: 3, amount: '£32.25' });
    expect(ledger.files[0]!.rejectedAmount).toBe(3225);
  });

  it('two tables of different payments with the same count and total are both read', async () => {
    const ledger = await readSpend([write('Date,Supplier,Amount\n01/04/2024,Acme,5.00\n02/04/2024,Jones,20.00\nDate,Supplier,Amount\n01/05/2024,Acme,20.00\n02/05/2024,Jones,5.00\n')]);
    expect([ledger.rowsAccepted, ledger.total]).toEqual([4, 5000]);
    expect(codes(ledger)).not.toContain('TABLES_REPEATED');
  });
});

describe('money after a real footer', () => {
  it('fails --strict: rows with an amount after the footer were not read, so a headline may be missing them', async () => {
    const { cli } = await import('./cli-helper.js');
    const path = write('Supplier,Supplier Postcode,Amount\nAcme,HX1 1AA,100.00\nTotal,,100.00\nBravo,HX1 1AA,40.00\n');
    const strict = await cli('run', '--spend', path, '--area', 'HX', '--income', '1000', '--strict', '--allow', 'ROUND3_NONE', '--no-report');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('DATA_AFTER_FOOTER');
    const allowed = await cli('run', '--spend', path, '--area', 'HX', '--income', '1000', '--strict', '--allow', 'ROUND3_NONE', '--allow', 'DATA_AFTER_FOOTER', '--no-report');
    expect(allowed.code).toBe(0);
  });
});
