import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readSpend } from '../src/ingest/spend.js';

/**
 * Every real published file in ../shared/data/council-spend, read as published: no column named.
 * The expected figures come from an independent oracle (Python's csv and Decimal, the columns named by
 * hand from SOURCE.md): blank rows skipped, reading stopped at the file's "Total"/"Grand Total"/©
 * line, a row rejected when its amount is blank or not a number, or its payee is blank and it has no
 * readable date and no transaction id. Unattributable: payees redacted, placeholders matched as the
 * whole name ("Various"), and blank payees of dated rows.
 */
const DATA = join(__dirname, '..', '..', 'shared', 'data', 'council-spend');
const present = existsSync(DATA);
// The shared data sits beside the project in development and in CI: without it these tests fail, never skip.
if (!present) throw new Error(`${DATA} is absent: the tests read the shared council files from ../shared/data.`);

interface Case {
  file: string;
  headerLine?: number;
  supplier: string;
  amount: string;
  date?: string;
  read: number;
  accepted: number;
  total: number;
  unattributable?: [rows: number, pence: number];
  /** The total the file states on its own footer line. */
  stated?: number;
  rejectedBy?: Record<string, number>;
}

const cases: Case[] = [
  { file: 'cabinetoffice_2022-07_clean.csv', supplier: 'Supplier', amount: 'Amount', date: 'Date', read: 318, accepted: 318, total: 4_377_652_232 },
  { file: 'calderdale_2022-08_clean.csv', supplier: 'Supplier(Beneficiary) Name', amount: 'Net Amount', date: 'Date', read: 1956, accepted: 1956, total: 1_590_150_875 },
  { file: 'darlington_2022-09_clean.csv', supplier: 'Supplier', amount: 'Invoice Line Value (net of VAT)', date: 'Transaction Date', read: 1487, accepted: 1487, total: 1_128_165_447 },
  { file: 'gateshead_2022-08_clean.csv', supplier: 'Supplier ID(T)', amount: 'Amount', date: 'Updated', read: 8053, accepted: 8053, total: 3_046_672_283, unattributable: [250, 46_888_880] },
  { file: 'harrogate_2022-08_clean.csv', supplier: 'Supplier Name', amount: 'Net Amount', date: 'Payment Date', read: 1873, accepted: 1873, total: 538_527_074, unattributable: [3, 349_500] },
  { file: 'isleofwight_2014-01_raw_cp1252.csv', supplier: 'Supplier Name', amount: 'Amount', date: 'Date', read: 12499, accepted: 12499, total: 1_327_722_645, unattributable: [3704, 67_915_457] },
  {
    file: 'lambeth_2012-06_raw_with_preamble.csv', headerLine: 10, supplier: 'Supplier Name', amount: 'Invoice Nett Amount', date: 'Invoice Creation Date',
    read: 3155, accepted: 2516, total: 3_977_594_053, stated: 4_029_233_484,
    // 635 amounts glued onto the date, 3 names glued onto it, 1 row with both.
    rejectedBy: { AMOUNT_UNPARSEABLE: 638, ROW_SHORT: 1 },
  },
  { file: 'leeds_2020-06_raw_cp1252.csv', supplier: 'Beneficiary Name', amount: 'Amount', date: 'Payment Date', read: 16176, accepted: 16176, total: 10_444_572_745, unattributable: [1157, 49_985_021] },
  { file: 'manchester_2022-05_clean.csv', supplier: 'Supplier Name', amount: 'Net Amount', date: 'Invoice Payment Date', read: 3564, accepted: 3564, total: 9_740_022_710, unattributable: [171, 160_163_242] },
  { file: 'networkrail_2021-04_clean.csv', supplier: 'Supplier Name', amount: 'Spend', date: 'Invoice GL Date', read: 1462, accepted: 1462, total: 41_047_606_355, stated: 41_047_606_355 },
  { file: 'newcastle_2022-08_clean.csv', supplier: 'Supplier Name', amount: 'Total (excludes VAT)', date: 'Paid Date', read: 6568, accepted: 6568, total: 4_801_302_497, unattributable: [1923, 225_650_640] },
  {
    // A contracts register: its Start Date is not a payment date, so no date column is taken (test/contracts.test.ts).
    file: 'salford_contracts_register_2022-07_with_supplier_postcodes.csv', supplier: 'Supplier Company Name', amount: 'Annual Value',
    // 8 × "Various" (£28,335,000.00) and 11 × "Various Providers" (£15,135,410.04): placeholders, not suppliers.
    read: 360, accepted: 358, total: 20_851_595_129, unattributable: [19, 4_347_041_004], rejectedBy: { AMOUNT_MISSING: 2 },
  },
  {
    file: 'wakefield_2021-Q4_clean.csv', supplier: 'Supplier Name', amount: 'Net Amount', date: 'Payment Date',
    // 15 dated card fees with a blank merchant (£24.04) are payments to no one named: unattributable.
    read: 11517, accepted: 11517, total: 72_349_826, unattributable: [54, 62_558],
  },
];

