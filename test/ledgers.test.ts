import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/analyse.js';
import { loadProjectFile, resolveSettings } from '../src/config/settings.js';
import { UsageError } from '../src/errors.js';
import { readSpend } from '../src/ingest/spend.js';
import { headerBasis } from '../src/ingest/vat.js';
import { summaryJson } from '../src/report/json.js';

/** Two monthly files that overlap by one payment, with a VAT column and spend that is not procurement. */
const dir = mkdtempSync(join(tmpdir(), 'local-impact-ledgers-'));
const HEADER = 'Date,Supplier Name,Transaction Number,Expense Type,Net Amount,VAT,Postcode';
const jan = join(dir, 'jan.csv');
const feb = join(dir, 'feb.csv');
writeFileSync(
  jan,
  [
    HEADER,
    '01/01/2025,Acme Ltd,T1,Stationery,100.00,20.00,HX1 1RE',
    '15/01/2025,West Yorkshire Pension Fund,T2,Pension Contributions,"5,000.00",0.00,WF1 2DE',
    '31/01/2025,HMRC,T3,Tax,700.00,,BX9 1AA',
    '31/01/2025,Beta Charity,T4,Grants,250.00,0,LS2 7AB',
    '',
  ].join('\r\n'),
);
writeFileSync(
  feb,
  [
    HEADER,
    '31/01/2025,ACME LIMITED,T1,Stationery,100.00,20.00,HX1 1RE', // the January payment again
    '01/02/2025,Acme Ltd,T5,Stationery,40.50,8.10,HX1 1RE',
    '01/02/2025,Acme Ltd,T1,Stationery,99.00,19.80,HX1 1RE', // same id, another amount: another payment
    '',
  ].join('\n'),
);
const register = join(dir, 'register.csv');
writeFileSync(register, 'Supplier,Type,Charity Number\nAcme Ltd,SME,\nBeta Charity,,1234567\n');

const EXCLUDE = [
  { category: 'pension  contributions', reason: 'pension contributions' },
  { pattern: '^HMRC\\b', reason: 'tax' },
  { supplier: 'Nobody Ltd', reason: 'never paid' },
];

describe('merged monthly files', () => {
  it('counts a payment repeated in a second file once, rejecting the copy with both places', async () => {
    const ledger = await readSpend([jan, feb]);
    expect(ledger).toMatchObject({ rowsRead: 7, rowsAccepted: 6, rowsRejected: 1, total: 618_950 });
    expect(ledger.files[1]!.rejectedBy).toEqual({ DUPLICATE_TRANSACTION: 1 });
    const duplicate = ledger.findings.details.find((f) => f.code === 'DUPLICATE_TRANSACTION')!;
    expect(duplicate).toMatchObject({ file: 'feb.csv', line: 2, args: { transaction: 'T1', supplier: 'ACME LIMITED', amount: '£100.00', first: 'jan.csv:2', again: 'feb.csv:2' } });
    expect(ledger.suppliers.get('name:acme limited')).toMatchObject({ amount: 23_950, payments: 3 });
  });

  it('does not look for repeats within one file, nor without a transaction id column', async () => {
    const one = await readSpend([feb, feb.replace('feb', 'feb')]);
    expect(one.rowsRejected).toBe(3); // the same file twice: every row of the second copy
    const noIds = join(dir, 'no-ids.csv');
    writeFileSync(noIds, 'Date,Supplier,Amount\n01/01/2025,Acme Ltd,100.00\n');
    const ledger = await readSpend([jan, noIds]);
    expect(ledger.rowsRejected).toBe(0);
    expect(ledger.findings.details.filter((f) => f.code === 'DUPLICATES_UNCHECKED').map((f) => f.file)).toEqual(['no-ids.csv']);
  });
});

describe('VAT basis', () => {
  it('reads what a money header says about VAT', () => {
    expect(['Net Amount', 'Invoice Nett Amount', 'Total (excludes VAT)', 'Amount ex VAT', 'Gross', 'Amount incl. VAT', 'Amount', 'Irrecoverable VAT'].map(headerBasis)).toEqual([
      'net', 'net', 'net', 'net', 'gross', 'gross', 'not stated', 'not stated',
    ]);
  });

  it('net (the default): net amounts as they are, and says which column', async () => {
    const ledger = await readSpend([jan]);
    expect(ledger.files[0]!.vat).toEqual({ basis: 'net', amountColumn: 'Net Amount', columnSays: 'net', vatColumn: 'VAT', adjustment: 'none' });
    expect(ledger.total).toBe(605_000);
  });

  it('gross: adds the VAT column to net amounts, row by row (a blank VAT cell adds nothing)', async () => {
    const ledger = await readSpend([jan, feb], { vatBasis: 'gross' });
    expect(ledger.files[0]!.vat).toMatchObject({ basis: 'gross', adjustment: 'added', vatColumn: 'VAT' });
    // 120.00 + 5,000.00 + 700.00 + 250.00, then 48.60 + 118.80; the repeated 120.00 counted once.
    expect(ledger.total).toBe(607_000 + 16_740);
    expect(ledger.rowsRejected).toBe(1);
    expect(ledger.findings.count('VAT_ADJUSTED')).toBe(2);
  });

  it('gross: prefers a column that states it, and warns when nothing can convert', async () => {
    const both = join(dir, 'both.csv');
    writeFileSync(both, 'Supplier,Net Amount,Gross Amount\nAcme Ltd,100.00,120.00\n');
    const switched = await readSpend([both], { vatBasis: 'gross' });
    expect(switched.files[0]!.vat).toMatchObject({ amountColumn: 'Gross Amount', adjustment: 'switched' });
    expect(switched.total).toBe(12_000);
    const netOnly = join(dir, 'net-only.csv');
    writeFileSync(netOnly, 'Supplier,Net Amount\nAcme Ltd,100.00\n');
    const differs = await readSpend([netOnly], { vatBasis: 'gross' });
    expect(differs.files[0]!.vat).toMatchObject({ amountColumn: 'Net Amount', columnSays: 'net', adjustment: 'differs' });
    expect(differs.total).toBe(10_000);
    expect(differs.findings.count('VAT_BASIS_DIFFERS')).toBe(1);
  });
});