describe('real council files, read as published with no column named', () => {
  for (const c of cases) {
    it(`${c.file}: ${c.accepted} of ${c.read} rows, ${c.total} pence`, async () => {
      const ledger = await readSpend([join(DATA, c.file)]);
      const [file] = ledger.files;
      const chosen = Object.fromEntries(file!.source.columns.map((col) => [col.field, col.header]));
      expect(chosen.supplier).toBe(c.supplier);
      expect(chosen.amount).toBe(c.amount);
      expect(chosen.date).toBe(c.date);
      expect(file!.source.headerLine).toBe(c.headerLine ?? 1);
      expect(ledger.rowsRead).toBe(c.read);
      expect(ledger.rowsAccepted).toBe(c.accepted);
      expect(ledger.rowsAccepted + ledger.rowsRejected).toBe(ledger.rowsRead);
      expect(ledger.total).toBe(c.total);
      expect([...ledger.suppliers.values()].reduce((sum, s) => sum + s.amount, 0)).toBe(c.total);
      expect(file!.rejectedBy).toEqual(c.rejectedBy ?? {});
      const [rows, pence] = c.unattributable ?? [0, 0];
      expect(file!.unattributableRows).toBe(rows);
      expect(file!.unattributable).toBe(pence);
      expect(ledger.suppliers.get('unattributable')?.amount ?? 0).toBe(pence);
      expect(file!.statedTotal).toBe(c.stated);
    });
  }

  it('Lambeth: the preamble, the totals line and the gap to the file\'s own total are findings; rejected rows keep their text', async () => {
    const ledger = await readSpend([join(DATA, 'lambeth_2012-06_raw_with_preamble.csv')]);
    expect(ledger.findings.count('HEADER_NOT_FIRST_LINE')).toBe(1);
    const footer = ledger.findings.details.find((f) => f.code === 'FOOTER_NOT_READ')!;
    expect(footer.line).toBe(3167);
    expect(footer.raw).toMatch(/^Total,/);
    const differs = ledger.findings.details.find((f) => f.code === 'FILE_TOTAL_DIFFERS')!;
    expect(differs.args?.difference).toBe('£516,394.31');
    const glued = ledger.findings.details.find((f) => f.code === 'AMOUNT_UNPARSEABLE')!;
    expect(glued.line).toBe(19);
    expect(glued.raw).toBe("Lambeth,Children and Young People's Service,A A GuestHouses,25/06/2012900,PRIVATE RESIDENTIAL CARE");
  });

  it('Network Rail: the Grand Total and the copyright line are a footer, and the stated total agrees', async () => {
    const ledger = await readSpend([join(DATA, 'networkrail_2021-04_clean.csv')]);
    expect(ledger.files[0]!.footerRows).toBe(2);
    expect(ledger.findings.count('FILE_TOTAL_AGREES')).toBe(1);
    expect(ledger.suppliers.has('name:grand total')).toBe(false);
  });

  it('Salford\'s "Various" and "Various Providers" and Wakefield\'s blank merchants are the unattributable line, never suppliers', async () => {
    const salford = await readSpend([join(DATA, 'salford_contracts_register_2022-07_with_supplier_postcodes.csv')]);
    const line = salford.suppliers.get('unattributable')!;
    expect([...line.spellings.values()].map((s) => [s.text, s.amount])).toEqual([['Various Providers', 1_513_541_004], ['Various', 2_833_500_000]]);
    expect([...salford.suppliers.keys()].filter((key) => key.includes('various'))).toEqual([]);
    const wakefield = await readSpend([join(DATA, 'wakefield_2021-Q4_clean.csv')]);
    expect(wakefield.suppliers.get('unattributable')!.spellings.get('(blank)')).toMatchObject({ amount: 2_404 });
    expect(wakefield.findings.count('SUPPLIER_MISSING')).toBe(0);
  });

  it('states the column chosen and the alternatives passed over', async () => {
    const leeds = await readSpend([join(DATA, 'leeds_2020-06_raw_cp1252.csv')]);
    const amount = leeds.files[0]!.source.columns.find((c) => c.field === 'amount')!;
    expect(amount.alternatives).toEqual([{ header: 'Irrecoverable VAT Amount', index: 10, why: 'a VAT column' }]);
    const calderdale = await readSpend([join(DATA, 'calderdale_2022-08_clean.csv')]);
    expect(calderdale.files[0]!.source.columns.find((c) => c.field === 'amount')!.alternatives?.map((a) => a.header)).toContain('Irrecoverable VAT');
    const gateshead = await readSpend([join(DATA, 'gateshead_2022-08_clean.csv')]);
    const supplier = gateshead.files[0]!.source.columns.find((c) => c.field === 'supplier')!;
    expect(supplier.note).toMatch(/values are names/);
  });

  it('double-encoded BOMs are skipped and reported (Manchester, Salford)', async () => {
    for (const file of ['manchester_2022-05_clean.csv', 'salford_contracts_register_2022-07_with_supplier_postcodes.csv']) {
      const ledger = await readSpend([join(DATA, file)]);
      expect(ledger.files[0]!.source.bom).toBe('utf-8, encoded twice');
      expect(ledger.files[0]!.source.headers[0]).toMatch(/^Di|^Bo/);
    }
  });

  it('Newcastle: the trailing #N/A cell beyond the header is ignored and noted', async () => {
    const ledger = await readSpend([join(DATA, 'newcastle_2022-08_clean.csv')]);
    expect(ledger.findings.count('ROWS_WIDER_THAN_HEADER')).toBe(1);
  });

  it('£-prefixed, quoted amounts (a perturbed copy of Network Rail) add up to the same pence', async () => {
    const text = readFileSync(join(DATA, 'networkrail_2021-04_clean.csv'), 'utf8');
    const perturbed = text.replace(/,(\d+)\.(\d\d)(\r?\n)/g, (_, pounds: string, pence: string, eol: string) => `,"£${Number(pounds).toLocaleString('en-GB')}.${pence}"${eol}`);
    expect(perturbed).toContain('"£593,650.00"');
    const path = join(mkdtempSync(join(tmpdir(), 'li-council-')), 'pound-signs.csv');
    writeFileSync(path, perturbed);
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(41_047_606_355);
    expect(ledger.rowsAccepted).toBe(1462);
  });
});

describe('choosing columns when the file does not say plainly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'li-columns-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('fails, naming the headers and the flag, when two columns are equally good', async () => {
    const path = write('two-amounts.csv', 'Supplier,Amount,Amount\nAcme Ltd,10.00,12.00\nBeta Ltd,5.00,6.00\n');
    const error = await readSpend([path]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('2 columns could be the amount column');
    expect((error as InputError).options.hint).toContain('--spend-column amount="Amount"');
  });

  it('passes over a header that names a money column when its values are not amounts', async () => {
    const path = write('value-words.csv', 'Payee,Value,Net Amount\nAcme Ltd,High,10.00\nBeta Ltd,Low,5.50\n');
    const ledger = await readSpend([path]);
    expect(ledger.files[0]!.source.columns.find((c) => c.field === 'amount')!.header).toBe('Net Amount');
    expect(ledger.total).toBe(1550);
  });

  it('counts rows after a footer that still look like payments, without summing them', async () => {
    const path = write('mid-total.csv', 'Supplier,Amount\nAcme Ltd,10.00\nTotal,10.00\nBeta Ltd,5.00\n');
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(1000);
    expect(ledger.rowsRead).toBe(1);
    expect(ledger.findings.count('DATA_AFTER_FOOTER')).toBe(1);
  });

  it('does not mistake a supplier whose name starts with "Total" for a totals line', async () => {
    const path = write('total-gas.csv', 'Supplier,Amount\nTotal Gas & Power Ltd,10.00\nAcme Ltd,2.00\n');
    const ledger = await readSpend([path]);
    expect(ledger.total).toBe(1200);
    expect(ledger.files[0]!.footerRows).toBeUndefined();
  });
});