describe('spend that is not procurement', () => {
  it('moves excluded spend to its own lines: accepted = analysed + excluded, nothing dropped', async () => {
    const ledger = await readSpend([jan, feb], { exclude: EXCLUDE });
    expect(ledger.excluded).toEqual([
      { rule: 'category "pension  contributions"', reason: 'pension contributions', amount: 500_000, payments: 1, suppliers: 1 },
      { rule: 'pattern /^HMRC\\b/', reason: 'tax', amount: 70_000, payments: 1, suppliers: 1 },
      { rule: 'supplier "Nobody Ltd"', reason: 'never paid', amount: 0, payments: 0, suppliers: 0 },
    ]);
    expect(ledger.excludedTotal).toBe(570_000);
    const analysed = [...ledger.suppliers.values()].reduce((sum, s) => sum + s.amount, 0);
    expect(analysed).toBe(48_950);
    expect(analysed + ledger.excludedTotal).toBe(ledger.total);
    expect([...ledger.suppliers.keys()].sort()).toEqual(['name:acme limited', 'name:beta charity']);
    expect(ledger.files[0]).toMatchObject({ rowsAccepted: 4, excludedRows: 2, excluded: 570_000, accepted: 605_000 });
    expect(ledger.findings.count('SPEND_EXCLUDED')).toBe(2);
    expect(ledger.findings.count('EXCLUDE_RULE_UNUSED')).toBe(1);
  });

  it('a rule with a supplier and a category needs both; a supplier rule matches any spelling or the id', async () => {
    const ledger = await readSpend([jan, feb], {
      exclude: [
        { supplier: 'acme limited', category: 'Grants', reason: 'no such payment' },
        { supplier: 'THE BETA CHARITY', reason: 'grant' },
      ],
    });
    expect(ledger.excluded.map((line) => [line.amount, line.payments])).toEqual([[0, 0], [25_000, 1]]);
  });

  it('refuses a rule that names nothing, and a pattern that is not a regular expression', async () => {
    const project = join(dir, 'project.json');
    writeFileSync(project, JSON.stringify({ exclude: [{ reason: 'levy' }] }));
    await expect(loadProjectFile(project)).rejects.toThrow(/give category, supplier or pattern/);
    expect(() => resolveSettings({ inputs: {}, columns: {}, conventions: { wages: 'gross', supplierAveraging: 'unweighted', vatBasis: 'net', coverageThreshold: 80 }, assumptions: {}, limits: { maxFieldBytes: 1048576 }, exclude: [{ pattern: '(', reason: 'x' }] }, undefined, {})).toThrow(UsageError);
  });
});

describe('the run, end to end', () => {
  it('puts the VAT basis in the settings, exclusions and spend by supplier type in the JSON', async () => {
    const project = join(dir, 'run.json');
    writeFileSync(
      project,
      JSON.stringify({
        area: 'HX',
        inputs: { spend: ['jan.csv', 'feb.csv'], suppliers: 'register.csv' },
        conventions: { vatBasis: 'net' },
        exclude: EXCLUDE,
      }),
    );
    const analysis = await analyse(resolveSettings(await loadProjectFile(project), project, {}));
    expect(analysis.settings.vatBasis).toBe('net');
    expect(analysis.spend).toMatchObject({ total: 48_950, local: 23_950, nonLocal: 25_000 });
    expect(analysis.ledger).toMatchObject({ total: 618_950, excludedTotal: 570_000 });
    expect(analysis.excluded.map((line) => line.amount)).toEqual([500_000, 70_000, 0]);
    const json = summaryJson(analysis, null);
    expect(json.spend).toMatchObject({ total: 489.5, excluded: 5700, vatBasis: 'net', rowsRead: 7, rowsAccepted: 6, rowsRejected: 1 });
    expect(json.excluded).toEqual([
      { rule: 'category "pension  contributions"', reason: 'pension contributions', total: 5000, payments: 1, suppliers: 1 },
      { rule: 'pattern /^HMRC\\b/', reason: 'tax', total: 700, payments: 1, suppliers: 1 },
      { rule: 'supplier "Nobody Ltd"', reason: 'never paid', total: 0, payments: 0, suppliers: 0 },
    ]);
    // A charity number makes Beta Charity a VCSE though the register gives no type.
    expect(json.supplierTypes).toEqual([
      { type: 'VCSE', total: 250, local: 0, localShare: 0, suppliers: 1 },
      { type: 'SME', total: 239.5, local: 239.5, localShare: 1, suppliers: 1 },
    ]);
  });
});
